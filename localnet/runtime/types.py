"""Argument checkers for calls: each returns the clean value or raises ValueError/TypeError."""

from __future__ import annotations

from typing import Any

from keystore.errors import InvalidInputError
from keystore.ss58 import ss58_decode, ss58_encode


def _int(value: Any, bits: int) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    if not 0 <= value < 1 << bits:
        raise ValueError(f"{value} is out of range for u{bits}")
    return value


def u16(value: Any) -> int:
    return _int(value, 16)


def u32(value: Any) -> int:
    return _int(value, 32)


def u64(value: Any) -> int:
    return _int(value, 64)


def u128(value: Any) -> int:
    return _int(value, 128)


def boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("expected true or false")
    return value


def account(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected an SS58 address")
    try:
        return ss58_encode(ss58_decode(value))  # normalized to prefix 42
    except InvalidInputError as exc:
        raise ValueError(str(exc)) from None


def text(max_len: int = 256):
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > max_len:
            raise TypeError(f"expected a string of at most {max_len} characters")
        return value

    return check


def list_of(item, max_len: int = 4096):
    def check(value: Any) -> list:
        if not isinstance(value, list) or len(value) > max_len:
            raise TypeError(f"expected a list of at most {max_len} items")
        return [item(v) for v in value]

    return check


def hex32(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("0x") or len(value) != 66:
        raise TypeError("expected 0x + 64 hex digits")
    try:
        bytes.fromhex(value[2:])
    except ValueError:
        raise TypeError("expected 0x + 64 hex digits") from None
    return value.lower()


def as_tao(rao: int) -> str:
    """An amount for a dispatch error's message, as people read it: ``τ1,000.000000000``."""
    from btkit.units import Balance

    return str(Balance(rao))


def as_stake(rao: int, netuid: int) -> str:
    """A stake for a dispatch error's message: the subnet's alpha (``α12.500000000``), TAO on root (0)."""
    from btkit.units import Alpha

    return str(Alpha(rao)) if netuid else as_tao(rao)
