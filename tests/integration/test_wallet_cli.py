"""The wallet commands through the real CLI process."""

import json
import stat

import pytest

from tests.conftest import ROOT


def _mode(p):
    return stat.S_IMODE(p.stat().st_mode)


def test_create_plain_wallet_permissions_and_listing(cli, home):
    r = cli("wallet", "create", "--no-use-password", "--json")
    assert r.code == 0, r.stderr
    doc = r.json()
    wallet = home / "wallets" / "default"
    assert doc["coldkey"]["ss58_address"] and doc["hotkey"]["name"] == "default"
    assert "mnemonics" not in doc and "secretPhrase" not in r.stdout
    assert doc["mnemonics_not_shown"] == ["coldkey", "hotkey"]  # said in the document and on stderr, once each
    assert r.stderr.count("mnemonic was not shown") == 2 and "back it up" in r.stderr
    assert _mode(wallet) == 0o700 and _mode(wallet / "hotkeys") == 0o700
    for f in ("coldkey", "coldkeypub.txt", "hotkeys/default", "hotkeys/defaultpub.txt"):
        assert _mode(wallet / f) == 0o600, f
    lst = cli("wallet", "list", "--json").json()
    assert lst["wallets"][0]["coldkey"]["ss58_address"] == doc["coldkey"]["ss58_address"]
    assert lst["wallets"][0]["hotkeys"][0]["ss58_address"] == doc["hotkey"]["ss58_address"]
    human = cli("wallet", "list")
    assert human.code == 0 and doc["hotkey"]["ss58_address"] in human.stdout


def test_mnemonic_shown_on_stderr_only_and_json_opt_in(cli):
    r = cli("wallet", "new-hotkey", "--hotkey", "h1")
    assert r.code == 0
    words = [l for l in r.stderr.splitlines() if len(l.split()) == 12]
    assert words and words[0] not in r.stdout
    r2 = cli("wallet", "new-hotkey", "--hotkey", "h2", "--json", "--show-mnemonic")
    assert len(r2.json()["mnemonics"]["hotkey"].split()) == 12
    assert "mnemonics_not_shown" not in r2.json() and "not shown" not in r2.stderr


def test_no_overwrite_without_flag(cli, home):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password").code == 0
    before = (home / "wallets/default/coldkey").read_bytes()
    r = cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password", "--json")
    assert r.code == 1 and "--overwrite" not in r.json()["error"]["hint"]  # never advise replacing a coldkey
    assert (home / "wallets/default/coldkey").read_bytes() == before
    r = cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password", "--overwrite", "--json")
    assert r.code == 0 and r.json()["coldkey"]["ss58_address"] == "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


@pytest.mark.parametrize("content", [b"", b'{"accountId": "0x12', b"not json at all", b"$NACL\x00\x01"])
def test_corrupt_keyfiles_give_one_line_errors(cli, home, content, pwfile):
    assert cli("wallet", "regen-hotkey", "--uri", "//Bob").code == 0
    hk = home / "wallets/default/hotkeys/default"
    hk.write_bytes(content)
    r = cli("wallet", "sign", "--use-hotkey", "-m", "x", "--password-file", str(pwfile))
    assert r.code == 1, (r.code, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) <= 2
    assert hk.read_bytes() == content


def test_encrypted_coldkey_wrong_password_and_no_tty(cli, home, pwfile, tmp_path):
    r = cli("wallet", "regen-coldkey", "--uri", "//Alice", "--password-file", str(pwfile), "--json")
    assert r.code == 0 and r.json()["coldkey"]["encrypted"] is True
    coldkey = home / "wallets/default/coldkey"
    data = coldkey.read_bytes()
    assert data.startswith(b"$NACL")
    bad = tmp_path / "bad"
    bad.write_text("wrong password\n")
    r = cli("wallet", "sign", "-m", "hello", "--password-file", str(bad), "--json")
    assert r.code == 5 and r.json()["error"]["code"] == "bad_password"
    assert coldkey.read_bytes() == data
    # non-TTY and no source: an error, never an empty password
    r = cli("wallet", "sign", "-m", "hello")
    assert r.code == 5 and "no terminal" in r.stderr
    r = cli("wallet", "new-coldkey", "-w", "other")
    assert r.code == 5 and not (home / "wallets/other/coldkey").exists()
    # the right password from stdin signs, and the signature verifies
    r = cli("wallet", "sign", "-m", "hello", "--password-file", "-", "--json", input="correct horse battery staple\n")
    assert r.code == 0, r.stderr
    sig = r.json()["signature"]
    assert cli("wallet", "verify", "-m", "hello", "-s", sig).code == 0
    assert cli("wallet", "verify", "-m", "hellO", "-s", sig, "--json").code == 1


