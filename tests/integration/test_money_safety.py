"""Money: what the user is told is what happens (issue #10, section 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from btkit.chain.localnet import LocalnetChain
from btkit.extrinsic import call
from btkit.units import Balance
from keystore.keys import Keypair
from keystore.ss58 import ss58_encode
from tests.conftest import ROOT
from tests.integration.conftest import ALICE, BOB, ok
from tests.integration.terminal import run_on_terminal
from tests.integration.test_subnets import S, make_subnet

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


# -- quoted prices: re-checked before signing, charged amount from the chain's events ------------
def _subnet_with_bob(cli, c, **hp):
    """A started subnet (owner Alice) and a wallet `default` with coldkey //Bob, hotkey //Bob//h."""
    netuid = make_subnet(c, **hp)
    assert cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Bob//h").code == 0
    return netuid


def _set_burn(c, netuid, rao):
    ok(c, ALICE, call("AdminUtils", "sudo_set_burn", netuid=netuid, value=rao))


@pytest.mark.parametrize("limit", [["--max-cost", "1"], []])
def test_burn_rising_while_the_question_is_open_is_refused(cli, home, start_node, limit):
    node = start_node("instant")
    c = node.client
    netuid = _subnet_with_bob(cli, c)
    _set_burn(c, netuid, TAO // 2)
    before = c.balance(BOB.ss58_address)
    code, screen, out = run_on_terminal(
        ["register", "--netuid", str(netuid), *limit, "--network", node.url], "y",
        dict(os.environ, BTKIT_HOME=str(home)), before_answer=lambda _: _set_burn(c, netuid, 50 * TAO))
    flat = " ".join(screen.split())
    assert code == 1, screen + out
    assert "rose from τ0.500000000 to τ50.000000000" in flat and "nothing was sent" in flat, flat
    assert c.balance(BOB.ss58_address) == before
    assert not node.client.call("subtensor_hotkeyInfo", Keypair.from_uri("//Bob//h").ss58_address)["registrations"]


@pytest.mark.parametrize("limit,code", [(["--max-cost", "1"], 1), ([], 0)])
def test_register_reports_what_the_chain_charged(cli, home, start_node, limit, code):
    """The burn moves after the last check (a sudo call ahead of ours in the same block)."""
    node = start_node("manual")
    c = node.client
    netuid = _subnet_with_bob(cli, c)
    _set_burn(c, netuid, TAO // 2)
    n = c.next_index(ALICE.ss58_address)
    # Alice's queue enters the pool first (a future nonce waits there), so her calls run first
    c.submit(ALICE, call("AdminUtils", "sudo_set_burn", netuid=netuid, value=50 * TAO), wait="none", nonce=n + 1)
    before = c.balance(BOB.ss58_address)
    proc = subprocess.Popen([sys.executable, "-m", "btkit", "register", "--netuid", str(netuid), *limit, "-y",
                             "--json", "--network", node.url], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "BTKIT_HOME": str(home)})
    deadline = time.monotonic() + 30
    while c.call("localnet_nodeInfo")["pool"] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    c.submit(ALICE, call("System", "remark", remark="0x00"), wait="none", nonce=n)
    c.call("localnet_mine", 1)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, out + err
    assert before - c.balance(BOB.ss58_address) == 50 * TAO  # charged the new burn
    doc = json.loads(out)
    if code:
        assert doc["error"]["code"] == "charged_above_limit" and "τ50.000000000" in doc["error"]["message"], doc
        assert "registered" in doc["error"]["message"]
    else:
        assert doc["cost"]["rao"] == 50 * TAO, doc  # what was charged, not the τ0.5 quoted


def test_lock_cost_rising_while_the_question_is_open_is_refused(cli, home, start_node):
    node = start_node("instant")
    c = node.client
    assert cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Bob//h").code == 0
    before = c.balance(BOB.ss58_address)
    code, screen, out = run_on_terminal(
        ["subnet", "create", "--network", node.url], "y", dict(os.environ, BTKIT_HOME=str(home)),
        before_answer=lambda _: make_subnet(c))  # another subnet: the lock cost doubles
    flat = " ".join(screen.split())
    assert code == 1 and "the lock cost rose from" in flat, flat + out
    assert c.balance(BOB.ss58_address) == before


# -- stake: whole positions, no stranded dust, unstake hints speak of unstaking ----------------
def test_unstake_never_strands_dust_and_all_empties_any_position(cli, home, start_node):
    node = start_node("instant")
    c = node.client
    netuid = _subnet_with_bob(cli, c, tempo=5000)  # no epoch pays into the stake meanwhile
    net = ["--network", node.url, "--netuid", str(netuid), "-y", "--json"]
    assert cli("register", *net).code == 0
    r = cli("stake", "add", "-a", "1.001", *net)
    assert r.code == 0 and r.json()["amount"]["rao"] == 1_001_000_000, r.stdout + r.stderr  # the TAO taken
    held = r.json()["stake_now"]["rao"]
    r = cli("stake", "remove", "-a", str(Balance(held - 1_000_000).tao), *net)
    assert r.code == 2, r.stdout
    err = r.json()["error"]
    assert "would leave τ0.001000000" in err["message"] and "--all" in err["hint"], err
    # a dust position (as an older tool could leave): partial unstakes refused, hint about unstaking
    hot = Keypair.from_uri("//Bob//h").ss58_address
    ok(c, BOB, call(S, "remove_stake", hotkey=hot, netuid=netuid, amount_unstaked=held - 1_000_000))
    r = cli("stake", "remove", "-a", "0.0005", *net)
    hint = r.json()["error"]["hint"]
    assert r.code == 2 and hint.startswith("unstake at least") and "--all" in hint, r.stdout
    before = c.balance(BOB.ss58_address)
    r = cli("stake", "remove", "--all", *net)
    assert r.code == 0, r.stdout + r.stderr
    assert r.json()["stake_now"]["rao"] == 0
    assert c.balance(BOB.ss58_address) - before == r.json()["amount"]["rao"] > 0  # reported = received
    r = cli("stake", "remove", "--all", *net)
    assert r.code == 2 and "nothing is staked" in r.json()["error"]["message"]


# -- register --pow checks every precondition before solving --------------------------------
@pytest.mark.parametrize("case", ["already_registered", "other_coldkey"])
def test_pow_register_checks_preconditions_before_solving(cli, home, start_node, case):
    node = start_node("instant")
    c = node.client
    netuid = _subnet_with_bob(cli, c, difficulty=10**12, min_difficulty=10**12, max_difficulty=10**12)
    hot = Keypair.from_uri("//Bob//h")
    if case == "already_registered":
        ok(c, BOB, call(S, "burned_register", netuid=netuid, hotkey=hot.ss58_address))
        expected = "HotKeyAlreadyRegisteredInSubNet"
    else:
        other = make_subnet(c, owner_hotkey=Keypair.from_uri("//Else"))
        ok(c, ALICE, call(S, "burned_register", netuid=other, hotkey=hot.ss58_address))  # Alice owns it now
        expected = "NonAssociatedColdKey"
    started = time.monotonic()
    r = cli("register", "--netuid", str(netuid), "--pow", "--timeout", "20", "--json", "--network", node.url,
            timeout=60)
    took = time.monotonic() - started
    assert r.code == 4, r.stdout + r.stderr
    assert expected in r.json()["error"]["message"] and took < 10, (took, r.stdout)
