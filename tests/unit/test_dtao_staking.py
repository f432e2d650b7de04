"""Staking calls through real dispatch on an in-process chain, against subtensor 14bc6f9's
``tests/staking.rs`` and ``tests/move_stake.rs`` (each test names the one it mirrors), and the
price behaviour of buys, sells and limit orders. The accounting invariant is checked after every block."""

from __future__ import annotations

import pytest

from localnet.runtime import swap
from tests.unit.runtime_chain import TAO, Chain, addr

ALICE, BOB = addr("//Alice"), addr("//Bob")
OWNER_HK, HK, HK2 = addr("//Alice//owner"), addr("//Bob//hot"), addr("//Bob//hot2")


@pytest.fixture
def chain(monkeypatch) -> Chain:
    monkeypatch.setattr(swap, "MINIMUM_RESERVE", 100)  # subtensor's test mock
    c = Chain()
    c.subnet(ALICE, OWNER_HK)
    for hk in (HK, HK2):
        c.ok(BOB, "burned_register", netuid=1, hotkey=hk)
    c.state["hp:1"] = {**c.state["hp:1"], "tempo": 0}  # no epochs: stakes move only by the calls
    c.state["subnet:1"] = {**c.state["subnet:1"], "emission_enabled": False}  # and no injections into the pool
    return c


def set_reserves(c: Chain, netuid: int, tao: int, alpha: int) -> None:
    """``mock::setup_reserves``, keeping the books: issuance and minted alpha follow the reserves."""
    p = c.pool(netuid)
    c.state["issuance"] += tao - p["tao"]
    c.state[f"pool:{netuid}"] = {**p, "tao": tao, "alpha_in": alpha, "minted": p["minted"] + alpha - p["alpha_in"]}


def give_alpha(c: Chain, hotkey: str, coldkey: str, netuid: int, alpha: int) -> None:
    """``increase_stake_for_hotkey_and_coldkey_on_subnet`` with the alpha minted into alpha_out."""
    from localnet.state import Overlay
    from localnet.runtime import staking

    view = Overlay(c.state)
    staking.credit(view, hotkey, coldkey, netuid, alpha)
    swap.update(view, netuid, alpha_out=alpha, minted=alpha)
    view.merge_into_parent()


def price(c: Chain, netuid: int = 1) -> float:
    return swap.current_price(c.state, netuid) / 2**64


def test_add_stake_limit_ok(chain):
    """``test_add_stake_limit_ok``: price 1.5, limit 24: only 450 TAO fill, 75 alpha (0.1%), price ~24 (0.001)."""
    set_reserves(chain, 1, 150 * TAO, 100 * TAO)
    assert price(chain) == 1.5
    free = chain.free(BOB)
    chain.ok(BOB, "add_stake_limit", hotkey=HK, netuid=1, amount_staked=900 * TAO, limit_price=24 * TAO,
             allow_partial=True)
    assert abs(chain.stake(HK, BOB, 1) - 75 * TAO) <= 75 * TAO // 1000
    fee = int(450 * TAO * 33 / 65535)
    assert abs((free - chain.free(BOB)) - (450 * TAO + fee)) <= 450 * TAO // 1000
    assert price(chain) == pytest.approx(24.0, abs=0.001)


def test_add_stake_limit_fill_or_kill(chain):
    """``test_add_stake_limit_fill_or_kill``: over the limit without partial fails SlippageTooHigh; 150 TAO fits."""
    set_reserves(chain, 1, 150 * TAO, 100 * TAO)
    chain.fails(BOB, "add_stake_limit", "SlippageTooHigh", hotkey=HK, netuid=1, amount_staked=900 * TAO,
                limit_price=24 * TAO, allow_partial=False)
    chain.ok(BOB, "add_stake_limit", hotkey=HK, netuid=1, amount_staked=150 * TAO, limit_price=24 * TAO,
             allow_partial=False)


def test_add_stake_limit_partial_zero_max_stake_amount_error(chain):
    """``test_add_stake_limit_partial_zero_max_stake_amount_error``: a limit under the price is Swap.PriceLimitExceeded."""
    set_reserves(chain, 1, 5_032_494_439_940, 186_268_425_402_874)
    chain.fails(BOB, "add_stake_limit", "PriceLimitExceeded", hotkey=HK, netuid=1, amount_staked=19_980_000_000,
                limit_price=26_953_618, allow_partial=True)


