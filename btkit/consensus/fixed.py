"""Fixed-point arithmetic on raw bits, as substrate-fixed does it.

An I32F32 value is held as the Python int ``bits`` (value = bits / 2^32); I64F64 likewise
with 64 fractional bits. Multiplication floors, division truncates toward zero and gives
0 for a zero divisor; conversions to integers floor and saturate.
"""

from __future__ import annotations

FRAC = 32
ONE = 1 << FRAC
U16_MAX = 65535
U16_MAX_FIX = U16_MAX << FRAC
I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1


def sat(bits: int) -> int:
    return I64_MIN if bits < I64_MIN else I64_MAX if bits > I64_MAX else bits


def mul(a: int, b: int) -> int:
    return sat((a * b) >> FRAC)


def div(a: int, b: int, frac: int = FRAC) -> int:
    if b == 0:
        return 0
    q = (abs(a) << frac) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def from_int(v: int) -> int:
    return sat(v << FRAC)


def to_u16(bits: int) -> int:
    v = bits >> FRAC
    return 0 if v < 0 else U16_MAX if v > U16_MAX else v


def proportion_to_u16(bits: int) -> int:
    """``fixed_proportion_to_u16``: floor(x * 65535), saturating."""
    return to_u16(mul(bits, U16_MAX_FIX))


def u16_proportion(v: int) -> int:
    return div(from_int(v), U16_MAX_FIX)


def round_to_u16(bits: int) -> int:
    """Round to nearest (ties away from zero), then saturate to u16."""
    r = (bits + (1 << (FRAC - 1))) >> FRAC if bits >= 0 else -((-bits + (1 << (FRAC - 1))) >> FRAC)
    return 0 if r < 0 else U16_MAX if r > U16_MAX else r


def vec_max_upscale_to_u16(vec: list[int]) -> list[int]:
    if not vec:
        return []
    m = max(vec)
    if m == 0:
        return [to_u16(mul(e, U16_MAX_FIX)) for e in vec]
    if m > (32768 << FRAC):
        factor = div(U16_MAX_FIX, m)
        return [round_to_u16(mul(e, factor)) for e in vec]
    return [round_to_u16(div(mul(e, U16_MAX_FIX), m)) for e in vec]


def max_upscale_u16(values: list[int]) -> list[int]:
    """What ``set_weights`` stores: the u16 weights scaled so that the largest is 65535."""
    return vec_max_upscale_to_u16([from_int(int(v)) for v in values])


def normalize(vec: list[int]) -> list[int]:
    total = sum(vec)
    if total == 0:
        return list(vec)
    return [div(v, total) for v in vec]
