"""Governance through real dispatch on an in-process chain, against subtensor f5e11478a^
``pallets/subtensor/src/tests/senate.rs`` and ``pallets/collective/src/lib.rs`` (``do_close``)."""

from __future__ import annotations

import pytest

from localnet import genesis
from localnet.runtime import governance
from tests.unit.runtime_chain import TAO, Chain, addr

ALICE, BOB, CHARLIE = addr("//Alice"), addr("//Bob"), addr("//Charlie")
HOTKEYS = [addr(f"//Bob//senator{i}") for i in range(13)]


def events(result, name):
    return [e["data"] for e in result["events"] if e["name"] == name]


@pytest.fixture
def chain() -> Chain:
    c = Chain()
    c.subnet(ALICE, addr("//Alice//owner"))
    for hk in HOTKEYS:
        c.ok(BOB, "burned_register", netuid=1, hotkey=hk)
    for i, hk in enumerate(HOTKEYS[:3]):  # three senators, root stake 10, 20, 30 TAO
        c.ok(BOB, "add_stake", hotkey=hk, netuid=0, amount_staked=(i + 1) * 10 * TAO)
    return c


def tempo_call(value: int) -> dict:
    return {"pallet": "AdminUtils", "function": "sudo_set_tempo", "args": {"netuid": 1, "value": value}}


def propose(c: Chain, call: dict, duration: int = 100) -> tuple[str, int]:
    r = c.ok(ALICE, "Triumvirate.propose", proposal=call, length_bound=governance.proposal_len(call),
             duration=duration)
    (p,) = events(r, "Proposed")
    return p["proposal_hash"], p["proposal_index"]


def vote(c: Chain, hk: str, h: str, index: int, approve: bool) -> dict:
    return c.ok(BOB, "vote", hotkey=hk, proposal=h, index=index, approve=approve)


def close(c: Chain, h: str, index: int, signer: str = ALICE) -> dict:
    return c.ok(signer, "Triumvirate.close", proposal_hash=h, index=index, length_bound=1000)


def test_stake_on_root_takes_free_seats(chain):
    assert chain.state["gov:senate"] == HOTKEYS[:3]
    assert chain.state["gov:triumvirate"] == [ALICE]


def test_passes_with_majority_and_executes_as_root(chain):
    h, i = propose(chain, tempo_call(77))
    assert chain.state[f"gov:voting:{h}"]["threshold"] == 2  # 3 seats / 2 + 1
    vote(chain, HOTKEYS[0], h, i, True)
    chain.fails(ALICE, "Triumvirate.close", "TooEarlyToCloseProposal", proposal_hash=h, index=i, length_bound=1000)
    vote(chain, HOTKEYS[1], h, i, True)
    r = close(chain, h, i)
    assert [e["name"] for e in r["events"] if e["pallet"] == "Triumvirate"] == ["Closed", "Approved", "Executed"]
    assert events(r, "Executed")[0]["result"] == "Ok"
    assert chain.state["hp:1"]["tempo"] == 77
    assert chain.state["gov:proposals"] == [] and f"gov:voting:{h}" not in chain.state


def test_fails_on_nays_and_changes_nothing(chain):
    tempo = chain.state["hp:1"]["tempo"]
    h, i = propose(chain, tempo_call(55))
    vote(chain, HOTKEYS[0], h, i, False)
    vote(chain, HOTKEYS[1], h, i, False)
    r = close(chain, h, i)
    assert events(r, "Disapproved") and not events(r, "Executed")
    assert events(r, "Closed") == [{"proposal_hash": h, "yes": 0, "no": 2}]
    assert chain.state["hp:1"]["tempo"] == tempo


def test_expires_abstentions_count_as_nays(chain):
    tempo = chain.state["hp:1"]["tempo"]
    h, i = propose(chain, tempo_call(33))
    vote(chain, HOTKEYS[0], h, i, True)
    chain.mine(100)
    r = close(chain, h, i)
    assert events(r, "Closed") == [{"proposal_hash": h, "yes": 1, "no": 2}] and events(r, "Disapproved")
    assert chain.state["hp:1"]["tempo"] == tempo


