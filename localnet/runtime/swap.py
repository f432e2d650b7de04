"""Per-subnet TAO/alpha pools: subtensor's weighted ("balancer") pool, swap fee and price limits.

Source: opentensor/subtensor 14bc6f9, ``pallets/swap`` (``balancer.rs``, ``swap_step.rs``,
``impls.rs``) and the reserve bookkeeping of ``pallets/subtensor/src/staking/stake_utils.rs``.

A pool is ``pool:<netuid>``: ``tao`` (SubnetTAO, rao), ``alpha_in`` (SubnetAlphaIn: alpha in the
pool), ``alpha_out`` (SubnetAlphaOut: alpha outside it: stakes, pending emission, protocol alpha,
burned alpha), ``quote`` (the balancer's quote (TAO) weight in parts per 10^18; the base (alpha)
weight is 10^18 - quote), ``fee_rate`` (u16 / 65535), and alpha accounting: ``minted``,
``recycled`` (alpha removed from issuance), ``burned`` (alpha out of circulation, still issued),
``protocol_alpha`` (alpha the chain bought with excess emission). Alpha issuance of a subnet is
``alpha_in + alpha_out``. Root (netuid 0) is the stable mechanism: 1 TAO = 1 alpha, no fee.

Prices are U64F64 bits (TAO per alpha, 64 fractional bits); limit prices on calls are rao of TAO
per 1 alpha (10^9 = price 1.0). Swaps here never change the reserves: the staking module moves
them (``apply_buy``/``apply_sell``), as subtensor's stake_utils does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from localnet.runtime import DispatchError
from localnet.runtime.fixedpoint import (
    ACCURACY, U64F64, div, fx, mul, perquintill, pow_ratio_scaled, to_u64,
)
from localnet.state import Overlay

ROOT = 0
HALF = ACCURACY // 2
MIN_WEIGHT = ACCURACY // 100
DEFAULT_FEE_RATE = 33  # ~0.05%
MAX_FEE_RATE = 10_000  # 15.26%
MIN_PRICE = 1_000  # rao per alpha (min_price_inner)
MAX_PRICE = 1_000_000_000_000_000  # rao per alpha (max_price_inner)
MINIMUM_RESERVE = 1_000_000  # SwapMinimumReserve (runtime)
MAX_SWAP_INPUT_RESERVE_MULTIPLIER = 1_000
ONE = 1 << U64F64
E = "Swap."


def pool_key(netuid: int) -> str:
    return f"pool:{netuid}"


EMPTY = {"tao": 0, "alpha_in": 0, "alpha_out": 0, "quote": HALF, "fee_rate": DEFAULT_FEE_RATE, "minted": 0,
         "recycled": 0, "burned": 0, "protocol_alpha": 0}


def pool(state: Overlay, netuid: int) -> dict[str, int]:
    return state.get(pool_key(netuid)) or dict(EMPTY)


def update(state: Overlay, netuid: int, **delta: int) -> dict[str, int]:
    """Add ``delta`` to pool fields (reserves never go below zero: saturating, as subtensor)."""
    p = dict(pool(state, netuid))
    for name, d in delta.items():
        p[name] = max(0, p[name] + d)
    state.set(pool_key(netuid), p)
    return p


def is_stable(netuid: int) -> bool:
    return netuid == ROOT


# -- the balancer (balancer.rs) ---------------------------------------------------------
def exp_scaled(quote: int, x: int, dx: int, base_quote: bool) -> int:
    """``(x / (x + dx)) ^ (w1/w2)`` (base_quote) or ``^ (w2/w1)`` as U64F64 bits; capped at 1 for dx >= 0."""
    x_dx = min(x + dx, (1 << 64) - 1) if dx >= 0 else max(x + dx, 0)
    if x_dx == 0:
        return 0
    w1, w2 = ACCURACY - quote, quote
    r = pow_ratio_scaled(x, x_dx, w1, w2, 256, ACCURACY) if base_quote else \
        pow_ratio_scaled(x, x_dx, w2, w1, 256, ACCURACY)
    if r is None or r >= 1 << 64:
        return 0
    result = div(fx(r, U64F64), fx(ACCURACY, U64F64), U64F64)
    return min(result, ONE) if dx >= 0 else result


def calculate_price(quote: int, alpha: int, tao: int) -> int:
    """``(w1 / w2) * (tao / alpha)``, U64F64 bits."""
    w = div(fx(ACCURACY - quote, U64F64), fx(quote, U64F64), U64F64)
    return mul(w, div(fx(tao, U64F64), fx(alpha, U64F64), U64F64), U64F64)


def _mul_perquintill_round(parts: int, value: int) -> int:
    return min((value * parts + ACCURACY // 2) // ACCURACY, (1 << 128) - 1)


def weight_for_added_liquidity(quote: int, tao: int, alpha: int, dtao: int, dalpha: int) -> int | None:
    """The new quote weight that keeps the price when (dtao, dalpha) join the reserves; None if out of range."""
    q1 = _mul_perquintill_round(ACCURACY - quote, tao * (alpha + dalpha))
    q2 = _mul_perquintill_round(quote, alpha * (tao + dtao))
    new = perquintill(q2, q1 + q2) if q1 + q2 else HALF
    return new if new >= MIN_WEIGHT and ACCURACY - new >= MIN_WEIGHT else None


def _delta_in(quote: int, current: int, target: int, reserve: int, buying: bool) -> int:
    """``calculate_quote_delta_in`` (buying) / ``calculate_base_delta_in`` (selling)."""
    scale = 10**18
    if buying:
        r = pow_ratio_scaled(target, current, ACCURACY - quote, ACCURACY, 1024, scale)
    else:
        r = pow_ratio_scaled(current, target, quote, ACCURACY, 1024, scale)
    if r is None:
        return 0
    r = min(r, (1 << 64) - 1)
    ratio = max(div(fx(r, U64F64), fx(scale, U64F64), U64F64) - ONE, 0)
    return to_u64(mul(fx(reserve, U64F64), ratio, U64F64), U64F64)


# -- reads --------------------------------------------------------------------------------
def current_price(state: Overlay, netuid: int) -> int:
    """U64F64 bits: TAO per alpha (1.0 on root; 0 for an empty alpha reserve)."""
    if is_stable(netuid):
        return ONE
    p = pool(state, netuid)
    return calculate_price(p["quote"], p["alpha_in"], p["tao"]) if p["alpha_in"] else 0


def price_rao(state: Overlay, netuid: int) -> int:
    """The price as rao of TAO per 1 alpha (10^9 = 1.0), floored."""
    return (current_price(state, netuid) * 10**9) >> U64F64


def fee_amount(p: dict[str, int], amount: int, stable: bool, drop_fees: bool) -> int:
    """``calculate_fee_amount``: floor(amount * fee_rate / 65535) in U64F64."""
    if drop_fees or stable:
        return 0
    return to_u64(mul(fx(amount, U64F64), div(fx(p["fee_rate"], U64F64), fx(65535, U64F64), U64F64), U64F64),
                  U64F64)


def limit_bits(limit_rao: int) -> int:
    """A call's limit price (rao per alpha) as U64F64 bits."""
    return div(fx(limit_rao, U64F64), fx(10**9, U64F64), U64F64)


