"""Substrate secret URIs: ``<phrase | 0x-seed | empty>[//hard|/soft]*[///password]``."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from keystore.errors import InvalidInputError

_URI = re.compile(r"^(?P<phrase>[^/]*)(?P<path>(//?[^/]+)*)(///(?P<password>.*))?$")
_JUNCTION = re.compile(r"/(/?)([^/]+)")


@dataclass(frozen=True)
class Junction:
    chain_code: bytes
    hard: bool


@dataclass(frozen=True)
class SecretUri:
    phrase: str  # mnemonic, 0x-hex seed, or "" for the dev phrase
    junctions: tuple[Junction, ...]
    password: str


def _compact_len(n: int) -> bytes:
    if n < 1 << 6:
        return bytes([n << 2])
    if n < 1 << 14:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return ((n << 2) | 2).to_bytes(4, "little")
    raise InvalidInputError("URI junction is too long")


def junction_chain_code(text: str) -> bytes:
    """The 32-byte chain code of one junction, as Substrate computes it."""
    if text.isdigit() and int(text) < 1 << 64:
        raw = int(text).to_bytes(8, "little")
    else:
        encoded = text.encode()
        raw = _compact_len(len(encoded)) + encoded
    if len(raw) > 32:
        return hashlib.blake2b(raw, digest_size=32).digest()
    return raw.ljust(32, b"\0")


def parse_uri(uri: str) -> SecretUri:
    m = _URI.match(uri.strip())
    if not m:
        raise InvalidInputError("not a secret URI (expected e.g. //Alice or '<mnemonic>//hard/soft')")
    junctions = tuple(
        Junction(junction_chain_code(name), hard=bool(slash))
        for slash, name in _JUNCTION.findall(m.group("path") or "")
    )
    return SecretUri(
        phrase=(m.group("phrase") or "").strip(),
        junctions=junctions,
        password=m.group("password") or "",
    )
