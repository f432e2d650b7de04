"""Pool math against the values subtensor 14bc6f9's own tests assert (``pallets/swap``).

Each test names the subtensor (or safe-bigmath, which subtensor pins) test it mirrors; where that
test is exact, so is this one; otherwise its tolerance is kept.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from localnet.runtime import DispatchError, swap
from localnet.runtime.fixedpoint import ACCURACY, perquintill, pow_ratio_scaled
from localnet.state import Overlay

ONE = 1 << 64


def u64f64(x: float) -> int:
    """``U64F64::from_num(f64)``: the double's exact value, rounded to the nearest bit (ties even)."""
    return round(Fraction(x) * ONE)


def f(bits: int) -> float:
    return bits / ONE


def pool_state(tao: int, alpha: int, quote: int = swap.HALF, netuid: int = 1) -> Overlay:
    state = Overlay({})
    state.set(swap.pool_key(netuid), {**swap.EMPTY, "tao": tao, "alpha_in": alpha, "quote": quote, "minted": alpha})
    return state


@pytest.fixture
def mock_reserve(monkeypatch):
    """The swap pallet's mock: MinimumReserve = 1 (the subtensor pallet's mock: 100)."""
    monkeypatch.setattr(swap, "MINIMUM_RESERVE", 1)


# -- safe-bigmath pow_ratio_scaled (the balancer's exponent) --------------------------------------
def test_perquintill_power():
    """balancer.rs ``test_perquintill_power``: exact."""
    x, dx = 21_000_000_000_000_000, 7_000_000_000_000_000
    assert pow_ratio_scaled(x, x + dx, 600 * 10**15, 400 * 10**15, 4096, ACCURACY) == 649_519_052_838_328_985


@pytest.mark.parametrize("w1,w2", [(500_000_000_000_000_000, 500_000_000_000_000_000),
                                   (499_999_999_999_500_000, 500_000_000_000_500_000),
                                   (500_000_000_000_250_000, 499_999_999_999_750_000)])
def test_pow_ratio_scaled_handles_large_weight_denominators(w1, w2):
    """safe-bigmath 013c499 ``pow_ratio_scaled_handles_large_weight_denominators`` (the ln/exp path): exact."""
    assert pow_ratio_scaled(21 * 10**15, 21 * 10**15 + 100, w1, w2, 256, ACCURACY) == 999_999_999_999_995_238


def test_pow_ratio_scaled_converges_on_boundary_weights():
    """safe-bigmath ``pow_ratio_scaled_converges_on_boundary_weights``: exact."""
    assert pow_ratio_scaled(21 * 10**15, 21 * 10**15 + 1, 499_999_999_500_000_000, 500_000_000_500_000_000, 256,
                            ACCURACY) == 999_999_999_999_999_952


def test_pow_ratio_scaled_doc_example():
    """safe-bigmath ``pow_ratio_scaled`` doc example: (2/3)^(1/2) x 1000 = 816."""
    assert pow_ratio_scaled(2, 3, 1, 2, 0, 1000) == 816


# -- the balancer ---------------------------------------------------------------------------------
@pytest.mark.parametrize("num,den,reserve,d,base_quote,expected", [
    (5, 10, 100_000, 100, True, 0.999000999000999),
    (1, 4, 500_000, 5_000, True, 0.970590147927644),
    (3, 4, 200_000, 2_000, False, 0.970590147927644),
    (9, 10, 13_513_642, 1_673, False, 0.998886481979889),
    (773, 1000, 7_000_000_000, 10_000, True, 0.999999580484586),
])
def test_exp_scaled(num, den, reserve, d, base_quote, expected):
    """balancer.rs ``test_exp_scaled``: within 1e-9."""
    assert f(swap.exp_scaled(perquintill(num, den), reserve, d, base_quote)) == pytest.approx(expected, abs=1e-9)


def test_calculate_quote_delta_in():
    """balancer.rs ``test_calculate_quote_delta_in``: dy = y((p'/p)^w1 - 1), exact (w1 = 0.75)."""
    quote = perquintill(250_000_000_000, 10**12)
    expected = int(1_000_000_000 * ((0.2 / 0.1) ** 0.75 - 1.0))
    assert swap._delta_in(quote, u64f64(0.1), u64f64(0.2), 1_000_000_000, buying=True) == expected


def test_calculate_base_delta_in():
    """balancer.rs ``test_calculate_base_delta_in``: dx = x((p/p')^w2 - 1), exact (w2 = 0.25)."""
    quote = perquintill(250_000_000_000, 10**12)
    expected = int(1_000_000_000 * ((0.2 / 0.1) ** 0.25 - 1.0))
    assert swap._delta_in(quote, u64f64(0.2), u64f64(0.1), 1_000_000_000, buying=False) == expected