def test_add_stake_limit_rejects_input_over_swap_reserve_cap(chain):
    """``test_add_stake_limit_rejects_input_over_swap_reserve_cap``: over 1000 x the TAO reserve."""
    set_reserves(chain, 1, 1_000, 1_000_000_000)
    chain.fails(BOB, "add_stake_limit", "InsufficientLiquidity", hotkey=HK, netuid=1, amount_staked=1_000_001,
                limit_price=swap.MAX_PRICE, allow_partial=True)


def test_remove_stake_limit_ok(chain):
    """``test_remove_stake_limit_ok``: limit at 99% of the price: ~0.138% of alpha_in (+0.3% fee) unstaked (10%)."""
    set_reserves(chain, 1, 100 * TAO, 100 * TAO)
    chain.ok(BOB, "add_stake", hotkey=HK, netuid=1, amount_staked=300 * TAO)
    before = chain.stake(HK, BOB, 1)
    limit = int(price(chain) * 990_000_000)
    chain.ok(BOB, "remove_stake_limit", hotkey=HK, netuid=1, amount_unstaked=before // 2, limit_price=limit,
             allow_partial=True)
    expected = int(0.00138 * 100 * TAO)
    assert abs((before - chain.stake(HK, BOB, 1)) - (expected + int(expected * 0.003))) <= expected // 10


def test_remove_stake_limit_fill_or_kill(chain):
    """``test_remove_stake_limit_fill_or_kill``: a 10% price floor: 150 alpha fails SlippageTooHigh, 1.5 fits."""
    give_alpha(chain, HK, BOB, 1, 300 * TAO)
    set_reserves(chain, 1, 150 * TAO, 100 * TAO)
    r = chain.fails(BOB, "remove_stake_limit", "SlippageTooHigh", hotkey=HK, netuid=1, amount_unstaked=150 * TAO,
                    limit_price=1_350_000_000, allow_partial=False)
    assert r["message"].startswith("only α") and "fill within the limit price" in r["message"]
    chain.ok(BOB, "remove_stake_limit", hotkey=HK, netuid=1, amount_unstaked=150 * TAO // 100,
             limit_price=1_350_000_000, allow_partial=False)


