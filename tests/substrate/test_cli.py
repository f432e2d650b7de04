"""btkit's commands on the real subtensor runtime, through the CLI only (``--network ws://...``)."""

from __future__ import annotations

from keystore.keys import Keypair
from tests.substrate.conftest import TAO

ALICE = Keypair.from_uri("//Alice").ss58_address
BOB = Keypair.from_uri("//Bob").ss58_address


def ok(result):
    assert result.code == 0, result.stderr + result.stdout
    return result.json()


def free(si, address: str) -> int:
    return si.query("System", "Account", [address]).value["data"]["free"]


def test_balance_and_overview_equal_storage(wallets, net, chain_storage):
    cli = wallets
    for name, address in (("alice", ALICE), ("bob", BOB)):
        balance = ok(cli("wallet", "balance", "-w", name, "--json", *net))
        assert balance["free"]["rao"] == free(chain_storage, address) > 0
    overview = cli("wallet", "overview", "-w", "alice", "--json", *net)
    assert overview.code == 0, overview.stderr
    assert str(free(chain_storage, ALICE)) in overview.stdout


def test_transfer_moves_exactly_the_amount_and_reports_the_fee(wallets, net, chain_storage):
    cli = wallets
    alice0, bob0 = free(chain_storage, ALICE), free(chain_storage, BOB)
    out = ok(cli("wallet", "transfer", "-w", "alice", "--dest", BOB, "--amount", "1.5", "-y", "--json", *net))
    fee = out["extrinsic"]["fee"]["rao"]
    assert fee > 0
    assert free(chain_storage, BOB) == bob0 + 1_500_000_000
    assert free(chain_storage, ALICE) == alice0 - 1_500_000_000 - fee


def test_dry_run_submits_nothing(wallets, net, chain_storage, node):
    cli = wallets
    nonce = node.rpc("system_accountNextIndex", ALICE)
    alice0 = free(chain_storage, ALICE)
    out = ok(cli("wallet", "transfer", "-w", "alice", "--dest", BOB, "--amount", "2", "--dry-run", "--json", *net))
    assert out["dry_run"] is True and out["signer"] == ALICE and out["fee"]["rao"] > 0
    assert out["call"] == {"pallet": "Balances", "function": "transfer_keep_alive", "args": {"dest": BOB,
                                                                                            "value": 2 * TAO}}
    assert node.rpc("system_accountNextIndex", ALICE) == nonce
    assert free(chain_storage, ALICE) == alice0
