"""Governance through the CLI on a real node: propose, vote, close; seats that follow root stake; errors."""

from __future__ import annotations

from btkit.extrinsic import call
from keystore.keys import Keypair
from tests.integration.conftest import ALICE, BOB, ok

TAO = 10**9
S = "SubtensorModule"


def senator(i: int) -> str:
    return Keypair.from_uri(f"//Bob//s{i}").ss58_address


def setup(cli, node, senators: int = 3) -> list[str]:
    """Subnet 1 (tempo 100), Bob's hotkeys s0..s12 registered, s0..s{senators-1} staked on root (10, 20, ... TAO)."""
    c = node.client
    ok(c, ALICE, call(S, "register_network", hotkey=Keypair.from_uri("//Alice//owner").ss58_address))
    ok(c, ALICE, call(S, "start_call", netuid=1))
    for i in range(13):
        ok(c, BOB, call(S, "burned_register", netuid=1, hotkey=senator(i)))
    for i in range(senators):
        ok(c, BOB, call(S, "add_stake", hotkey=senator(i), netuid=0, amount_staked=(i + 1) * 10 * TAO))
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password", "-w", "bob").code == 0
    for i in range(13):
        assert cli("wallet", "regen-hotkey", "--uri", f"//Bob//s{i}", "-w", "bob", "-H", f"s{i}").code == 0
    return ["--network", node.url]


def tempo(cli, net) -> int:
    return cli("subnet", "hyperparameters", "--netuid", "1", "--json", *net).json()["hyperparameters"]["tempo"]


def propose(cli, net, value: int) -> dict:
    r = cli("governance", "propose", "--netuid", "1", "--param", "tempo", "--value", str(value), "-w", "alice", "-y",
            "--json", *net)
    assert r.code == 0, r.stdout + r.stderr
    return r.json()


def test_propose_vote_close(cli, start_node, home):
    """Acceptance 1: passes with ayes and the tempo changes at close; fails on nays; expires."""
    node = start_node("instant")
    net = setup(cli, node)
    before = tempo(cli, net)

    first = propose(cli, net, 77)
    assert first["threshold"] == 2 and first["call"]["function"] == "sudo_set_tempo"
    r = cli("governance", "vote", first["hash"], "--aye", "-w", "bob", "-H", "s0", "-y", "--json", *net)
    assert r.code == 0 and r.json()["yes"] == 1, r.stdout
    r = cli("sudo", "senate-vote", "--proposal", first["hash"], "--vote-aye", "-w", "bob", "-H", "s1", "-y", "--json",
            *net)  # btcli's spelling
    assert r.code == 0 and r.json()["yes"] == 2, r.stdout
    shown = cli("governance", "show", str(first["index"]), "--json", *net).json()
    assert shown["ayes"] == [senator(0), senator(1)] and shown["nays"] == []
    assert tempo(cli, net) == before  # nothing happens before close
    r = cli("governance", "close", first["hash"], "-w", "alice", "-y", "--json", *net)
    assert r.code == 0, r.stdout
    assert r.json()["outcome"] == "approved" and r.json()["result"] == "Ok"
    assert tempo(cli, net) == 77

    second = propose(cli, net, 55)
    for i in (0, 2):
        assert cli("governance", "vote", second["hash"], "--nay", "-w", "bob", "-H", f"s{i}", "-y", *net).code == 0
    r = cli("governance", "close", second["hash"], "-w", "alice", "-y", "--json", *net)
    assert r.code == 0 and r.json()["outcome"] == "disapproved" and (r.json()["yes"], r.json()["no"]) == (0, 2)
    assert tempo(cli, net) == 77

    third = propose(cli, net, 33)
    assert cli("governance", "vote", third["hash"], "--aye", "-w", "bob", "-H", "s2", "-y", *net).code == 0
    node.chain.dev("test").mine(100)  # the dev motion duration
    r = cli("governance", "close", third["hash"], "-w", "alice", "-y", "--json", *net)
    assert r.code == 0 and r.json()["outcome"] == "disapproved" and (r.json()["yes"], r.json()["no"]) == (1, 2)
    assert tempo(cli, net) == 77
    listed = cli("sudo", "proposals", "--json", *net).json()
    assert listed["proposals"] == []


