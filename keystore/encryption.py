"""Keyfile encryption: ``$NACL`` (read/write), Ansible Vault and Fernet (read only)."""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac

from keystore.errors import KeyfileError, WrongPasswordError

NACL_PREFIX = b"$NACL"
ANSIBLE_PREFIX = b"$ANSIBLE_VAULT"
FERNET_PREFIX = b"gAAAAA"

NACL_SALT = bytes.fromhex("137183dff15a09bc9c90b5518739e9b1")
NACL_OPSLIMIT = 8
NACL_MEMLIMIT = 536_870_912
FERNET_SALT = b"Iguesscyborgslikemyselfhaveatendencytobeparanoidaboutourorigins"
FERNET_ITERATIONS = 10_000_000


class Scheme(str, enum.Enum):
    PLAIN = "plaintext"
    NACL = "nacl"
    ANSIBLE = "ansible-vault"
    FERNET = "fernet"

    @property
    def is_legacy(self) -> bool:
        return self in (Scheme.ANSIBLE, Scheme.FERNET)


def detect(data: bytes) -> Scheme:
    if data.startswith(NACL_PREFIX):
        return Scheme.NACL
    if data.startswith(ANSIBLE_PREFIX):
        return Scheme.ANSIBLE
    if data.startswith(FERNET_PREFIX):
        return Scheme.FERNET
    return Scheme.PLAIN


def nacl_key(password: str) -> bytes:
    """Argon2i, as bittensor-wallet derives it. Costs seconds and 512 MiB."""
    from nacl import pwhash

    return pwhash.argon2i.kdf(
        32, password.encode(), NACL_SALT, opslimit=NACL_OPSLIMIT, memlimit=NACL_MEMLIMIT
    )


def encrypt_nacl(plaintext: bytes, password: str) -> bytes:
    from nacl.secret import SecretBox

    return NACL_PREFIX + bytes(SecretBox(nacl_key(password)).encrypt(plaintext))


def decrypt(data: bytes, password: str) -> bytes:
    scheme = detect(data)
    if scheme is Scheme.NACL:
        return _decrypt_nacl(data, password)
    if scheme is Scheme.ANSIBLE:
        return _decrypt_ansible(data, password)
    if scheme is Scheme.FERNET:
        return _decrypt_fernet(data, password)
    return data


def _decrypt_nacl(data: bytes, password: str) -> bytes:
    from nacl.exceptions import CryptoError
    from nacl.secret import SecretBox

    body = data[len(NACL_PREFIX):]
    if len(body) < SecretBox.NONCE_SIZE + SecretBox.MACBYTES:
        raise KeyfileError("the encrypted keyfile is truncated")
    try:
        return bytes(SecretBox(nacl_key(password)).decrypt(body))
    except CryptoError:
        raise WrongPasswordError("wrong password: the keyfile did not decrypt") from None


def _decrypt_ansible(data: bytes, password: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    lines = data.decode("ascii", "replace").strip().splitlines()
    header = lines[0].split(";")
    if len(header) < 3 or header[2].strip() != "AES256":
        raise KeyfileError("unsupported Ansible Vault header")
    try:
        inner = bytes.fromhex("".join(l.strip() for l in lines[1:])).decode()
        salt_hex, mac_hex, cipher_hex = inner.split("\n")[:3]
        salt, mac, ciphertext = (bytes.fromhex(x) for x in (salt_hex, mac_hex, cipher_hex))
    except ValueError:
        raise KeyfileError("the Ansible Vault keyfile is corrupt") from None
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 10000, 80)
    aes_key, hmac_key, iv = derived[:32], derived[32:64], derived[64:]
    if not hmac.compare_digest(hmac.new(hmac_key, ciphertext, hashlib.sha256).digest(), mac):
        raise WrongPasswordError("wrong password: the keyfile did not decrypt")
    dec = Cipher(algorithms.AES(aes_key), modes.CTR(iv)).decryptor()
    padded = dec.update(ciphertext) + dec.finalize()
    pad = padded[-1] if padded else 0
    if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
        raise KeyfileError("the Ansible Vault keyfile has bad padding")
    return padded[:-pad]


def fernet_key(password: str) -> bytes:
    raw = hashlib.pbkdf2_hmac("sha256", password.encode(), FERNET_SALT, FERNET_ITERATIONS, 32)
    return base64.urlsafe_b64encode(raw)


def _decrypt_fernet(data: bytes, password: str) -> bytes:
    from cryptography.fernet import Fernet, InvalidToken

    try:
        return Fernet(fernet_key(password)).decrypt(data.strip())
    except InvalidToken:
        raise WrongPasswordError("wrong password: the keyfile did not decrypt") from None
