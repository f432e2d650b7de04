"""What the real runtime refuses, as btkit reports it: pool rejections before inclusion (bad signature,
stale nonce), errors inside ``Sudo.sudo``, and features the runtime (spec 218) does not have."""

from __future__ import annotations

import pytest

from btkit.chain import DispatchFailed, Unsupported, connect
from btkit.errors import ChainRejectedError, ExitCode
from btkit.units import Balance
from keystore.keys import Keypair
from tests.substrate.test_cli import ALICE, BOB, ok

alice, bob = Keypair.from_uri("//Alice"), Keypair.from_uri("//Bob")


@pytest.fixture
def chain(node):
    c = connect(node.ws_url)
    yield c
    c.close()


def test_bad_signature_is_refused_by_the_pool_exit_4(chain):
    forged = Keypair(alice.public_key, alice.crypto_type, bob.private_key)  # claims alice, signs as bob
    nonce = chain.next_nonce(ALICE)
    with pytest.raises(ChainRejectedError) as refused:
        chain.submit(forged, chain.calls.transfer(BOB, Balance.from_tao(1)))
    assert refused.value.exit_code == ExitCode.REJECTED and "BadProof" in refused.value.message
    assert chain.next_nonce(ALICE) == nonce


def test_stale_nonce_is_refused_by_the_pool_exit_4(chain):
    chain.submit(alice, chain.calls.transfer(BOB, Balance.from_tao(1))).raise_for_error()
    with pytest.raises(ChainRejectedError) as refused:
        chain.submit(alice, chain.calls.transfer(BOB, Balance.from_tao(1)), nonce=chain.next_nonce(ALICE) - 1)
    assert refused.value.exit_code == ExitCode.REJECTED and "Stale" in refused.value.message


def test_an_error_inside_sudo_is_the_dispatch_error(chain):
    result = chain.submit(alice, chain.calls.set_hyperparameter(1, "tempo", 20))  # //Alice holds the sudo key
    assert result.success and result.event("Sudid") is not None
    assert chain.hyperparameters(1).tempo == 20
    with pytest.raises(DispatchFailed) as failed:
        chain.submit(alice, chain.calls.set_hyperparameter(999, "tempo", 20)).raise_for_error()
    assert failed.value.result.error == "AdminUtils.SubnetDoesNotExist"


def test_what_spec_218_lacks_is_named_with_its_version(wallets, net, chain):
    with pytest.raises(Unsupported, match="spec_version 218"):
        chain.calls.set_hyperparameter(1, "burn", 5)  # no AdminUtils.sudo_set_burn in this runtime
    assert chain.calls.start_call(1) is None  # subnets run from creation: no start_call
    r = wallets("subnet", "set", "yuma_version", "3", "--netuid", "1", "-w", "alice", "-y", "--json", *net)
    assert r.code == 2 and "spec_version 218" in r.json()["error"]["message"]


def test_verbose_says_which_kind_of_node_answers(wallets, node):
    r = wallets("wallet", "balance", "-w", "alice", "--verbose", "--network", node.url)  # http: detected
    assert r.code == 0, r.stderr
    assert "Substrate subtensor node" in r.stdout + r.stderr and "bittensor" in r.stdout + r.stderr
    info = ok(wallets("wallet", "balance", "-w", "alice", "--json", "--network", node.url))
    assert info["address"] == ALICE


def test_network_info_names_the_node_and_its_runtime(cli, node):
    for url in (node.ws_url, node.url):
        info = ok(cli("network", "info", "--network", url, "--json"))
        assert (info["kind"], info["chain"], info["spec_version"]) == ("subtensor", "bittensor", 218)
        assert info["head"] == node.rpc.head()["number"]


def test_no_inclusion_within_the_timeout_is_exit_3_and_the_extrinsic_may_still_land(chain, node):
    from btkit.errors import NodeUnreachableError

    node.rpc("dev_setBlockBuildMode", "Manual")  # blocks only on demand: the extrinsic waits in the pool
    try:
        before = chain.balance(BOB)
        with pytest.raises(NodeUnreachableError) as late:
            chain.submit(alice, chain.calls.transfer(BOB, Balance.from_tao(1)), timeout=1.5)
        assert late.value.exit_code == ExitCode.NO_NODE and "within 1.5 s" in late.value.message
        node.mine(1)
        assert chain.balance(BOB) == before + Balance.from_tao(1)
    finally:
        node.rpc("dev_setBlockBuildMode", "Instant")
