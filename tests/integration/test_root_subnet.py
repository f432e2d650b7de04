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