def test_failed_inner_call_is_reported_in_executed(chain):
    h, i = propose(chain, tempo_call(10) | {"args": {"netuid": 9, "value": 10}})
    vote(chain, HOTKEYS[0], h, i, True)
    vote(chain, HOTKEYS[1], h, i, True)
    r = close(chain, h, i)
    assert events(r, "Executed")[0]["result"] == {"Err": "SubtensorModule.SubNetworkDoesNotExist"}


def test_errors_by_name_change_nothing(chain):
    h, i = propose(chain, tempo_call(77))
    call = tempo_call(78)
    chain.fails(BOB, "Triumvirate.propose", "NotMember", proposal=call, length_bound=500, duration=100)
    chain.fails(ALICE, "Triumvirate.propose", "DuplicateProposal", proposal=tempo_call(77), length_bound=500,
                duration=100)
    chain.fails(ALICE, "Triumvirate.propose", "DurationLowerThanConfiguredMotionDuration", proposal=call,
                length_bound=500, duration=99)
    chain.fails(ALICE, "Triumvirate.propose", "ProposalLengthBoundLessThanProposalLength", proposal=call,
                length_bound=10, duration=100)
    vote(chain, HOTKEYS[0], h, i, True)
    before = dict(chain.state[f"gov:voting:{h}"])
    chain.fails(BOB, "vote", "DuplicateVote", hotkey=HOTKEYS[0], proposal=h, index=i, approve=True)
    chain.fails(BOB, "vote", "IndexMismatchProposalHash", hotkey=HOTKEYS[0], proposal=h, index=i + 1, approve=False)
    chain.fails(BOB, "vote", "ProposalNotExists", hotkey=HOTKEYS[0], proposal="0x" + "11" * 32, index=i, approve=False)
    chain.fails(BOB, "vote", "NotSenateMember", hotkey=HOTKEYS[5], proposal=h, index=i, approve=True)
    chain.fails(CHARLIE, "vote", "NonAssociatedColdKey", hotkey=HOTKEYS[1], proposal=h, index=i, approve=True)
    chain.fails(BOB, "Triumvirate.vote", "NotMember", proposal=h, index=i, approve=True)
    chain.fails(BOB, "Triumvirate.close", "BadOrigin", proposal_hash=h, index=i, length_bound=1000)
    chain.fails(ALICE, "Triumvirate.close", "TooEarlyToCloseProposal", proposal_hash=h, index=i, length_bound=1000)
    assert chain.state[f"gov:voting:{h}"] == before


def test_changing_a_vote_moves_it(chain):
    h, i = propose(chain, tempo_call(77))
    vote(chain, HOTKEYS[0], h, i, True)
    r = vote(chain, HOTKEYS[0], h, i, False)
    assert events(r, "Voted") == [{"account": HOTKEYS[0], "proposal_hash": h, "voted": False, "yes": 0, "no": 1}]


def fill_senate(c: Chain) -> None:
    for i, hk in enumerate(HOTKEYS[3:12]):
        c.ok(BOB, "add_stake", hotkey=hk, netuid=0, amount_staked=(40 + i) * TAO)
    assert len(c.state["gov:senate"]) == governance.SENATE_MAX_MEMBERS


def test_outranking_delegate_takes_the_lowest_seat_and_its_votes_go(chain):
    """``test_senate_leave_vote_removal``: the member swapped out loses its votes on open motions."""
    fill_senate(chain)
    h, i = propose(chain, tempo_call(77))
    vote(chain, HOTKEYS[0], h, i, True)  # the lowest stake (10 TAO)
    vote(chain, HOTKEYS[1], h, i, False)
    # equal stake does not take a seat (ties keep the incumbent)
    chain.ok(BOB, "add_stake", hotkey=HOTKEYS[12], netuid=0, amount_staked=10 * TAO)
    assert HOTKEYS[12] not in chain.state["gov:senate"]
    r = chain.ok(BOB, "add_stake", hotkey=HOTKEYS[12], netuid=0, amount_staked=1 * TAO)
    assert events(r, "SenateAdjusted") == [{"old_member": HOTKEYS[0], "new_member": HOTKEYS[12]}]
    assert HOTKEYS[0] not in chain.state["gov:senate"] and HOTKEYS[12] in chain.state["gov:senate"]
    assert chain.state[f"gov:voting:{h}"]["ayes"] == [] and chain.state[f"gov:voting:{h}"]["nays"] == [HOTKEYS[1]]
    chain.fails(BOB, "vote", "NotSenateMember", hotkey=HOTKEYS[0], proposal=h, index=i, approve=True)


