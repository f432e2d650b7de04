"""Randomized: hundreds of mixed stake/unstake/limit/move/swap/transfer extrinsics across subnets and
root over many blocks, with emission, injections and epochs running. After every block (the harness
checks it): free + TAO in pools == issuance, and per subnet alpha in + out == minted - recycled and
alpha out == stakes + pending + protocol + burned."""

from __future__ import annotations

import random
from collections import Counter

from localnet import accounting
from tests.unit.runtime_chain import TAO, Chain, addr

COLDKEYS = [addr(f"//{n}") for n in ("Alice", "Bob", "Charlie", "Dave")]
HOTKEYS = [addr(f"//Inv{i}") for i in range(8)]


def random_call(rng: random.Random, netuids: list[int]) -> tuple[str, str, dict]:
    ck, hk, hk2 = rng.choice(COLDKEYS), rng.choice(HOTKEYS), rng.choice(HOTKEYS)
    net, net2 = rng.choice(netuids), rng.choice(netuids)
    tao = rng.choice([1_000_000, 3_000_000, TAO, 7 * TAO, 250 * TAO])
    alpha = rng.choice([1_000_000, 5_000_000, TAO // 2, 3 * TAO, 10**15])
    limit = rng.choice([0, 10**8, 9 * 10**8, 11 * 10**8, 3 * 10**9, 10**15])
    kind = rng.choices(["add", "remove", "add_limit", "remove_limit", "move", "swap", "transfer", "unstake_all",
                        "unstake_all_alpha", "register", "balance"], [20, 15, 8, 8, 8, 8, 8, 2, 2, 6, 5])[0]
    if kind == "add":
        return ck, "add_stake", {"hotkey": hk, "netuid": net, "amount_staked": tao}
    if kind == "remove":
        return ck, "remove_stake", {"hotkey": hk, "netuid": net, "amount_unstaked": alpha}
    if kind == "add_limit":
        return ck, "add_stake_limit", {"hotkey": hk, "netuid": net, "amount_staked": tao, "limit_price": limit,
                                       "allow_partial": rng.random() < 0.5}
    if kind == "remove_limit":
        return ck, "remove_stake_limit", {"hotkey": hk, "netuid": net, "amount_unstaked": alpha,
                                          "limit_price": limit, "allow_partial": rng.random() < 0.5}
    if kind == "move":
        return ck, "move_stake", {"origin_hotkey": hk, "destination_hotkey": hk2, "origin_netuid": net,
                                  "destination_netuid": net2, "alpha_amount": alpha}
    if kind == "swap":
        return ck, "swap_stake", {"hotkey": hk, "origin_netuid": net, "destination_netuid": net2,
                                  "alpha_amount": alpha}
    if kind == "transfer":
        return ck, "transfer_stake", {"destination_coldkey": rng.choice(COLDKEYS), "hotkey": hk,
                                      "origin_netuid": net, "destination_netuid": net2, "alpha_amount": alpha}
    if kind == "unstake_all":
        return ck, "unstake_all", {"hotkey": hk}
    if kind == "unstake_all_alpha":
        return ck, "unstake_all_alpha", {"hotkey": hk}
    if kind == "register":
        return ck, "burned_register", {"netuid": rng.choice(netuids[1:]), "hotkey": hk}
    return ck, "Balances.transfer_allow_death", {"dest": rng.choice(COLDKEYS + HOTKEYS),
                                                 "value": rng.choice([400, 10**6, TAO])}


def test_accounting_invariant_over_random_stake_moves():
    rng = random.Random(2026)
    chain = Chain()
    netuids = [0] + [chain.subnet(COLDKEYS[i], addr(f"//Owner{i}")) for i in range(3)]
    for n in netuids[1:]:  # fast epochs and permissive registration
        chain.state[f"hp:{n}"] = {**chain.state[f"hp:{n}"], "tempo": 4, "max_regs_per_block": 50,
                                  "target_regs_per_interval": 100, "weights_rate_limit": 0}
    chain.ok(COLDKEYS[0], "add_stake", hotkey=addr("//Owner0"), netuid=0, amount_staked=5000 * TAO)  # root stake
    outcomes: Counter = Counter()
    total = 0
    for _ in range(60):
        items = [random_call(rng, netuids) for _ in range(rng.randint(4, 10))]
        results = chain.block(*items)  # the invariant is checked inside, after the block
        for (_, fn, _), r in zip(items, results):
            outcomes[(fn, r["success"])] += 1
        total += len(items)
    assert total >= 300
    for fn in ("add_stake", "remove_stake", "move_stake", "swap_stake", "transfer_stake", "add_stake_limit",
               "remove_stake_limit"):
        assert outcomes[(fn, True)] > 0, (fn, outcomes)
    assert sum(n for (fn, ok), n in outcomes.items() if not ok) > 0  # failures changed nothing either
    books = accounting.totals(chain.state)
    assert books["stake"] > 0 and all(books["alpha"][str(n)]["minted"] > 0 for n in netuids[1:])
    assert any(chain.state.get(f"epoch_last:{n}") for n in netuids[1:])  # epochs paid alpha out


def test_the_invariant_check_catches_each_kind_of_leak():
    """The randomized test above is only as good as ``accounting.totals``: one rao out of place in
    any of the books must be reported."""
    chain = Chain()
    netuid = chain.subnet(COLDKEYS[0], addr("//Owner0"))
    chain.ok(COLDKEYS[1], "add_stake", hotkey=addr("//Owner0"), netuid=netuid, amount_staked=10 * TAO)
    assert accounting.totals(chain.state)["violations"] == []
    stake_key = f"stake:{addr('//Owner0')}:{COLDKEYS[1]}:{netuid}"
    pool = f"pool:{netuid}"
    leaks = {
        "TAO": lambda s: s.update({f"bal:{COLDKEYS[2]}": s[f"bal:{COLDKEYS[2]}"] + 1}),  # TAO from nowhere
        f"subnet {netuid}: alpha in": lambda s: s.update({pool: {**s[pool], "alpha_in": s[pool]["alpha_in"] + 1}}),
        f"subnet {netuid}: hotkey totals": lambda s: s.update({stake_key: s[stake_key] + 1}),
        f"subnet {netuid}: alpha out": lambda s: s.update({pool: {**s[pool], "alpha_out": s[pool]["alpha_out"] + 1,
                                                                  "minted": s[pool]["minted"] + 1}}),
    }
    for what, leak in leaks.items():
        state = dict(chain.state)
        leak(state)
        violations = accounting.totals(state)["violations"]
        assert any(v.startswith(what) for v in violations), (what, violations)
