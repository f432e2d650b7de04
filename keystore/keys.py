"""Keypairs: sr25519 (schnorrkel) and ed25519, from mnemonics, seeds and URIs.

The crypto bindings are imported on first use: listing public keys needs none of them.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from keystore import mnemonic as bip39
from keystore.errors import InvalidInputError
from keystore.ss58 import DEFAULT_PREFIX, public_key_from, ss58_encode
from keystore.uri import parse_uri

SIGNING_CONTEXT = b"substrate"


class CryptoType(enum.IntEnum):
    """Values as bittensor-wallet stores them in ``cryptoType``."""

    ED25519 = 0
    SR25519 = 1

    @classmethod
    def parse(cls, value: "str | int | CryptoType") -> "CryptoType":
        if isinstance(value, CryptoType):
            return value
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise InvalidInputError(f"unknown crypto type {value!r} (use sr25519 or ed25519)") from None


@dataclass(frozen=True)
class Keypair:
    """A public key, and the secret parts when they are known.

    ``private_key`` is 64 bytes (scalar || nonce) for sr25519 and the 32-byte seed
    for ed25519. ``repr`` never shows secrets.
    """

    public_key: bytes
    crypto_type: CryptoType = CryptoType.SR25519
    private_key: bytes | None = field(default=None, repr=False)
    seed: bytes | None = field(default=None, repr=False)
    mnemonic: str | None = field(default=None, repr=False)

    # -- constructors -------------------------------------------------------
    @classmethod
    def from_seed(cls, seed: bytes, crypto_type: CryptoType = CryptoType.SR25519,
                  mnemonic: str | None = None) -> "Keypair":
        if len(seed) != 32:
            raise InvalidInputError("a seed is 32 bytes (0x + 64 hex digits)")
        if crypto_type == CryptoType.SR25519:
            import sr25519

            public, private = sr25519.pair_from_seed(seed)
        else:
            import nacl.signing

            signing = nacl.signing.SigningKey(seed)
            public, private = bytes(signing.verify_key), seed
        return cls(bytes(public), crypto_type, bytes(private), seed, mnemonic)

    @classmethod
    def from_mnemonic(cls, phrase: str, crypto_type: CryptoType = CryptoType.SR25519,
                      passphrase: str = "") -> "Keypair":
        phrase = bip39.normalize(phrase)
        return cls.from_seed(bip39.mini_secret(phrase, passphrase), crypto_type, mnemonic=phrase)

    @classmethod
    def from_private_key(cls, private_key: bytes, crypto_type: CryptoType = CryptoType.SR25519) -> "Keypair":
        if crypto_type == CryptoType.SR25519:
            if len(private_key) != 64:
                raise InvalidInputError("an sr25519 private key is 64 bytes")
            import sr25519

            return cls(bytes(sr25519.public_from_secret_key(private_key)), crypto_type, private_key)
        if len(private_key) not in (32, 64):
            raise InvalidInputError("an ed25519 private key is a 32-byte seed")
        return cls.from_seed(private_key[:32], crypto_type)

    @classmethod
    def from_seed_hex(cls, seed_hex: str, crypto_type: CryptoType = CryptoType.SR25519) -> "Keypair":
        return cls.from_seed(_hex32(seed_hex), crypto_type)

    @classmethod
    def public_only(cls, address_or_key: str, crypto_type: CryptoType = CryptoType.SR25519) -> "Keypair":
        return cls(public_key_from(address_or_key), crypto_type)

    @classmethod
    def from_uri(cls, uri: str, crypto_type: CryptoType = CryptoType.SR25519) -> "Keypair":
        """Derive from a secret URI such as ``//Alice`` or ``<phrase>//hard/soft///pw``."""
        parsed = parse_uri(uri)
        phrase = parsed.phrase or bip39.DEV_PHRASE
        if phrase.startswith("0x"):
            base = cls.from_seed(_hex32(phrase), crypto_type)
        else:
            base = cls.from_mnemonic(phrase, crypto_type, parsed.password)
        if not parsed.junctions:
            return base
        if crypto_type == CryptoType.ED25519:
            seed = base.seed
            assert seed is not None
            for j in parsed.junctions:
                if not j.hard:
                    raise InvalidInputError("ed25519 keys support only hard (//) derivation")
                seed = hashlib.blake2b(b"\x2cEd25519HDKD" + seed + j.chain_code, digest_size=32).digest()
            return cls.from_seed(seed, crypto_type)
        import sr25519

        public, private = base.public_key, base.private_key
        for j in parsed.junctions:
            derive = sr25519.hard_derive_keypair if j.hard else sr25519.derive_keypair
            _, public, private = derive((j.chain_code, public, private), b"")
        return cls(bytes(public), crypto_type, bytes(private))

    # -- properties ---------------------------------------------------------
    @property
    def ss58_address(self) -> str:
        return ss58_encode(self.public_key, DEFAULT_PREFIX)

    @property
    def has_private(self) -> bool:
        return self.private_key is not None

    # -- signatures ---------------------------------------------------------
    def sign(self, message: bytes) -> bytes:
        if self.private_key is None:
            raise InvalidInputError("this key is public only and cannot sign")
        if self.crypto_type == CryptoType.SR25519:
            import sr25519

            return bytes(sr25519.sign((self.public_key, self.private_key), message))
        import nacl.signing

        return nacl.signing.SigningKey(self.private_key[:32]).sign(message).signature

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        if self.crypto_type == CryptoType.SR25519:
            import sr25519

            try:
                return bool(sr25519.verify(signature, message, self.public_key))
            except ValueError:  # not even a well-formed schnorrkel signature
                return False
        import nacl.exceptions
        import nacl.signing

        try:
            nacl.signing.VerifyKey(self.public_key).verify(message, signature)
        except (nacl.exceptions.BadSignatureError, ValueError):
            return False
        return True


def _hex32(text: str) -> bytes:
    t = text.strip()
    t = t[2:] if t.startswith("0x") else t
    try:
        raw = bytes.fromhex(t)
    except ValueError:
        raise InvalidInputError("a seed is 0x followed by 64 hex digits") from None
    if len(raw) != 32:
        raise InvalidInputError("a seed is 32 bytes (0x + 64 hex digits)")
    return raw
