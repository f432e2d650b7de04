"""Keys, mnemonics, SS58 addresses, secret URIs, keyfiles and wallets.

File-compatible with bittensor-wallet (see ``shared/spec/keystore.md``).
This package depends only on crypto libraries, never on ``btkit``.
"""

from keystore.errors import (
    KeystoreError,
    KeyfileError,
    WrongPasswordError,
    PasswordRequiredError,
    WalletExistsError,
    KeyNotFoundError,
    InvalidInputError,
)
from keystore.keys import CryptoType, Keypair
from keystore.ss58 import ss58_decode, ss58_encode, is_valid_ss58

__all__ = [
    "CryptoType",
    "Keypair",
    "KeystoreError",
    "KeyfileError",
    "WrongPasswordError",
    "PasswordRequiredError",
    "WalletExistsError",
    "KeyNotFoundError",
    "InvalidInputError",
    "ss58_decode",
    "ss58_encode",
    "is_valid_ss58",
]
