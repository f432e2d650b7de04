"""Miners and validators end cleanly and follow the localnet (issue #10, section 4)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT


def _env(home):
    return {**os.environ, "BTKIT_HOME": str(home), "PYTHONUNBUFFERED": "1"}


def _setup_subnet(cli, wallets: bool = True):
    """owner (//Alice) creates subnet 1; its hotkey validates; //Charlie's hotkey mines."""
    for wallet, uri, hotkeys in (("owner", "//Alice", ["default"]), ("miners", "//Charlie", ["m1"])) if wallets else ():
        assert cli("wallet", "regen-coldkey", "-w", wallet, "--uri", uri, "--no-use-password").code == 0
        for hk in hotkeys:
            assert cli("wallet", "regen-hotkey", "-w", wallet, "-H", hk, "--uri", f"{uri}//{hk}").code == 0
    r = cli("subnet", "create", "-w", "owner", "-y", "--json")
    assert r.code == 0, r.stdout + r.stderr
    r = cli("register", "--netuid", "1", "-w", "miners", "-H", "m1", "-y", "--json")
    assert r.code == 0, r.stdout + r.stderr


def _wait_log(path, needle: str, timeout: float = 30, after: int = 0) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            text = path.read_text()[after:]
        except OSError:
            text = ""
        if needle in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not in {path}: {text[-3000:]}")


@pytest.fixture
def localnet(cli, home):
    r = cli("localnet", "up", "--port", "0", "--block-time", "0.1", "--json")
    assert r.code == 0, r.stderr
    yield r.json()
    for kind in ("miner", "validator"):
        cli(kind, "stop")
    cli("localnet", "down")


@pytest.mark.parametrize("kind", ["miner", "validator"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_foreground_neurons_exit_128_plus_signal_and_log_stopped(cli, home, localnet, kind, sig, tmp_path):
    _setup_subnet(cli)
    args = (["miner", "run", "-w", "miners", "-H", "m1", "--port", "0"] if kind == "miner"
            else ["validator", "run", "-w", "owner", "--interval", "0.5"])
    err_path = tmp_path / "stderr.log"
    with open(err_path, "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "btkit", *args, "--netuid", "1"], cwd=ROOT, env=_env(home),
                                stdout=subprocess.PIPE, stderr=err, text=True)
        try:
            _wait_log(err_path, "serving" if kind == "miner" else "round")
            proc.send_signal(sig)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = err_path.read_text()
    assert proc.returncode == 128 + sig, (proc.returncode, text[-2000:])
    assert " stopped " in text or text.rstrip().splitlines()[-1].split()[2] == "stopped", text[-2000:]
    assert "Traceback" not in text and "error:" not in text, text[-2000:]


def test_neurons_follow_the_localnet_through_down_up_and_reset(cli, home, localnet):
    _setup_subnet(cli)
    r = cli("miner", "run", "--netuid", "1", "-w", "miners", "-H", "m1", "--port", "0", "--detach", "--json")
    assert r.code == 0, r.stdout + r.stderr
    miner_log = home / "neurons" / "miner-1-miners-m1.log"
    r = cli("validator", "run", "--netuid", "1", "-w", "owner", "--interval", "0.3", "--detach", "--json")
    assert r.code == 0, r.stdout + r.stderr
    validator_log = home / "neurons" / "validator-1-owner-default.log"
    _wait_log(validator_log, "round")
    _wait_log(miner_log, "serving")

    down = cli("localnet", "down", "--json")
    assert down.code == 0
    names = {n["name"] for n in down.json()["attached_neurons"]}
    assert names == {"miner-1-miners-m1", "validator-1-owner-default"}, down.stdout
    human_down_seen = len(validator_log.read_text())
    time.sleep(1.0)  # they notice the node is gone
    up = cli("localnet", "up", "--port", "0", "--block-time", "0.1", "--json")
    assert up.code == 0 and up.json()["url"] != localnet["url"]
    text = _wait_log(validator_log, "node-changed", after=human_down_seen)
    _wait_log(validator_log, "miners=1", after=human_down_seen + text.index("node-changed"))
    _wait_log(miner_log, "node-changed")

    # reset: a new chain (new genesis); once the subnet is set up again they carry on
    mark_v, mark_m = len(validator_log.read_text()), len(miner_log.read_text())
    r = cli("localnet", "reset", "-y", "--json")
    assert r.code == 0 and r.json()["restarted"], r.stdout + r.stderr
    _setup_subnet(cli, wallets=False)
    _wait_log(miner_log, "announced", after=mark_m, timeout=40)
    text = _wait_log(validator_log, "miners=1", after=mark_v, timeout=40)
    assert "node-changed" in text
    ps = {p["name"]: p["running"] for p in cli("validator", "ps", "--json").json()["processes"]}
    assert ps == {"validator-1-owner-default": True}


def test_localnet_down_can_stop_the_attached_neurons(cli, home, localnet):
    _setup_subnet(cli)
    r = cli("miner", "run", "--netuid", "1", "-w", "miners", "-H", "m1", "--port", "0", "--detach", "--json")
    assert r.code == 0, r.stdout + r.stderr
    pid = r.json()["pid"]
    human = cli("localnet", "down", "--stop-neurons")
    assert human.code == 0 and "stopped miner-1-miners-m1" in human.stdout, human.stdout
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}"):
        if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.1)
    assert cli("miner", "ps", "--json").json()["processes"] == []
    assert json.loads(cli("localnet", "status", "--json").stdout or "{}").get("error")
