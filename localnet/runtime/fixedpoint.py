"""Exact integer versions of the number types subtensor's dynamic-TAO code computes with.

* Unsigned fixed point (substrate-fixed ``U64F64``, ``U96F32``): a value is the Python int
  ``bits`` with ``frac`` fractional bits. Multiplication and division truncate (floor for
  non-negative values), division by zero gives 0 (``safe_div``), results saturate at
  ``2^128 - 1``; conversion to an integer floors. Conversion between fixed types floors.
* ``Perquintill`` (sp-arithmetic): parts per 10^18; ``from_rational`` rounds down.
* ``pow_ratio_scaled``: safe-bigmath 0.4.1 (rev 013c499, the version subtensor 14bc6f9 pins),
  ``floor(scale * (bn / bd) ^ (en / ed))`` with its exact root path for small exponents and
  its fixed-point ln/exp series otherwise, step for step, so that pool swaps agree to the rao.
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd, isqrt

U64F64 = 64
U96F32 = 32
I96F32 = 32
MAX128 = (1 << 128) - 1
U64_MAX = (1 << 64) - 1
ACCURACY = 10**18  # Perquintill


def sat(bits: int) -> int:
    return 0 if bits < 0 else MAX128 if bits > MAX128 else bits


def fx(n: int, frac: int) -> int:
    """An integer as fixed point."""
    return sat(n << frac)


def mul(a: int, b: int, frac: int) -> int:
    return sat((a * b) >> frac)


def div(a: int, b: int, frac: int) -> int:
    """``safe_div``: 0 for a zero divisor."""
    return sat((a << frac) // b) if b else 0


def to_u64(bits: int, frac: int) -> int:
    """``saturating_to_num::<u64>()``: floor, clamped to [0, u64::MAX]."""
    v = bits >> frac
    return 0 if v < 0 else U64_MAX if v > U64_MAX else v


def convert(bits: int, frm: int, to: int) -> int:
    """Between fixed types (extra fractional bits are dropped: floor)."""
    return sat(bits << (to - frm)) if to >= frm else bits >> (frm - to)


def perquintill(p: int, q: int) -> int:
    """``Perquintill::from_rational(p, q)`` (rounds down; 1 when p >= q)."""
    if q == 0 or p >= q:
        return ACCURACY
    return p * ACCURACY // q


# -- safe-bigmath pow_ratio_scaled -------------------------------------------------------
MAX_EXACT_EXPONENT = 1024
DEFAULT_MAX_ITERS = 4096
GUARD_BITS = 24


def _trunc_divrem(a: int, b: int) -> tuple[int, int]:
    q = abs(a) // abs(b)
    q = q if (a >= 0) == (b > 0) else -q
    return q, a - q * b


def _round_to_precision(value: int, guard: int) -> int:
    truncated, rem = _trunc_divrem(value, guard)
    if rem and abs(rem) * 2 >= abs(guard):
        truncated += 1 if rem > 0 else -1
    return truncated


def _iroot(n: int, q: int) -> int:
    """floor(n ** (1/q)) for n >= 0."""
    if n < 2 or q == 1:
        return n
    if q == 2:
        return isqrt(n)
    x = 1 << -(-n.bit_length() // q)  # >= the root
    while True:
        y = ((q - 1) * x + n // x ** (q - 1)) // q
        if y >= x:
            break
        x = y
    while x ** q > n:
        x -= 1
    while (x + 1) ** q <= n:
        x += 1
    return x


def _ln1p(x: int, scale: int, guard: int, max_iters: int) -> int:
    term = x
    result = x
    prev = _round_to_precision(result, guard)
    for n in range(2, max_iters + 1):
        term = (term * x) // scale
        if term == 0:
            break
        nxt = term // n
        if nxt == 0:
            break
        result = result - nxt if n % 2 == 0 else result + nxt
        rounded = _round_to_precision(result, guard)
        if abs(nxt) < guard or rounded == prev:
            break
        prev = rounded
    return result


def _exp(x: int, scale: int, guard: int, max_iters: int) -> int:
    term = scale
    result = scale
    prev = _round_to_precision(result, guard)
    for n in range(1, max_iters + 1):
        term = (term * x) // (scale * n)
        if term == 0:
            break
        result += term
        rounded = _round_to_precision(result, guard)
        if abs(term) < guard or rounded == prev:
            break
        prev = rounded
    return result


@lru_cache(maxsize=16)
def _ln_two(internal_scale: int, max_iters: int) -> int:
    return -_ln1p(-(internal_scale >> 1), internal_scale, 1 << GUARD_BITS, max_iters)


def _ln_big(value: int, internal_precision: int, internal_scale: int, ln_two: int, max_iters: int) -> int:
    shift = value.bit_length() - 1
    mantissa = (value << internal_precision) >> shift
    if mantissa >= internal_scale + (internal_scale >> 1):
        mantissa >>= 1
        shift += 1
    return _ln1p(mantissa - internal_scale, internal_scale, 1 << GUARD_BITS, max_iters) + ln_two * shift


def pow_ratio_scaled(bn: int, bd: int, en: int, ed: int, precision: int, scale: int) -> int | None:
    """``floor(scale * (bn/bd)^(en/ed))`` as safe-bigmath computes it; None on bad input."""
    if bd == 0 or ed == 0:
        return None
    if bn == 0:
        return 0
    if scale < 0 or bn < 0 or bd < 0:
        return None
    if en == 0:
        return scale
    g = gcd(en, ed)
    en, ed = en // g, ed // g
    if en <= MAX_EXACT_EXPONENT and ed <= MAX_EXACT_EXPONENT:
        return _iroot((bn ** en * scale ** ed) // bd ** en, ed)
    requested = max(precision, 32, scale.bit_length() + 8)
    internal_precision = requested + GUARD_BITS
    max_iters = min(DEFAULT_MAX_ITERS, internal_precision + 128)
    target_scale = 1 << requested
    guard = 1 << GUARD_BITS
    internal_scale = target_scale << GUARD_BITS
    ln_two = _ln_two(internal_scale, max_iters)
    ln_base = (_ln_big(bn, internal_precision, internal_scale, ln_two, max_iters)
               - _ln_big(bd, internal_precision, internal_scale, ln_two, max_iters))
    ln_scaled = (ln_base * en) // ed
    exp_fp = _exp(ln_scaled, internal_scale, guard, max_iters)
    return (_round_to_precision(exp_fp, guard) * scale) // target_scale
