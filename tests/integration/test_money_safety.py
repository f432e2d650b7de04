"""Money: what the user is told is what happens (issue #10, section 3)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from btkit.chain.localnet import LocalnetChain
from btkit.units import Balance
from keystore.keys import Keypair
from keystore.ss58 import ss58_encode
from tests.conftest import ROOT
from tests.integration.conftest import ALICE

TAO = 10**9
DAVE = Keypair.from_uri("//Dave")
POLKADOT_DAVE = ss58_encode(DAVE.public_key, 0)
KUSAMA_DAVE = ss58_encode(DAVE.public_key, 2)


# -- addresses: only the network's prefix, and every error names its option ---------------------
CASES = [
    (["wallet", "transfer", "-d", "ADDR", "-a", "1", "-y", "NET"], "--destination"),
    (["wallet", "balance", "--ss58", "ADDR", "NET"], "--ss58"),
    (["stake", "list", "--ss58", "ADDR", "NET"], "--ss58"),
    (["stake", "add", "--netuid", "1", "-a", "1", "--hotkey-ss58", "ADDR", "-y", "NET"], "--hotkey-ss58"),
    (["stake", "remove", "--netuid", "1", "-a", "1", "--hotkey-ss58", "ADDR", "-y", "NET"], "--hotkey-ss58"),
    (["wallet", "regen-coldkeypub", "--ss58", "ADDR", "-w", "watch"], "--ss58"),
]


@pytest.mark.parametrize("args,option,bad", [(a, o, POLKADOT_DAVE) for a, o in CASES] + [
    (CASES[0][0], CASES[0][1], bad) for bad in (KUSAMA_DAVE, DAVE.ss58_address[:-1] + "x", "not-an-address")])
def test_foreign_or_bad_addresses_are_refused_naming_the_option(cli, home, shared_node, args, option, bad):
    node = shared_node
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password").code == 0
    before = node.client.balance(DAVE.ss58_address)
    argv = [a for arg in args for a in ({"ADDR": [bad], "NET": ["--network", node.url]}.get(arg, [arg]))]
    r = cli(*argv, "--json")
    assert r.code == 2, r.stdout + r.stderr
    err = r.json()["error"]
    assert err["message"].startswith(option + ":"), err
    if bad in (POLKADOT_DAVE, KUSAMA_DAVE):
        assert "prefix" in err["message"] and "42" in err["message"], err
    assert node.client.balance(DAVE.ss58_address) == before
    assert not (home / "wallets/watch").exists()


# -- parallel commands from one key all go through ------------------------------------------
def test_parallel_submissions_from_one_key_all_go_through(start_node):
    node = start_node("interval", 0.2)
    chains = [LocalnetChain(node.url) for _ in range(8)]
    start, results, errors = threading.Barrier(len(chains)), [], []

    def send(chain):
        start.wait()
        try:
            results.append(chain.submit(ALICE, chain.calls.transfer(DAVE.ss58_address, Balance(TAO))).raise_for_error())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    before = node.client.balance(DAVE.ss58_address)
    threads = [threading.Thread(target=send, args=(c,)) for c in chains]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(results) == len(chains)
    assert node.client.balance(DAVE.ss58_address) - before == len(chains) * TAO


def test_six_parallel_transfers_through_the_cli_all_go_through(cli, home, start_node):
    node = start_node("interval", 0.2)
    assert cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password").code == 0
    before = node.client.balance(DAVE.ss58_address)
    env = {**os.environ, "BTKIT_HOME": str(home)}
    procs = [subprocess.Popen([sys.executable, "-m", "btkit", "wallet", "transfer", "-d", DAVE.ss58_address,
                               "-a", "1", "-y", "--json", "--network", node.url], cwd=ROOT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(6)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [o[0] + o[1] for o in outs]
    assert node.client.balance(DAVE.ss58_address) - before == 6 * TAO
