"""Both directions against the real bittensor-wallet package."""

import base64
import json

import pytest

bw = pytest.importorskip("bittensor_wallet")

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("crypto", ["sr25519", "ed25519"])
def test_btkit_wallet_opens_in_bittensor_wallet(cli, home, pwfile, crypto):
    enc = True  # encrypted coldkeys in both schemes: a real Argon2 round trip each
    args = ["wallet", "create", "-w", "bk", "--crypto-type", crypto, "--json"]
    args += ["--password-file", str(pwfile)] if enc else ["--no-use-password"]
    r = cli(*args)
    assert r.code == 0, r.stderr
    doc = r.json()
    w = bw.Wallet(name="bk", hotkey="default", path=str(home / "wallets"))
    assert w.coldkeypub.ss58_address == doc["coldkey"]["ss58_address"]
    assert w.hotkey.ss58_address == doc["hotkey"]["ss58_address"]
    assert w.coldkey_file.is_encrypted() is enc
    cold = w.coldkey_file.get_keypair(password=PASSWORD if enc else None)
    assert cold.ss58_address == doc["coldkey"]["ss58_address"]
    assert cold.crypto_type == (1 if crypto == "sr25519" else 0)
    # a btkit signature verifies in bittensor-wallet
    sig = cli("wallet", "sign", "-w", "bk", "--use-hotkey", "-m", "interop", "--json").json()["signature"]
    assert w.hotkey.verify(b"interop", bytes.fromhex(sig[2:]))


@pytest.mark.parametrize("crypto", [1, 0])
def test_bittensor_wallet_opens_in_btkit(cli, home, pwfile, crypto):
    enc = crypto == 1
    w = bw.Wallet(name="bt", hotkey="hk", path=str(home / "wallets"))
    w.create_new_coldkey(use_password=enc, coldkey_password=PASSWORD if enc else None, overwrite=True,
                         suppress=True, crypto_type=crypto)
    w.create_new_hotkey(use_password=False, overwrite=True, suppress=True, crypto_type=crypto)
    shown = cli("wallet", "show", "-w", "bt", "--json").json()
    assert shown["coldkey"]["ss58_address"] == w.coldkeypub.ss58_address
    assert {h["name"]: h["ss58_address"] for h in shown["hotkeys"]} == {"hk": w.hotkey.ss58_address}
    args = ["wallet", "sign", "-w", "bt", "-m", "from btkit", "--json"]
    r = cli(*args, "--password-file", str(pwfile)) if enc else cli(*args)
    assert r.code == 0, r.stderr
    sig = bytes.fromhex(r.json()["signature"][2:])
    assert w.coldkeypub.verify(b"from btkit", sig)
    hk_sig = cli("wallet", "sign", "-w", "bt", "--use-hotkey", "-H", "hk", "-m", "hot", "--json").json()["signature"]
    assert w.hotkey.verify(b"hot", bytes.fromhex(hk_sig[2:]))


def test_bittensor_env_password_is_honoured(cli, home):
    """btkit reads the BT_PW_* variable bittensor-wallet uses; bittensor-wallet reads ours."""
    from keystore.passwords import bt_env_encode, bt_env_name

    w = bw.Wallet(name="envw", hotkey="default", path=str(home / "wallets"))
    w.create_coldkey_from_uri("//Alice", use_password=True, coldkey_password=PASSWORD, overwrite=True, suppress=True)
    path = home / "wallets" / "envw" / "coldkey"
    name = bt_env_name(path)
    assert name == w.coldkey_file.env_var_name()
    r = cli("wallet", "sign", "-w", "envw", "-m", "x", "--json", env={name: bt_env_encode(path, PASSWORD)})
    assert r.code == 0, r.stderr
    assert w.coldkeypub.verify(b"x", bytes.fromhex(r.json()["signature"][2:]))


def test_legacy_ansible_vault_coldkey(cli, home, pwfile, tmp_path):
    from tests.conftest import load_vector

    case = load_vector("keystore.json")["ansible_vault_coldkey"]
    wallet = home / "wallets" / "legacy"
    (wallet).mkdir(parents=True)
    data = base64.b64decode(case["file_b64"])
    (wallet / "coldkey").write_bytes(data)
    bad = tmp_path / "bad"
    bad.write_text("nope-nope\n")
    r = cli("wallet", "sign", "-w", "legacy", "-m", "x", "--password-file", str(bad))
    assert r.code == 5 and (wallet / "coldkey").read_bytes() == data
    r = cli("wallet", "upgrade-encryption", "-w", "legacy", "--password-file", str(pwfile), "--json")
    assert r.code == 0, r.stderr
    assert r.json()["from"] == "ansible-vault" and r.json()["to"] == "nacl"
    assert (wallet / "coldkey").read_bytes().startswith(b"$NACL")
    # and bittensor-wallet opens the upgraded file
    kp = bw.Wallet(name="legacy", path=str(home / "wallets")).coldkey_file.get_keypair(password=PASSWORD)
    assert kp.ss58_address == json.loads(case["decrypted_plaintext"])["ss58Address"]


def test_legacy_fernet_coldkey(cli, home, pwfile, tmp_path):
    from cryptography.fernet import Fernet

    from keystore.encryption import fernet_key
    from keystore.keyfile import serialize
    from keystore.keys import Keypair

    kp = Keypair.from_uri("//Charlie")
    wallet = home / "wallets" / "fern"
    wallet.mkdir(parents=True)
    token = Fernet(fernet_key(PASSWORD)).encrypt(serialize(kp))
    (wallet / "coldkey").write_bytes(token)
    r = cli("wallet", "sign", "-w", "fern", "-m", "x", "--password-file", str(pwfile), "--json")
    assert r.code == 0, r.stderr
    assert r.json()["signer"] == kp.ss58_address
    assert (wallet / "coldkey").read_bytes() == token
