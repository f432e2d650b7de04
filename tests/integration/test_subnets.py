"""Subnets, registration, staking and serving against a real node."""

from __future__ import annotations

import random

import pytest

from btkit.extrinsic import call
from keystore.keys import Keypair
from tests.integration.conftest import ALICE, BOB, CHARLIE, DAVE, fails, ok, run_block

TAO = 10**9
S = "SubtensorModule"


def hk(name: str) -> Keypair:
    return Keypair.from_uri(f"//Hot{name}")


def make_subnet(c, owner=ALICE, owner_hotkey=None, start=True, **hp) -> int:
    r = ok(c, owner, call(S, "register_network", hotkey=(owner_hotkey or hk("owner")).ss58_address))
    netuid = next(e["data"]["netuid"] for e in r["events"] if e["name"] == "NetworkAdded")
    if start:
        ok(c, owner, call(S, "start_call", netuid=netuid))
    for name, value in hp.items():
        ok(c, owner, call("AdminUtils", f"sudo_set_{name}", netuid=netuid, value=value))
    return netuid


def burned(netuid, name):
    return call(S, "burned_register", netuid=netuid, hotkey=hk(name).ss58_address)


@pytest.fixture
def c(start_node):
    return start_node("manual").client


def test_full_flow_through_the_cli(cli, start_node, home):
    node = start_node("interval", 0.05)
    net = ["--network", node.url]
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    for name in ("default", "m1", "m2", "m3"):
        assert cli("wallet", "regen-hotkey", "--uri", f"//Alice//{name}", "-w", "alice", "-H", name).code == 0
    created = cli("subnet", "create", "-w", "alice", "-y", "--json", *net)
    assert created.code == 0, created.stderr
    netuid = created.json()["netuid"]
    assert netuid == 1 and created.json()["started"]
    for name in ("m1", "m2", "m3"):
        r = cli("register", "--netuid", "1", "-w", "alice", "-H", name, "-y", "--json", *net)
        assert r.code == 0, r.stderr
    r = cli("stake", "add", "--netuid", "1", "-a", "250", "-w", "alice", "-H", "m1", "-y", "--json", *net)
    assert r.code == 2 and "fills within the limit price" in r.json()["error"]["message"]  # 0.5% by default
    r = cli("stake", "add", "--netuid", "1", "-a", "250", "--tolerance", "1", "-w", "alice", "-H", "m1", "-y",
            "--json", *net)
    assert r.code == 0, r.stderr
    alpha = r.json()["stake_now"]["rao"]  # alpha bought with 250 TAO at the pool's price (> 1), epochs on top
    assert 100 * TAO < alpha < 250 * TAO
    r = cli("axon", "serve", "--netuid", "1", "--ip", "127.0.0.1", "--port", "8091", "-w", "alice", "-H", "m2",
            "--json", *net)
    assert r.code == 0, r.stderr
    mg = cli("subnet", "metagraph", "--netuid", "1", "--json", *net).json()
    assert mg["n"] == 4
    by_uid = {n["uid"]: n for n in mg["neurons"]}
    m1 = Keypair.from_uri("//Alice//m1").ss58_address
    assert by_uid[1]["hotkey"] == m1 and by_uid[1]["stake"]["rao"] >= alpha
    assert by_uid[1]["coldkey"] == ALICE.ss58_address
    assert by_uid[2]["axon"]["ip"] == "127.0.0.1" and by_uid[2]["axon"]["port"] == 8091
    assert all(n["registered_at"] > 0 and "consensus" in n for n in mg["neurons"])
    overview = cli("wallet", "overview", "-w", "alice", "--json", *net).json()
    assert overview["staked"]["rao"] >= alpha  # alpha, with the owner cut and dividends paid since
    human = cli("subnet", "metagraph", "--netuid", "1", *net)
    assert human.code == 0 and "127.0.0.1:8091" in human.stdout
    assert cli("subnet", "hyperparameters", "--netuid", "1", "--json", *net).json()["hyperparameters"]["tempo"] == 10


