"""Amounts above what the signer holds are refused before any confirmation or signing (issue #10, section 3:
check every precondition the chain will check): every submitting command, exit 2, nothing sent."""

from __future__ import annotations

import pytest

from keystore.keys import Keypair
from tests.integration.conftest import ALICE, ok
from tests.integration.test_subnets import S, make_subnet
from btkit.extrinsic import call

TAO = 10**9
POOR = Keypair.from_uri("//Poor")

# (argv, what the message must say); NET = the subnet, every case signed by the wallet `poor` (τ2 free)
CASES = {
    "transfer": (["wallet", "transfer", "-d", ALICE.ss58_address, "-a", "3"], "the transfer needs τ3"),
    "transfer_all_keep_alive": (["wallet", "transfer", "-d", ALICE.ss58_address, "-a", "2"], "existential deposit"),
    "stake_add": (["stake", "add", "--netuid", "NET", "-a", "3", "-H", "h"], "the stake needs τ3"),
    "stake_add_unsafe": (["stake", "add", "--netuid", "NET", "-a", "3", "--unsafe", "-H", "h"], "the stake needs τ3"),
    "register_burn": (["register", "--netuid", "NET", "-H", "h"], "registering on subnet"),
    "subnet_create": (["subnet", "create", "-H", "h"], "creating a subnet (the lock cost)"),
    "query_pay": (["query", "--netuid", "NET", "--input", "{}", "--pay", "3"], "the payment needs τ3"),
    "stake_remove": (["stake", "remove", "--netuid", "NET", "-a", "1", "-H", "h"], "nothing is staked"),
    "stake_move": (["stake", "move", "--origin-netuid", "NET", "-a", "1", "--dest", ALICE.ss58_address, "-H", "h"],
                   "is more than the α0"),
    "stake_swap": (["stake", "swap", "--origin-netuid", "NET", "--dest-netuid", "0", "-a", "1", "-H", "h"],
                   "is more than the α0"),
}


@pytest.fixture(scope="module")
def poor_node(tmp_path_factory):
    from tests.integration.conftest import NodeHandle

    node = NodeHandle(tmp_path_factory.mktemp("poor-node"), "instant")
    netuid = make_subnet(node.client)
    ok(node.client, ALICE, call("AdminUtils", "sudo_set_burn", netuid=netuid, value=5 * TAO))
    node.client.call("localnet_setBalance", POOR.ss58_address, 2 * TAO)
    yield node, netuid
    node.stop()


@pytest.mark.parametrize("case", sorted(CASES))
def test_amounts_above_the_balance_or_position_are_refused_before_sending(cli, home, poor_node, case):
    node, netuid = poor_node
    assert cli("wallet", "regen-coldkey", "--uri", "//Poor", "--no-use-password", "-w", "poor").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Poor//h", "-w", "poor", "-H", "h").code == 0
    args, says = CASES[case]
    head = node.client.head()["number"]
    r = cli(*[str(netuid) if a == "NET" else a for a in args], "-w", "poor", "-y", "--json", "--network", node.url)
    assert r.code == 2, (r.code, r.stdout, r.stderr)
    err = r.json()["error"]
    assert says in err["message"], err
    if case != "stake_remove":
        assert err["code"] == "insufficient_funds" and "nothing was sent" in err["message"], err
    assert node.client.head()["number"] == head  # nothing sent: an instant node mines on every extrinsic
    assert node.client.balance(POOR.ss58_address) == 2 * TAO


def test_the_whole_free_balance_less_the_deposit_still_goes(cli, home, poor_node):
    node, _ = poor_node
    assert cli("wallet", "regen-coldkey", "--uri", "//Poor", "--no-use-password", "-w", "poor").code == 0
    dave = Keypair.from_uri("//DaveFunds").ss58_address
    r = cli("wallet", "transfer", "-d", dave, "-a", "1.9999995", "-w", "poor", "-y", "--json", "--network", node.url)
    assert r.code == 0, r.stdout + r.stderr
    assert node.client.balance(POOR.ss58_address) == 500  # the existential deposit stays
    node.client.call("localnet_setBalance", POOR.ss58_address, 2 * TAO)


def test_an_encrypted_hotkey_without_its_public_file_is_checked_after_unlocking(cli, poor_node, home, tmp_path):
    """weights set / axon serve check the uid before unlocking when the hotkey's address reads without a
    password, and after unlocking when it does not (encrypted, no ``<name>pub.txt``): never "no hotkey"."""
    node, netuid = poor_node
    pwfile = tmp_path / "pw"
    pwfile.write_text("correct horse battery staple\n")
    assert cli("wallet", "regen-coldkey", "--uri", "//Poor", "--no-use-password", "-w", "enc").code == 0
    r = cli("wallet", "new-hotkey", "-w", "enc", "-H", "locked", "--use-password", "--password-file", str(pwfile))
    assert r.code == 0, r.stderr
    (home / "wallets" / "enc" / "hotkeys" / "lockedpub.txt").unlink()
    net = ["--network", node.url]
    for args, error in ((["weights", "set", "--uids", "0", "--weights", "1"], "HotKeyNotRegisteredInSubNet"),
                        (["axon", "serve", "--ip", "1.2.3.4", "--port", "8091"], "HotKeyNotRegisteredInNetwork")):
        r = cli(*args, "--netuid", str(netuid), "-w", "enc", "-H", "locked", "--password-file", str(pwfile), "--json",
                *net)
        assert r.code == 4 and error in r.json()["error"]["message"], (args, r.stdout, r.stderr)
