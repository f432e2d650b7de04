"""Every table command at 80 columns (nothing cut, no line over 80) and at 200 (every column)."""

from __future__ import annotations

import pytest

from btkit.units import Alpha
from keystore.keys import Keypair

TABLES = {
    # command -> every column header it has (what COLUMNS=200 must show)
    ("subnet", "metagraph", "--netuid", "1"): ["uid", "stake", "incentive", "dividends", "emission", "consensus",
                                               "trust", "vtrust", "rank", "permit", "updated", "axon", "hotkey"],
    ("subnet", "epoch", "--netuid", "1"): ["uid", "stake", "consensus", "incentive", "dividends", "emission"],
    ("subnet", "list"): ["netuid", "n", "price", "TAO in", "alpha in", "emission/block", "tempo", "burn", "stake",
                         "started", "owner"],
    ("wallet", "overview", "-w", "alice"): ["hotkey", "registered (netuid:uid)", "alpha (netuid: amount)",
                                            "TAO value", "address"],
    ("stake", "list", "-w", "alice"): ["netuid", "stake", "price", "TAO value", "hotkey"],
    ("config", "show"): ["key", "value", "source"],
}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A subnet with four uids, an axon, weights, stake and two epochs behind it."""
    import os
    import subprocess
    import sys

    from localnet import control
    from tests.conftest import ROOT, Result

    home = tmp_path_factory.mktemp("tables-home")
    info, _ = control.up(control.UpOptions(data_dir=home / "node", port=0, mining="instant"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BTKIT_", "BT_PW_", "COLUMNS"))}
    env.update(BTKIT_HOME=str(home), BTKIT_NETWORK=info["url"], BTKIT_WALLET_NAME="alice")

    def run(*args: str, columns: int | None = None) -> Result:
        e = dict(env, **({"COLUMNS": str(columns)} if columns else {}))
        p = subprocess.run([sys.executable, "-m", "btkit", *args], capture_output=True, text=True, env=e, cwd=ROOT,
                           timeout=60, stdin=subprocess.DEVNULL)
        return Result(p.returncode, p.stdout, p.stderr)

    assert run("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password").code == 0
    for name in ("default", "m1", "m2", "m3"):
        assert run("wallet", "regen-hotkey", "--uri", f"//Alice//{name}", "-H", name).code == 0
    assert run("subnet", "create", "-y").code == 0
    for name in ("m1", "m2", "m3"):
        assert run("register", "--netuid", "1", "-H", name, "-y").code == 0
    assert run("axon", "serve", "--netuid", "1", "--ip", "203.0.113.77", "--port", "8091", "-H", "m1").code == 0
    assert run("stake", "add", "--netuid", "1", "--amount", "12345.678", "--unsafe", "-H", "default", "-y").code == 0
    assert run("localnet", "mine", "12", "--data-dir", str(home / "node")).code == 0
    assert run("weights", "set", "--netuid", "1", "--uids", "1,2,3", "--weights", "1,2,3").code == 0
    assert run("localnet", "mine", "24", "--data-dir", str(home / "node")).code == 0
    yield run
    control.down(home / "node")


@pytest.mark.parametrize("command", list(TABLES), ids=[" ".join(c[:2]) for c in TABLES])
def test_tables_fit_80_columns_and_show_everything_at_200(chain, command):
    narrow = chain(*command, columns=80)
    assert narrow.code == 0, narrow.stderr
    assert "…" not in narrow.stdout and "..." not in narrow.stdout
    assert all(len(line) <= 80 for line in narrow.stdout.splitlines()), narrow.stdout
    wide = chain(*command, columns=200)
    assert wide.code == 0 and all(len(line) <= 200 for line in wide.stdout.splitlines())
    header = next(line for line in wide.stdout.splitlines() if line.split()[:1] == TABLES[command][:1])
    for name in TABLES[command]:
        assert name in header, (name, header)
    assert chain(*command, "--wide", columns=80).stdout == wide.stdout  # --wide: everything, whatever the width


def test_numbers_are_whole_at_80_columns(chain):
    doc = chain("subnet", "metagraph", "--netuid", "1", "--json").json()
    narrow = chain("subnet", "metagraph", "--netuid", "1", columns=80).stdout
    for nn in doc["neurons"]:
        rao = nn["stake"]["rao"]
        assert nn["stake"]["alpha"] == str(Alpha(rao).tao)  # a subnet's stake is its alpha, not TAO
        assert f"α{rao / 1e9:,.4f}" in narrow
        assert f"{nn['incentive'] / 65535:.4f}" in narrow
    # full addresses only when they fit; a hotkey's short form is its first 8 characters
    m1 = Keypair.from_uri("//Alice//m1").ss58_address
    assert m1 not in narrow and m1[:8] in narrow
    assert m1 in chain("subnet", "metagraph", "--netuid", "1", columns=200).stdout


def test_stake_list_json_totals_are_tao(chain):
    """The one total is the TAO value; alpha of different subnets is never summed and called τ."""
    doc = chain("stake", "list", "-w", "alice", "--json").json()
    assert any(s["stake"]["rao"] != s["tao_value"]["rao"] for s in doc["stakes"])  # alpha is not TAO here
    totals = {key: value for key, value in doc.items() if isinstance(value, dict) and "rao" in value}
    assert totals == {"total_tao_value": {"rao": sum(s["tao_value"]["rao"] for s in doc["stakes"]),
                                          "tao": totals["total_tao_value"]["tao"]}}