def test_json_is_one_document_at_40_columns_without_secrets(cli):
    env = {"COLUMNS": "40"}
    r = cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "--json", env=env)
    doc = r.json()
    assert "privateKey" not in r.stdout and "33a6f309" not in r.stdout
    for args in (("wallet", "list"), ("wallet", "show"), ("config", "show"), ("wallet", "show", "-w", "nope")):
        r = cli(*args, "--json", env=env)
        json.loads(r.stdout)  # exactly one document, even when it fails
        assert r.stdout.count("\n") == 1
    assert doc["coldkey"]["ss58_address"].startswith("5Grw")


def test_usage_errors_exit_2_without_traceback(cli):
    for args in (("wallet", "nope"), ("wallet", "create", "--n-words", "13", "--no-use-password"),
                 ("wallet", "regen-coldkey", "--mnemonic", "abandon abandon", "--no-use-password")):
        r = cli(*args)
        assert r.code == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr


def test_regen_coldkeypub_and_public_only_wallets(cli):
    r = cli("wallet", "regen-coldkeypub", "-w", "watch", "--ss58", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
    assert r.code == 0
    shown = cli("wallet", "show", "-w", "watch", "--json").json()
    assert shown["coldkey"]["ss58_address"] == "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def test_config_precedence(cli, home):
    assert cli("config", "set", "wallet.name", "fromfile").code == 0
    assert cli("config", "show", "--json").json()["settings"]["wallet.name"]["value"] == "fromfile"
    doc = cli("config", "show", "--json", env={"BTKIT_WALLET_NAME": "fromenv"}).json()
    assert doc["settings"]["wallet.name"] == {"value": "fromenv", "source": "env BTKIT_WALLET_NAME"}
    assert cli("config", "set", "nope", "x").code == 1
    (home / "config.toml").write_text("[[[")
    r = cli("config", "show")
    assert r.code == 1 and "not valid TOML" in r.stderr


FAKE_TORCH = "raise ImportError('torch must not be imported here')\n"


@pytest.mark.parametrize("args", [("--help",), ("wallet", "list"), ("wallet", "show"), ("wallet", "--help"),
                                  ("stake", "--help"), ("stake", "list", "--network", "http://127.0.0.1:9")])
def test_cli_never_imports_torch(cli, tmp_path, args):
    # A poisoned `torch` first on the path: importing it fails the command, torch installed or not.
    fake = tmp_path / "poison" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(FAKE_TORCH)
    cli("wallet", "create", "--no-use-password")
    script = (
        "import sys; from commands.root import main; rc = main(sys.argv[1:]); "
        "assert 'torch' not in sys.modules; sys.exit(rc)"
    )
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=f"{tmp_path / 'poison'}{os.pathsep}{ROOT}")
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    expected = 3 if "stake" in args and "list" in args else 0  # no node there: exit 3, still no torch
    assert proc.returncode == expected, proc.stderr


def test_change_password(cli, home, tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text("old-password\n")
    new.write_text("new-password\n")
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--password-file", str(old)).code == 0
    r = cli("wallet", "change-password", "--password-file", str(old), "--new-password-file", str(new), "--json")
    assert r.code == 0, r.stderr
    assert cli("wallet", "sign", "-m", "x", "--password-file", str(old)).code == 5
    assert cli("wallet", "sign", "-m", "x", "--password-file", str(new)).code == 0


def test_password_prompts_name_the_key_and_ask_again_on_a_terminal(cli, home):
    import os

    from tests.integration.terminal import run_with_answers

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BTKIT_", "BT_PW_"))}
    env["BTKIT_HOME"] = str(home)
    code, screen = run_with_answers(["wallet", "new-hotkey", "-w", "alice", "-H", "hk1", "--use-password"],
                                    ["short", "abcdef", "abcdeX", "abcdef", "abcdef"], env)
    assert code == 0, screen
    assert screen.count("New password for the hotkey 'hk1' of wallet 'alice':") == 3
    assert "at least 6 bytes; try again (2 left)" in screen and "do not match; try again (1 left)" in screen
    code, screen = run_with_answers(["wallet", "sign", "-m", "hi", "--use-hotkey", "-w", "alice", "-H", "hk1"],
                                    ["wrong-one", "abcdef"], env)
    assert code == 0, screen
    assert screen.count("Password for the hotkey 'hk1' of wallet 'alice':") == 2
    assert "wrong password; try again (2 left)" in screen
