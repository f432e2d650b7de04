"""Amounts above the free balance are refused before signing on the real subtensor runtime too
(``btkit.chain.preflight`` reads the balance and the node's fee estimate through the interface)."""

from __future__ import annotations

from keystore.keys import Keypair
from tests.substrate.conftest import TAO

DAVE = Keypair.from_uri("//Dave").ss58_address
ALICE = Keypair.from_uri("//Alice").ss58_address


def free(si, address: str) -> int:
    return si.query("System", "Account", [address]).value["data"]["free"]


def test_transfer_and_stake_above_the_free_balance_are_refused_before_signing(wallets, net, node, chain_storage):
    cli = wallets
    before, head = free(chain_storage, DAVE), node.rpc.head()["number"]
    whole = f"{before // TAO}.{before % TAO:09d}"  # all of it: the fee and the existential deposit do not fit
    for args, says in ((["wallet", "transfer", "--dest", ALICE, "-a", whole], "the transfer needs"),
                       (["stake", "add", "--netuid", "0", "-a", str(before // TAO + 1)], "the stake needs τ")):
        r = cli(*args, "-w", "dave", "-y", "--json", *net)
        assert r.code == 2, (args, r.stdout, r.stderr)
        err = r.json()["error"]
        assert err["code"] == "insufficient_funds" and says in err["message"], err
        if args[1] == "transfer":
            assert "a fee of τ" in err["message"] and "existential deposit" in err["message"], err
    assert free(chain_storage, DAVE) == before and node.rpc.head()["number"] == head  # nothing sent


def test_calls_on_a_missing_subnet_or_root_or_by_an_unregistered_hotkey_are_refused_before_signing(
        wallets, net, node, chain_storage):
    """stake add/remove, weights set/commit, axon serve on a subnet that does not exist, weights on root, and
    weights or serving by a hotkey without a uid: the chain's error by name, exit 4, nothing sent (spec 218
    charges no fee for these calls, so only the head and the nonce can show a send)."""
    cli = wallets
    head, nonce = node.rpc.head()["number"], chain_storage.get_account_nonce(DAVE)
    cases = [
        (["stake", "add", "--netuid", "77", "-a", "1"], "SubNetworkDoesNotExist"),
        (["stake", "remove", "--netuid", "77", "-a", "1"], "SubNetworkDoesNotExist"),
        (["weights", "set", "--netuid", "77", "--uids", "0", "--weights", "1"], "SubNetworkDoesNotExist"),
        (["weights", "commit", "--netuid", "77", "--uids", "0", "--weights", "1"], "SubNetworkDoesNotExist"),
        (["weights", "set", "--netuid", "0", "--uids", "0", "--weights", "1"], "CanNotSetRootNetworkWeights"),
        (["axon", "serve", "--netuid", "77", "--ip", "1.2.3.4", "--port", "8091"], "SubNetworkDoesNotExist"),
    ]
    for args, error in cases:
        r = cli(*args, "-w", "dave", "-y", "--json", *net)
        assert r.code == 4, (args, r.stdout, r.stderr)
        message = r.json()["error"]["message"]
        assert error in message and "nothing was sent" in message, (args, message)
    assert node.rpc.head()["number"] == head and chain_storage.get_account_nonce(DAVE) == nonce
