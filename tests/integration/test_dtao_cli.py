"""Dynamic TAO through the CLI on a real node: quotes, limit orders, moves, pools and values in alpha."""

from __future__ import annotations

from keystore.keys import Keypair

TAO = 10**9


def test_stake_commands_in_alpha(cli, start_node, home):
    node = start_node("instant")
    net = ["--network", node.url]
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    for name in ("h1", "h2"):
        assert cli("wallet", "regen-hotkey", "--uri", f"//Alice//{name}", "-w", "alice", "-H", name).code == 0
    for name in ("h1", "h2"):
        assert cli("subnet", "create", "-w", "alice", "-H", name, "-y", "--json", *net).code == 0
    pool = cli("subnet", "show", "--netuid", "1", "--json", *net).json()["pool"]
    assert pool["tao_in"]["rao"] >= 1000 * TAO and pool["alpha_in"]["rao"] > 0 and pool["price"] > 0

    # the default 0.5% tolerance refuses a big order before sending it; --partial fills what fits
    big = cli("stake", "add", "--netuid", "1", "-a", "500", "-w", "alice", "-H", "h1", "-y", "--json", *net)
    assert big.code == 2 and "SlippageTooHigh" in big.json()["error"]["message"]
    r = cli("stake", "add", "--netuid", "1", "-a", "500", "--partial", "-w", "alice", "-H", "h1", "-y", "--json", *net)
    assert r.code == 0, r.stderr
    partial = r.json()
    assert partial["tao"]["rao"] < 500 * TAO and partial["alpha"]["rao"] > 0
    assert partial["quote"]["max_at_limit"]["rao"] < 500 * TAO and partial["quote"]["max_at_limit"]["tao"]
    assert partial["price_after"] <= partial["limit_price"]
    r = cli("stake", "add", "--netuid", "1", "-a", "100", "--unsafe", "-w", "alice", "-H", "h1", "-y", "--json", *net)
    assert r.code == 0, r.stderr
    added = r.json()
    assert added["limit_price"] is None and added["quote"]["price_after"] > added["quote"]["price_before"]
    received = added["quote"]["received"]  # JSON amounts say their token: TAO in, alpha out
    assert abs(added["alpha"]["rao"] - received["rao"]) < received["rao"] // 100 and received["alpha"]
    assert added["quote"]["fee"]["tao"] and added["fee"]["rao"] > 0 and added["fee"]["tao"]
    alpha = added["stake_now"]["rao"]

    r = cli("stake", "remove", "--netuid", "1", "-a", "10", "--tolerance", "0.2", "-w", "alice", "-H", "h1", "-y",
            "--json", *net)
    assert r.code == 0, r.stderr
    assert r.json()["tao"]["rao"] > 10 * TAO  # the price is above 1 TAO per alpha
    assert r.json()["fee"]["alpha"] and r.json()["quote"]["received"]["tao"]  # an unstake's fee is in alpha
    h2 = Keypair.from_uri("//Alice//h2").ss58_address
    head = node.client.head()["number"]
    r = cli("stake", "swap", "--origin-netuid", "1", "--dest-netuid", "2", "-a", "5", "-w", "alice", "-H", "h1", "-y",
            "--json", *net)  # both prices move: the ratio falls more than the default 0.5%, refused before sending
    err = r.json()["error"]
    assert r.code == 2 and "SlippageTooHigh" in err["message"] and "moves within the limit ratio" in err["message"], err
    assert "--partial" in err["hint"] and node.client.head()["number"] == head  # nothing sent (instant mining)
    r = cli("stake", "swap", "--origin-netuid", "1", "--dest-netuid", "2", "-a", "5", "--partial", "-w", "alice",
            "-H", "h1", "-y", "--json", *net)
    assert r.code == 0, r.stdout + r.stderr
    swapped = r.json()
    assert 0 < swapped["quote"]["max_at_limit"]["rao"] < 5 * TAO and swapped["limit_ratio"] > 0, swapped
    for args in (("swap", "--origin-netuid", "1", "--dest-netuid", "2", "-a", "5", "--tolerance", "0.05"),
                 ("move", "--origin-netuid", "1", "-a", "5", "--dest", h2),
                 ("transfer", "--origin-netuid", "1", "--dest-netuid", "0", "-a", "5", "--dest",
                  Keypair.from_uri("//Bob").ss58_address)):
        r = cli("stake", *args, "-w", "alice", "-H", "h1", "-y", "--json", *net)
        assert r.code == 0, (args, r.stderr)
    # more than the position: refused before signing (the chain would silently move all there is)
    before = cli("stake", "list", "-w", "alice", "--json", *net).json()["stakes"]
    for kind, dest in (("move", ["--dest", h2]), ("transfer", ["--dest", Keypair.from_uri("//Bob").ss58_address]),
                       ("swap", ["--dest-netuid", "2", "--unsafe"])):
        r = cli("stake", kind, "--origin-netuid", "1", "-a", "1000000", *dest, "-w", "alice", "-H", "h1", "-y",
                "--json", *net)
        assert r.code == 2 and "is more than the α" in r.json()["error"]["message"], (kind, r.stdout)
    stakes = cli("stake", "list", "-w", "alice", "--json", *net).json()
    assert [s["stake"] for s in stakes["stakes"] if s["netuid"] == 2] == \
        [s["stake"] for s in before if s["netuid"] == 2]  # nothing moved (subnet 1 earns every block)
    held = {(s["hotkey"], s["netuid"]): s for s in stakes["stakes"]}
    h1 = Keypair.from_uri("//Alice//h1").ss58_address
    assert held[(h1, 1)]["stake"]["rao"] < alpha - 15 * TAO  # 25 gone; the owner cut and dividends add ~1 a block
    assert held[(h1, 2)]["stake"]["rao"] > 0 and held[(h2, 1)]["stake"]["rao"] >= 5 * TAO
    assert held[(h1, 1)]["stake"]["alpha"]  # alpha amounts say so
    assert all(s["tao_value"]["rao"] > 0 and s["price"] > 0 for s in stakes["stakes"])
    overview = cli("wallet", "overview", "-w", "alice", "--json", *net).json()
    assert overview["staked"]["rao"] > 0 and all(s["tao_value"]["rao"] > 0 for s in overview["stakes"])
    listed = cli("subnet", "list", "--json", *net).json()["subnets"]
    assert [s["pool"]["emission_tao"]["rao"] > 0 for s in listed if s["netuid"]] == [True, True]
    assert node.client.call("localnet_accounting")["violations"] == []
    human = cli("subnet", "list", *net)
    assert human.code == 0 and "/α" in human.stdout
