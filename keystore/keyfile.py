"""Keyfiles: bittensor-wallet's JSON layout, optionally encrypted."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from keystore import encryption
from keystore.encryption import Scheme
from keystore.errors import InvalidInputError, KeyfileError, KeyNotFoundError, WalletExistsError
from keystore.fs import atomic_write
from keystore.keys import CryptoType, Keypair

PasswordGetter = Callable[["Keyfile"], str]


def serialize(kp: Keypair, public_only: bool = False) -> bytes:
    """The keyfile JSON. sr25519 omits ``cryptoType`` (old bittensor-wallet chokes on it)."""
    public = "0x" + kp.public_key.hex()
    doc: dict[str, object] = {"accountId": public, "publicKey": public, "ss58Address": kp.ss58_address}
    if not public_only:
        if kp.private_key is not None:
            doc["privateKey"] = "0x" + kp.private_key.hex()
        if kp.seed is not None:
            doc["secretSeed"] = "0x" + kp.seed.hex()
        if kp.mnemonic is not None:
            doc["secretPhrase"] = kp.mnemonic
    if kp.crypto_type == CryptoType.ED25519:
        doc["cryptoType"] = 0
    return json.dumps(doc).encode()


def parse(data: bytes, source: str = "keyfile") -> Keypair:
    """Read keyfile JSON: tolerant of nulls, unknown keys and order; strict on values."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise KeyfileError(f"{source} is corrupt or truncated (not valid keyfile JSON)") from None
    if not isinstance(doc, dict):
        raise KeyfileError(f"{source} is not a keyfile (expected a JSON object)")
    ct = doc.get("cryptoType")
    crypto_type = CryptoType.ED25519 if (type(ct) is int and ct == 0) else CryptoType.SR25519
    try:
        if doc.get("secretPhrase"):
            return Keypair.from_mnemonic(doc["secretPhrase"], crypto_type)
        if doc.get("secretSeed"):
            return Keypair.from_seed_hex(doc["secretSeed"], crypto_type)
        if doc.get("privateKey"):
            return Keypair.from_private_key(_unhex(doc["privateKey"]), crypto_type)
        if doc.get("publicKey"):
            return Keypair(_unhex(doc["publicKey"]), crypto_type)
        if doc.get("ss58Address"):
            return Keypair.public_only(doc["ss58Address"], crypto_type)
    except (InvalidInputError, ValueError, TypeError, AttributeError) as exc:
        raise KeyfileError(f"{source} holds an invalid key ({exc})") from None
    raise KeyfileError(f"{source} holds no key")


def _unhex(value: str) -> bytes:
    return bytes.fromhex(value[2:] if value.startswith("0x") else value)


@dataclass(frozen=True)
class Keyfile:
    path: Path

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise KeyNotFoundError(f"no keyfile at {self.path}") from None
        except OSError as exc:
            raise KeyfileError(f"cannot read {self.path}: {exc.strerror}") from None

    @property
    def scheme(self) -> Scheme:
        return encryption.detect(self.read_bytes())

    @property
    def is_encrypted(self) -> bool:
        return self.scheme is not Scheme.PLAIN

    def load(self, password: PasswordGetter | None = None) -> Keypair:
        """Read and decrypt; ``password`` is asked only when the file is encrypted."""
        return self.unlock(password)[0]

    def unlock(self, password: PasswordGetter | None = None) -> tuple[Keypair, str | None]:
        """Like ``load`` but also returns the password used (None for plaintext)."""
        data = self.read_bytes()
        if not data.strip():
            raise KeyfileError(f"{self.path} is empty (truncated keyfile)")
        scheme = encryption.detect(data)
        secret = None
        if scheme is not Scheme.PLAIN:
            if password is None:
                raise KeyfileError(f"{self.path} is encrypted and no password was given")
            secret = password(self)
            data = encryption.decrypt(data, secret)
        return parse(data, str(self.path)), secret

    def load_public(self) -> Keypair:
        data = self.read_bytes()
        if encryption.detect(data) is not Scheme.PLAIN:
            raise KeyfileError(f"{self.path} is encrypted; expected a public keyfile")
        kp = parse(data, str(self.path))
        return Keypair(kp.public_key, kp.crypto_type)

    def save(self, kp: Keypair, password: str | None = None, overwrite: bool = False,
             public_only: bool = False) -> None:
        if self.exists and not overwrite:
            raise WalletExistsError(f"{self.path} already exists")
        data = serialize(kp, public_only=public_only)
        if password is not None:
            data = encryption.encrypt_nacl(data, password)
        atomic_write(self.path, data)
