"""SS58 addresses (single-byte prefixes) and base58."""

from __future__ import annotations

import hashlib

from keystore.errors import InvalidInputError

DEFAULT_PREFIX = 42
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_ALPHABET[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        if c not in _INDEX:
            raise InvalidInputError(f"invalid base58 character {c!r}")
        n = n * 58 + _INDEX[c]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(b"SS58PRE" + payload, digest_size=64).digest()[:2]


def ss58_encode(public_key: bytes, prefix: int = DEFAULT_PREFIX) -> str:
    if len(public_key) != 32:
        raise InvalidInputError("a public key is 32 bytes")
    if not 0 <= prefix < 64:
        raise InvalidInputError("only single-byte SS58 prefixes (0-63) are supported")
    payload = bytes([prefix]) + public_key
    return b58encode(payload + _checksum(payload))


def ss58_decode(address: str) -> bytes:
    """Return the 32-byte public key of an SS58 address with any single-byte prefix."""
    raw = b58decode(address.strip())
    if len(raw) != 35 or raw[0] >= 64:
        raise InvalidInputError(f"not an SS58 address: {address!r}")
    payload, check = raw[:33], raw[33:]
    if _checksum(payload) != check:
        raise InvalidInputError(f"bad SS58 checksum: {address!r}")
    return payload[1:]


def is_valid_ss58(address: str) -> bool:
    try:
        ss58_decode(address)
    except InvalidInputError:
        return False
    return True


def public_key_from(value: str) -> bytes:
    """Accept an SS58 address or a 0x-hex public key; return 32 bytes."""
    v = value.strip()
    if v.startswith("0x"):
        try:
            key = bytes.fromhex(v[2:])
        except ValueError:
            raise InvalidInputError(f"not a hex public key: {value!r}") from None
        if len(key) != 32:
            raise InvalidInputError("a public key is 32 bytes (64 hex digits)")
        return key
    return ss58_decode(v)
