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
    answers = iter(["abcdef", "abcdeg"])
    with pytest.raises(InvalidInputError, match="do not match"):
        PasswordSource(env={}, isatty=lambda: True, prompt=lambda _: next(answers)).new()
    with pytest.raises(InvalidInputError, match="at least 6"):
        PasswordSource(env={"BTKIT_PASSWORD": "abc"}).new()
