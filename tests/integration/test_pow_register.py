"""PoW registration on a real node: CLI, every rejection, interruption, window refresh."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from btkit.extrinsic import call
from btkit.pow import native, pow_prefix, seal
from keystore.keys import Keypair
from tests.conftest import ROOT
from tests.integration.conftest import ALICE, BOB, fails, ok
from tests.integration.test_subnets import S, hk, make_subnet

pytestmark = pytest.mark.skipif(native.load() is None, reason="no C compiler for the PoW kernel")


def solve_for(c, netuid, hotkey: Keypair, coldkey: Keypair, difficulty: int, block: int | None = None,
              prefix_netuid: int | None = None, prefix_hotkey: Keypair | None = None,
              prefix_coldkey: Keypair | None = None):
    head = c.head() if block is None else c.call("chain_getHeader", c.call("chain_getBlockHash", block))
    prefix = pow_prefix(netuid if prefix_netuid is None else prefix_netuid, bytes.fromhex(head["hash"][2:]),
                        (prefix_hotkey or hotkey).public_key, (prefix_coldkey or coldkey).public_key)
    nonce = native.solve_range(prefix, difficulty, 0, 10**8)
    work = "0x" + seal(prefix, nonce).hex()
    return call(S, "register", netuid=netuid, block_number=head["number"], nonce=nonce, work=work,
                hotkey=hotkey.ss58_address, coldkey=coldkey.ss58_address)


def test_every_bad_seal_is_rejected_by_name(start_node):
    c = start_node("manual").client
    netuid = make_subnet(c, difficulty=2000, min_difficulty=1000)
    other = make_subnet(c, owner_hotkey=hk("owner2"), difficulty=2000, min_difficulty=1000)
    h, cold = hk("pow"), BOB
    fails(c, h, solve_for(c, netuid, h, cold, 2000, prefix_hotkey=hk("else")), "InvalidSeal")
    fails(c, h, solve_for(c, netuid, h, cold, 2000, prefix_coldkey=ALICE), "InvalidSeal")
    fails(c, h, solve_for(c, netuid, h, cold, 2000, prefix_netuid=other), "InvalidSeal")
    good = solve_for(c, netuid, h, cold, 2000)
    head = c.head()["number"]
    shifted = dict(good, args=dict(good["args"], block_number=head - 1))  # seal of block N claimed as N-1
    fails(c, h, shifted, "InvalidSeal")
    easy_prefix = pow_prefix(netuid, bytes.fromhex(c.head()["hash"][2:]), h.public_key, cold.public_key)
    easy = call(S, "register", netuid=netuid, block_number=c.head()["number"], nonce=0,
                work="0x" + seal(easy_prefix, 0).hex(), hotkey=h.ss58_address, coldkey=cold.ss58_address)
    fails(c, h, easy, "InvalidDifficulty")  # nonce 0 is (almost surely) too easy for 2000
    fails(c, cold, solve_for(c, netuid, h, cold, 2000), "TransactorAccountShouldBeHotKey")
    stale = solve_for(c, netuid, h, cold, 2000)
    c.call("localnet_mine", 5)
    fails(c, h, stale, "InvalidWorkBlock")
    fresh = solve_for(c, netuid, h, cold, 2000)
    ok(c, h, fresh)
    assert c.call("subtensor_hotkeyInfo", h.ss58_address)["registrations"][0]["netuid"] == netuid
    reuse = dict(fresh, args=dict(fresh["args"], netuid=other))
    reuse_prefix = pow_prefix(other, bytes.fromhex(c.call("chain_getBlockHash", fresh["args"]["block_number"])[2:]),
                              h.public_key, cold.public_key)
    nonce = native.solve_range(reuse_prefix, 2000, 0, 10**8)
    reuse["args"].update(nonce=nonce, work="0x" + seal(reuse_prefix, nonce).hex())
    fails(c, h, reuse, "InvalidWorkBlock")  # the hotkey's last PoW registration is newer than that block


def test_pow_registration_through_the_cli_and_faucet(cli, start_node):
    node = start_node("interval", 0.1)
    net = ["--network", node.url]
    cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "a")
    cli("wallet", "regen-hotkey", "--uri", "//Alice//o", "-w", "a")
    cli("wallet", "create", "--no-use-password", "-w", "m", "-H", "h")
    assert cli("subnet", "create", "-w", "a", "-y", *net).code == 0
    r = cli("register", "--netuid", "1", "--pow", "-w", "m", "-H", "h", "--json", *net, timeout=120)
    assert r.code == 0, r.stderr
    doc = r.json()
    assert doc["method"] == "pow" and doc["uid"] == 1 and doc["attempts"] > 0 and doc["difficulty"] == 1_000_000
    mg = node.client.call("subtensor_metagraph", 1)
    assert mg["neurons"][1]["hotkey"] == doc["hotkey"]
    f = cli("wallet", "faucet", "-w", "m", "--json", *net, timeout=120)
    assert f.code == 0, f.stderr
    assert f.json()["balance"]["rao"] == f.json()["minted"]["rao"] == 1000 * 10**9  # reported from the Faucet event


def _children(pid: int) -> set[int]:
    kids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.add(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def test_interrupt_leaves_no_worker(cli, start_node, home):
    node = start_node("interval", 0.25)
    c = node.client
    netuid = make_subnet(c, min_difficulty=1000)
    ok_ = c.submit(ALICE, call("AdminUtils", "sudo_set_difficulty", netuid=netuid, value=1 << 62))
    assert ok_.success
    cli("wallet", "create", "--no-use-password", "-w", "m", "-H", "h")
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "btkit", "register", "--netuid", str(netuid), "--pow", "-w", "m",
                             "-H", "h", "--network", node.url, "--processes", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while len(_children(proc.pid)) < 2 and time.time() < deadline:
        time.sleep(0.1)
    workers = _children(proc.pid)
    assert len(workers) >= 2, "the solver workers did not start"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    time.sleep(0.2)
    alive = [w for w in workers if os.path.exists(f"/proc/{w}") and open(f"/proc/{w}/stat").read().split()[2] != "Z"]
    assert alive == []


def test_a_solve_that_outlives_the_window_restarts_on_a_fresh_block(start_node):
    from btkit.pow.cpu import MultiProcessSolver
    from btkit.pow.mine import solve

    node = start_node("interval", 0.3)  # 0.3 s blocks: the seal is submitted well inside its 5-block window
    c = node.client
    netuid = make_subnet(c)
    hot, cold = hk("slow"), BOB

    class Slow:
        """The real solver, but the first call takes longer than the refresh point (3 blocks)."""

        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def solve(self, prefix, difficulty, start, count):
            self.calls += 1
            if self.calls == 1:
                time.sleep(1.5)
                return None
            return self.inner.solve(prefix, difficulty, start, count)

    with MultiProcessSolver(2) as inner:
        start_block = node.chain.block_number()
        sol = solve(node.chain, Slow(inner), lambda bh: pow_prefix(netuid, bh, hot.public_key, cold.public_key),
                    lambda: 1_000_000, timeout=120)
        assert sol.refreshes >= 1 and sol.work_block >= start_block + 3  # a fresh block, not the first one
        result = c.submit(hot, call(S, "register", netuid=netuid, block_number=sol.work_block, nonce=sol.nonce,
                                    work=sol.work, hotkey=hot.ss58_address, coldkey=cold.ss58_address))
    assert result.success, result.error


@pytest.mark.parametrize("command", ["register", "faucet"])
def test_a_seal_whose_window_closed_before_inclusion_is_solved_again(start_node, home, monkeypatch, command):
    """Every PoW command (register --pow, wallet faucet) re-solves instead of failing with
    InvalidWorkBlock when the window closes between the solve and the submission."""
    import commands._common as common
    import btkit.output

    node = start_node("interval", 0.1)
    netuid = make_subnet(node.client) if command == "register" else 0
    real_run_pow, calls = common.run_pow, []

    def late_run_pow(chain, *args, **kwargs):  # the first solve ends after its seal's window has closed
        solution = real_run_pow(chain, *args, **kwargs)
        calls.append(solution[0].work_block)
        if len(calls) == 1:
            while chain.block_number() < solution[0].work_block + 6:
                time.sleep(0.05)
        return solution

    monkeypatch.setattr(common, "run_pow", late_run_pow)
    monkeypatch.setattr(btkit.output, "_current", btkit.output.Environment(json=True))
    kp = Keypair.from_uri("//Alice//late")
    chain = node.chain
    prefix_netuid = netuid if command == "register" else 0
    cold = BOB if command == "register" else kp
    call_for = ((lambda sol: chain.calls.register(netuid, sol.work_block, sol.nonce, sol.work, kp.ss58_address,
                                                  cold.ss58_address)) if command == "register"
                else (lambda sol: chain.calls.faucet(sol.work_block, sol.nonce, sol.work)))
    difficulty = 1_000_000 if command == "register" else chain.faucet_difficulty()
    result, solution, _ = common.pow_submit(
        chain, kp, lambda bh: chain.pow_prefix(prefix_netuid, bh, kp.public_key, cold.public_key),
        lambda: difficulty, call_for, command, "native", 2, 120)
    assert len(calls) == 2 and solution.work_block == calls[1] > calls[0]
    assert result.success and result.event("NeuronRegistered" if command == "register" else "Faucet")
