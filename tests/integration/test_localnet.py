"""Acceptance of the localnet issue, against real node processes."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest
import requests

from btkit.extrinsic import build_signed, call
from btkit.process import is_alive
from keystore.keys import Keypair
from localnet.verify import VerifyError, verify
from tests.integration.conftest import ALICE, BOB, CHARLIE, DAVE, ok

TAO = 10**9


def rpc(url, method, *params, timeout=10):
    return requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)},
                         timeout=timeout).json()


def test_up_is_fast_and_down_leaves_nothing(cli, home):
    r = cli("localnet", "up", "--port", "0", "--json")
    assert r.code == 0, r.stderr
    info = r.json()
    assert info["ready_s"] < 1.0, info["ready_s"]
    assert info["accounts"][0]["uri"] == "//Alice" and info["accounts"][0]["sudo"]
    assert rpc(info["url"], "system_health")["result"]["isSyncing"] is False
    assert cli("localnet", "up", "--port", "0").code == 1  # one node per data dir
    status = cli("localnet", "status", "--json").json()
    assert status["pid"] == info["pid"]
    assert cli("localnet", "down", "--json").json()["stopped"] is True
    assert not is_alive(info["pid"])
    assert cli("localnet", "status").code == 3


def test_up_reports_readiness_over_a_pipe_and_a_failed_start_at_once(cli, home, tmp_path):
    r = cli("localnet", "up", "--port", "0", "--json", "--data-dir", str(tmp_path / "a"))
    info = r.json()
    record = json.loads((tmp_path / "a" / "node.json").read_text())
    assert record["pid"] == info["pid"] and "--ready-fd" not in record["argv"]  # `reset` restarts from argv
    assert info["genesis_hash"] == rpc(info["url"], "localnet_nodeInfo")["result"]["genesis_hash"]
    taken = info["url"].rsplit(":", 1)[1]
    started = time.monotonic()
    r = cli("localnet", "up", "--port", taken, "--data-dir", str(tmp_path / "b"))
    assert r.code != 0 and "cannot listen" in r.stderr, r.stderr
    assert time.monotonic() - started < 5  # the closed pipe wakes the wait; no 15 s timeout
    assert cli("localnet", "down", "--data-dir", str(tmp_path / "a")).code == 0


def test_a_pallet_call_the_moment_the_node_is_ready_is_accepted(start_node):
    # the pallets load after readiness (on the block thread); a submission must not outrun them
    c = start_node("manual").client
    result = ok(c, ALICE, call("SubtensorModule", "register_network",
                               hotkey=Keypair.from_uri("//ready-owner").ss58_address))
    assert result["success"]


def _wait_included(client, hashes, timeout=60):
    deadline = time.time() + timeout
    pending = list(hashes)
    while pending and time.time() < deadline:
        statuses = client.batch([("author_extrinsicStatus", [h]) for h in pending[:500]])
        done = {h for h, s in zip(pending[:500], statuses) if s and s["status"] == "included"}
        pending = [h for h in pending if h not in done]
        if pending:
            time.sleep(0.05)
    assert not pending, f"{len(pending)} extrinsics not included"


def test_thousand_transfers_stay_consistent(start_node):
    node = start_node("interval", 0.1)
    c = node.client
    senders = [ALICE, BOB, CHARLIE, DAVE]
    targets = [Keypair.from_uri(f"//Target{i}").ss58_address for i in range(10)]
    start_issuance = c.total_issuance()
    before = {s.ss58_address: c.balance(s.ss58_address) for s in senders}
    head = c.head()["number"]
    hashes, expected = [], {}
    for i in range(1000):
        s = senders[i % 4]
        nonce = i // 4
        amount = TAO + i
        xt = build_signed(s, call("Balances", "transfer_keep_alive", dest=targets[i % 10], value=amount),
                          nonce, c.genesis_hash, head)
        hashes.append(xt)
        expected[targets[i % 10]] = expected.get(targets[i % 10], 0) + amount
        before[s.ss58_address] -= amount
    for chunk in range(0, 1000, 100):
        replies = c.batch([("author_submitExtrinsic", [xt]) for xt in hashes[chunk:chunk + 100]])
        assert all(r.startswith("0x") for r in replies)
    _wait_included(c, [xt and __import__("btkit.extrinsic").extrinsic.extrinsic_hash(xt) for xt in hashes])
    for who, value in {**before, **expected}.items():
        assert c.balance(who) == value
    for s in senders:
        assert c.call("balances_account", s.ss58_address)["nonce"] == 250
    accounts = c.call("balances_accounts")
    assert sum(accounts.values()) == c.total_issuance() == start_issuance
    node.stop()
    assert verify(node.data_dir / "chain.db")["extrinsics_replayed"] == 1000


def _post_raw(url, data, headers=None):
    return requests.post(url, data=data, headers=headers or {"content-type": "application/json"}, timeout=30)


def test_bad_extrinsics_and_requests_are_rejected_clearly(shared_node):
    c, url = shared_node.client, shared_node.url
    dest = Keypair.from_uri("//Reject").ss58_address
    transfer = call("Balances", "transfer_keep_alive", dest=dest, value=TAO)

    def submit(xt):
        return rpc(url, "author_submitExtrinsic", xt)

    good = c.sign(ALICE, transfer)
    forged = dict(good, signature="0x" + "11" * 64)
    assert submit(forged)["error"]["data"]["reason"] == "BadProof"
    wrong_signer = dict(good, signer=BOB.ss58_address)
    assert submit(wrong_signer)["error"]["data"]["reason"] == "BadProof"
    other_genesis = build_signed(ALICE, transfer, good["nonce"], b"\x42" * 32, good["era"]["birth"])
    err = submit(other_genesis)["error"]
    assert err["code"] == 1010 and "genesis" in err["message"]
    # a valid one goes in; replaying it (same nonce) is stale
    included = c.submit(ALICE, transfer)
    assert included.success
    replay = submit(good)["error"]
    assert replay["data"]["reason"] == "Stale" and "already used" in replay["message"]
    # expired era
    c.call("localnet_mine", 10)
    head = c.head()["number"]
    old = build_signed(ALICE, transfer, c.next_index(ALICE.ss58_address), c.genesis_hash, head - 8, period=4)
    assert submit(old)["error"]["data"]["reason"] == "AncientBirthBlock"
    # wrong types
    bad_value = c.sign(ALICE, call("Balances", "transfer_keep_alive", dest=dest, value="1"))
    assert submit(bad_value)["error"]["data"]["reason"] == "BadCall"
    assert submit({"signer": 5})["error"]["data"]["reason"] == "Malformed"
    assert rpc(url, "system_accountNextIndex", 12345)["error"]["code"] == -32602
    assert rpc(url, "chain_getBlockHash", 1, 2, 3)["error"]["code"] == -32602
    # malformed JSON, invalid requests, unknown methods
    assert _post_raw(url, b"{not json").json()["error"]["code"] == -32700
    assert _post_raw(url, b'{"id": 1}').json()["error"]["code"] == -32600
    assert rpc(url, "no_such_method")["error"]["code"] == -32601
    # a 10 MB body
    big = _post_raw(url, b'{"jsonrpc":"2.0","id":1,"method":"system_health","params":["' + b"x" * 10_000_000 + b'"]}')
    assert big.status_code == 413 and "too large" in big.json()["error"]["message"]
    # and the node keeps serving
    assert rpc(url, "system_health")["result"]["peers"] == 0
    assert c.submit(ALICE, transfer).success


def test_failed_call_changes_nothing_but_the_nonce(shared_node):
    c = shared_node.client
    poor = Keypair.from_uri("//Poor")
    c.call("localnet_setBalance", poor.ss58_address, 10 * TAO)
    issuance = c.total_issuance()
    nonce = c.next_index(poor.ss58_address)
    result = c.submit(poor, call("Balances", "transfer_keep_alive", dest=ALICE.ss58_address, value=11 * TAO))
    assert not result.success and result.error == "Balances.InsufficientBalance"
    assert c.balance(poor.ss58_address) == 10 * TAO and c.total_issuance() == issuance
    assert c.next_index(poor.ss58_address) == nonce + 1
    status = c.call("author_extrinsicStatus", result.hash)
    assert status["error"] == "Balances.InsufficientBalance"


def test_kill_9_loses_nothing_that_was_included(start_node, cli):
    node = start_node("interval", 0.05)
    c = node.client
    dest = Keypair.from_uri("//Crash").ss58_address
    seen: list[tuple[str, int]] = []
    stop = threading.Event()

    def stream():
        from btkit.chain import ChainClient

        client = ChainClient(node.url, timeout=5)
        nonce = client.next_index(BOB.ss58_address)
        while not stop.is_set():
            try:
                r = client.submit(BOB, call("Balances", "transfer_keep_alive", dest=dest, value=TAO), nonce=nonce,
                                  timeout=5)
            except Exception:
                return
            seen.append((r.hash, r.block))
            nonce += 1

    t = threading.Thread(target=stream)
    t.start()
    while len(seen) < 15:
        time.sleep(0.02)
    head_seen = max(b for _, b in seen)
    os.kill(node.info["pid"], signal.SIGKILL)
    stop.set()
    t.join(10)
    node.proc.wait(5)
    node.start()
    c = node.client
    for tx_hash, block in seen:
        status = c.call("author_extrinsicStatus", tx_hash)
        assert status and status["status"] == "included" and status["block"] == block
    assert c.head()["number"] >= head_seen
    assert c.balance(dest) >= len(seen) * TAO
    before = c.head()["number"]
    c.call("localnet_mine", 2)
    assert c.head()["number"] >= before + 2  # the head continues
    node.stop()
    r = cli("localnet", "verify", "--data-dir", str(node.data_dir), "--json")
    assert r.code == 0, r.stdout + r.stderr
    assert r.json()["ok"]


def test_snapshot_revert_and_dump_load(start_node, cli, tmp_path):
    node = start_node("manual")
    c = node.client
    dest = Keypair.from_uri("//Snap").ss58_address
    c.call("localnet_mine", 3)
    sid = c.call("localnet_snapshot")
    head0 = c.head()
    bal0 = {a: c.balance(a) for a in (ALICE.ss58_address, dest)}
    c.submit(ALICE, call("Balances", "transfer_keep_alive", dest=dest, value=5 * TAO), wait="none")
    c.call("localnet_mine", 4)
    assert c.balance(dest) == 5 * TAO
    dump = c.call("localnet_dump")
    head1 = c.head()
    assert c.call("localnet_revert", sid) is True
    assert c.head() == head0
    assert {a: c.balance(a) for a in bal0} == bal0
    c.call("localnet_load", dump)
    assert c.head() == head1 and c.balance(dest) == 5 * TAO
    # the chain goes on from the loaded head and replays from it
    c.submit(ALICE, call("Balances", "transfer_keep_alive", dest=dest, value=TAO), wait="none")
    c.call("localnet_mine", 1)
    assert c.balance(dest) == 6 * TAO and c.head()["parent_hash"] == head1["hash"]
    # through the CLI too
    f = tmp_path / "state.json"
    assert cli("localnet", "dump", str(f), "--data-dir", str(node.data_dir)).code == 0
    assert json.loads(f.read_text())["head"]["header"]["number"] == head1["number"] + 1
    assert verify(node.data_dir / "chain.db")["ok"]


CHAIN_COMMANDS = [
    ("wallet", "balance", "--ss58", ALICE.ss58_address),
    ("wallet", "transfer", "-d", ALICE.ss58_address, "-a", "1", "-y", "-w", "alice"),
    ("localnet", "status"), ("localnet", "mine", "2"), ("localnet", "snapshot"), ("localnet", "revert", "1"),
    ("localnet", "dump", "/tmp/never-written.json"),
]


@pytest.mark.parametrize("args", CHAIN_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_no_node_exits_3_with_the_fix(cli, args):
    cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice")
    r = cli(*args)
    assert r.code == 3, (r.code, r.stderr)
    assert "no localnet" in r.stderr and "btkit localnet up" in r.stderr
    rj = cli(*args, "--json")
    assert rj.code == 3 and "no localnet" in rj.json()["error"]["message"]


def test_reset_restarts_on_a_new_genesis(cli, home):
    info = cli("localnet", "up", "--port", "0", "--mining", "manual", "--json").json()
    assert cli("localnet", "mine", "5").code == 0
    assert cli("localnet", "reset").code == 2  # needs confirmation; no terminal here
    r = cli("localnet", "reset", "-y", "--json")
    assert r.code == 0 and r.json()["restarted"] is True
    status = cli("localnet", "status", "--json").json()
    assert status["head"] == 0 and status["genesis_hash"] != info["genesis_hash"]
    assert cli("localnet", "down").code == 0


def test_verify_ignores_reworded_error_messages_not_outcomes(start_node, tmp_path):
    """A chain recorded by a btkit whose error messages read differently still verifies; a different
    outcome (the error's name) does not."""
    import sqlite3

    node = start_node("manual")
    poor = Keypair.from_uri("//Poor")
    node.client.submit(ALICE, call("Balances", "transfer_keep_alive", dest=poor.ss58_address, value=TAO), wait="none")
    node.client.call("localnet_mine", 1)
    node.client.submit(poor, call("Balances", "transfer_keep_alive", dest=ALICE.ss58_address, value=5 * TAO),
                       wait="none")
    node.client.call("localnet_mine", 1)
    node.stop()
    db = sqlite3.connect(node.data_dir / "chain.db")
    number, body = db.execute("SELECT number, body FROM blocks ORDER BY number DESC LIMIT 1").fetchone()
    block = json.loads(body)
    (result,) = block["results"]
    assert not result["success"] and result["message"]

    def store(**changes) -> None:
        block["results"] = [{**result, **changes}]
        db.execute("UPDATE blocks SET body = ? WHERE number = ?", (json.dumps(block), number))
        db.commit()

    store(message="worded by another version")
    assert verify(node.data_dir / "chain.db")["ok"]
    store(error="Balances.SomethingElse")
    with pytest.raises(VerifyError, match="dispatch results differ"):
        verify(node.data_dir / "chain.db")
