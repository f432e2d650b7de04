"""Governance through btkit's commands on the real spec-218 runtime: its Triumvirate, TriumvirateMembers
and SenateMembers pallets (acceptance 4 of issue #16). The fixture's triumvirate and senate are keys
nobody holds: the test seats //Alice as the triumvirate and three dev hotkeys as the senate."""

from __future__ import annotations

import pytest

from keystore.keys import Keypair
from tests.substrate.test_cli import create_subnet, ok

ALICE = Keypair.from_uri("//Alice").ss58_address
COLDKEYS = ("//Bob", "//Charlie", "//Dave")
SENATORS = [Keypair.from_uri(f"{uri}//hot").ss58_address for uri in COLDKEYS]


@pytest.fixture
def governed(wallets, node, net):
    node.rpc.set_storage({
        "Triumvirate": {"Members": [ALICE]}, "TriumvirateMembers": {"Members": [ALICE]},
        "SenateMembers": {"Members": SENATORS},
        "SubtensorModule": {"Owner": [[[Keypair.from_uri(f"{uri}//hot").ss58_address],
                                       Keypair.from_uri(uri).ss58_address] for uri in ("//Alice", *COLDKEYS)]},
    })
    return wallets


def tempo(cli, net, netuid: int) -> int:
    return ok(cli("subnet", "hyperparameters", "--netuid", str(netuid), "--json", *net))["hyperparameters"]["tempo"]


def propose(cli, net, netuid: int, value: int) -> dict:
    return ok(cli("governance", "propose", "--netuid", str(netuid), "--param", "tempo", "--value", str(value),
                  "-w", "alice", "-y", "--json", *net))


def test_propose_vote_close_on_the_real_pallets(governed, node, net):
    cli = governed
    netuid = create_subnet(cli, net, node)
    before = tempo(cli, net, netuid)
    senate = ok(cli("sudo", "senate", "--json", *net))
    assert [m["hotkey"] for m in senate["senate"]] == SENATORS and senate["triumvirate"] == [ALICE]

    first = propose(cli, net, netuid, 77)
    assert first["threshold"] == 2  # 3 seats / 2 + 1
    listed = ok(cli("sudo", "proposals", "--json", *net))["proposals"]
    assert [p["hash"] for p in listed] == [first["hash"]]
    assert listed[0]["call"]["function"] == "sudo" and listed[0]["call"]["args"]["call"]["args"]["tempo"] == 77
    ok(cli("governance", "vote", first["hash"], "--aye", "-w", "bob", "-y", "--json", *net))
    voted = ok(cli("sudo", "senate-vote", "--proposal", first["hash"], "--vote-aye", "-w", "charlie", "-y", "--json",
                   *net))
    assert (voted["yes"], voted["no"]) == (2, 0)
    closed = ok(cli("governance", "close", first["hash"], "-w", "alice", "-y", "--json", *net))
    assert closed["outcome"] == "approved" and "Err" not in str(closed["result"])
    assert tempo(cli, net, netuid) == 77

    second = propose(cli, net, netuid, 55)
    for name in ("bob", "dave"):
        ok(cli("governance", "vote", second["hash"], "--nay", "-w", name, "-y", "--json", *net))
    closed = ok(cli("governance", "close", second["hash"], "-w", "alice", "-y", "--json", *net))
    assert closed["outcome"] == "disapproved" and (closed["yes"], closed["no"]) == (0, 2)
    assert tempo(cli, net, netuid) == 77

    # errors by the runtime's names, exit 4, the motion unchanged
    third = propose(cli, net, netuid, 33)
    ok(cli("governance", "vote", third["hash"], "--aye", "-w", "bob", "-y", "--json", *net))
    shown = ok(cli("governance", "show", third["hash"], "--json", *net))
    for args, error in (
        (("governance", "vote", third["hash"], "--aye", "-w", "bob"), "Triumvirate.DuplicateVote"),
        (("governance", "vote", third["hash"], "--aye", "-w", "alice"), "SubtensorModule.NotSenateMember"),
        (("governance", "propose", "--netuid", str(netuid), "--param", "tempo", "--value", "34", "-w", "bob"),
         "Triumvirate.NotMember"),
        (("governance", "close", third["hash"], "-w", "alice"), "Triumvirate.TooEarlyToCloseProposal"),
    ):
        r = cli(*args, "-y", "--json", *net)
        assert r.code == 4 and error in r.json()["error"]["message"], (args, r.stdout, r.stderr)
    assert ok(cli("governance", "show", third["hash"], "--json", *net)) == shown

    # the voting period ends: abstentions count as nays
    node.jump(ok(cli("governance", "senate", "--json", *net))["motion_duration"] + 1)
    closed = ok(cli("governance", "close", third["hash"], "-w", "alice", "-y", "--json", *net))
    assert closed["outcome"] == "disapproved" and (closed["yes"], closed["no"]) == (1, 2)
    assert tempo(cli, net, netuid) == 77
    assert ok(cli("governance", "list", "--json", *net))["proposals"] == []


def test_a_fresh_engine_can_pass_a_proposal_without_storage_tricks(wallets, node, net):
    """What a user of `localnet up --engine subtensor` has: //Alice proposes and closes, the fixture's
    senate (//Dave, //Eve, //Ferdie as hotkeys) votes with wallets restored from their URIs. Before,
    nobody could propose (NotMember) and no senator could vote (NonAssociatedColdKey)."""
    cli = wallets
    netuid = create_subnet(cli, net, node)
    senate = ok(cli("governance", "senate", "--json", *net))
    seats = [m["hotkey"] for m in senate["senate"]]
    voters = [uri for uri in ("//Dave", "//Eve", "//Ferdie") if Keypair.from_uri(uri).ss58_address in seats]
    assert senate["triumvirate"] == [ALICE] and len(voters) == 3
    for uri in voters:
        name = f"seat{uri[2:].lower()}"
        assert cli("wallet", "regen-coldkey", "--uri", uri, "--no-use-password", "-w", name).code == 0
        assert cli("wallet", "regen-hotkey", "--uri", uri, "-w", name, "-H", "seat").code == 0
    motion = propose(cli, net, netuid, 66)
    for uri in voters[:motion["threshold"]]:
        ok(cli("governance", "vote", motion["hash"], "--aye", "-w", f"seat{uri[2:].lower()}", "-H", "seat", "-y",
               "--json", *net))
    closed = ok(cli("governance", "close", motion["hash"], "-w", "alice", "-y", "--json", *net))
    assert closed["outcome"] == "approved" and tempo(cli, net, netuid) == 66
