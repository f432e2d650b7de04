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
    return ss58_decode_prefixed(address)[1]


def ss58_decode_prefixed(address: str) -> tuple[int, bytes]:
    """``(prefix, 32-byte public key)`` of an SS58 address with a single-byte prefix."""
    raw = b58decode(address.strip())
    if len(raw) != 35 or raw[0] >= 64:
        raise InvalidInputError(f"not an SS58 address: {address!r}")
    payload, check = raw[:33], raw[33:]
    if _checksum(payload) != check:
        raise InvalidInputError(f"bad SS58 checksum: {address!r}")
    return payload[0], payload[1:]


# Well-known prefixes, for error messages (source: paritytech/ss58-registry, ss58-registry.json).
PREFIX_NETWORKS = {0: "Polkadot", 2: "Kusama", 5: "Astar", 42: "Substrate/Bittensor"}


def parse_address(value: str, option: str, prefix: int | None = DEFAULT_PREFIX) -> str:
    """The canonical SS58 address (``prefix``) of a user-given address or 0x public key.

    Refuses an SS58 address encoded for another network (its prefix is not ``prefix``: re-encoding
    it would silently send to an account the user may not control there); ``prefix=None`` accepts
    any prefix and re-encodes to 42 (only for checks that do not depend on the network, such as
    verifying a signature). Every error names ``option`` (e.g. ``--destination``). Raises
    ``InvalidInputError``.
    """
    v = (value or "").strip()
    try:
        if v.startswith("0x"):
            return ss58_encode(public_key_from(v), prefix or DEFAULT_PREFIX)
        got, key = ss58_decode_prefixed(v)
        if prefix is None:
            return ss58_encode(key, DEFAULT_PREFIX)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{option}: {exc}", hint="an SS58 address (starts with 5 on Bittensor) or a 0x "
                                                         "public key") from None
    if got != prefix:
        name = PREFIX_NETWORKS.get(got, "another network")
        raise InvalidInputError(
            f"{option}: {v} is an address of {name} (SS58 prefix {got}); this network uses prefix {prefix}",
            hint=f"ask for the address in this network's format (its prefix-{prefix} form is "
                 f"{ss58_encode(key, prefix)}, if the same key is really meant)",
        )
    return v


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
