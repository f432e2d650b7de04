"""Root (netuid 0) shows as btcli shows it: listed first, a stable 1:1 pool, its stakes as its members."""

from __future__ import annotations

from keystore.keys import Keypair

TAO = 10**9
ZERO_ACCOUNT = "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM"


def test_root_in_subnet_list_show_and_metagraph(cli, start_node, home):
    node = start_node("instant")
    net = ["--network", node.url]
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//h1", "-w", "alice", "-H", "h1").code == 0
    assert cli("subnet", "create", "-w", "alice", "-H", "h1", "-y", "--json", *net).code == 0
    r = cli("stake", "add", "--netuid", "0", "-a", "10", "-w", "alice", "-H", "h1", "-y", "--json", *net)
    assert r.code == 0, r.stdout + r.stderr
    staked = r.json()["stake_now"]["rao"]
    h1 = Keypair.from_uri("//Alice//h1").ss58_address

    listed = cli("subnet", "list", "--json", *net).json()["subnets"]
    assert [s["netuid"] for s in listed] == [0, 1]
    shown = cli("subnet", "show", "--netuid", "0", "--json", *net)
    assert shown.code == 0, shown.stdout + shown.stderr
    root = shown.json()
    assert root == listed[0]
    assert root["pool"]["price"] == TAO and root["pool"]["stable"]  # 1 TAO per TAO, always
    assert root["total_stake"] == {"rao": staked, "tao": root["total_stake"]["tao"]} and staked >= 10 * TAO - TAO // 100
    assert (root["n"], root["max_n"], root["tempo"], root["owner_coldkey"]) == (1, 64, 100, ZERO_ACCOUNT)

    mg = cli("subnet", "metagraph", "--netuid", "0", "--json", *net)
    assert mg.code == 0, mg.stdout + mg.stderr
    (member,) = mg.json()["neurons"]
    assert (member["uid"], member["hotkey"], member["stake"]["rao"]) == (0, h1, staked)
    assert "tao" in member["stake"]  # root stake is TAO
    for args in (["subnet", "list"], ["subnet", "show", "--netuid", "0"], ["subnet", "metagraph", "--netuid", "0"]):
        human = cli(*args, *net)
        assert human.code == 0 and "does not exist" not in human.stdout + human.stderr, (args, human.stderr)
    assert "subnet 0 at block" in cli("subnet", "metagraph", "--netuid", "0", *net).stdout


def test_root_queries_say_what_root_is_never_that_it_does_not_exist(cli, shared_node, home):
    """subnet hyperparameters / epoch / burn-cost / weights on netuid 0 (the root network, which exists)."""
    net = ["--network", shared_node.url]
    hp = cli("subnet", "hyperparameters", "--netuid", "0", "--json", *net)
    assert hp.code == 0, hp.stderr
    assert hp.json()["hyperparameters"]["tempo"] == 100 and hp.json()["hyperparameters"]["max_allowed_uids"] == 64
    assert hp.json()["hyperparameters"]["registration_allowed"] is False
    ep = cli("subnet", "epoch", "--netuid", "0", *net)
    assert ep.code == 0 and "root network" in ep.stdout and "runs no epoch" in ep.stdout, ep.stderr
    assert cli("subnet", "epoch", "--netuid", "0", "--json", *net).json()["next_epoch_block"] is None
    burn = cli("subnet", "burn-cost", "--netuid", "0", "--json", *net)
    assert burn.code == 4 and burn.json()["error"]["code"] != "internal"
    assert "RegistrationNotPermittedOnRootSubnet" in burn.json()["error"]["message"]
    assert "root stake" in burn.json()["error"]["message"]
    for args in (["subnet", "hyperparameters", "--netuid", "0"], ["subnet", "epoch", "--netuid", "0"],
                 ["subnet", "burn-cost", "--netuid", "0"], ["weights", "show", "--netuid", "0"]):
        r = cli(*args, *net)
        assert "does not exist" not in r.stdout + r.stderr and "Traceback" not in r.stderr, (args, r.stderr)


def test_subnets_burn_cost_without_netuid_is_btcli_subnet_creation_cost(cli, shared_node, home):
    """btcli's `subnets burn-cost` takes no netuid and shows what creating a subnet costs."""
    net = ["--network", shared_node.url]
    r = cli("subnets", "burn-cost", "--json", *net)
    assert r.code == 0, r.stderr
    assert r.json()["lock_cost"] == cli("subnet", "create-cost", "--json", *net).json()["lock_cost"]
    assert "creating a subnet locks" in cli("subnets", "burn_cost", *net).stdout


def test_what_a_reviewer_found_around_root_and_unknown_accounts(cli, shared_node, home):
    """Staking to a hotkey nobody owns is refused before sending (HotKeyAccountNotExists); miners and
    validators on root or on a missing subnet say so by name; a netuid above u16 is a usage error; root's
    difficulty reads the same in `subnet show` and `subnet hyperparameters`."""
    net = ["--network", shared_node.url]
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Nobody//owns", "-w", "alice", "-H", "loose").code == 0
    alice = Keypair.from_uri("//Alice").ss58_address
    nonce = shared_node.client.next_index(alice)
    r = cli("stake", "add", "--netuid", "0", "-a", "1", "-w", "alice", "-H", "loose", "-y", "--json", *net)
    assert r.code == 4 and "HotKeyAccountNotExists" in r.json()["error"]["message"], r.stdout
    assert "nothing was sent" in r.json()["error"]["message"]
    assert shared_node.client.next_index(alice) == nonce
    for kind in ("miner", "validator"):
        for netuid, error in (("0", "RegistrationNotPermittedOnRootSubnet"), ("4321", "SubNetworkDoesNotExist")):
            r = cli(kind, "run", "--netuid", netuid, "-w", "alice", "-H", "loose", *net, timeout=60)
            assert r.code == 4 and error in r.stderr and "btkit register --netuid 0" not in r.stderr, (kind, r.stderr)
    for args in (["subnet", "hyperparameters"], ["subnet", "burn-cost"], ["weights", "set", "--uids", "0",
                                                                          "--weights", "1"]):
        r = cli(*args, "--netuid", "65536", *net)
        assert r.code == 2 and "65536" in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    shown = cli("subnet", "show", "--netuid", "0", "--json", *net).json()
    hp = cli("subnet", "hyperparameters", "--netuid", "0", "--json", *net).json()["hyperparameters"]
    assert shown["difficulty"] == hp["difficulty"] and shown["tempo"] == hp["tempo"]
