"""Keys are never put at risk by following btkit's own advice (issue #10, section 2)."""

from __future__ import annotations

import json
import os

import pytest

from keystore.keys import Keypair
from tests.integration.terminal import run_on_terminal

ALICE = Keypair.from_uri("//Alice").ss58_address
BOB = Keypair.from_uri("//Bob").ss58_address


def _coldkey_and_pub(home, wallet="default"):
    w = home / "wallets" / wallet
    return (w / "coldkey").read_bytes(), (w / "coldkeypub.txt").read_bytes()


def test_create_on_a_wallet_with_a_coldkey_keeps_it_and_adds_the_hotkey(cli, home):
    first = cli("wallet", "create", "-w", "W", "--no-use-password", "--json")
    assert first.code == 0, first.stderr
    before = _coldkey_and_pub(home, "W")
    r = cli("wallet", "create", "-w", "W", "-H", "second", "--no-use-password", "--json")
    assert r.code == 0, r.stdout + r.stderr
    doc = r.json()
    assert doc["coldkey"]["created"] is False
    assert doc["coldkey"]["ss58_address"] == first.json()["coldkey"]["ss58_address"]
    assert doc["hotkey"]["name"] == "second" and (home / "wallets/W/hotkeys/second").is_file()
    assert _coldkey_and_pub(home, "W") == before
    # --overwrite on create replaces nothing but a same-named hotkey: the coldkey stays
    r = cli("wallet", "create", "-w", "W", "-H", "second", "--no-use-password", "--overwrite", "--json")
    assert r.code == 0 and r.json()["coldkey"]["created"] is False
    assert _coldkey_and_pub(home, "W") == before


@pytest.mark.parametrize("args", [
    ["wallet", "new-coldkey", "--no-use-password"],
    ["wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password"],
    ["wallet", "regen-coldkeypub", "--ss58", BOB],
    ["wallet", "create", "--no-use-password"],  # default hotkey exists too
])
def test_no_hint_advises_replacing_a_coldkey(cli, home, args):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//h").code == 0
    before = _coldkey_and_pub(home)
    r = cli(*args, "--json")
    assert r.code != 0
    hint = r.json()["error"].get("hint", "")
    if "create" in args:  # refused for the existing hotkey: its hint may offer to replace that hotkey only
        assert "hotkey" in hint and "coldkey" not in hint, hint
    else:
        assert "--overwrite" not in hint, hint
    assert _coldkey_and_pub(home) == before


def test_replacing_a_coldkey_needs_confirmation_off_a_terminal(cli, home):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password").code == 0
    before = _coldkey_and_pub(home)
    r = cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password", "--overwrite")
    assert r.code == 2 and "-y" in r.stderr, r.stderr
    assert _coldkey_and_pub(home) == before
    r = cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password", "--overwrite", "-y", "--json")
    assert r.code == 0 and r.json()["coldkey"]["ss58_address"] == BOB


def test_replacing_a_coldkey_on_a_terminal_asks_with_the_address_lost(cli, home):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password").code == 0
    before = _coldkey_and_pub(home)
    env = dict(os.environ, BTKIT_HOME=str(home))
    code, screen, _ = run_on_terminal(["wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password",
                                       "--overwrite"], "n", env)
    flat = " ".join(screen.split())
    assert "Replace the coldkey" in flat and ALICE in flat, screen
    assert code != 0 and _coldkey_and_pub(home) == before
    code, screen, _ = run_on_terminal(["wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password",
                                       "--overwrite"], "y", env)
    assert code == 0, screen
    assert json.loads(_coldkey_and_pub(home)[1])["ss58Address"] == BOB


def test_encrypted_coldkey_without_its_public_half_says_how_to_restore_it(cli, home, pwfile):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--password-file", str(pwfile)).code == 0
    (home / "wallets/default/coldkeypub.txt").unlink()
    shown = cli("wallet", "show", "--json").json()
    assert shown["coldkey"] is None and "public half" in shown["coldkey_error"]
    r = cli("wallet", "balance", "--json", "--network", "http://127.0.0.1:9")
    err = r.json()["error"]
    assert r.code == 1 and "public half" in err["message"] and "regen-coldkeypub" in err["hint"], err
    assert "create" not in err["hint"]
    r = cli("wallet", "regen-coldkeypub", "--password-file", str(pwfile), "--json")
    assert r.code == 0 and r.json()["coldkeypub"]["ss58_address"] == ALICE
    assert cli("wallet", "show", "--json").json()["coldkey"]["ss58_address"] == ALICE


def _mismatched_wallet(cli, home):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//hot").code == 0
    w = home / "wallets/default"
    (w / "coldkeypub.txt").write_text(json.dumps({"ss58Address": BOB}))
    (w / "hotkeys/defaultpub.txt").write_text(json.dumps({"ss58Address": BOB}))


@pytest.mark.parametrize("args", [
    ["wallet", "sign", "-m", "hi"],
    ["wallet", "sign", "-m", "hi", "--use-hotkey"],
    ["wallet", "change-password", "--new-password-file", "PW"],
])
def test_a_mismatched_public_half_is_refused_when_the_key_is_unlocked(cli, home, args, pwfile):
    _mismatched_wallet(cli, home)
    r = cli(*[str(pwfile) if a == "PW" else a for a in args], "--json")
    assert r.code == 1, r.stdout + r.stderr
    err = r.json()["error"]
    assert err["code"] == "key_mismatch" and BOB in err["message"] and "regen-" in err["hint"], err


def test_transfer_from_a_mismatched_wallet_sends_nothing(cli, home, start_node):
    node = start_node("instant")
    _mismatched_wallet(cli, home)
    before = node.client.balance(ALICE)
    r = cli("wallet", "transfer", "-d", Keypair.from_uri("//Dave").ss58_address, "-a", "1", "-y", "--json",
            "--network", node.url)
    assert r.code == 1 and r.json()["error"]["code"] == "key_mismatch", r.stdout + r.stderr
    assert node.client.balance(ALICE) == before
