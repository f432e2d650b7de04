"""Where passwords come from: a file, ``BTKIT_PASSWORD``, bittensor's ``BT_PW_*``, a prompt."""

from __future__ import annotations

import base64
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from keystore.errors import InvalidInputError, PasswordRequiredError

MIN_PASSWORD_BYTES = 6
ENV_PASSWORD = "BTKIT_PASSWORD"


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

    def existing(self, keyfile_path: Path | None, what: str = "the coldkey") -> str:
        found = self._explicit(keyfile_path)
        if found is not None:
            return found
        if not self._can_prompt():
            raise PasswordRequiredError(
                f"a password is needed to unlock {what} and there is no terminal to ask on",
                hint=f"pass --password-file FILE (or - for stdin) or set {ENV_PASSWORD}",
            )
        value = self.prompt(f"Password for {what}: ")
        if not value:
            raise InvalidInputError("empty password")
        return value

    def new(self, what: str = "the coldkey") -> str:
        found = self._explicit(None)
        if found is None:
            if not self._can_prompt():
                raise PasswordRequiredError(
                    f"a new password is needed to encrypt {what} and there is no terminal to ask on",
                    hint=f"pass --password-file FILE, set {ENV_PASSWORD}, or use --no-use-password",
                )
            found = self.prompt(f"New password for {what}: ")
            check_new_password(found)
            if self.prompt("Retype the password: ") != found:
                raise InvalidInputError("the passwords do not match")
        check_new_password(found)
        return found


def check_new_password(password: str) -> None:
    if len(password.encode()) < MIN_PASSWORD_BYTES:
        raise InvalidInputError(f"a password needs at least {MIN_PASSWORD_BYTES} bytes")