def test_registration_checks_in_order(c):
    netuid = make_subnet(c)
    fails(c, BOB, call(S, "burned_register", netuid=0, hotkey=hk("a").ss58_address),
          "RegistrationNotPermittedOnRootSubnet")
    fails(c, BOB, burned(99, "a"), "SubNetworkDoesNotExist")
    ok(c, ALICE, call("AdminUtils", "sudo_set_registration_allowed", netuid=netuid, value=False))
    fails(c, BOB, burned(netuid, "a"), "SubNetRegistrationDisabled")
    ok(c, ALICE, call("AdminUtils", "sudo_set_registration_allowed", netuid=netuid, value=True))
    ok(c, BOB, burned(netuid, "a"))
    fails(c, BOB, burned(netuid, "a"), "HotKeyAlreadyRegisteredInSubNet")
    fails(c, CHARLIE, burned(netuid, "a"), "HotKeyAlreadyRegisteredInSubNet")
    other = make_subnet(c, owner_hotkey=hk("owner2"))
    fails(c, CHARLIE, burned(other, "a"), "NonAssociatedColdKey")  # hotkey a belongs to Bob
    poor = Keypair.from_uri("//PoorReg")
    c.call("localnet_setBalance", poor.ss58_address, TAO // 2)
    before = c.balance(poor.ss58_address)
    fails(c, poor, burned(netuid, "p"), "NotEnoughBalanceToStake")
    assert c.balance(poor.ss58_address) == before
    # the failed registration did not claim the hotkey
    assert c.call("subtensor_hotkeyInfo", hk("p").ss58_address)["owner"] is None


def test_per_block_and_per_interval_limits(c):
    netuid = make_subnet(c, max_regs_per_block=2, target_regs_per_interval=1, adjustment_interval=1000)
    results = run_block(c, (BOB, burned(netuid, "b1")), (BOB, burned(netuid, "b2")), (BOB, burned(netuid, "b3")))
    assert [r["success"] for r in results] == [True, True, False]
    assert results[2]["error"] == f"{S}.TooManyRegistrationsThisBlock"
    ok(c, BOB, burned(netuid, "b3"))  # next block: fine; now 3 = 3 x target this interval
    fails(c, BOB, burned(netuid, "b4"), "TooManyRegistrationsThisInterval")


def test_full_subnet_replaces_the_right_uid(c):
    netuid = make_subnet(c, max_allowed_uids=4, immunity_period=3, max_regs_per_block=8)
    run_block(c, (BOB, burned(netuid, "r1")), (BOB, burned(netuid, "r2")), (BOB, burned(netuid, "r3")))
    mg = c.call("subtensor_metagraph", netuid)
    assert mg["n"] == 4
    # all non-owner uids are immune now: the rule still picks the earliest, lowest (uid 1)
    c.call("localnet_mine", 5)
    ok(c, CHARLIE, burned(netuid, "new"))
    mg = c.call("subtensor_metagraph", netuid)
    assert mg["n"] == 4
    assert mg["neurons"][1]["hotkey"] == hk("new").ss58_address  # uid 1: lowest emission, earliest, lowest uid
    assert mg["neurons"][0]["hotkey"] == hk("owner").ss58_address  # the owner is never replaced
    assert c.call("subtensor_hotkeyInfo", hk("r1").ss58_address)["registrations"] == []
    # uid 1 is immune now: the next replacement takes uid 2
    ok(c, CHARLIE, burned(netuid, "newer"))
    assert c.call("subtensor_metagraph", netuid)["neurons"][2]["hotkey"] == hk("newer").ss58_address


def test_burn_adjusts_by_the_formula(c):
    netuid = make_subnet(c, adjustment_interval=10, target_regs_per_interval=2, max_regs_per_block=8)
    hp = c.call("subtensor_hyperparameters", netuid)
    assert hp["burn"] == TAO and hp["adjustment_alpha"] == 0
    start = c.call("localnet_nodeInfo")["head"]
    # R = 6 > T = 2, all burn: burn = 1 TAO * (6 + 2) / 4 = 2 TAO; difficulty unchanged
    run_block(c, *[(BOB, burned(netuid, f"x{i}")) for i in range(6)])
    info = c.call("subtensor_subnetInfo", netuid)
    c.call("localnet_mine", 10 - (c.call("localnet_nodeInfo")["head"] - start) + 1)
    hp = c.call("subtensor_hyperparameters", netuid)
    assert hp["burn"] == 2 * TAO, hp["burn"]
    assert hp["difficulty"] == 1_000_000
    # an interval with no registrations (P = B = 0): both halve, R=0: x * (0 + 2) / 4
    c.call("localnet_mine", 10)
    hp = c.call("subtensor_hyperparameters", netuid)
    assert hp["burn"] == TAO and hp["difficulty"] == 500_000
    # with alpha = u64::MAX / 2: next = (a*cur + (MAX - a) * updated) // MAX
    ok(c, ALICE, call("AdminUtils", "sudo_set_adjustment_alpha", netuid=netuid, value=(2**64 - 1) // 2))
    c.call("localnet_mine", 10)
    hp2 = c.call("subtensor_hyperparameters", netuid)
    a, m = (2**64 - 1) // 2, 2**64 - 1
    assert hp2["burn"] == (a * TAO + (m - a) * (TAO // 2)) // m
    assert info["burn"] == TAO


def test_staking_edge_cases_change_nothing(c):
    netuid = make_subnet(c, tempo=0)  # no epochs: stakes move only by these extrinsics
    ok(c, BOB, burned(netuid, "s"))
    hot = hk("s").ss58_address

    def snapshot():  # emission moves pools and issuance every block; Dave's holdings must not move
        return c.balance(DAVE.ss58_address), [s["stake"] for s in c.call("subtensor_stakesOf", DAVE.ss58_address)]

    ok(c, DAVE, call(S, "add_stake", hotkey=hot, netuid=netuid, amount_staked=10 * TAO))
    before = snapshot()
    assert 0 < before[1][0] < 10 * TAO  # alpha bought at a price above 1 TAO (and a fee)
    fails(c, DAVE, call(S, "add_stake", hotkey=hot, netuid=netuid, amount_staked=1_999_999), "AmountTooLow")
    fails(c, DAVE, call(S, "add_stake", hotkey=hot, netuid=netuid, amount_staked=5000 * TAO), "NotEnoughBalanceToStake")
    fails(c, DAVE, call(S, "remove_stake_limit", hotkey=hot, netuid=netuid, amount_unstaked=11 * TAO, limit_price=0,
                        allow_partial=True), "NotEnoughStakeToWithdraw")
    fails(c, DAVE, call(S, "add_stake", hotkey=hk("nobody").ss58_address, netuid=netuid, amount_staked=TAO),
          "HotKeyAccountNotExists")
    price = c.call("subtensor_pool", netuid)["price"]
    fails(c, DAVE, call(S, "add_stake_limit", hotkey=hot, netuid=netuid, amount_staked=1000 * TAO,
                        limit_price=price + price // 50, allow_partial=False), "SlippageTooHigh")
    assert snapshot() == before
    add = call(S, "add_stake", hotkey=hot, netuid=netuid, amount_staked=TAO)
    remove = call(S, "remove_stake", hotkey=hot, netuid=netuid, amount_unstaked=TAO // 2)
    first, second = run_block(c, (DAVE, add), (DAVE, remove))  # subtensor 14bc6f9 has no same-block limit
    assert first["success"] and second["success"]
    assert c.call("localnet_accounting")["violations"] == []
    # not started: no staking
    idle = make_subnet(c, owner_hotkey=hk("idle"), start=False)
    fails(c, DAVE, call(S, "add_stake", hotkey=hk("idle").ss58_address, netuid=idle, amount_staked=TAO),
          "SubtokenDisabled")


def test_take_and_serving_checks(c):
    netuid = make_subnet(c, serving_rate_limit=5)
    ok(c, BOB, burned(netuid, "t"))
    hot = hk("t")
    fails(c, ALICE, call(S, "decrease_take", hotkey=hot.ss58_address, take=100), "NonAssociatedColdKey")
    ok(c, BOB, call(S, "decrease_take", hotkey=hot.ss58_address, take=5000))
    ok(c, BOB, call(S, "increase_take", hotkey=hot.ss58_address, take=6000))
    fails(c, BOB, call(S, "increase_take", hotkey=hot.ss58_address, take=7000), "DelegateTxRateLimitExceeded")
    fails(c, BOB, call(S, "increase_take", hotkey=hot.ss58_address, take=20000), "DelegateTakeTooHigh")
    fails(c, BOB, call(S, "increase_take", hotkey=hot.ss58_address, take=6000), "DelegateTakeTooLow")
    serve = dict(netuid=netuid, version=1, ip=2130706433, port=8091, ip_type=4, protocol=4, placeholder1=0,
                 placeholder2=0)
    fails(c, hk("stranger"), call(S, "serve_axon", **serve), "HotKeyNotRegisteredInNetwork")
    fails(c, hot, call(S, "serve_axon", **{**serve, "port": 0}), "InvalidPort")
    fails(c, hot, call(S, "serve_axon", **{**serve, "ip_type": 5}), "InvalidIpType")
    ok(c, hot, call(S, "serve_axon", **serve))
    fails(c, hot, call(S, "serve_axon", **serve), "ServingRateLimitExceeded")


def test_accounting_invariant_over_random_extrinsics(c):
    rng = random.Random(1234)
    netuid = make_subnet(c, max_regs_per_block=50, target_regs_per_interval=100, adjustment_interval=7)
    coldkeys = [ALICE, BOB, CHARLIE, DAVE]
    hotkeys = [hk(f"inv{i}") for i in range(12)]
    total = 0
    for _ in range(40):
        items = []
        for _ in range(rng.randint(3, 12)):
            ck = rng.choice(coldkeys)
            h = rng.choice(hotkeys).ss58_address
            kind = rng.random()
            if kind < 0.25:
                items.append((ck, call(S, "burned_register", netuid=netuid, hotkey=h)))
            elif kind < 0.55:
                items.append((ck, call(S, "add_stake", hotkey=h, netuid=netuid,
                                       amount_staked=rng.choice([1_000_000, 3_000_000, TAO, 7 * TAO]))))
            elif kind < 0.75:
                items.append((ck, call(S, "remove_stake", hotkey=h, netuid=netuid,
                                       amount_unstaked=rng.choice([2_000_000, TAO, 3 * TAO]))))
            else:
                dest = rng.choice(coldkeys + hotkeys).ss58_address
                items.append((ck, call("Balances", "transfer_allow_death", dest=dest,
                                       value=rng.choice([400, 10**6, TAO]))))
        results = run_block(c, *items)
        total += len(results)
        acct = c.call("localnet_accounting")
        assert acct["violations"] == [] and acct["free"] + acct["pool_tao"] == acct["issuance"], acct
    assert total >= 200
    outcomes = {(r["success"], r.get("error")) for r in results}
    assert outcomes  # mixed successes and failures ran
