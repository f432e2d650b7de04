"""The built-in validator sets weights under every chain rule (issue #10, section 5)."""

from __future__ import annotations

import json
import time

import pytest

from btkit.commit_reveal import epoch_index
from keystore.keys import Keypair

TASK = "tests.integration.toy_task:"


def _wait_log(path, needle: str, timeout: float = 60, count: int = 1) -> str:
    deadline, text = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            text = path.read_text()
        except OSError:
            text = ""
        if text.count(needle) >= count:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} x{count} not in {path}: {text[-4000:]}")


@pytest.fixture
def net(cli, home):
    """A localnet (0.1 s blocks), owner //Alice with validator hotkey `default`, miners under //Charlie."""
    r = cli("localnet", "up", "--port", "0", "--block-time", "0.1", "--json")
    assert r.code == 0, r.stderr
    try:
        assert cli("wallet", "regen-coldkey", "-w", "owner", "--uri", "//Alice", "--no-use-password").code == 0
        assert cli("wallet", "regen-hotkey", "-w", "owner", "--uri", "//Alice//v").code == 0
        assert cli("wallet", "regen-coldkey", "-w", "miners", "--uri", "//Charlie", "--no-use-password").code == 0
        r = cli("subnet", "create", "-w", "owner", "-y", "--json")
        assert r.code == 0, r.stdout + r.stderr
        yield r.json()["netuid"]
    finally:
        for kind in ("miner", "validator"):
            cli(kind, "stop")
        cli("localnet", "down")


def _miner(cli, home, name: str, task: str, host: str = "127.0.0.1"):
    assert cli("wallet", "regen-hotkey", "-w", "miners", "-H", name, "--uri", f"//Charlie//{name}").code == 0
    r = cli("register", "--netuid", "1", "-w", "miners", "-H", name, "-y", "--json")
    assert r.code == 0, r.stdout + r.stderr
    r = cli("miner", "run", "--netuid", "1", "-w", "miners", "-H", name, "--port", "0", "--host", host,
            "--task", TASK + task, "--detach", "--json")
    assert r.code == 0, r.stdout + r.stderr
    return home / "neurons" / f"miner-1-miners-{name}.log", r.json()["uid"] if "uid" in r.json() else None


def _validator(cli, home):
    r = cli("validator", "run", "--netuid", "1", "-w", "owner", "--interval", "0.3", "--task", TASK + "Echo",
            "--detach", "--json")
    assert r.code == 0, r.stdout + r.stderr
    return home / "neurons" / "validator-1-owner-default.log", home / "neurons" / "validator-1-owner-default.scores.json"


def _set(cli, name, value):
    r = cli("subnet", "set", name, str(value), "--netuid", "1", "-w", "owner", "--json")
    assert r.code == 0, r.stdout + r.stderr


def test_max_weights_limit_is_respected(cli, home, net):
    _set(cli, "max_weights_limit", 32768)
    _miner(cli, home, "good", "Echo")
    _miner(cli, home, "half", "HalfEcho")  # scores 1.0 and 0.5: unclipped, 2/3 of the total (limit 0.5)
    vlog, _ = _validator(cli, home)
    text = _wait_log(vlog, "weights=set", timeout=60)
    assert "MaxWeightExceeded" not in text, text[-3000:]
    w = cli("weights", "show", "--netuid", "1", "--json").json()["weights"]
    row = next(r for r in w.values() if r)
    values = [v for _, v in row]
    assert max(values) * 65535 <= 32768 * sum(values)


