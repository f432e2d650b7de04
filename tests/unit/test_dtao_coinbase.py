"""Emission shares, injection, moving prices and alpha distribution against subtensor 14bc6f9's
``pallets/subtensor/src/tests/coinbase.rs`` (each test names the one it mirrors; tolerances are its)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from localnet.runtime import coinbase, emission, load_modules, staking, subnets, swap, system
from localnet.runtime.fixedpoint import U96F32
from localnet.state import Overlay

U64_MAX = (1 << 64) - 1
TAO = 10**9


def i96f32(x: float) -> int:
    return round(Fraction(x) * (1 << 32))


def world(*pools: tuple[int, int], moving: tuple[float, ...] | None = None) -> Overlay:
    """Subnets 1..n, started, with the given (tao, alpha) pools and moving prices (default 1.0)."""
    load_modules()
    state = Overlay({})
    state.set("profile", "dev")
    for i, (tao, alpha) in enumerate(pools, start=1):
        owner_hk, owner_ck = f"owner-hk-{i}", f"owner-ck-{i}"
        state.set(f"subnet:{i}", {"netuid": i, "owner_coldkey": owner_ck, "owner_hotkey": owner_hk, "registered_at": 0,
                                  "lock": 0, "started": True, "first_emission_block": 1, "emission_enabled": True})
        state.set(f"hp:{i}", subnets.default_hyperparameters("dev"))
        state.set(f"owner:{owner_hk}", owner_ck)
        state.set(swap.pool_key(i), {**swap.EMPTY, "tao": tao, "alpha_in": alpha, "minted": alpha})
        state.set(f"moving_price:{i}", i96f32(moving[i - 1] if moving else 1.0))
    state.set("netuids", list(range(1, len(pools) + 1)))
    return state


def full_injection_root_stake(state: Overlay) -> None:
    """coinbase.rs ``set_full_injection_root_stake``: root TAO 1e18 and tao_weight = 1."""
    swap.update(state, 0, tao=10**18)
    state.set("tao_weight", U64_MAX)


def run_coinbase(state: Overlay, emission_rao: int) -> None:
    state.set(system.BLOCK_EMISSION, emission_rao)
    coinbase.run(state, 10)


def test_coinbase_tao_issuance_base():
    """``test_coinbase_tao_issuance_base``: the whole emission is injected; exact."""
    state = world((1000 * TAO, 1000 * TAO))
    full_injection_root_stake(state)
    issuance = state.int("issuance")
    run_coinbase(state, 1_234_567)
    assert swap.pool(state, 1)["tao"] == 1000 * TAO + 1_234_567
    assert state.int("issuance") == issuance + 1_234_567


def test_coinbase_tao_issuance_multiple():
    """``test_coinbase_tao_issuance_multiple``: equal prices split evenly (1 rao; issuance 3 rao)."""
    state = world((10**6, 10**6), (10**6, 10**6), (10**6, 10**6))
    full_injection_root_stake(state)
    run_coinbase(state, 3_333_333)
    for n in (1, 2, 3):
        assert abs(swap.pool(state, n)["tao"] - 10**6 - 3_333_333 // 3) <= 1
    assert abs(state.int("issuance") - 3_333_333) <= 3


def test_coinbase_disabled_subnet_emission_redistributes_tao_to_enabled_subnets():
    """``test_coinbase_disabled_subnet_emission_redistributes_tao_to_enabled_subnets`` (2 rao)."""
    state = world((10**6, 10**6), (10**6, 10**6), (10**6, 10**6))
    state.set("subnet:2", {**subnets.info(state, 2), "emission_enabled": False})
    full_injection_root_stake(state)
    shares = coinbase.block_emissions(state, [1, 2, 3], 3_333_333)
    assert abs((shares[1] >> U96F32) - 3_333_333 // 2) <= 2 and shares[2] == 0
    run_coinbase(state, 3_333_333)
    assert abs(swap.pool(state, 1)["tao"] - 10**6 - 3_333_333 // 2) <= 2
    assert swap.pool(state, 2)["tao"] == 10**6
    assert abs(state.int("issuance") - 3_333_333) <= 2


def test_coinbase_tao_issuance_different_prices():
    """``test_coinbase_tao_issuance_different_prices``: moving prices 0.1 and 0.2 take 1/3 and 2/3 (10 rao)."""
    state = world((100_000, 1_000_000), (100_000, 500_000), moving=(0.1, 0.2))
    full_injection_root_stake(state)
    run_coinbase(state, 100_000_000)
    assert abs(swap.pool(state, 1)["tao"] - (100_000 + 100_000_000 // 3)) <= 10
    assert abs(swap.pool(state, 2)["tao"] - (100_000 + 2 * 100_000_000 // 3)) <= 10
    assert abs(state.int("issuance") - 100_000_000) <= 10


def test_coinbase_alpha_issuance_base():
    """``test_coinbase_alpha_issuance_base``: alpha injected = tao / price; exact."""
    state = world((10**6, 10**6), (10**6, 10**6))
    full_injection_root_stake(state)
    run_coinbase(state, 1_000_000)
    assert swap.pool(state, 1)["alpha_in"] == 10**6 + 500_000
    assert swap.pool(state, 2)["alpha_in"] == 10**6 + 500_000


def test_coinbase_alpha_issuance_different():
    """``test_coinbase_alpha_issuance_different``: prices 1 and 2; exact."""
    state = world((10**6, 10**6), (2 * 10**6, 10**6), moving=(1.0, 2.0))
    full_injection_root_stake(state)
    run_coinbase(state, 1_000_000)
    assert swap.pool(state, 1)["alpha_in"] == 10**6 + 1_000_000 // 3
    assert swap.pool(state, 2)["alpha_in"] == 10**6 + (1_000_000 * 2 // 3) // 2


def test_coinbase_alpha_issuance_with_cap_trigger():
    """``test_coinbase_alpha_issuance_with_cap_trigger``: injected alpha is capped; alpha emission is full."""
    state = world((1_000, 10**9), (1_000, 10**9), moving=(1.0, 2.0))
    full_injection_root_stake(state)
    run_coinbase(state, 1_000_000)
    for n in (1, 2):
        assert swap.pool(state, n)["alpha_in"] < 10**9 + 1_000_000_000
        assert state.get(f"emission_last:{n}")["alpha_out"] == 1_000_000_000


def test_coinbase_alpha_issuance_with_cap_trigger_and_block_emission(monkeypatch):
    """``test_coinbase_alpha_issuance_with_cap_trigger_and_block_emission``: the excess TAO buys alpha
    for the protocol (price up, alpha_in down); alpha_out = prior + protocol alpha."""
    monkeypatch.setattr(swap, "MINIMUM_RESERVE", 100)
    state = world((10_000, 10**9), (10_000, 10**9), moving=(1.0, 2.0))
    for n in (1, 2):
        swap.update(state, n, alpha_out=21 * 10**15)
    before = [swap.current_price(state, n) for n in (1, 2)]
    run_coinbase(state, 1_000_000)
    for i, n in enumerate((1, 2)):
        p = swap.pool(state, n)
        assert p["protocol_alpha"] > 0 and p["alpha_in"] < 10**9
        assert p["alpha_out"] == 21 * 10**15 + p["protocol_alpha"]
        assert swap.current_price(state, n) > before[i]


def test_owner_cut_base():
    """``test_owner_cut_base``: owner cut 0 -> nothing pending; u16::MAX -> the whole alpha emission."""
    state = world((10**12, 10**12))
    state.set("hp:1", {**subnets.hp(state, 1), "tempo": 10_000})
    state.set("owner_cut", 0)
    run_coinbase(state, 0)
    assert coinbase.pending(state, 1)["owner"] == 0
    state.set("owner_cut", 65535)
    run_coinbase(state, 0)
    assert coinbase.pending(state, 1)["owner"] == 1_000_000_000


@pytest.mark.parametrize("root_sell", [False, True])
def test_coinbase_emit_to_subnets(root_sell):
    """``test_coinbase_emit_to_subnets_with_no_root_sell`` / ``..._with_root_sell`` (200 rao): owner cut,
    server = (emission - cut) / 2, validator = that - root dividends (pending only with root sell)."""
    state = world((10**15, 10**15))
    state.set("owner_cut", 65535 // 10)
    swap.update(state, 0, tao=10**12)  # a root proportion > 0
    state.set("moving_price:1", i96f32(2.0 if root_sell else 0.5))
    alpha_em = system.block_emission(coinbase.alpha_issuance(state, 1))
    run_coinbase(state, 12_345_678)
    p = coinbase.pending(state, 1)
    cut = alpha_em * (65535 // 10) / 65535
    issuance = coinbase.alpha_issuance(state, 1)
    weighted = 10**12 * staking.TAO_WEIGHT / U64_MAX
    root_divs = int(weighted / (weighted + issuance) * (alpha_em - cut) / 2)
    assert abs(p["owner"] - int(cut)) <= 200
    assert abs(p["server"] - int((alpha_em - cut) / 2)) <= 200
    assert abs(p["root"] - (root_divs if root_sell else 0)) <= 200
    assert abs(p["validator"] - int((alpha_em - cut) / 2 - root_divs)) <= 200


def test_root_proportion():
    """``test_root_proportion``: tao_weight x root_tao / (tao_weight x root_tao + alpha issuance), exact."""
    state = world((10**12, 10**11))
    swap.update(state, 0, tao=1_000_000_000_000)
    state.set("tao_weight", 3_320_413_933_267_719_290)
    tw = ((3_320_413_933_267_719_290 << 32) << 32) // (U64_MAX << 32)
    weighted = (1_000_000_000_000 << 32) * tw >> 32
    expected = (weighted << 32) // (weighted + (10**11 << 32))
    assert coinbase.root_proportion(state, 1) == expected


def test_get_subnet_terms_alpha_emissions_cap():
    """``test_get_subnet_terms_alpha_emissions_cap``: alpha_in = tao/price below the cap, = cap above it."""
    state = world((1000 * TAO, 1000 * TAO))
    full_injection_root_stake(state)
    alpha_em = system.block_emission(coinbase.alpha_issuance(state, 1))
    cap = (coinbase.root_proportion(state, 1) * (alpha_em << 32)) >> 32
    assert coinbase._terms(state, 1, 100_000_000 << 32)[1] == 100_000_000
    assert (10_000_000_000 << 32) > cap
    assert coinbase._terms(state, 1, 10_000_000_000 << 32)[1] == cap >> 32


def test_coinbase_moving_prices():
    """``test_coinbase_moving_prices``: alpha 1 -> the price; alpha 0.1 over 14 updates at 28 days -> 0.512325 (0.001)."""
    state = world((1_000_000, 1_000_000))
    coinbase.update_moving_price(state, 1, 7_200_000)
    assert coinbase.moving_price(state, 1) == 1 << 64
    state.set("moving_price:1", 0)
    state.set("ema_moving_alpha", i96f32(1.0))
    state.set("ema_halving_blocks", 201_600)
    coinbase.update_moving_price(state, 1, 7_200_000)
    assert 1.0 - coinbase.moving_price(state, 1) / 2**64 < 0.05
    state.set("moving_price:1", 0)
    state.set("ema_moving_alpha", i96f32(0.1))
    for _ in range(14):
        coinbase.update_moving_price(state, 1, 7_200 * 28)
    assert coinbase.moving_price(state, 1) / 2**64 == pytest.approx(0.512325, abs=0.001)


@pytest.mark.parametrize("block,check", [(510, lambda p: p < 0.001), (144_000_500, lambda p: abs(p - 0.5) < 0.001)])
def test_update_moving_price_initial_and_after_time(block, check):
    """``test_update_moving_price_initial`` / ``test_update_moving_price_after_time`` (alpha 0.5, halving 4 weeks)."""
    state = world((1_000_000, 1_000_000), moving=(0.0,))
    state.set("subnet:1", {**subnets.info(state, 1), "first_emission_block": 500})
    state.set("ema_moving_alpha", i96f32(0.5))
    state.set("ema_halving_blocks", 201_600)
    coinbase.update_moving_price(state, 1, block)
    assert check(coinbase.moving_price(state, 1) / 2**64)


def neurons(state: Overlay, netuid: int, hotkeys: list[tuple[str, str]]) -> None:
    """Replace the subnet's neurons (owner not registered, as subtensor's ``add_network`` mock)."""
    state.set(f"sn_n:{netuid}", len(hotkeys))
    for uid, (hk, ck) in enumerate(hotkeys):
        subnets.set_neuron(state, netuid, uid, subnets.new_neuron(hk, ck, 0))
        state.set(f"uid:{netuid}:{hk}", uid)
        state.set(f"owner:{hk}", ck)


def test_drain_base_with_subnet_with_two_stakers_registered():
    """``test_drain_base_with_subnet_with_two_stakers_registered``: no weights, equal stakes: each gets half
    of 1e9 pending alpha (within 10)."""
    state = world((10**12, 10**12))
    neurons(state, 1, [("hk1", "ck"), ("hk2", "ck")])
    for hk in ("hk1", "hk2"):
        staking.credit(state, hk, "ck", 1, 1_000_000_000)
    state.set("pending:1", {"server": 500_000_000, "validator": 500_000_000, "root": 0, "owner": 0})
    emission.epoch(state, 1, 20)
    for hk in ("hk1", "hk2"):
        assert abs(staking.stake_of(state, hk, "ck", 1) - 1_500_000_000) <= 10


def test_incentive_to_subnet_owner_is_burned():
    """``test_incentive_to_subnet_owner_is_burned``: the owner hotkey's incentive is not staked; others' is."""
    state = world((10**12, 10**12))
    neurons(state, 1, [("owner-hk-1", "owner-ck-1"), ("other-hk", "other-ck")])
    amounts = {"server": 0, "validator": 0, "root": 0, "owner": 0}
    paid = coinbase.distribute(state, 1, amounts, [10_000_000, 10_000_000], [0, 0], ["owner-hk-1", "other-hk"])
    assert staking.total_hotkey_stake(state, 1, "owner-hk-1") == 0
    assert staking.total_hotkey_stake(state, 1, "other-hk") == 10_000_000
    assert paid["burned"] == 10_000_000
    assert state.get("miner_burned:1") == 1 << 31  # half the incentive withheld


def test_calculate_dividend_distribution_totals():
    """``test_calculate_dividend_distribution_totals``: alpha and root dividends add up to what was pending (1000)."""
    state = world((10**12, 10**12))
    neurons(state, 1, [("h0", "c0"), ("h1", "c1")])
    staking.credit(state, "h0", "c0", 1, 4_859_302)
    staking.credit(state, "h1", "c1", 1, 23_423)
    staking.credit(state, "h0", "c0", 0, 2_342_352)
    staking.credit(state, "h1", "c1", 0, 859_273)
    state.set("tao_weight", int(0.18 * U64_MAX))
    amounts = {"server": 0, "validator": 183_123_567_452, "root": 837_120_949_872, "owner": 0}
    paid = coinbase.distribute(state, 1, amounts, [0, 0], [77_783_738, 19_283_940], ["h0", "h1"])
    assert abs(paid["paid"] - (183_123_567_452 + 837_120_949_872)) <= 2_000