def test_calculate_delta_in_impossible():
    """balancer.rs ``test_calculate_quote_delta_in_impossible`` / ``..._base_delta_in_impossible``: 0."""
    quote = perquintill(250_000_000_000, 10**12)
    assert swap._delta_in(quote, u64f64(0.1), u64f64(0.05), 1_000_000_000, buying=True) == 0
    assert swap._delta_in(quote, u64f64(0.1), u64f64(0.2), 1_000_000_000, buying=False) == 0


def test_calculate_delta_in_reverse_swap():
    """balancer.rs ``test_calculate_delta_in_reverse_swap``: buying dy reaches the target price (1e-9 relative)."""
    tao = 1_000_000_000
    alpha = int(tao / 0.1)
    dy = swap._delta_in(swap.HALF, u64f64(0.1), u64f64(0.2), tao, buying=True)
    dx = alpha * (1.0 - tao / (tao + dy))
    price = f(swap.calculate_price(swap.HALF, alpha - int(dx), tao + dy))
    assert price == pytest.approx(0.2, abs=0.2 / 1e9)


@pytest.mark.parametrize("p,cases", [
    ((1, 2), [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (1023, 512), (1025, 513)]),
    ((1, 3), [(3, 1), (4, 1), (5, 2), (6, 2)]),
    ((0, 1), [(1_000_000, 0)]),
    ((1, 1), [(1_000_000, 1_000_000), ((1 << 128) - 1, (1 << 128) - 1)]),
    ((7, 10), [(10**18, (10**18 * 7 + 5) // 10)]),
])
def test_mul_round(p, cases):
    """balancer.rs ``test_mul_round_half_behaviour`` / ``_third_`` / ``_zero_and_one`` /
    ``_large_values_simple_rational`` / ``_max_value_with_one``: exact."""
    parts = perquintill(*p) if p[0] else 0
    for value, expected in cases:
        assert swap._mul_perquintill_round(parts, value) == expected


@pytest.mark.parametrize("quote,x,y,expected", [
    ((1, 2), 2, 5, 5 / 2),
    ((1, 3), 4, 10, 2 * 10 / 4),
    ((3, 10), 10, 0, 0.0),
    ((2, 5), 9, 25, (0.6 / 0.4) * 25 / 9),
    ((3, 10), 21 * 10**15, 15 * 10**15, (0.7 / 0.3) * 15 / 21),
])
def test_price_formula(quote, x, y, expected):
    """balancer.rs ``test_price_with_equal_weights_is_y_over_x``, ``..._two_to_one``, ``..._zero_when_y_is_zero``,
    ``..._matches_formula_for_general_quote``, ``..._high_values_non_equal_weights``: within 1e-9."""
    assert f(swap.calculate_price(perquintill(*quote), x, y)) == pytest.approx(expected, abs=1e-9)


def test_balancer_rejects_invalid_weights():
    """balancer.rs ``test_balancer_rejects_invalid_boundary_weights_without_panicking``: a weight update
    outside [1%, 99%] is refused and leaves the pool as it was."""
    state = pool_state(1_000_000_000_000, 0)
    assert swap.adjust_protocol_liquidity(state, 1, 0, 1_000) == (0, 0)
    assert swap.pool(state, 1)["quote"] == swap.HALF


# -- pool swaps (tests.rs) --------------------------------------------------------------------------
def test_swap_initialization():
    """tests.rs ``test_swap_initialization``: price 0.25 (1e-9), quote weight 1/2."""
    state = pool_state(1_000_000_000, 4_000_000_000)
    assert f(swap.current_price(state, 1)) == pytest.approx(0.25, abs=1e-9)
    assert swap.pool(state, 1)["quote"] == perquintill(1, 2)


@pytest.mark.parametrize("amount,buying", [(1_000, True), (2_000, True), (123_456, True), (1_000, False),
                                           (2_000, False), (123_456, False), (1_000_000_000, True),
                                           (10_000_000_000, True)])
def test_swap_basic(amount, buying, mock_reserve):
    """tests.rs ``test_swap_basic``: output and reserve deltas within 1 rao of the constant-product
    formula after the fee; buying raises the price, selling lowers it."""
    state = pool_state(1_000_000_000, 4_000_000_000)
    fee = int(amount * (33 / 65535))
    x, y = 4_000_000_000, 1_000_000_000
    expected = x * (1 - y / (y + amount - fee)) if buying else y * (1 - x / (x + amount - fee))
    before = swap.current_price(state, 1)
    r = swap.swap(state, 1, amount, buying, int(1000.0 * 1e9) if buying else int(0.0001 * 1e9))
    assert abs(r.paid_out - int(expected)) <= 1
    assert abs(r.paid_in - (amount - fee)) <= 1
    (swap.apply_buy if buying else swap.apply_sell)(state, 1, r)
    assert (swap.current_price(state, 1) >= before) == buying
    assert (r.price_after >= before) == buying


@pytest.mark.parametrize("tao,alpha,w_quote", [(1500, 1000, 0.5), (1, 1_000_000, 0.5), (1_000_000, 1, 0.5),
                                               (1500, 1000, 0.50000001), (1500, 1000, 0.49999999),
                                               (1, 1_000_000, 0.1), (1_000_000, 1, 0.1), (1500, 1000, 0.9),
                                               (1, 1_000_000, 0.9)])
@pytest.mark.parametrize("delta", [1, 10_000, 1_000_000])
def test_convert_deltas(tao, alpha, w_quote, delta):
    """tests.rs ``test_convert_deltas``: within 2 rao of y(1-(x/(x+d))^(w1/w2)) and x(1-(y/(y+d))^(w2/w1))."""
    quote = perquintill(int(w_quote * 1e9), 10**9)
    p = {**swap.EMPTY, "tao": tao, "alpha_in": alpha, "quote": quote}
    y, x, d = float(tao), float(alpha), float(delta)
    sell = y * (1 - (x / (x + d)) ** ((1 - w_quote) / w_quote))
    buy = x * (1 - (y / (y + d)) ** (w_quote / (1 - w_quote)))
    assert abs(swap._convert(p, delta, buying=False) - int(sell)) <= 2
    assert abs(swap._convert(p, delta, buying=True) - int(buy)) <= 2


def test_swap_rejects_input_over_1000x_input_reserve(mock_reserve):
    """tests.rs ``test_swap_rejects_input_over_1000x_input_reserve`` and ``..._allows_input_at_1000x``."""
    state = pool_state(1_000, 1_000)
    for buying, limit in ((False, swap.MIN_PRICE), (True, swap.MAX_PRICE)):
        with pytest.raises(DispatchError) as e:
            swap.swap(state, 1, 1_000_001, buying, limit, drop_fees=True)
        assert e.value.name == "Swap.SwapInputTooLarge"
        swap.swap(state, 1, 1_000_000, buying, limit, drop_fees=True)


@pytest.mark.parametrize("dtao,dalpha", [(0, 0), (0, 1), (1, 0), (1, 1), (10, 20), (1_000, 0), (0, 1_000),
                                         (1_000_000, 2_000_000), (2_000_000_000, 1_000_000_000),
                                         (1_000_000_000_000, 0), (0, 1_000_000_000_000),
                                         (1_000_000_000_000, 2_000_000_000_000), (1_234_567, 2_432_765_890)])
def test_adjust_protocol_liquidity_happy(dtao, dalpha):
    """tests.rs ``test_adjust_protocol_liquidity_happy``: the price does not move (1e-12 relative) and the
    quote weight becomes tao' / (alpha' p + tao')."""
    tao, alpha = 1_000_000_000_000, 4_000_000_000_000
    state = pool_state(tao, alpha)
    before = f(swap.current_price(state, 1))
    assert swap.adjust_protocol_liquidity(state, 1, dtao, dalpha) == (dtao, dalpha)
    swap.update(state, 1, tao=dtao, alpha_in=dalpha)
    assert f(swap.current_price(state, 1)) == pytest.approx(before, abs=before / 1e12)
    new_tao, new_alpha = tao + dtao, alpha + dalpha
    expected = new_tao / (new_alpha * before + new_tao)
    assert swap.pool(state, 1)["quote"] / ACCURACY - 0.5 == pytest.approx(expected - 0.5, abs=expected / 1e12)


@pytest.mark.parametrize("dtao,dalpha", [(0, 0), (0, 1), (1, 0), (1, 1), (1_000_000, 2_000_000), (1_234_567, 0)])
def test_adjust_protocol_liquidity_zero_alpha(dtao, dalpha):
    """tests.rs ``test_adjust_protocol_liquidity_zero_alpha``: a pool without alpha keeps weight 1/2;
    the injected alpha fixes its price to tao/alpha."""
    tao = 1_000_000_000_000
    state = pool_state(tao, 0)
    assert swap.current_price(state, 1) == 0
    added = swap.adjust_protocol_liquidity(state, 1, dtao, dalpha)
    swap.update(state, 1, tao=added[0], alpha_in=added[1])
    assert swap.pool(state, 1)["quote"] == swap.HALF
    if dalpha == 0 or added == (0, 0):
        assert added[1] == 0 or swap.current_price(state, 1) > 0
    else:
        assert f(swap.current_price(state, 1)) == pytest.approx((tao + dtao) / dalpha, rel=1e-12)


# -- limits (pallets/subtensor tests/staking.rs: get_max_amount_add / remove) --------------------------
MAX_ADD = [
    (1_000_000_000, 1_000_000_000, 0, "PriceLimitExceeded"),
    (100, 100, 1_100_000_000, 4), (1_000, 1_000, 1_100_000_000, 48), (10_000, 10_000, 1_100_000_000, 488),
    (1_000_000, 1_000_000, 4_000_000_000, 1_000_500), (1_000_000, 1_000_000, 9_000_000_000, 2_001_000),
    (1_000_000, 1_000_000, 16_000_000_000, 3_001_500),
    (1_000_000_000_000, 1_000_000_000_000, 16_000_000_000, 3_001_500_000_000),
    (150_000_000_000, 100_000_000_000, 0, "PriceLimitExceeded"),
    (150_000_000_000, 100_000_000_000, 100_000_000, "PriceLimitExceeded"),
    (150_000_000_000, 100_000_000_000, 1_499_999_999, "PriceLimitExceeded"),
    (150_000_000_000, 100_000_000_000, 1_500_000_000, "PriceLimitExceeded"),
    (150_000_000_000, 100_000_000_000, 1_500_000_001, 49),
    (150_000_000_000, 100_000_000_000, 6_000_000_000, 150_075_000_000),
]


@pytest.mark.parametrize("tao,alpha,limit,expected", MAX_ADD)
def test_max_amount_add_dynamic(tao, alpha, limit, expected, monkeypatch):
    """staking.rs ``test_max_amount_add_dynamic``: within expected/10000 (its tolerance), errors by name."""
    monkeypatch.setattr(swap, "MINIMUM_RESERVE", 100)
    state = pool_state(tao, alpha)
    if isinstance(expected, str):
        with pytest.raises(DispatchError) as e:
            swap.max_amount(state, 1, limit, buying=True)
        assert e.value.name == "Swap." + expected
    else:
        assert abs(swap.max_amount(state, 1, limit, buying=True) - expected) <= expected // 10000


MAX_REMOVE = [
    (0, 1_000_000_000, 100, "ReservesTooLow"),
    (1_000_000_000, 0, 100, "PriceLimitExceeded"),
    (10_000_000_000, 10_000_000_000, 0, 10_000_000_000_000),
    (1_000, 1_000, 0, 1_000_000), (1_001, 1_001, 1_001, 1_001_000), (1_001, 1_001, 10_000, 17_472),
    (1_001, 1_001, 1_000_000, 17_472), (1_001, 1_001, 10_000_000, 9_013), (1_001, 1_001, 100_000_000, 2_165),
    (1_000_000, 1_000_000, 250_000_000, 1_010_000), (1_000_000, 1_000_000, 62_500_000, 3_030_000),
    (1_000_000_000_000, 1_000_000_000_000, 62_500_000, 3_030_000_000_000),
    (200_000_000_000, 100_000_000_000, 0, 100_000_000_000_000),
    (200_000_000_000, 100_000_000_000, 500_000_000, 101_000_000_000),
    (200_000_000_000, 100_000_000_000, 125_000_000, 303_000_000_000),
    (200_000_000_000, 100_000_000_000, 2_000_000_000, "PriceLimitExceeded"),
    (200_000_000_000, 100_000_000_000, 2_000_000_001, "PriceLimitExceeded"),
    (200_000_000_000, 100_000_000_000, 1_999_999_999, 24), (200_000_000_000, 100_000_000_000, 1_999_999_990, 250),
    (21 * 10**15, 1_000_000, 21 * 10**15, 17_455_533), (21 * 10**15, 1_000_000, (1 << 64) - 1, 67_000),
    (21 * 10**15, 10**18, (1 << 64) - 1, "PriceLimitExceeded"),
    (21 * 10**15, 10**18, 20_000_000, 24_700_000_000_000_000),
    (21 * 10**15, 21 * 10**15, 999_999_999, 10_605_000),
]


@pytest.mark.parametrize("tao,alpha,limit,expected", MAX_REMOVE)
def test_max_amount_remove_dynamic(tao, alpha, limit, expected, monkeypatch):
    """staking.rs ``test_max_amount_remove_dynamic``: within expected/100 (its tolerance), errors by name."""
    monkeypatch.setattr(swap, "MINIMUM_RESERVE", 100)
    state = pool_state(tao, alpha)
    if isinstance(expected, str):
        with pytest.raises(DispatchError) as e:
            swap.max_amount(state, 1, limit, buying=False)
        assert e.value.name == "Swap." + expected
    else:
        assert abs(swap.max_amount(state, 1, limit, buying=False) - expected) <= expected // 100


def test_max_amount_root():
    """staking.rs ``test_max_amount_add_root`` / ``test_max_amount_remove_root``: root is 1:1."""
    state = Overlay({})
    assert swap.max_amount(state, 0, 1_000_000_000, True) == (1 << 64) - 1
    assert swap.max_amount(state, 0, 999_999_999, True) == 0
    assert swap.max_amount(state, 0, 1_000_000_000, False) == (1 << 64) - 1
    assert swap.max_amount(state, 0, 1_000_000_001, False) == 0


U64_MAX = (1 << 64) - 1
MAX_MOVE = [
    (0, 10**9, 10**9, 10**9, 100, 0, 1), (10**9, 0, 10**9, 10**9, 100, 0, 1), (10**9, 10**9, 0, 10**9, 100, 0, 1),
    (10**9, 10**9, 10**9, 0, 100, 0, 1), (1, 1, 1, 1, 0, U64_MAX, 1), (1, 1, 1, 1, 1, 500_000_000, 1),
    (1, 1, 1, 1, 2, 250_000_000, 1), (1, 1, 1, 1, 3, 166_666_666, 1), (1, 1, 1, 1, 4, 125_000_000, 1),
    (1, 1, 1, 1, 1_000, 500_000, 1), (1_000, 1_000, 1_000, 1_000, 500_000_000, 500, 1),
    (1_000, 1_000, 1_000, 1_000, 100_000_000, 4_500, 1),
    (150 * 10**9, 10**11, 10**11, 10**11, 100_000_000, 560 * 10**9, 1_000_000),
    (150 * 10**9, 10**11, 10**11, 10**11, 500_000_000, 80 * 10**9, 1_000_000),
    (150 * 10**9, 10**11, 10**11, 10**11, 750_000_000, 40 * 10**9, 1_000_000),
    (150 * 10**9, 10**11, 10**11, 10**11, 1_000_000_000, 20 * 10**9, 1_000),
    (150 * 10**9, 10**11, 10**11, 10**11, 1_250_000_000, 8 * 10**9, 1_000),
    (150 * 10**9, 10**11, 10**11, 10**11, 1_499_999_999, 27, 1),
    (150 * 10**9, 10**11, 10**11, 10**11, 1_500_000_000, 0, 1),
    (150 * 10**9, 10**11, 10**11, 10**11, 1_500_000_001, 0, 1),
    (150 * 10**9, 10**11, 10**11, 10**11, 2_000_000_000, 0, 1),
    (150 * 10**9, 10**11, 10**11, 10**11, U64_MAX, 0, 1),
    (10**11, 2 * 10**11, 3 * 10**11, 4 * 10**11, 500_000_000, 50 * 10**9, 1_000),
    (10**9, 10**9, 10**9, 10**9, 1, 499_999_999_500_000_000, 100_000_000),
    (10**6, 10**6, 21 * 10**15, 10**18, 1, 48 * 10**15, 10**15),
    (10**6, 10**6, 21 * 10**15, 10**18, U64_MAX, 0, 1),
]


@pytest.mark.parametrize("tao1,alpha1,tao2,alpha2,limit,expected,precision", MAX_MOVE)
def test_max_amount_move_dynamic_dynamic(tao1, alpha1, tao2, alpha2, limit, expected, precision):
    """staking.rs ``test_max_amount_move_dynamic_dynamic``: within its per-row precision."""
    state = pool_state(tao1, alpha1)
    state.set(swap.pool_key(2), {**swap.EMPTY, "tao": tao2, "alpha_in": alpha2})
    assert abs(swap.max_amount_move(state, 1, 2, limit) - expected) <= precision


def test_max_amount_move_root_root():
    """staking.rs ``test_max_amount_move_root_root``: everything at a ratio limit up to 1, nothing above."""
    state = Overlay({})
    assert swap.max_amount_move(state, 0, 0, 1_000_000_000) == U64_MAX
    assert swap.max_amount_move(state, 0, 0, 1_000_000_001) == 0
