"""Where passwords come from: a file, ``BTKIT_PASSWORD``, bittensor's ``BT_PW_*``, a prompt.

Prompts name the wallet and the key (``coldkey of wallet 'alice'``). On a terminal a new
password that is mistyped (or too short) is asked again, and a wrong password may be retried,
up to ``TERMINAL_TRIES`` times; a password from a file or the environment is never retried.
"""

from __future__ import annotations

import base64
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from keystore.errors import InvalidInputError, PasswordRequiredError, WrongPasswordError

MIN_PASSWORD_BYTES = 6
ENV_PASSWORD = "BTKIT_PASSWORD"
TERMINAL_TRIES = 3
T = TypeVar("T")


def key_label(keyfile_path: Path | None) -> str:
    """How a prompt names a key: ``coldkey of wallet 'alice'``, ``hotkey 'm1' of wallet 'alice'``.

    Wallet layout ``<root>/<wallet>/coldkey`` and ``<root>/<wallet>/hotkeys/<name>``.
    """
    if keyfile_path is None:
        return "the key"
    path = Path(keyfile_path)
    if path.parent.name == "hotkeys":
        return f"hotkey {path.name!r} of wallet {path.parent.parent.name!r}"
    return f"{path.name} of wallet {path.parent.name!r}"


def bt_env_name(keyfile_path: Path) -> str:
    """bittensor-wallet's variable name for a keyfile's password."""
    expanded = os.path.expanduser(str(keyfile_path))
    return "BT_PW_" + expanded.replace("/", "_").replace(".", "_").upper()


def _xor(data: bytes, key: bytes) -> bytes:
    return bytes(b ^ key[i % len(key)] for i, b in enumerate(data))


def bt_env_encode(keyfile_path: Path, password: str) -> str:
    name = bt_env_name(keyfile_path)
    return base64.b64encode(_xor(password.encode(), name.encode())).decode()


def bt_env_decode(keyfile_path: Path, value: str) -> str:
    name = bt_env_name(keyfile_path)
    return _xor(base64.b64decode(value), name.encode()).decode()


def _read_secret_file(path: str) -> str:
    if path == "-":
        text = sys.stdin.readline()
    else:
        try:
            text = Path(path).expanduser().read_text()
        except OSError as exc:
            raise InvalidInputError(f"cannot read password file {path}: {exc.strerror}") from None
    text = text.rstrip("\r\n")
    if not text:
        raise InvalidInputError(f"password file {path} is empty")
    return text


@dataclass
class PasswordSource:
    """Resolves passwords for one command. Tests swap ``prompt``/``isatty``."""

    password_file: str | None = None
    interactive: bool = True
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    prompt: Callable[[str], str] = getpass.getpass
    isatty: Callable[[], bool] = lambda: sys.stdin.isatty() and sys.stderr.isatty()
    _file_value: str | None = field(default=None, init=False, repr=False)

    def _explicit(self, keyfile_path: Path | None) -> str | None:
        if self.password_file is not None:
            if self._file_value is None:
                self._file_value = _read_secret_file(self.password_file)
            return self._file_value
        if self.env.get(ENV_PASSWORD):
            return self.env[ENV_PASSWORD]
        if keyfile_path is not None:
            value = self.env.get(bt_env_name(keyfile_path))
            if value:
                try:
                    return bt_env_decode(keyfile_path, value)
                except (ValueError, UnicodeDecodeError):
                    raise InvalidInputError(f"{bt_env_name(keyfile_path)} is not a valid encoded password") from None
        return None

    def _can_prompt(self) -> bool:
        return self.interactive and self.isatty()

    def _say(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def _asked(self, keyfile_path: Path | None, what: str | None) -> tuple[str, bool]:
        """(the password for an existing key, whether it was typed at a prompt)."""
        what = (what or key_label(keyfile_path)).removeprefix("the ")
        found = self._explicit(keyfile_path)
        if found is not None:
            return found, False
        if not self._can_prompt():
            raise PasswordRequiredError(
                f"a password is needed to unlock the {what} and there is no terminal to ask on",
                hint=f"pass --password-file FILE (or - for stdin) or set {ENV_PASSWORD}",
            )
        value = self.prompt(f"Password for the {what}: ")
        if not value:
            raise InvalidInputError("empty password")
        return value, True

    def existing(self, keyfile_path: Path | None, what: str | None = None) -> str:
        """The password of an existing key (``what`` defaults to :func:`key_label`)."""
        return self._asked(keyfile_path, what)[0]

    def unlock(self, open_key: Callable[[Callable[[Any], str]], T], what: str | None = None) -> T:
        """``open_key(password_getter)`` (``Keyfile.unlock``, ``Wallet.unlock_coldkey``, ...) with this
        source's password; the getter receives the keyfile (its ``path`` names it in the prompt). A wrong
        password typed at a terminal may be typed again (``TERMINAL_TRIES`` in all); otherwise, and after
        the last try, ``WrongPasswordError`` propagates."""
        for attempt in range(1, TERMINAL_TRIES + 1):
            typed: list[bool] = []

            def password(keyfile: Any) -> str:
                value, asked = self._asked(keyfile.path, what)
                typed.append(asked)
                return value

            try:
                return open_key(password)
            except WrongPasswordError:
                if not (typed and typed[0]) or attempt == TERMINAL_TRIES:
                    raise
                self._say(f"wrong password; try again ({TERMINAL_TRIES - attempt} left)")
        raise AssertionError("unreachable")  # pragma: no cover

    def new(self, what: str = "the coldkey", keyfile_path: Path | None = None) -> str:
        """A new password for ``keyfile_path`` (named in the prompt); typed twice on a terminal."""
        what = (key_label(keyfile_path) if keyfile_path is not None else what).removeprefix("the ")
        found = self._explicit(None)
        if found is not None:
            check_new_password(found)
            return found
        if not self._can_prompt():
            raise PasswordRequiredError(
                f"a new password is needed to encrypt the {what} and there is no terminal to ask on",
                hint=f"pass --password-file FILE, set {ENV_PASSWORD}, or use --no-use-password",
            )
        for attempt in range(1, TERMINAL_TRIES + 1):
            value = self.prompt(f"New password for the {what}: ")
            try:
                check_new_password(value)
                if self.prompt("Retype the password: ") != value:
                    raise InvalidInputError("the passwords do not match")
                return value
            except InvalidInputError as exc:
                if attempt == TERMINAL_TRIES:
                    raise
                self._say(f"{exc}; try again ({TERMINAL_TRIES - attempt} left)")
        raise AssertionError("unreachable")  # pragma: no cover


def check_new_password(password: str) -> None:
    if len(password.encode()) < MIN_PASSWORD_BYTES:
        raise InvalidInputError(f"a password needs at least {MIN_PASSWORD_BYTES} bytes")
