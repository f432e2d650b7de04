"""Keystore exceptions.

``btkit.errors`` maps these onto exit codes; the keystore itself knows
nothing about the CLI.
"""


class KeystoreError(Exception):
    """Base class of every keystore failure."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class InvalidInputError(KeystoreError):
    """A mnemonic, seed, URI, address or name the user gave is not valid."""


class KeyfileError(KeystoreError):
    """A keyfile is missing, unreadable, corrupt or truncated."""


class KeyNotFoundError(KeyfileError):
    """The wallet or key asked for does not exist."""


class KeyPairMismatchError(KeyfileError):
    """A public keyfile (``coldkeypub.txt``, ``<hotkey>pub.txt``) names another account than its secret key."""


class WalletExistsError(KeystoreError):
    """Refusing to overwrite an existing key without ``--overwrite``."""


class WrongPasswordError(KeystoreError):
    """Decryption failed: the password is wrong."""


class PasswordRequiredError(KeystoreError):
    """No password source and no terminal to ask on."""
