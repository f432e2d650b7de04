"""The node log: a line per extrinsic (signer, call, result or error, block), a line per epoch,
nothing for empty blocks; text and JSON formats, both read back by `localnet logs --json`."""

from __future__ import annotations

import re

import pytest

from keystore.keys import Keypair


@pytest.fixture
def node(cli):
    started = []

    def up(*extra: str):
        r = cli("localnet", "up", "--port", "0", "--mining", "instant", *extra, "--json")
        assert r.code == 0, r.stderr
        started.append(True)
        return r.json()

    yield up
    if started:
        cli("localnet", "down")


def records(cli, event: str | None = None) -> list[dict]:
    r = cli("localnet", "logs", "-n", "1000", "--json")
    assert r.code == 0, r.stderr
    doc = r.json()
    assert len(doc["records"]) == len(doc["lines"])
    return [rec for rec in doc["records"] if event is None or rec["event"] == event]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_failing_extrinsic_is_one_line_with_error_name_and_block(cli, node, log_format):
    node("--log-format", log_format)
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//owner", "-w", "alice").code == 0
    assert cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password", "-w", "bob").code == 0
    assert cli("subnet", "create", "-w", "alice", "-y").code == 0
    before = len(records(cli, "extrinsic"))
    # someone who neither owns the subnet nor holds sudo sets a hyperparameter: included, failed in dispatch
    failed = cli("subnet", "set", "tempo", "20", "--netuid", "1", "-w", "bob", "--json")
    assert failed.code == 4, failed.stdout
    error = failed.json()["error"]
    block = int(re.search(r"included in block (\d+)", error["message"]).group(1))
    name = error["message"].split(":")[0]
    assert name == "AdminUtils.BadOrigin"
    lines = records(cli, "extrinsic")
    assert len(lines) == before + 1
    line = lines[-1]
    assert line["call"] == "AdminUtils.sudo_set_tempo" and line["result"] == "failed"
    assert (line["error"], line["block"]) == (name, block)
    assert line["signer"] == Keypair.from_uri("//Bob").ss58_address
    ok = [rec for rec in lines if rec["call"] == "SubtensorModule.register_network"]
    assert ok and ok[0]["result"] == "success" and "error" not in {k for k, v in ok[0].items() if v}
    if log_format == "json":
        raw = cli("localnet", "logs", "-n", "1", "--json").json()["lines"][-1]
        assert raw.startswith("{")
    else:
        human = cli("localnet", "logs", "-n", "1000").stdout
        assert f"extrinsic block={block} " in human and f"error={name}" in human


def test_empty_blocks_are_quiet_and_epochs_have_a_line(cli, node):
    node()
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//owner", "-w", "alice").code == 0
    assert cli("subnet", "create", "-w", "alice", "-y").code == 0
    count = len(records(cli))
    tempo = cli("subnet", "hyperparameters", "--netuid", "1", "--json").json()["hyperparameters"]["tempo"]
    assert cli("localnet", "mine", str(2 * tempo + 2)).code == 0
    recs = records(cli)
    new = recs[count:]
    assert new and all(rec["event"] == "epoch" for rec in new), new  # nothing for the empty blocks
    assert {rec["netuid"] for rec in new} == {1} and len(new) == 2
    assert all(rec["uids"] == 1 and rec["block"] > 0 for rec in new)


def test_logs_follow_prints_new_lines(cli, node, home):
    import os
    import selectors
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    node()
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//owner", "-w", "alice").code == 0
    follower = subprocess.Popen([sys.executable, "-m", "btkit", "localnet", "logs", "-f", "-n", "0"], cwd=ROOT,
                                env=dict(os.environ, BTKIT_HOME=str(home)), stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)  # it is following the end of the file
        assert cli("subnet", "create", "-w", "alice", "-y").code == 0
        sel = selectors.DefaultSelector()
        sel.register(follower.stdout, selectors.EVENT_READ)
        seen, deadline = "", time.monotonic() + 15
        while "register_network" not in seen and time.monotonic() < deadline:
            if sel.select(timeout=0.5):
                seen += follower.stdout.readline()
        assert "call=SubtensorModule.register_network result=success" in seen
    finally:
        follower.terminate()
        follower.wait(timeout=10)
