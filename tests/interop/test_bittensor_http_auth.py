"""btauth/1 both ways against the real `bittensor` package (>= 11)."""

from __future__ import annotations

import json
import time

import pytest
import requests

http_auth = pytest.importorskip("bittensor.http_auth")
from bittensor_wallet import Keypair as BtKeypair  # noqa: E402

from btkit.net import btauth  # noqa: E402
from btkit.net.axon import AxonApp, PeerView, Policy  # noqa: E402
from keystore.keys import CryptoType, Keypair  # noqa: E402
from tests.integration.axon_helpers import RunningAxon  # noqa: E402

MINER = Keypair.from_uri("//Miner")


@pytest.fixture
def axon():
    calls = []

    def handler(query):
        calls.append(query)
        return {"echo": query}

    peers = PeerView()
    validator = Keypair.from_uri("//Validator")
    peers.update({validator.ss58_address: (1, 10**12, True)})
    running = RunningAxon(AxonApp(MINER, handler, peers, Policy()))
    running.calls = calls
    yield running
    running.stop()


def test_bittensor_signed_requests_are_served_by_a_btkit_miner(axon):
    signer = BtKeypair.create_from_uri("//Validator")
    body = json.dumps({"q": 1}).encode()
    headers = http_auth.sign(signer, method="POST", path="/forward", body=body, receiver_ss58=MINER.ss58_address)
    r = requests.post(axon.url + "/forward", data=body, headers=headers, timeout=5)
    assert r.status_code == 200, r.text
    assert r.json() == {"echo": {"q": 1}} and axon.calls == [{"q": 1}]
    # the miner's signed response verifies with the SDK too
    caller = http_auth.verify(dict(r.headers), r.content, method="RESPONSE", path="/forward",
                              self_hotkey_ss58=signer.ss58_address)
    assert caller.hotkey_ss58 == MINER.ss58_address


@pytest.mark.parametrize("crypto", [CryptoType.SR25519, CryptoType.ED25519])
def test_btkit_signed_requests_pass_bittensor_verify(crypto):
    kp = Keypair.from_uri("//Sender", crypto)
    body = b'{"hello": "world"}'
    headers = btauth.sign(kp, "POST", "/forward?x=1&y=2", body, receiver=MINER.ss58_address)
    caller = http_auth.verify(headers, body, method="POST", path="/forward?x=1&y=2",
                              self_hotkey_ss58=MINER.ss58_address)
    assert caller.hotkey_ss58 == kp.ss58_address
    with pytest.raises(http_auth.AuthError):
        http_auth.verify(headers, body + b" ", method="POST", path="/forward?x=1&y=2",
                         self_hotkey_ss58=MINER.ss58_address)


def test_payload_bytes_match_the_sdk():
    args = dict(scheme="sr25519", method="post", path="/p?q", body=b"xyz", nonce_ns=123, sender_ss58="A",
                receiver_ss58=None)
    assert btauth.payload("sr25519", "post", "/p?q", b"xyz", 123, "A", None) == http_auth.build_payload(**args)
    assert time.time_ns() > 0