def test_commit_reveal_every_tempo_and_miners_get_paid(cli, home, net):
    """Acceptance 4: max_weights_limit 32768 and commit-reveal on."""
    _set(cli, "max_weights_limit", 32768)
    _set(cli, "commit_reveal_weights_enabled", "true")
    _set(cli, "tempo", 20)
    _miner(cli, home, "good", "Echo")
    _miner(cli, home, "half", "HalfEcho")
    vlog, _ = _validator(cli, home)
    text = _wait_log(vlog, "weights=revealed", timeout=90, count=4)
    assert "CommitRevealEnabled" not in text and "MaxWeightExceeded" not in text and "failed" not in text, text[-3000:]
    # one reveal in every epoch, epoch after epoch (the round's block + 1 is the reveal's block)
    blocks = [int(ln.split("block=")[1].split()[0]) for ln in text.splitlines() if "weights=revealed" in ln]
    epochs = [epoch_index(b + 1, 1, 20) for b in blocks]
    assert epochs == list(range(epochs[0], epochs[0] + len(epochs))), (blocks, epochs)
    time.sleep(3)  # an epoch after the reveals
    mg = cli("subnet", "metagraph", "--netuid", "1", "--json").json()
    good = Keypair.from_uri("//Charlie//good").ss58_address
    half = Keypair.from_uri("//Charlie//half").ss58_address
    inc = {n["hotkey"]: n["incentive"] for n in mg["neurons"]}
    emission = {n["hotkey"]: n["emission"]["rao"] if isinstance(n["emission"], dict) else n["emission"]
                for n in mg["neurons"]}
    # scores 1.0 and 0.5 clipped to the 0.5 limit: equal weights, both paid
    assert inc[good] >= inc[half] > 0 and emission[good] > 0 and emission[half] > 0, (inc, emission)


def test_non_finite_scores_count_as_zero_and_stay_out_of_the_state_file(cli, home, net):
    _miner(cli, home, "good", "Echo")
    _miner(cli, home, "nan", "NanEcho")
    _miner(cli, home, "inf", "InfEcho")
    vlog, state = _validator(cli, home)
    text = _wait_log(vlog, "weights=set", timeout=60)
    assert "round-failed" not in text, text[-3000:]

    def strict(s):
        raise ValueError(f"non-standard JSON constant {s}")

    saved = json.loads(state.read_text(), parse_constant=strict)
    assert sorted(v[1] for v in saved.values())[:2] == [0.0, 0.0] and max(v[1] for v in saved.values()) > 0.5
    w = cli("weights", "show", "--netuid", "1", "--json").json()["weights"]
    row = next(r for r in w.values() if r)
    uid_of = {n["hotkey"]: n["uid"] for n in cli("subnet", "metagraph", "--netuid", "1", "--json").json()["neurons"]}
    good = uid_of[Keypair.from_uri("//Charlie//good").ss58_address]
    assert dict(row)[good] == 65535 and len(row) == 1


def test_a_miner_on_ipv6_is_reached(cli, home, net):
    mlog, _ = _miner(cli, home, "six", "Echo", host="::1")
    text = _wait_log(mlog, "serving")
    assert "url=http://[::1]:" in text, text
    vlog, _ = _validator(cli, home)
    text = _wait_log(vlog, ": 1.0}", timeout=60)  # (403s first: the miner serves validators with a permit)
    round_line = next(ln for ln in text.splitlines() if ": 1.0}" in ln)
    assert "miners=1" in round_line and "failures" not in round_line, text[-3000:]


def test_commit_with_a_version_key_prints_a_reveal_that_works(cli, home, net):
    _set(cli, "commit_reveal_weights_enabled", "true")
    tempo = cli("subnet", "hyperparameters", "--netuid", "1", "--json").json()["hyperparameters"]["tempo"]
    time.sleep((tempo + 2) * 0.1 + 0.5)  # an epoch: the owner's uid 0 gets a permit
    r = cli("weights", "commit", "--netuid", "1", "--uids", "0", "--weights", "1", "--version-key", "5",
            "-w", "owner")
    assert r.code == 0, r.stdout + r.stderr
    line = next(ln.strip() for ln in r.stdout.splitlines() if ln.strip().startswith("btkit weights reveal"))
    assert "--version-key 5" in line
    argv = line.split()[1:] + ["-w", "owner", "--json"]
    deadline = time.monotonic() + 30
    while True:
        rv = cli(*argv)
        if rv.code == 0 or time.monotonic() > deadline:
            break
        assert rv.json()["error"]["code"] == "reveal_too_early", rv.stdout
        time.sleep(0.3)
    assert rv.code == 0, rv.stdout + rv.stderr
