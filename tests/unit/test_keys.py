import json

import pytest

from keystore.errors import InvalidInputError, KeyfileError
from keystore.keyfile import parse, serialize
from keystore.keys import CryptoType, Keypair
from keystore.mnemonic import entropy_to_mnemonic, generate_mnemonic, is_valid_mnemonic, mnemonic_to_entropy
from keystore.ss58 import is_valid_ss58, ss58_decode, ss58_encode

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


@pytest.mark.parametrize("n", [12, 15, 18, 21, 24])
def test_generated_mnemonics_round_trip(n):
    phrase = generate_mnemonic(n)
    assert len(phrase.split()) == n
    assert entropy_to_mnemonic(mnemonic_to_entropy(phrase)) == phrase


def test_mnemonic_checksum_and_length_enforced():
    base = "abandon " * 11
    assert is_valid_mnemonic(base + "about")
    assert not is_valid_mnemonic(base + "abandon")  # bad checksum
    assert not is_valid_mnemonic("abandon " * 10 + "about")  # 11 words
    with pytest.raises(InvalidInputError, match="not a BIP39 word"):
        mnemonic_to_entropy(base + "zzzz")
    with pytest.raises(InvalidInputError):
        generate_mnemonic(13)


def test_ss58_round_trip_and_other_prefixes():
    pk = ss58_decode(ALICE)
    assert ss58_encode(pk) == ALICE
    polkadot = ss58_encode(pk, 0)
    assert polkadot != ALICE and ss58_decode(polkadot) == pk
    assert not is_valid_ss58(ALICE[:-1] + ("Z" if ALICE[-1] != "Z" else "Y"))
    assert not is_valid_ss58("hello")


def test_sign_verify_both_schemes():
    for ct in CryptoType:
        kp = Keypair.from_uri("//Alice", ct)
        sig = kp.sign(b"msg")
        assert kp.verify(b"msg", sig)
        assert not kp.verify(b"msh", sig)
        assert not Keypair.from_uri("//Bob", ct).verify(b"msg", sig)
        assert not kp.verify(b"msg", b"\0" * 10)


def test_keyfile_serialization_rules():
    sr = json.loads(serialize(Keypair.from_uri("//Alice")))
    assert "cryptoType" not in sr  # old bittensor-wallet fails on it
    ed = json.loads(serialize(Keypair.from_uri("//Alice", CryptoType.ED25519)))
    assert ed["cryptoType"] == 0 and type(ed["cryptoType"]) is int
    pub = json.loads(serialize(Keypair.from_uri("//Alice"), public_only=True))
    assert set(pub) == {"accountId", "publicKey", "ss58Address"}


def test_keyfile_parse_is_tolerant():
    kp = Keypair.from_mnemonic(generate_mnemonic())
    doc = json.loads(serialize(kp))
    doc.update(unknown=1, secretSeed=None, cryptoType="1")  # string cryptoType -> sr25519
    parsed = parse(json.dumps(doc).encode())
    assert parsed.public_key == kp.public_key and parsed.crypto_type == CryptoType.SR25519
    # precedence: phrase over seed over private key
    other = Keypair.from_uri("//Bob")
    doc2 = {"secretPhrase": kp.mnemonic, "privateKey": "0x" + other.private_key.hex()}
    assert parse(json.dumps(doc2).encode()).public_key == kp.public_key


@pytest.mark.parametrize("blob", [b"{", b"[]", b"{}", b'{"privateKey": "0x12"}', b"\xff\xfe"])
def test_keyfile_parse_rejects_garbage(blob):
    with pytest.raises(KeyfileError):
        parse(blob)


def test_localnet_dev_accounts_are_the_derived_dev_keys():
    from localnet.genesis import DEV_ACCOUNTS

    for uri, address, _ in DEV_ACCOUNTS:
        assert Keypair.from_uri(uri).ss58_address == address, uri
