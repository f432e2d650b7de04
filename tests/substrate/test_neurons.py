"""A miner and a validator (`btkit miner run`, `btkit validator run`) against the real subtensor runtime:
the validator scores the miner and its weights land on chain."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.conftest import ROOT
from tests.substrate.test_cli import create_subnet, ok

# subtensor refuses to store 127.0.0.1 as an axon (serving.rs, is_valid_ip_address); 127.0.0.2 is the
# same loopback interface on Linux and is accepted
MINER_IP = "127.0.0.2"


def start(*args: str, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "btkit", *args], cwd=ROOT, env=dict(os.environ),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)


def test_validator_weights_land_on_chain(wallets, net, node, tmp_path):
    cli = wallets
    netuid = create_subnet(cli, net, node)  # bob's hotkey is uid 0: the validator
    miner_uid = ok(cli("register", "--netuid", str(netuid), "-w", "charlie", "-y", "--json", *net))["uid"]
    validator_uid = 0
    procs = []
    try:
        with open(tmp_path / "miner.log", "wb") as mlog, open(tmp_path / "validator.log", "wb") as vlog:
            procs.append(start("miner", "run", "--netuid", str(netuid), "-w", "charlie", "--host", MINER_IP,
                               "--external-ip", MINER_IP, "--port", "0", "--log-format", "json", *net, log=mlog))
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:  # the miner announces its axon on chain
                mg = ok(cli("subnet", "metagraph", "--netuid", str(netuid), "--json", *net))
                axon = next(n["axon"] for n in mg["neurons"] if n["uid"] == miner_uid)
                if axon and axon["ip"] == MINER_IP:
                    break
                assert procs[0].poll() is None, (tmp_path / "miner.log").read_text()
                time.sleep(1)
            else:
                raise AssertionError("no axon: " + (tmp_path / "miner.log").read_text()[-2000:])
            procs.append(start("validator", "run", "--netuid", str(netuid), "-w", "bob", "--interval", "1",
                               "--log-format", "json", *net, log=vlog))
            while time.monotonic() < deadline:
                weights = ok(cli("weights", "show", "--netuid", str(netuid), "--json", *net))["weights"]
                row = dict(map(tuple, weights.get(str(validator_uid), [])))
                if row.get(miner_uid, 0) > 0:
                    break
                assert procs[1].poll() is None, (tmp_path / "validator.log").read_text()
                time.sleep(1)
            else:
                raise AssertionError("no weights: " + (tmp_path / "validator.log").read_text()[-3000:])
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    mg = ok(cli("subnet", "metagraph", "--netuid", str(netuid), "--json", *net))
    assert next(n for n in mg["neurons"] if n["uid"] == validator_uid)["last_update"] > 0
