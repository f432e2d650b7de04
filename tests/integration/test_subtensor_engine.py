"""btkit's subtensor engine: the real subtensor runtime (spec-218 fixture) under chopsticks.

Each engine start costs ~5 s of CPU (chopsticks compiles the runtime): the read-mostly checks
share the session's ``subtensor_node``; the lifecycle and fork tests start their own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from btkit import process
from localnet.genesis import DEV_ACCOUNTS
from tests.substrate_node import SPEC, SubtensorNode, require

ROOT = Path(__file__).resolve().parents[2]
ALICE = DEV_ACCOUNTS[0][1]


def _post(url: str, method: str, *params):
    return requests.post(url, json={"jsonrpc": "2.0", "id": 7, "method": method, "params": list(params)},
                         timeout=30).json()


_clients: list = []


def _sdk(url: str):
    import bittensor as bt

    _clients.append(bt.Subtensor(network=url))
    return _clients[-1]


@pytest.fixture(autouse=True)
def _close_sdk_clients():
    """The SDK keeps a WebSocket session per client: close them before the engines stop."""
    yield
    while _clients:
        _clients.pop().close()


def _transfer(url: str, uri: str, dest: str, tao: int) -> None:
    import bittensor as bt
    from bittensor_wallet import Keypair

    result = _sdk(url).execute(bt.Transfer(dest_ss58=dest, amount_tao=bt.tao(tao)),
                               wallet=Keypair.create_from_uri(uri))
    assert result.success, result.message


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.is_alive(pid):
            return True
        time.sleep(0.1)
    return False


# -- the session engine: dev setup, bridge, dev operations ------------------------------------

def test_dev_accounts_funded_sudo_alice_limits_relaxed(subtensor_node):
    sub = _sdk(subtensor_node.ws_url)
    for _uri, address, amount in DEV_ACCOUNTS:
        assert sub.balances.get(address).rao == amount
    assert str(sub.query(("Sudo", "Key"))) == ALICE
    assert sub.query(("SubtensorModule", "NetworkRateLimit")) == 0
    assert sub.query(("SubtensorModule", "WeightsSetRateLimit"), [1]) == 0
    assert sub.query(("SubtensorModule", "TargetRegistrationsPerInterval"), [1]) == 256



def test_alice_is_the_triumvirate_so_governance_works_out_of_the_box(subtensor_node, cli):
    """The fixture's triumvirate is keys nobody holds: without //Alice seated, `governance propose
    -w alice` on a fresh engine failed Triumvirate.NotMember (issue #16's dev profile: //Alice)."""
    r = cli("governance", "senate", "--json", "--network", subtensor_node.ws_url)
    assert r.code == 0, r.stderr
    assert r.json()["triumvirate"] == [ALICE]

def test_bridge_answers_what_chopsticks_does_not(subtensor_node):
    url = subtensor_node.url
    nonce = _post(url, "account_nextIndex", ALICE)
    assert nonce["result"] == _post(url, "system_accountNextIndex", ALICE)["result"]
    with_0x = _post(url, "state_call", "Core_version", "0x")
    without = _post(url, "state_call", "Core_version", "")
    assert without["result"] == with_0x["result"] and without["result"].startswith("0x")
    # chopsticks itself refuses both: the bridge is what makes them work
    assert "error" in _post(subtensor_node.info["upstream"], "account_nextIndex", ALICE)


def test_mine_jump_snapshot_revert_from_the_cli(subtensor_node, cli):
    dd = ["--data-dir", str(subtensor_node.data_dir)]
    start = subtensor_node.rpc.head()["number"]
    r = cli("--json", "localnet", "mine", "3", *dd)
    assert r.code == 0, r.stderr
    assert r.json()["head"] == start + 3
    r = cli("--json", "localnet", "snapshot", *dd)
    assert r.code == 0, r.stderr
    sid = r.json()["snapshot"]
    snap_head = subtensor_node.rpc.head()

    dest = "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL"  # //Ferdie
    sub = _sdk(subtensor_node.ws_url)
    before = {a: sub.balances.get(a).rao for a in (ALICE, dest)}
    _transfer(subtensor_node.ws_url, "//Alice", dest, 7)
    r = cli("--json", "localnet", "jump", "500", *dd)
    assert r.code == 0, r.stderr
    assert r.json()["head"] == snap_head["number"] + 1 + 500  # the transfer's block, then one block 500 ahead
    changed = {a: sub.balances.get(a).rao for a in (ALICE, dest)}
    assert changed[dest] == before[dest] + 7 * 10**9 and changed[ALICE] < before[ALICE] - 7 * 10**9

    r = cli("--json", "localnet", "revert", str(sid), *dd)
    assert r.code == 0, r.stderr
    assert (r.json()["head"], r.json()["hash"]) == (snap_head["number"], snap_head["hash"])
    sub = _sdk(subtensor_node.ws_url)
    assert {a: sub.balances.get(a).rao for a in (ALICE, dest)} == before  # exactly, to the rao
    r = cli("--json", "localnet", "revert", "99", *dd)
    assert r.code == 2 and "no snapshot 99" in r.json()["error"]["message"]


def test_bittensor_sdk_script_transfers_stakes_and_reads(subtensor_node):
    """Acceptance 3: the real SDK (11.3) against the engine btkit started, as a plain script."""
    snap = subtensor_node.snapshot()
    try:
        proc = subprocess.run([sys.executable, str(ROOT / "tests" / "interop" / "sdk_on_subtensor.py"),
                               subtensor_node.ws_url], capture_output=True, text=True, timeout=240, cwd=ROOT)
    finally:
        subtensor_node.revert(snap)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["spec_version"] == 218
    assert out["dest"] == 3 * 10**9
    assert out["owner"] == ALICE and out["neuron_count"] == 2  # owner + the burned registration
    assert out["target_registrations"] == 256  # init_new_network wrote 1; the engine raised it again
    assert out["weights"] == [[0, 1], [1, 65535]]  # set right after registering: WeightsSetRateLimit relaxed
    assert out["alpha_after"] > out["alpha_before"]  # the stake landed (spec 218's pool math is a prototype's)
    assert out["alice_after"] <= out["alice_before"] - 3 * 10**9 - 10 * 10**9


# -- the CLI lifecycle ---------------------------------------------------------------------

def _up(cli, data_dir: Path, *extra: str):
    r = cli("--json", "localnet", "up", "--engine", "subtensor", "--port", "0", "--data-dir", str(data_dir), *extra,
            timeout=150)
    assert r.code == 0, r.stdout + r.stderr
    return r.json()


def test_up_two_side_by_side_status_logs_down_no_orphan(cli, tmp_path):
    require()
    a = _up(cli, tmp_path / "a", "--chain-spec", str(SPEC))
    b = _up(cli, tmp_path / "b", "--chain-spec", str(SPEC), "--mainnet-limits")
    try:
        assert a["url"] != b["url"] and a["engine"] == "subtensor"
        assert [x["uri"] for x in a["accounts"]] == [uri for uri, _, _ in DEV_ACCOUNTS]
        assert a["accounts"][0]["sudo"] and a["accounts"][0]["balance"]["rao"] == DEV_ACCOUNTS[0][2]
        assert _sdk(a["ws_url"]).balances.get(ALICE).rao == DEV_ACCOUNTS[0][2]
        limit = ("SubtensorModule", "NetworkRateLimit")
        assert _sdk(a["ws_url"]).query(limit) == 0 and _sdk(b["ws_url"]).query(limit) > 0

        r = cli("--json", "localnet", "status", "--data-dir", str(tmp_path / "a"))
        assert r.code == 0 and r.json()["engine"] == "subtensor" and r.json()["head"] >= 1
        r = cli("localnet", "status", "--data-dir", str(tmp_path / "b"))
        assert r.code == 0 and "engine subtensor" in r.stdout
        r = cli("localnet", "logs", "-n", "200", "--data-dir", str(tmp_path / "a"))
        assert r.code == 0 and "subtensor engine ready" in r.stdout and "RPC listening" in r.stdout

        # no orphan: chopsticks dies with its engine, even a SIGKILLed one
        engine_b = json.loads((tmp_path / "b" / "node.json").read_text())
        os.kill(engine_b["pid"], signal.SIGKILL)
        assert _gone(engine_b["chopsticks_pid"])
    finally:
        for name in ("a", "b"):
            cli("localnet", "down", "--data-dir", str(tmp_path / name))
    engine_a = a["pid"]
    assert _gone(engine_a)
    assert not (tmp_path / "a" / "node.json").exists()
    r = cli("--json", "localnet", "status", "--data-dir", str(tmp_path / "a"))
    assert r.code == 3



def test_engine_exits_when_its_chopsticks_dies(tmp_path):
    """A dead chopsticks left the engine serving a bridge to nothing: `localnet status` said
    "running" then failed exit 1 ("chopsticks refused chain_getHeader"). The engine now exits."""
    require()
    node = SubtensorNode(tmp_path / "n")
    try:
        os.kill(node.info["chopsticks_pid"], signal.SIGKILL)
        assert _gone(node.info["pid"]), "the engine outlived its chopsticks"
        assert not (tmp_path / "n" / "node.json").exists()
        assert "chopsticks exited" in (tmp_path / "n" / "node.log").read_text()
    finally:
        node.stop()

def test_fork_finds_upstream_state_and_leaves_it_alone(cli, tmp_path):
    """Acceptance 2: a "live" chain (fixture under chopsticks) changed, forked, changed again."""
    require()
    live = SubtensorNode(tmp_path / "live")
    try:
        zed = "5CGV1J3EWSutove69MwQBJkBpRziZmRn1nQ9Rah621nLyVip"  # //Zed: not a dev account
        before_transfer = live.rpc.head()["number"]
        _transfer(live.ws_url, "//Alice", zed, 5)
        from bittensor_wallet import Keypair

        owner = Keypair.create_from_uri("//Alice//owner")
        result = _sdk(live.ws_url).submit_call(
            ("SubtensorModule", "register_network", {"hotkey": owner.ss58_address, "mechid": 1}),
            wallet=type("W", (), {"coldkey": Keypair.create_from_uri("//Alice"), "hotkey": owner,
                                  "coldkeypub": Keypair.create_from_uri("//Alice")})())
        assert result.success, result.message
        live_subnets = {n for n, _ in _sdk(live.ws_url).query_map(("SubtensorModule", "NetworksAdded"))}

        fork = _up(cli, tmp_path / "fork", "--fork", live.ws_url)
        try:
            assert fork["source"] == f"fork of {live.ws_url}"
            sub = _sdk(fork["ws_url"])
            assert sub.balances.get(zed).rao == 5 * 10**9
            assert {n for n, _ in sub.query_map(("SubtensorModule", "NetworksAdded"))} == live_subnets
            assert sub.subnets.subnet(max(live_subnets)).neuron_count == 1

            _transfer(fork["ws_url"], "//Bob", zed, 2)
            assert sub.balances.get(zed).rao == 7 * 10**9
            assert _sdk(live.ws_url).balances.get(zed).rao == 5 * 10**9  # the upstream never sees it
        finally:
            cli("localnet", "down", "--data-dir", str(tmp_path / "fork"))

        # --at: a fork of the block before the transfer does not know //Zed
        old = _up(cli, tmp_path / "old", "--fork", live.ws_url, "--at", str(before_transfer))
        try:
            assert old["head"] == before_transfer
            assert _sdk(old["ws_url"]).balances.get(zed).rao == 0
        finally:
            cli("localnet", "down", "--data-dir", str(tmp_path / "old"))
    finally:
        live.stop()


def test_bad_engine_flags_are_usage_errors(cli, tmp_path):
    r = cli("--json", "localnet", "up", "--engine", "subtensor", "--data-dir", str(tmp_path))
    assert r.code == 2 and "--chain-spec" in r.json()["error"]["message"]
    r = cli("--json", "localnet", "up", "--engine", "subtensor", "--chain-spec", str(tmp_path / "nope.json"),
            "--data-dir", str(tmp_path))
    assert r.code == 2 and "no chain spec" in r.json()["error"]["message"]
    r = cli("--json", "localnet", "up", "--fork", "finney", "--data-dir", str(tmp_path))
    assert r.code == 2 and "--engine subtensor" in r.json()["error"]["message"]




def test_ctrl_c_while_waiting_for_inclusion_says_it_may_still_be_included(cli, tmp_path):
    """Ctrl-C once a transfer is in the node's pool said only "interrupted": a user would send it again
    and pay twice. Now: exit 130, the extrinsic's hash and "it may still be included"."""
    require()
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    node = SubtensorNode(tmp_path / "n", mining="manual")  # nothing is included until we mine
    try:
        proc = subprocess.Popen([sys.executable, "-m", "btkit", "wallet", "transfer", "-w", "alice", "--dest",
                                 DEV_ACCOUNTS[1][1], "--amount", "1", "-y", "--json", "--network", node.ws_url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=Path(__file__).resolve().parents[2])
        deadline = time.monotonic() + 30
        while not node.rpc("author_pendingExtrinsics") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert node.rpc("author_pendingExtrinsics"), "the transfer never reached the pool"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, out + err
        error = json.loads(out)["error"]
        assert error["code"] == "interrupted" and "may still be included" in error["hint"]
        assert "interrupted while waiting for 0x" in error["message"]
    finally:
        node.stop()

def test_fork_of_an_unreachable_endpoint_fails_fast_exit_3(cli, tmp_path):
    """Offline `--fork finney` (or a dead URL) waited the 60 s ready timeout in silence, then exit 1."""
    require()
    started = time.monotonic()
    r = cli("--json", "localnet", "up", "--engine", "subtensor", "--fork", "ws://127.0.0.1:1", "--port", "0",
            "--data-dir", str(tmp_path), timeout=50)
    assert r.code == 3, r.stdout + r.stderr
    assert "cannot fork ws://127.0.0.1:1" in r.json()["error"]["message"]
    assert time.monotonic() - started < 15
    assert not (tmp_path / "node.json").exists()

def test_without_node_the_error_names_nodejs(cli, tmp_path):
    r = cli("--json", "localnet", "up", "--engine", "subtensor", "--chain-spec", str(Path(__file__)),
            "--data-dir", str(tmp_path), env={"PATH": str(tmp_path), "BTKIT_CHOPSTICKS": ""})
    assert r.code == 1, r.stdout + r.stderr
    assert "Node.js >= 20" in r.json()["error"]["message"]


def test_jump_on_btkits_node_builds_the_blocks(start_node, cli):
    node = start_node("manual")
    before = node.client.head()["number"]
    r = cli("--json", "localnet", "jump", "5", "--data-dir", str(node.data_dir))
    assert r.code == 0, r.stderr
    assert r.json()["head"] == before + 5 == node.client.head()["number"]
