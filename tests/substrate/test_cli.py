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
    overview = ok(cli("wallet", "overview", "-w", "alice", "--json", *net))
    assert overview["coldkey"] == ALICE and overview["free"]["rao"] == free(chain_storage, ALICE)
    assert overview["total"]["rao"] == overview["free"]["rao"] + overview["staked"]["rao"]


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


def stage_pool(node, netuid: int) -> None:
    """Spec 218 seeds a new subnet's pool with 1 rao of alpha (stake math broken, fixture README): price
    it at 1 TAO per alpha so that staking moves real amounts. Economics are not under test here."""
    pool = "0x" + (10**12).to_bytes(8, "little").hex()
    node.rpc.set_storage({"SubtensorModule": {"SubnetTAO": [[[netuid], pool]], "SubnetAlphaIn": [[[netuid], pool]]}})


def create_subnet(cli, net, node) -> int:
    created = ok(cli("subnet", "create", "-w", "bob", "-y", "--json", *net))
    stage_pool(node, created["netuid"])
    return created["netuid"]


def test_subnet_registration_staking_serving_weights_show_in_the_metagraph(wallets, net, node):
    cli = wallets
    netuid = create_subnet(cli, net, node)
    bob_hot = Keypair.from_uri("//Bob//hot").ss58_address
    listed = {s["netuid"]: s for s in ok(cli("subnet", "list", "--json", *net))["subnets"]}
    assert (listed[netuid]["owner_coldkey"], listed[netuid]["owner_hotkey"]) == (BOB, bob_hot)
    hp = ok(cli("subnet", "hyperparameters", "--netuid", str(netuid), "--json", *net))["hyperparameters"]
    assert hp["tempo"] > 0 and hp["weights_rate_limit"] == 0  # the engine relaxes rate limits
    # set as the owner (AdminUtils call signed by bob) and as sudo (wrapped in Sudo.sudo, signed by alice)
    ok(cli("subnet", "set", "immunity_period", "4000", "--netuid", str(netuid), "-w", "bob", "-y", "--json", *net))
    ok(cli("subnet", "set", "weights_rate_limit", "100", "--netuid", str(netuid), "-w", "alice", "-y", "--json", *net))
    hp = ok(cli("subnet", "hyperparameters", "--netuid", str(netuid), "--json", *net))["hyperparameters"]
    assert (hp["immunity_period"], hp["weights_rate_limit"]) == (4000, 100)
    refused = cli("subnet", "set", "tempo", "7", "--netuid", str(netuid), "-w", "charlie", "-y", "--json", *net)
    assert refused.code == 4 and "BadOrigin" in refused.json()["error"]["message"]

    reg = ok(cli("register", "--netuid", str(netuid), "-w", "charlie", "-y", "--json", *net))
    uid, charlie_hot = reg["uid"], reg["hotkey"]
    twice = cli("register", "--netuid", str(netuid), "-w", "charlie", "-y", "--json", *net)
    assert twice.code == 4
    assert "SubtensorModule.HotKeyAlreadyRegisteredInSubNet" in twice.json()["error"]["message"]

    ok(cli("stake", "add", "--netuid", str(netuid), "-a", "10", "-w", "charlie", "-y", "--json", *net))
    staked = ok(cli("stake", "remove", "--netuid", str(netuid), "-a", "4", "-w", "charlie", "-y", "--json", *net))
    assert 0 < staked["stake_now"]["rao"] < 10 * TAO
    ok(cli("axon", "serve", "--netuid", str(netuid), "--ip", "10.1.2.3", "--port", "8091", "-w", "charlie",
           "--json", *net))

    too_fast = cli("weights", "set", "--netuid", str(netuid), "--uids", str(uid), "--weights", "1", "-w", "charlie",
                   "--json", *net)
    assert too_fast.code == 4 and "SubtensorModule.SettingWeightsTooFast" in too_fast.json()["error"]["message"]
    node.jump(100)  # past the rate limit in one block
    ok(cli("weights", "set", "--netuid", str(netuid), "--uids", str(uid), "--weights", "1", "-w", "charlie",
           "--json", *net))

    mg = ok(cli("subnet", "metagraph", "--netuid", str(netuid), "--json", *net))
    me = next(n for n in mg["neurons"] if n["hotkey"] == charlie_hot)
    assert me["uid"] == uid and me["coldkey"] == Keypair.from_uri("//Charlie").ss58_address
    assert me["stake"]["rao"] >= staked["stake_now"]["rao"] > 0  # the hotkey's total (epochs may have added)
    assert (me["axon"]["ip"], me["axon"]["port"]) == ("10.1.2.3", 8091)
    assert me["last_update"] > reg["block"]
    shown = ok(cli("weights", "show", "--netuid", str(netuid), "--json", *net))["weights"]
    assert shown[str(uid)] == [[uid, 65535]]


def test_register_by_proof_of_work_with_subtensors_seal(wallets, net, node):
    cli = wallets
    netuid = create_subnet(cli, net, node)
    for name, value in (("difficulty", "20000"), ("pow_registration_allowed", "true")):
        ok(cli("subnet", "set", name, value, "--netuid", str(netuid), "-w", "alice", "-y", "--json", *net))
    out = ok(cli("register", "--pow", "--netuid", str(netuid), "-w", "dave", "--processes", "1", "-y", "--json",
                 *net, timeout=120))
    assert out["method"] == "pow" and out["difficulty"] == 20000
    mg = ok(cli("subnet", "metagraph", "--netuid", str(netuid), "--json", *net))
    assert any(n["uid"] == out["uid"] and n["hotkey"] == out["hotkey"] for n in mg["neurons"])


def test_commit_then_reveal(wallets, net, node):
    cli = wallets
    netuid = create_subnet(cli, net, node)
    ok(cli("subnet", "set", "commit_reveal_weights_enabled", "true", "--netuid", str(netuid), "-w", "alice", "-y",
           "--json", *net))
    uid = ok(cli("register", "--netuid", str(netuid), "-w", "charlie", "-y", "--json", *net))["uid"]
    args = ["--netuid", str(netuid), "--uids", str(uid), "--weights", "65535", "--raw", "-w", "charlie", "--json", *net]
    committed = ok(cli("weights", "commit", *args))
    salt = ",".join(map(str, committed["salt"]))
    early = cli("weights", "reveal", *args, "--salt", salt)
    assert early.code == 4 and early.json()["error"]["code"] == "reveal_too_early"
    window = committed["reveal_window"]
    node.jump(window["first_block"] - 1 - node.rpc.head()["number"])  # the reveal lands in the window's first block
    ok(cli("weights", "reveal", *args, "--salt", salt))
    assert ok(cli("weights", "show", "--netuid", str(netuid), "--json", *net))["weights"][str(uid)] == [[uid, 65535]]


def test_unreachable_node_exits_3_naming_the_url(cli):
    for url in ("ws://127.0.0.1:9", "http://127.0.0.1:9"):
        r = cli("wallet", "balance", "--ss58", ALICE, "--network", url, "--json")
        assert r.code == 3, r.stdout + r.stderr
        err = r.json()["error"]
        assert url in err["message"] and "localnet up" not in err["message"] + err["hint"]
