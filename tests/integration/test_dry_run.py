"""--dry-run signs and shows the call, signer and fee, and submits nothing; --wait-for picks the wait."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ALICE, DAVE


@pytest.fixture
def alice_wallet(cli):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//hot", "-w", "alice").code == 0


def test_transfer_dry_run_submits_nothing(cli, alice_wallet, shared_node):
    c = shared_node.client
    nonce, before, dave = c.next_index(ALICE.ss58_address), c.balance(ALICE.ss58_address), c.balance(DAVE.ss58_address)
    r = cli("wallet", "transfer", "-d", DAVE.ss58_address, "-a", "2.5", "-w", "alice", "--dry-run", "--json",
            "--network", shared_node.url)
    assert r.code == 0, r.stdout + r.stderr
    doc = r.json()
    assert doc["dry_run"] is True and doc["signer"] == ALICE.ss58_address and doc["network"] == shared_node.url
    assert doc["call"] == {"pallet": "Balances", "function": "transfer_keep_alive",
                           "args": {"dest": DAVE.ss58_address, "value": 2_500_000_000}}
    assert doc["fee"] == {"rao": 0, "tao": "0"} and doc["hash"].startswith("0x")
    assert c.next_index(ALICE.ss58_address) == nonce
    assert (c.balance(ALICE.ss58_address), c.balance(DAVE.ss58_address)) == (before, dave)


def test_subnet_create_dry_run_creates_nothing(cli, alice_wallet, shared_node):
    subnets = shared_node.client.call("subtensor_subnets")
    r = cli("subnet", "create", "-w", "alice", "--dry-run", "--json", "--network", shared_node.url)
    assert r.code == 0, r.stdout + r.stderr
    assert r.json()["call"]["function"] == "register_network"
    assert shared_node.client.call("subtensor_subnets") == subnets


def test_transfer_waits_for_finalization(cli, alice_wallet, shared_node):
    r = cli("wallet", "transfer", "-d", DAVE.ss58_address, "-a", "1", "-w", "alice", "-y", "--wait-for",
            "finalization", "--json", "--network", shared_node.url)
    assert r.code == 0, r.stdout + r.stderr
    assert r.json()["extrinsic"]["success"] is True and r.json()["extrinsic"]["block"] >= 1


def test_wait_for_takes_inclusion_or_finalization(cli, alice_wallet):
    r = cli("wallet", "transfer", "-d", DAVE.ss58_address, "-a", "1", "-w", "alice", "--wait-for", "none", "--json")
    assert r.code == 2 and "--wait-for" in r.json()["error"]["message"], r.stdout


def test_dry_run_without_a_terminal_or_y_asks_nothing(cli, alice_wallet, shared_node):
    """A dry run sends nothing, so there is nothing to confirm: it works in a script without -y."""
    r = cli("wallet", "transfer", "-d", DAVE.ss58_address, "-a", "2.5", "-w", "alice", "--dry-run",
            "--network", shared_node.url)
    assert r.code == 0, r.stdout + r.stderr
    assert "dry run (nothing submitted)" in r.stdout and "transfer_keep_alive" in r.stdout
    assert "Transfer τ2.500000000" in r.stderr  # what would have been asked is shown, not asked