@dataclass(frozen=True)
class SwapResult:
    """One swap: ``paid_in`` (enters the reserve), ``paid_out`` (leaves the other), ``fee`` (in the
    paid-in token, not in the reserve), the prices before and after (U64F64 bits)."""

    paid_in: int
    paid_out: int
    fee: int
    price_before: int
    price_after: int

    def as_dict(self) -> dict[str, Any]:
        return {"paid_in": self.paid_in, "paid_out": self.paid_out, "fee": self.fee,
                "price_before": self.price_before, "price_after": self.price_after}


def _convert(p: dict[str, int], amount: int, buying: bool) -> int:
    """``convert_deltas``: what ``amount`` in buys out of the other reserve."""
    if buying:
        e = exp_scaled(p["quote"], p["tao"], amount, base_quote=False)
        return to_u64(mul(fx(p["alpha_in"], U64F64), ONE - e, U64F64), U64F64)
    e = exp_scaled(p["quote"], p["alpha_in"], amount, base_quote=True)
    return to_u64(mul(fx(p["tao"], U64F64), ONE - e, U64F64), U64F64)


def _price_after(p: dict[str, int], amount: int, out: int, buying: bool) -> int:
    if buying:
        return calculate_price(p["quote"], max(p["alpha_in"] - out, 0), min(p["tao"] + amount, (1 << 64) - 1))
    return calculate_price(p["quote"], min(p["alpha_in"] + amount, (1 << 64) - 1), max(p["tao"] - out, 0))