def test_buying_raises_and_selling_lowers_the_price(chain):
    """Price behaviour: a buy moves the price up by the pool formula, a sell down; a limit order stops at
    its price (partial) and the price ends at or before the limit."""
    p0 = price(chain)
    r = chain.ok(BOB, "add_stake", hotkey=HK, netuid=1, amount_staked=100 * TAO)
    added = next(e["data"] for e in r["events"] if e["name"] == "StakeAdded")
    assert added["fee"] == 100 * TAO * 33 // 65535 and added["alpha"] == chain.stake(HK, BOB, 1)
    p1 = price(chain)
    assert p1 > p0
    chain.ok(BOB, "remove_stake", hotkey=HK, netuid=1, amount_unstaked=chain.stake(HK, BOB, 1) // 2)
    p2 = price(chain)
    assert p2 < p1
    limit = int(p2 * 1.02 * 1e9)
    chain.ok(BOB, "add_stake_limit", hotkey=HK, netuid=1, amount_staked=10_000 * TAO, limit_price=limit,
             allow_partial=True)
    assert p2 < price(chain) <= limit / 1e9
    chain.fails(BOB, "add_stake_limit", "PriceLimitExceeded", hotkey=HK, netuid=1, amount_staked=TAO,
                limit_price=int(price(chain) * 0.99e9), allow_partial=True)
    floor = int(price(chain) * 0.99 * 1e9)
    chain.ok(BOB, "remove_stake_limit", hotkey=HK, netuid=1, amount_unstaked=chain.stake(HK, BOB, 1),
             limit_price=floor, allow_partial=True)
    assert floor / 1e9 <= price(chain) and chain.stake(HK, BOB, 1) > 0  # stopped at the floor: partial


def test_staking_errors(chain):
    """Checks of ``validate_add_stake`` / ``validate_remove_stake`` by name; nothing changes on failure."""
    chain.fails(BOB, "add_stake", "AmountTooLow", hotkey=HK, netuid=1, amount_staked=2_000_000)
    chain.fails(BOB, "add_stake", "SubnetNotExists", hotkey=HK, netuid=9, amount_staked=TAO)
    chain.fails(BOB, "add_stake", "HotKeyAccountNotExists", hotkey=addr("//Nobody"), netuid=1, amount_staked=TAO)
    chain.fails(addr("//Poor"), "add_stake", "NotEnoughBalanceToStake", hotkey=HK, netuid=1, amount_staked=TAO)
    chain.fails(BOB, "remove_stake", "AmountTooLow", hotkey=HK, netuid=1, amount_unstaked=TAO)  # holds none
    chain.fails(BOB, "remove_stake_limit", "NotEnoughStakeToWithdraw", hotkey=HK, netuid=1, amount_unstaked=TAO,
                limit_price=0, allow_partial=True)
    chain.ok(ALICE, "register_network", hotkey=addr("//Alice//idle"))
    chain.fails(BOB, "add_stake", "SubtokenDisabled", hotkey=HK, netuid=2, amount_staked=TAO)


def test_do_move_success(chain):
    """move_stake.rs ``test_do_move_success``: within a subnet the alpha moves as is (no swap, no fee)."""
    chain.ok(BOB, "add_stake", hotkey=HK, netuid=1, amount_staked=10 * TAO)
    alpha, tao_in = chain.stake(HK, BOB, 1), chain.pool(1)["tao"]
    chain.ok(BOB, "move_stake", origin_hotkey=HK, destination_hotkey=HK2, origin_netuid=1, destination_netuid=1,
             alpha_amount=alpha)
    assert chain.stake(HK, BOB, 1) == 0 and chain.stake(HK2, BOB, 1) == alpha and chain.pool(1)["tao"] == tao_in


def test_do_move_same_hotkey_fails(chain):
    """move_stake.rs ``test_do_move_same_hotkey_fails``: SameNetuid."""
    chain.ok(BOB, "add_stake", hotkey=HK, netuid=1, amount_staked=10 * TAO)
    chain.fails(BOB, "move_stake", "SameNetuid", origin_hotkey=HK, destination_hotkey=HK, origin_netuid=1,
                destination_netuid=1, alpha_amount=TAO)


def test_do_transfer_success_and_different_subnets(chain):
    """move_stake.rs ``test_do_transfer_success`` / ``test_do_transfer_different_subnets``: the alpha changes
    coldkey; across subnets it is sold and the TAO bought into the other pool for the new coldkey."""
    chain.ok(BOB, "add_stake", hotkey=HK, netuid=1, amount_staked=10 * TAO)
    alpha = chain.stake(HK, BOB, 1)
    chain.ok(BOB, "transfer_stake", destination_coldkey=ALICE, hotkey=HK, origin_netuid=1, destination_netuid=1,
             alpha_amount=alpha // 2)
    assert chain.stake(HK, ALICE, 1) == alpha // 2 and chain.stake(HK, BOB, 1) == alpha - alpha // 2
    chain.ok(BOB, "transfer_stake", destination_coldkey=ALICE, hotkey=HK, origin_netuid=1, destination_netuid=0,
             alpha_amount=alpha - alpha // 2)
    assert chain.stake(HK, BOB, 1) == 0 and 4 * TAO < chain.stake(HK, ALICE, 0) < 6 * TAO


def test_do_swap_success_and_minimum(chain):
    """move_stake.rs ``test_do_swap_success`` / ``test_do_swap_minimum_stake_check``: swap_stake sells on one
    subnet and buys on the other; a swap worth under the minimum stake fails AmountTooLow."""
    chain.ok(BOB, "add_stake", hotkey=HK, netuid=1, amount_staked=10 * TAO)
    chain.fails(BOB, "swap_stake", "AmountTooLow", hotkey=HK, origin_netuid=1, destination_netuid=0,
                alpha_amount=1_000_000)
    alpha = chain.stake(HK, BOB, 1)
    chain.ok(BOB, "swap_stake", hotkey=HK, origin_netuid=1, destination_netuid=0, alpha_amount=alpha)
    assert chain.stake(HK, BOB, 1) == 0 and chain.stake(HK, BOB, 0) > 9 * TAO


def test_unstake_all_and_unstake_all_alpha(chain):
    """remove_stake.rs ``do_unstake_all`` / ``do_unstake_all_alpha``: everything on the hotkey back to TAO,
    or all alpha into root."""
    free = chain.free(BOB)
    chain.block((BOB, "add_stake", {"hotkey": HK, "netuid": 1, "amount_staked": 10 * TAO}),
                (BOB, "add_stake", {"hotkey": HK, "netuid": 0, "amount_staked": 5 * TAO}))
    chain.ok(BOB, "unstake_all_alpha", hotkey=HK)
    assert chain.stake(HK, BOB, 1) == 0 and chain.stake(HK, BOB, 0) > 14 * TAO
    chain.ok(BOB, "unstake_all", hotkey=HK)
    assert chain.stake(HK, BOB, 0) == 0 and free - chain.free(BOB) < TAO // 50  # fees only


def test_profiles_and_emission_switch():
    """Dev: a new subnet emits at once and its moving price settles in tens of blocks; mainnet:
    subtensor's values (emission off until sudo enables it, 4-week EMA), ``sudo_set_subnet_emission_enabled``."""
    from localnet.runtime import coinbase

    dev, main = Chain("dev"), Chain("mainnet")
    for c in (dev, main):
        c.subnet(ALICE, OWNER_HK)
        c.mine(20)
    assert dev.state["emission_last:1"]["tao"] > 0 and dev.state["moving_price:1"] > (1 << 32) // 2
    assert main.state["emission_last:1"]["tao"] == 0 and main.state["moving_price:1"] < (1 << 32) // 1000
    assert coinbase.ema_params(main.state) == (12_885, 201_600) and main.state["hp:1"]["tempo"] == 360
    main.fails(BOB, "AdminUtils.sudo_set_subnet_emission_enabled", "BadOrigin", netuid=1, enabled=True)
    main.ok(ALICE, "AdminUtils.sudo_set_subnet_emission_enabled", netuid=1, enabled=True)
    main.mine(1)
    assert main.state["emission_last:1"]["tao"] > 0


def test_swap_stake_limit(chain):
    """move_stake.rs ``do_swap_stake_limit``: a swap stops where origin price / destination price reaches the
    limit: fill-or-kill fails SlippageTooHigh, partial moves what fits and leaves the rest."""
    chain.ok(ALICE, "register_network", hotkey=addr("//Alice//owner2"))
    chain.ok(ALICE, "start_call", netuid=2)
    chain.state["subnet:2"] = {**chain.state["subnet:2"], "emission_enabled": False}
    give_alpha(chain, HK, BOB, 1, 300 * TAO)
    set_reserves(chain, 1, 150 * TAO, 100 * TAO)
    set_reserves(chain, 2, 100 * TAO, 100 * TAO)
    limit = 1_350_000_000  # the ratio 1.5 may fall to 1.35
    from localnet.state import Overlay

    most = swap.max_amount_move(Overlay(chain.state), 1, 2, limit)
    assert most == 4_444_444_444  # subtensor's estimate: a2 t1 / (t1 + t2) / limit - a1 t2 / (t1 + t2)
    r = chain.fails(BOB, "swap_stake_limit", "SlippageTooHigh", hotkey=HK, origin_netuid=1, destination_netuid=2,
                    alpha_amount=150 * TAO, limit_price=limit, allow_partial=False)
    assert "only α4.444444444 move within" in r["message"]  # amounts in messages as people read them, not rao
    chain.ok(BOB, "swap_stake_limit", hotkey=HK, origin_netuid=1, destination_netuid=2, alpha_amount=150 * TAO,
             limit_price=limit, allow_partial=True)
    assert 300 * TAO - chain.stake(HK, BOB, 1) == most and chain.stake(HK, BOB, 2) > 0
    assert price(chain, 1) / price(chain, 2) < 1.5  # the origin got cheaper relative to the destination
