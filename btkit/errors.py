"""The one error hierarchy and the exit codes it maps to.

Errors are raised deep and rendered once, at the CLI root (``commands.root``).
"""

from __future__ import annotations

import enum

import keystore.errors as ks


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    NO_NODE = 3
    REJECTED = 4
    BAD_PASSWORD = 5
    INTERRUPTED = 130


class BtkitError(Exception):
    """Root of every error btkit reports to the user."""

    exit_code: ExitCode = ExitCode.ERROR
    code: str = "error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(BtkitError):
    exit_code = ExitCode.USAGE
    code = "usage"


class Cancelled(BtkitError):
    """The user answered no to a confirmation (exit 1, not a usage error)."""

    code = "cancelled"

    def __init__(self, message: str = "cancelled", hint: str = "") -> None:
        super().__init__(message, hint)


class ConfigError(BtkitError):
    code = "config"


class NodeUnreachableError(BtkitError):
    exit_code = ExitCode.NO_NODE
    code = "no_node"


class ChainRejectedError(BtkitError):
    """The chain refused an extrinsic or a call failed in dispatch."""

    exit_code = ExitCode.REJECTED
    code = "rejected"


class AuthError(BtkitError):
    exit_code = ExitCode.BAD_PASSWORD
    code = "bad_password"


class ProcessError(BtkitError):
    code = "process"


_KEYSTORE_MAP: tuple[tuple[type[ks.KeystoreError], ExitCode, str], ...] = (
    (ks.WrongPasswordError, ExitCode.BAD_PASSWORD, "bad_password"),
    (ks.PasswordRequiredError, ExitCode.BAD_PASSWORD, "password_required"),
    (ks.InvalidInputError, ExitCode.USAGE, "invalid_input"),
    (ks.WalletExistsError, ExitCode.ERROR, "exists"),
    (ks.KeyNotFoundError, ExitCode.ERROR, "not_found"),
    (ks.KeyPairMismatchError, ExitCode.ERROR, "key_mismatch"),
    (ks.KeyfileError, ExitCode.ERROR, "keyfile"),
)


def from_keystore(exc: ks.KeystoreError) -> BtkitError:
    """Translate a keystore exception into a ``BtkitError`` with its exit code."""
    for cls, exit_code, code in _KEYSTORE_MAP:
        if isinstance(exc, cls):
            err = BtkitError(str(exc), getattr(exc, "hint", ""))
            err.exit_code, err.code = exit_code, code
            return err
    return BtkitError(str(exc), getattr(exc, "hint", ""))