def swap(state: Overlay, netuid: int, amount: int, buying: bool, limit_rao: int,
         drop_fees: bool = False) -> SwapResult:
    """Quote a swap of ``amount`` TAO for alpha (``buying``) or alpha for TAO, stopping at the limit price.

    A buy fills until the price would exceed the limit, a sell until it would fall below it
    (``Swap.PriceLimitExceeded`` when the price is already past it). Raises ``Swap.SwapInputTooLarge``
    (input over 1000 x its reserve), ``Swap.ReservesTooLow``, ``Swap.InsufficientLiquidity``.
    """
    if is_stable(netuid):
        return SwapResult(amount, amount, 0, ONE, ONE)
    p = pool(state, netuid)
    fee = fee_amount(p, amount, False, drop_fees)
    reserve_in = p["tao"] if buying else p["alpha_in"]
    reserve_out = p["alpha_in"] if buying else p["tao"]
    if amount - fee > reserve_in * MAX_SWAP_INPUT_RESERVE_MULTIPLIER:
        raise DispatchError(E + "SwapInputTooLarge", f"the input is over {MAX_SWAP_INPUT_RESERVE_MULTIPLIER} times "
                                                     f"the pool's reserve of {reserve_in}")
    if reserve_out < MINIMUM_RESERVE:
        raise DispatchError(E + "ReservesTooLow", f"the pool holds {reserve_out}, under {MINIMUM_RESERVE}")
    limit = limit_bits(limit_rao)
    current = current_price(state, netuid)
    if not (current < limit if buying else current > limit):
        raise DispatchError(E + "PriceLimitExceeded",
                            f"the price is already {'at or above' if buying else 'at or below'} the limit")
    requested = amount - fee
    target = _price_after(p, requested, _convert(p, requested, buying), buying)
    if (target <= limit) if buying else (target >= limit):
        delta_in = requested
    else:
        delta_in = _delta_in(p["quote"], current, limit, reserve_in, buying)
        rate = 0 if drop_fees else p["fee_rate"]
        fee = to_u64(mul(fx(delta_in, U64F64), div(fx(rate, U64F64), fx(65535 - rate, U64F64), U64F64), U64F64),
                     U64F64)
    out = _convert(p, delta_in, buying)
    if delta_in and not out:
        raise DispatchError(E + "ReservesTooLow", "the swap would pay out nothing")
    if reserve_out < out:
        raise DispatchError(E + "InsufficientLiquidity", "the pool cannot pay that much out")
    return SwapResult(delta_in, out, fee, current, _price_after(p, delta_in, out, buying))


def max_amount(state: Overlay, netuid: int, limit_rao: int, buying: bool) -> int:
    """``get_max_amount_add`` / ``get_max_amount_remove``: the most input (fee included) that
    keeps the price within ``limit_rao``. Raises ``Swap.PriceLimitExceeded`` when none does."""
    if is_stable(netuid):
        ok = limit_rao >= 10**9 if buying else limit_rao <= 10**9
        return (1 << 64) - 1 if ok else 0
    p = pool(state, netuid)
    r = swap(state, netuid, (p["tao"] if buying else p["alpha_in"]) * MAX_SWAP_INPUT_RESERVE_MULTIPLIER, buying,
             limit_rao)
    return r.paid_in + r.fee