def test_errors_exit_4_and_change_nothing(cli, start_node, home):
    """Acceptance 3: each error by subtensor's name, exit 4, the motion unchanged."""
    node = start_node("instant")
    net = setup(cli, node)
    p = propose(cli, net, 77)
    assert cli("governance", "vote", p["hash"], "--aye", "-w", "bob", "-H", "s0", "-y", *net).code == 0
    before = cli("governance", "show", p["hash"], "--json", *net).json()
    cases = [
        (("governance", "propose", "--netuid", "1", "--param", "tempo", "--value", "78", "-w", "bob"),
         "Triumvirate.NotMember"),
        (("governance", "propose", "--netuid", "1", "--param", "tempo", "--value", "77", "-w", "alice"),
         "Triumvirate.DuplicateProposal"),
        (("governance", "propose", "--netuid", "1", "--param", "tempo", "--value", "78", "--duration", "5",
          "-w", "alice"), "Triumvirate.DurationLowerThanConfiguredMotionDuration"),
        (("governance", "vote", p["hash"], "--aye", "-w", "bob", "-H", "s0"), "Triumvirate.DuplicateVote"),
        (("governance", "vote", p["hash"], "--aye", "-w", "bob", "-H", "s5"), "SubtensorModule.NotSenateMember"),
        (("governance", "vote", "0x" + "ab" * 32, "--nay", "-w", "bob", "-H", "s1"), "Triumvirate.ProposalNotExists"),
        (("governance", "close", p["hash"], "-w", "alice"), "Triumvirate.TooEarlyToCloseProposal"),
        (("governance", "close", p["hash"], "-w", "bob"), "System.BadOrigin"),
    ]
    for args, error in cases:
        r = cli(*args, "-y", "--json", *net)
        assert r.code == 4, (args, r.code, r.stdout, r.stderr)
        assert error in r.json()["error"]["message"], (args, r.stdout)
    assert cli("governance", "show", p["hash"], "--json", *net).json() == before
    assert tempo(cli, net) != 77
    # bad input is a usage error (exit 2) before anything is signed
    for args in (("--call", "sudo_set_tempo"), ("--call", "AdminUtils.sudo_set_tempo", "--args", "[1]"),
                 ("--call", "AdminUtils.sudo_set_tempo", "--args", "{netuid"), ("--netuid", "1", "--param", "tempo"),
                 ("--netuid", "1", "--param", "tempo", "--value", "fast")):
        r = cli("governance", "propose", *args, "-w", "alice", "-y", "--json", *net)
        assert r.code == 2 and "error" in r.json(), (args, r.stdout)
    r = cli("governance", "vote", p["hash"], "-w", "bob", "-H", "s1", "-y", "--json", *net)  # neither --aye nor --nay
    assert r.code == 2
    assert cli("governance", "show", p["hash"], "--json", *net).json() == before
    # any call sudo could make, by name: an argument the runtime refuses is a chain rejection
    r = cli("governance", "propose", "--call", "AdminUtils.sudo_set_tempo", "--args", '{"netuid": 1, "value": 60}',
            "-w", "alice", "-y", "--json", *net)
    assert r.code == 0 and r.json()["call"] == {"pallet": "AdminUtils", "function": "sudo_set_tempo",
                                                "args": {"netuid": 1, "value": 60}}, r.stdout
    r = cli("governance", "propose", "--call", "AdminUtils.sudo_set_tempo", "--args", '{"netuid": 1}',
            "-w", "alice", "-y", "--json", *net)
    assert r.code == 4, r.stdout


def test_seats_follow_root_stake(cli, start_node, home):
    """Acceptance 2: a delegate that outranks the lowest senator takes its seat; the seat's votes go."""
    node = start_node("instant")
    net = setup(cli, node, senators=12)
    members = [m["hotkey"] for m in cli("sudo", "senate", "--json", *net).json()["senate"]]
    assert members == [senator(i) for i in range(12)]
    p = propose(cli, net, 77)
    assert p["threshold"] == 7
    assert cli("governance", "vote", p["hash"], "--aye", "-w", "bob", "-H", "s0", "-y", *net).code == 0  # 10 TAO
    # s0 unstakes: it keeps its seat (subtensor's test_senate_not_leave_when_stake_removed) ...
    r = cli("stake", "remove", "--netuid", "0", "-a", "5", "-w", "bob", "-H", "s0", "-y", "--unsafe", "--json", *net)
    assert r.code == 0, r.stdout + r.stderr
    assert senator(0) in [m["hotkey"] for m in cli("sudo", "senate", "--json", *net).json()["senate"]]
    # ... until s12 stakes more than it: s12 takes the seat, s0's aye is removed
    r = cli("stake", "add", "--netuid", "0", "-a", "6", "-w", "bob", "-H", "s12", "-y", "--unsafe", "--json", *net)
    assert r.code == 0, r.stdout + r.stderr
    members = [m["hotkey"] for m in cli("governance", "senate", "--json", *net).json()["senate"]]
    assert senator(0) not in members and senator(12) in members and len(members) == 12
    assert cli("governance", "show", p["hash"], "--json", *net).json()["ayes"] == []
    r = cli("governance", "vote", p["hash"], "--aye", "-w", "bob", "-H", "s0", "-y", "--json", *net)
    assert r.code == 4 and "NotSenateMember" in r.json()["error"]["message"]
    assert cli("governance", "vote", p["hash"], "--aye", "-w", "bob", "-H", "s12", "-y", *net).code == 0


def test_localnet_vote_weight_stake(cli, home):
    """``localnet up --vote-weight stake`` reaches the new chain's genesis; other values are usage errors."""
    assert cli("localnet", "up", "--port", "0", "--vote-weight", "tao", "--json").code == 2
    r = cli("localnet", "up", "--port", "0", "--mining", "instant", "--vote-weight", "stake", "--json")
    assert r.code == 0, r.stderr
    try:
        gov = cli("governance", "senate", "--json").json()
        assert gov["vote_weight"] == "stake" and gov["senate"] == [] and len(gov["triumvirate"]) == 1
        assert gov["motion_duration"] == 100
    finally:
        cli("localnet", "down")


def test_propose_vote_close_ask_before_signing(cli, start_node, home):
    """They sent at once (a fee, a motion) without the confirmation every other transaction asks for:
    without -y (and no terminal) each is refused before signing, and nothing changes."""
    node = start_node("instant")
    net = setup(cli, node)
    p = propose(cli, net, 77)
    before = cli("governance", "show", p["hash"], "--json", *net).json()
    for args in (("governance", "propose", "--netuid", "1", "--param", "tempo", "--value", "78", "-w", "alice"),
                 ("governance", "vote", p["hash"], "--aye", "-w", "bob", "-H", "s0"),
                 ("governance", "close", p["hash"], "-w", "alice")):
        r = cli(*args, *net)
        assert r.code == 2 and "confirmation" in r.stderr, (args, r.code, r.stdout, r.stderr)
    assert cli("governance", "show", p["hash"], "--json", *net).json() == before
    assert [x["hash"] for x in cli("governance", "list", "--json", *net).json()["proposals"]] == [p["hash"]]
