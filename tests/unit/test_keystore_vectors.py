"""Every vector in tests/vectors/keystore.json (copied from shared/vectors)."""

import base64
import json

import pytest

from keystore import encryption
from keystore.keyfile import parse
from keystore.keys import CryptoType, Keypair
from keystore.mnemonic import mini_secret, mnemonic_to_entropy
from keystore.uri import junction_chain_code, parse_uri
from tests.conftest import load_vector

V = load_vector("keystore.json")


@pytest.mark.parametrize("case", V["mnemonics"], ids=lambda c: c["label"])
def test_mnemonic_vectors(case):
    assert mnemonic_to_entropy(case["mnemonic"]).hex() == case["entropy_hex"]
    assert mini_secret(case["mnemonic"]).hex() == case["mini_secret_hex"]
    for name, ct in (("sr25519", CryptoType.SR25519), ("ed25519", CryptoType.ED25519)):
        kp = Keypair.from_mnemonic(case["mnemonic"], ct)
        assert kp.ss58_address == case[name]["ss58_address"]
        assert kp.public_key.hex() == case[name]["public_key_hex"]
        assert kp.private_key.hex() == case[name]["private_key_hex"]
    # the keyfile bittensor-wallet wrote parses to the same key
    kf = parse(json.dumps(case["sr25519"]["keyfile_json"]).encode())
    assert kf.ss58_address == case["sr25519"]["ss58_address"]


@pytest.mark.parametrize("case", V["dev_uris"], ids=lambda c: c["uri"])
def test_dev_uri_vectors(case):
    assert parse_uri(case["uri"]).junctions[0].chain_code.hex() == case["junction_chain_code_hex"]
    assert junction_chain_code(case["uri"].lstrip("/")).hex() == case["junction_chain_code_hex"]
    sr = Keypair.from_uri(case["uri"])
    assert sr.ss58_address == case["sr25519"]["ss58_address"]
    assert sr.public_key.hex() == case["sr25519"]["public_key_hex"]
    assert sr.private_key.hex() == case["sr25519"]["private_key_hex"]
    ed = Keypair.from_uri(case["uri"], CryptoType.ED25519)
    assert ed.ss58_address == case["ed25519"]["ss58_address"]
    assert ed.public_key.hex() == case["ed25519"]["public_key_hex"]
    assert ed.private_key.hex() == case["ed25519"]["private_key_hex(seed)"]


@pytest.mark.parametrize("case", V["extra_uris_sr25519"], ids=lambda c: c["uri"])
def test_extra_uri_vectors(case):
    kp = Keypair.from_uri(case["uri"])
    assert kp.ss58_address == case["ss58_address"]
    assert kp.public_key.hex() == case["public_key_hex"]


def test_ed25519_soft_junction_is_an_error():
    from keystore.errors import InvalidInputError

    with pytest.raises(InvalidInputError):
        Keypair.from_uri("//Alice/soft", CryptoType.ED25519)


def test_nacl_vector_key_and_decrypt():
    case = V["nacl_coldkey"]
    data = base64.b64decode(case["file_b64"])
    assert len(data) == case["file_len"]
    assert encryption.detect(data) is encryption.Scheme.NACL
    assert encryption.nacl_key(case["password"]).hex() == case["argon2i_key_hex"]
    plain = encryption.decrypt(data, case["password"])
    assert json.loads(plain) == json.loads(case["decrypted_plaintext"])
    kp = parse(plain)
    assert kp.mnemonic == case["mnemonic"]
    assert kp.ss58_address == json.loads(case["decrypted_plaintext"])["ss58Address"]


def test_ansible_vault_vector():
    case = V["ansible_vault_coldkey"]
    data = base64.b64decode(case["file_b64"])
    assert encryption.detect(data) is encryption.Scheme.ANSIBLE
    plain = encryption.decrypt(data, case["password"])
    assert json.loads(plain) == json.loads(case["decrypted_plaintext"])
    from keystore.errors import WrongPasswordError

    with pytest.raises(WrongPasswordError):
        encryption.decrypt(data, "not the password")
