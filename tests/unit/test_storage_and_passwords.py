import subprocess
import sys
import textwrap

import pytest

from keystore.errors import PasswordRequiredError
from keystore.fs import atomic_write
from keystore.passwords import PasswordSource, bt_env_decode, bt_env_encode, bt_env_name
from tests.conftest import ROOT


def test_atomic_write_survives_a_kill_midway(tmp_path):
    target = tmp_path / "coldkey"
    atomic_write(target, b"old contents")
    # A real process writes a new version and is SIGKILLed after the data is written
    # but before the rename: the old file must survive intact.
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from keystore import fs
        def die(fd):
            os.kill(os.getpid(), signal.SIGKILL)
        fs.os.fsync = die
        fs.atomic_write(fs.Path({str(target)!r}), b"new contents" * 100000)
    """)
    proc = subprocess.run([sys.executable, "-c", script])
    assert proc.returncode == -9
    assert target.read_bytes() == b"old contents"
    atomic_write(target, b"next")
    assert target.read_bytes() == b"next"
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_bittensor_env_password_round_trip(tmp_path):
    path = tmp_path / "w" / "coldkey"
    assert bt_env_name(path).startswith("BT_PW_") and "/" not in bt_env_name(path)
    enc = bt_env_encode(path, "sekrit-pass")
    assert "sekrit" not in enc
    assert bt_env_decode(path, enc) == "sekrit-pass"
    src = PasswordSource(env={bt_env_name(path): enc}, isatty=lambda: False)
    assert src.existing(path) == "sekrit-pass"


def test_password_source_order(tmp_path):
    f = tmp_path / "pw"
    f.write_text("from-file\n")
    path = tmp_path / "coldkey"
    env = {"BTKIT_PASSWORD": "from-env", bt_env_name(path): bt_env_encode(path, "from-bt")}
    assert PasswordSource(password_file=str(f), env=env).existing(path) == "from-file"
    assert PasswordSource(env=env).existing(path) == "from-env"
    del env["BTKIT_PASSWORD"]
    assert PasswordSource(env=env).existing(path) == "from-bt"


def test_no_tty_no_source_is_an_error_never_empty(tmp_path):
    src = PasswordSource(env={}, isatty=lambda: False, prompt=lambda _: pytest.fail("prompted"))
    with pytest.raises(PasswordRequiredError):
        src.existing(tmp_path / "coldkey")
    with pytest.raises(PasswordRequiredError):
        src.new()


def test_new_password_typed_twice_and_long_enough():
    from keystore.errors import InvalidInputError

    answers = iter(["abcdef", "abcdef"])
    assert PasswordSource(env={}, isatty=lambda: True, prompt=lambda _: next(answers)).new() == "abcdef"
    answers = iter(["abcdef", "abcdeg"] * 3)
    with pytest.raises(InvalidInputError, match="do not match"):
        PasswordSource(env={}, isatty=lambda: True, prompt=lambda _: next(answers)).new()
    assert next(answers, None) is None  # asked three times, then gave up
    with pytest.raises(InvalidInputError, match="at least 6"):
        PasswordSource(env={"BTKIT_PASSWORD": "abc"}).new()


def test_new_password_mismatch_or_too_short_asks_again_naming_wallet_and_key(tmp_path, capsys):
    asked: list[str] = []
    answers = iter(["abc", "abcdef", "abcdeX", "abcdef", "abcdef"])

    def prompt(text: str) -> str:
        asked.append(text)
        return next(answers)

    path = tmp_path / "wallets" / "alice" / "hotkeys" / "miner1"
    assert PasswordSource(env={}, isatty=lambda: True, prompt=prompt).new(keyfile_path=path) == "abcdef"
    assert asked[0] == "New password for the hotkey 'miner1' of wallet 'alice': "
    assert sum(a.startswith("New password") for a in asked) == 3
    err = capsys.readouterr().err
    assert "at least 6 bytes; try again (2 left)" in err and "do not match; try again (1 left)" in err


def test_wrong_password_on_a_terminal_may_be_retried(tmp_path, capsys):
    from keystore.errors import WrongPasswordError

    class Keyfile:  # Keyfile.unlock's contract without Argon2's seconds per try
        path = tmp_path / "wallets" / "bob" / "coldkey"

        def unlock(self, password):
            secret = password(self)
            if secret != "right-password":
                raise WrongPasswordError("wrong password")
            return "keypair", secret

    kf = Keyfile()
    asked: list[str] = []
    answers = iter(["wrong-1", "right-password"])

    def prompt(text: str) -> str:
        asked.append(text)
        return next(answers)

    assert PasswordSource(env={}, isatty=lambda: True, prompt=prompt).unlock(kf.unlock) == ("keypair", "right-password")
    assert asked == ["Password for the coldkey of wallet 'bob': "] * 2
    assert "wrong password; try again (2 left)" in capsys.readouterr().err
    # three wrong answers: the error, no fourth prompt
    answers = iter(["w1", "w2", "w3", "never"])
    with pytest.raises(WrongPasswordError):
        PasswordSource(env={}, isatty=lambda: True, prompt=lambda _: next(answers)).unlock(kf.unlock)
    assert next(answers) == "never"
    # a wrong password from a file or the environment is not retried
    with pytest.raises(WrongPasswordError):
        PasswordSource(env={"BTKIT_PASSWORD": "wrong"}, isatty=lambda: True,
                       prompt=lambda _: pytest.fail("prompted")).unlock(kf.unlock)