def test_member_keeps_seat_when_stake_removed(chain):
    """``test_senate_not_leave_when_stake_removed``; it leaves once an outsider outranks it."""
    fill_senate(chain)
    chain.ok(BOB, "remove_stake", hotkey=HOTKEYS[2], netuid=0, amount_unstaked=30 * TAO)
    assert HOTKEYS[2] in chain.state["gov:senate"]
    chain.ok(BOB, "add_stake", hotkey=HOTKEYS[12], netuid=0, amount_staked=1 * TAO)
    assert HOTKEYS[2] not in chain.state["gov:senate"] and HOTKEYS[12] in chain.state["gov:senate"]


def test_adjust_senate_errors(chain):
    fill_senate(chain)
    chain.fails(CHARLIE, "adjust_senate", "NonAssociatedColdKey", hotkey=HOTKEYS[12])
    chain.fails(BOB, "adjust_senate", "StakeTooLowForRoot", hotkey=HOTKEYS[12])
    chain.fails(BOB, "adjust_senate", "HotKeyAlreadyRegisteredInSubNet", hotkey=HOTKEYS[0])


def test_adjust_senate_takes_a_seat_an_unstaking_member_left_open(chain):
    """An outsider outranked by every member claims the seat once a member's stake falls under its own."""
    fill_senate(chain)
    chain.ok(BOB, "add_stake", hotkey=HOTKEYS[12], netuid=0, amount_staked=5 * TAO)  # under all 12: no seat
    chain.ok(BOB, "remove_stake", hotkey=HOTKEYS[0], netuid=0, amount_unstaked=9 * TAO)  # s0 keeps 1 TAO and its seat
    assert HOTKEYS[12] not in chain.state["gov:senate"]
    r = chain.ok(BOB, "adjust_senate", hotkey=HOTKEYS[12])
    assert events(r, "SenateAdjusted") == [{"old_member": HOTKEYS[0], "new_member": HOTKEYS[12]}]


def test_stake_weighted_votes():
    c = Chain.__new__(Chain)
    from localnet.runtime import load_modules

    load_modules()
    c.state, c.number = genesis.genesis_state("dev", "stake"), 0
    c.subnet(ALICE, addr("//Alice//owner"))
    for hk in HOTKEYS[:3]:
        c.ok(BOB, "burned_register", netuid=1, hotkey=hk)
    for hk, tao in zip(HOTKEYS[:3], (10, 10, 30)):
        c.ok(BOB, "add_stake", hotkey=hk, netuid=0, amount_staked=tao * TAO)
    h, i = propose(c, tempo_call(77))
    vote(c, HOTKEYS[0], h, i, False)
    vote(c, HOTKEYS[1], h, i, False)  # two of three seats, but 20 of 50 TAO: not yet decided
    c.fails(ALICE, "Triumvirate.close", "TooEarlyToCloseProposal", proposal_hash=h, index=i, length_bound=1000)
    vote(c, HOTKEYS[2], h, i, True)  # 30 of 50 TAO
    r = close(c, h, i)
    assert events(r, "Closed") == [{"proposal_hash": h, "yes": 30 * TAO, "no": 20 * TAO}]
    assert c.state["hp:1"]["tempo"] == 77


def test_triumvirate_members_root_only(chain):
    chain.fails(BOB, "TriumvirateMembers.add_member", "BadOrigin", who=BOB)
    chain.ok(ALICE, "TriumvirateMembers.add_member", who=BOB)
    chain.fails(ALICE, "TriumvirateMembers.add_member", "AlreadyMember", who=BOB)
    propose_bob = {"pallet": "System", "function": "remark", "args": {"remark": "hi"}}
    chain.ok(BOB, "Triumvirate.propose", proposal=propose_bob, length_bound=200, duration=100)
    chain.ok(ALICE, "TriumvirateMembers.remove_member", who=BOB)
    chain.fails(ALICE, "TriumvirateMembers.remove_member", "NotMember", who=BOB)