# -- reserve moves (stake_utils.rs) ---------------------------------------------------------
def apply_buy(state: Overlay, netuid: int, r: SwapResult) -> None:
    """``swap_tao_for_alpha``'s bookkeeping: TAO into the pool, alpha out of it (root has no alpha reserve)."""
    update(state, netuid, tao=r.paid_in, alpha_in=0 if is_stable(netuid) else -r.paid_out, alpha_out=r.paid_out)


def apply_sell(state: Overlay, netuid: int, r: SwapResult) -> None:
    """``swap_alpha_for_tao``'s bookkeeping."""
    update(state, netuid, tao=-r.paid_out, alpha_in=0 if is_stable(netuid) else r.paid_in, alpha_out=-r.paid_in)


def adjust_protocol_liquidity(state: Overlay, netuid: int, tao: int, alpha: int) -> tuple[int, int]:
    """Re-weight the pool so that adding (tao, alpha) keeps the price; returns what may be added
    ((0, 0) when the weights would leave their range)."""
    p = pool(state, netuid)
    new = weight_for_added_liquidity(p["quote"], p["tao"], p["alpha_in"], tao, alpha)
    if new is None:
        return 0, 0
    if new != p["quote"]:
        state.set(pool_key(netuid), {**p, "quote": new})
    return tao, alpha


def seed(state: Overlay, netuid: int, tao: int, alpha: int, fee_rate: int = DEFAULT_FEE_RATE) -> None:
    """A new subnet's pool (``do_register_network``): ``tao`` and freshly minted ``alpha`` in it."""
    state.set(pool_key(netuid), {**EMPTY, "tao": tao, "alpha_in": alpha, "minted": alpha, "fee_rate": fee_rate})


def median_price(state: Overlay, netuids: list[int]) -> int:
    """``get_median_subnet_alpha_price`` over the subnets with a positive price (1.0 when none), U64F64."""
    prices = sorted(p for p in (current_price(state, n) for n in netuids if n != ROOT) if p > 0)
    if not prices:
        return ONE
    lo, hi = prices[(len(prices) - 1) // 2], prices[len(prices) // 2]
    return hi if lo == hi else (lo + hi) // 2


def max_amount_move(state: Overlay, origin: int, dest: int, limit_rao: int) -> int:
    """``get_max_amount_move``: the most alpha a move from ``origin`` to ``dest`` may take while the
    price ratio (origin price / destination price, rao per rao) stays at or above ``limit_rao``.
    Raises ``Swap.PriceLimitExceeded`` (from the one-pool cases) when nothing fits."""
    tao = fx(10**9, U64F64)
    u64_max = (1 << 64) - 1
    if is_stable(origin) and is_stable(dest):
        return 0 if limit_rao > 10**9 else u64_max
    if is_stable(origin):
        if limit_rao == 0:
            return u64_max
        return max_amount(state, dest, to_u64(mul(div(tao, fx(limit_rao, U64F64), U64F64), tao, U64F64), U64F64),
                          buying=True)
    if is_stable(dest):
        return max_amount(state, origin, limit_rao, buying=False)
    p1, p2 = pool(state, origin), pool(state, dest)
    if not (p1["tao"] and p2["tao"] and p1["alpha_in"] and p2["alpha_in"]):
        return 0
    limit = div(fx(limit_rao, U64F64), fx(10**9, U64F64), U64F64)
    if limit > div(current_price(state, origin), current_price(state, dest), U64F64):
        return 0
    if limit_rao == 0:
        return u64_max
    total = fx(p1["tao"], U64F64) + fx(p2["tao"], U64F64)
    t1, t2 = div(fx(p1["tao"], U64F64), total, U64F64), div(fx(p2["tao"], U64F64), total, U64F64)
    out = div(mul(fx(p2["alpha_in"], U64F64), t1, U64F64), limit, U64F64) - mul(fx(p1["alpha_in"], U64F64), t2, U64F64)
    return to_u64(max(out, 0), U64F64)
