"""Governance: the triumvirate proposes, the senate (the top delegates by root stake) votes.

Source: opentensor/subtensor before the removal of governance (f5e11478a^):
``pallets/collective/src/lib.rs`` (``Triumvirate``: propose / vote / close, ``do_close``,
``remove_votes``), ``pallets/subtensor/src/coinbase/root.rs`` (``join_senate_if_eligible``,
``do_adjust_senate``, ``do_vote_root``) and ``runtime/src/lib.rs`` (seat counts, motion duration,
``ManageSenateMembers.swap_member`` removing the outgoing member's votes).

Flow: a triumvirate member calls ``Triumvirate.propose(proposal, length_bound, duration)`` with any
call the sudo key could make; the threshold is ``senate seats / 2 + 1`` at that moment. Senators
vote through ``SubtensorModule.vote(hotkey, proposal, index, approve)``, signed by the hotkey's
coldkey. ``Triumvirate.close`` (root origin, as subtensor since 15f8eb799: the sudo key on the
localnet) executes the proposal with root origin once the ayes reach the threshold, drops it once
the nays make the threshold unreachable, and after ``end`` counts abstentions as nays (no prime).

Senate seats (``SENATE_MAX_MEMBERS`` = 12): a hotkey joins when a seat is free, or takes the seat
of the member with the least root stake when its own root stake is strictly higher (ties keep the
incumbent); that member's votes on open proposals are removed. A member that unstakes keeps its
seat until someone outranks it (subtensor's ``test_senate_not_leave_when_stake_removed``).
subtensor joined at ``root_register``/``adjust_senate``; btkit's localnet has no root registration,
so the seat rules run after every call that changed a hotkey's root stake (netuid 0, TAO) and
``SubtensorModule.adjust_senate(hotkey)`` stays callable.

**[btkit]** option ``vote_weight = "stake"`` (``localnet up --vote-weight stake``, fixed at
genesis): a proposal passes when the root stake of its aye voters is more than half the root stake
of all seats, and fails early when the nays hold at least half.

Keys: ``gov:triumvirate``, ``gov:senate`` (lists of SS58), ``gov:proposals`` (hashes),
``gov:proposal_of:<hash>`` (the call), ``gov:voting:<hash>`` ({index, threshold, ayes, nays, end}),
``gov:proposal_count``, ``gov:vote_weight``.
"""

from __future__ import annotations

from typing import Any

from btkit.extrinsic import blake2_256, canonical_json
from localnet.runtime import AFTER_DISPATCH, ROOT, Context, DispatchError, call, dispatch, validate_call
from localnet.runtime import staking, subnets, swap
from localnet.runtime.types import account, boolean, hex32, u32
from localnet.state import Overlay

SENATE_MAX_MEMBERS = 12  # SenateMaxMembers
TRIUMVIRATE_MAX_MEMBERS = 3  # CouncilMaxMembers
MAX_PROPOSALS = 10  # CouncilMaxProposals
MOTION_DURATION = {"mainnet": 3600, "dev": 100}  # CouncilMotionDuration: 12 hours of 12 s blocks; dev: 100 blocks
T, TM, SM, S = "Triumvirate.", "TriumvirateMembers.", "SenateMembers.", "SubtensorModule."
STAKE_PREFIX = f"hk_stake:{swap.ROOT}:"


# -- reads ------------------------------------------------------------------------------
def triumvirate(state: Overlay) -> list[str]:
    return list(state.get("gov:triumvirate", []))


def senate(state: Overlay) -> list[str]:
    return list(state.get("gov:senate", []))


def proposals(state: Overlay) -> list[str]:
    return list(state.get("gov:proposals", []))


def voting(state: Overlay, proposal_hash: str) -> dict[str, Any] | None:
    return state.get(f"gov:voting:{proposal_hash}")


def proposal_of(state: Overlay, proposal_hash: str) -> dict[str, Any] | None:
    return state.get(f"gov:proposal_of:{proposal_hash}")


def root_stake(state: Overlay, hotkey: str) -> int:
    """``get_stake_for_hotkey_on_subnet(hotkey, ROOT)``: the TAO (rao) staked on the hotkey at netuid 0."""
    return staking.total_hotkey_stake(state, swap.ROOT, hotkey)


def by_stake(state: Overlay) -> bool:
    return state.get("gov:vote_weight") == "stake"


def motion_duration(state: Overlay) -> int:
    return MOTION_DURATION.get(state.get("profile", "dev"), MOTION_DURATION["dev"])


def proposal_hash(proposal: dict[str, Any]) -> str:
    """The proposal's hash: blake2b-256 of its canonical JSON (subtensor: BlakeTwo256 of its SCALE)."""
    return "0x" + blake2_256(canonical_json(proposal)).hex()


def proposal_len(proposal: dict[str, Any]) -> int:
    """The proposal's encoded length in bytes (canonical JSON; ``length_bound`` must cover it)."""
    return len(canonical_json(proposal))


def tally(state: Overlay, votes: dict[str, Any]) -> dict[str, int]:
    """Ayes, nays and seats of a motion now: counts, or root stake (rao) with ``vote_weight = stake``."""
    if not by_stake(state):
        return {"yes": len(votes["ayes"]), "no": len(votes["nays"]), "seats": len(senate(state))}
    return {"yes": sum(root_stake(state, h) for h in votes["ayes"]),
            "no": sum(root_stake(state, h) for h in votes["nays"]),
            "seats": sum(root_stake(state, h) for h in senate(state))}


def view(state: Overlay) -> dict[str, Any]:
    """Members, settings and every open motion (for the node's ``subtensor_governance`` query)."""
    motions = [{"hash": h, "call": proposal_of(state, h), **voting(state, h)} for h in proposals(state)]
    return {"triumvirate": triumvirate(state),
            "senate": [{"hotkey": h, "stake": root_stake(state, h)} for h in senate(state)],
            "max_members": SENATE_MAX_MEMBERS, "motion_duration": motion_duration(state),
            "vote_weight": "stake" if by_stake(state) else "seat", "proposals": motions}


# -- origins ----------------------------------------------------------------------------
def ensure_root(ctx: Context) -> None:
    if not subnets.is_sudo(ctx.state, ctx.signer):
        raise DispatchError("System.BadOrigin", "this call needs root origin (the sudo key, or an approved proposal)")


def dispatch_as_root(ctx: Context, proposal: dict[str, Any]) -> str | None:
    """Run ``proposal`` with root origin on a nested overlay (dropped on failure); None or the error name."""
    inner = Overlay(ctx.state)
    inner_ctx = Context(inner, ROOT, ctx.block)
    try:
        dispatch(inner_ctx, proposal)
    except DispatchError as exc:
        return exc.name
    inner.merge_into_parent()
    ctx.events.extend(inner_ctx.events)
    return None


# -- senate membership ------------------------------------------------------------------
def _remove_votes(state: Overlay, who: str) -> None:
    """``Triumvirate::remove_votes``: drop ``who`` from the ayes and nays of every open motion."""
    for h in proposals(state):
        votes = voting(state, h)
        if who in votes["ayes"] or who in votes["nays"]:
            state.set(f"gov:voting:{h}", {**votes, "ayes": [a for a in votes["ayes"] if a != who],
                                          "nays": [n for n in votes["nays"] if n != who]})


def join_if_eligible(ctx: Context, hotkey: str) -> bool:
    """``join_senate_if_eligible`` for a hotkey outside the senate: True when it took a free seat or the
    seat of the member with the least root stake (whose votes go), False when it stayed out."""
    state = ctx.state
    members = senate(state)
    stake = root_stake(state, hotkey)
    if stake == 0:
        return False
    if len(members) < SENATE_MAX_MEMBERS:
        state.set("gov:senate", members + [hotkey])
        ctx.emit("SenateMembers", "MemberAdded")
        ctx.emit("SubtensorModule", "SenateAdjusted", old_member=None, new_member=hotkey)
        return True
    last = min(reversed(members), key=lambda m: root_stake(state, m))  # the lowest, latest seated on ties
    if root_stake(state, last) >= stake:
        return False
    _remove_votes(state, last)
    state.set("gov:senate", [hotkey if m == last else m for m in members])
    ctx.emit("SenateMembers", "MembersSwapped")
    ctx.emit("SubtensorModule", "SenateAdjusted", old_member=last, new_member=hotkey)
    return True


def follow_stake(ctx: Context) -> None:
    """After a call: every hotkey whose root stake the call changed tries for a seat."""
    changes = ctx.state.changes
    for key in sorted(k for k in changes if k.startswith(STAKE_PREFIX)):
        if key[len(STAKE_PREFIX):] not in senate(ctx.state):
            join_if_eligible(ctx, key[len(STAKE_PREFIX):])


AFTER_DISPATCH.append(follow_stake)


@call("SubtensorModule", "adjust_senate", hotkey=account)
def adjust_senate(ctx: Context, hotkey: str) -> None:
    """Take a senate seat for ``hotkey`` (signed by its coldkey) if its root stake earns one."""
    if subnets.owner_of(ctx.state, hotkey) != ctx.signer:
        raise DispatchError(S + "NonAssociatedColdKey", f"{hotkey} is not a hotkey of the signing coldkey")
    if hotkey in senate(ctx.state):
        raise DispatchError(S + "HotKeyAlreadyRegisteredInSubNet", f"{hotkey} already holds a senate seat")
    if not join_if_eligible(ctx, hotkey):
        raise DispatchError(S + "StakeTooLowForRoot",
                            f"{hotkey} has less root stake than every senator (or none): no seat")


# -- triumvirate membership (root origin) ----------------------------------------------
@call("TriumvirateMembers", "add_member", who=account)
def add_member(ctx: Context, who: str) -> None:
    """Root: add ``who`` to the triumvirate (at most 3)."""
    ensure_root(ctx)
    members = triumvirate(ctx.state)
    if who in members:
        raise DispatchError(TM + "AlreadyMember", f"{who} is already a triumvirate member")
    if len(members) >= TRIUMVIRATE_MAX_MEMBERS:
        raise DispatchError(TM + "TooManyMembers", f"the triumvirate has {TRIUMVIRATE_MAX_MEMBERS} members")
    ctx.state.set("gov:triumvirate", members + [who])
    ctx.emit("TriumvirateMembers", "MemberAdded")


@call("TriumvirateMembers", "remove_member", who=account)
def remove_member(ctx: Context, who: str) -> None:
    """Root: remove ``who`` from the triumvirate."""
    ensure_root(ctx)
    members = triumvirate(ctx.state)
    if who not in members:
        raise DispatchError(TM + "NotMember", f"{who} is not a triumvirate member")
    ctx.state.set("gov:triumvirate", [m for m in members if m != who])
    ctx.emit("TriumvirateMembers", "MemberRemoved")


# -- motions ----------------------------------------------------------------------------
def proposal_call(value: Any) -> dict[str, Any]:
    """Checker for a proposal: any call the runtime knows, with clean arguments."""
    from localnet.runtime import BadCall

    try:
        _, args = validate_call(value)
    except BadCall as exc:
        raise ValueError(str(exc)) from None
    return {"pallet": value["pallet"], "function": value["function"], "args": args}


@call("Triumvirate", "propose", proposal=proposal_call, length_bound=u32, duration=u32)
def propose(ctx: Context, proposal: dict[str, Any], length_bound: int, duration: int) -> None:
    """A triumvirate member proposes a call; threshold = senate seats / 2 + 1; voting ends at block + duration."""
    state = ctx.state
    if ctx.signer not in triumvirate(state):
        raise DispatchError(T + "NotMember", f"{ctx.signer} is not a triumvirate member")
    if duration < motion_duration(state):
        raise DispatchError(T + "DurationLowerThanConfiguredMotionDuration",
                            f"duration {duration} is under the motion duration ({motion_duration(state)} blocks)")
    if proposal_len(proposal) > length_bound:
        raise DispatchError(T + "ProposalLengthBoundLessThanProposalLength",
                            f"the proposal is {proposal_len(proposal)} bytes; length_bound is {length_bound}")
    h = proposal_hash(proposal)
    if proposal_of(state, h) is not None:
        raise DispatchError(T + "DuplicateProposal", f"proposal {h} is already open")
    open_ = proposals(state)
    if len(open_) >= MAX_PROPOSALS:
        raise DispatchError(T + "TooManyActiveProposals", f"{MAX_PROPOSALS} proposals are open")
    index = state.int("gov:proposal_count")
    threshold = len(senate(state)) // 2 + 1
    state.set("gov:proposals", open_ + [h])
    state.set("gov:proposal_count", index + 1)
    state.set(f"gov:proposal_of:{h}", proposal)
    state.set(f"gov:voting:{h}", {"index": index, "threshold": threshold, "ayes": [], "nays": [],
                                  "end": ctx.block + duration})
    ctx.emit("Triumvirate", "Proposed", account=ctx.signer, proposal_index=index, proposal_hash=h, threshold=threshold)


def do_vote(ctx: Context, who: str, h: str, index: int, approve: bool) -> None:
    votes = _open_motion(ctx.state, h, index)
    ayes, nays = list(votes["ayes"]), list(votes["nays"])
    mine, other = (ayes, nays) if approve else (nays, ayes)
    if who in mine:
        raise DispatchError(T + "DuplicateVote", f"{who} already voted {'aye' if approve else 'nay'} on {h}")
    mine.append(who)
    if who in other:
        other.remove(who)
    ctx.state.set(f"gov:voting:{h}", {**votes, "ayes": ayes, "nays": nays})
    ctx.emit("Triumvirate", "Voted", account=who, proposal_hash=h, voted=approve, yes=len(ayes), no=len(nays))


def _open_motion(state: Overlay, h: str, index: int) -> dict[str, Any]:
    votes = voting(state, h)
    if votes is None:
        raise DispatchError(T + "ProposalNotExists", f"no open proposal {h}")
    if votes["index"] != index:
        raise DispatchError(T + "IndexMismatchProposalHash", f"proposal {h} has index {votes['index']}, not {index}")
    return votes


@call("SubtensorModule", "vote", hotkey=account, proposal=hex32, index=u32, approve=boolean)
def vote(ctx: Context, hotkey: str, proposal: str, index: int, approve: bool) -> None:
    """A senator's vote, signed by the coldkey that owns the senate hotkey (``do_vote_root``)."""
    if subnets.owner_of(ctx.state, hotkey) != ctx.signer:
        raise DispatchError(S + "NonAssociatedColdKey", f"{hotkey} is not a hotkey of the signing coldkey")
    if hotkey not in senate(ctx.state):
        raise DispatchError(S + "NotSenateMember", f"{hotkey} holds no senate seat")
    do_vote(ctx, hotkey, proposal, index, approve)


@call("Triumvirate", "vote", proposal=hex32, index=u32, approve=boolean)
def collective_vote(ctx: Context, proposal: str, index: int, approve: bool) -> None:
    """Disabled as in subtensor (``CanVoteToTriumvirate`` is false): senators vote with ``SubtensorModule.vote``."""
    raise DispatchError(T + "NotMember", "vote through SubtensorModule.vote with a senate hotkey")


def _remove(state: Overlay, h: str) -> None:
    state.delete(f"gov:proposal_of:{h}")
    state.delete(f"gov:voting:{h}")
    state.set("gov:proposals", [p for p in proposals(state) if p != h])


@call("Triumvirate", "close", proposal_hash=hex32, index=u32, length_bound=u32)
def close(ctx: Context, proposal_hash: str, index: int, length_bound: int) -> None:
    """Root: close a motion (``do_close``): approved -> executed with root origin; disapproved or
    expired without enough ayes -> removed, nothing else changes."""
    ensure_root(ctx)
    state, h = ctx.state, proposal_hash
    votes = _open_motion(state, h, index)
    t = tally(state, votes)
    yes, no, seats = t["yes"], t["no"], t["seats"]
    if by_stake(state):
        approved, disapproved = 2 * yes > seats, 2 * no >= seats
    else:
        approved, disapproved = yes >= votes["threshold"], seats - no < votes["threshold"]
    if not approved and not disapproved:
        if ctx.block < votes["end"]:
            raise DispatchError(T + "TooEarlyToCloseProposal",
                                f"voting on {h} ends at block {votes['end']}; it is block {ctx.block}")
        no = seats - yes  # abstentions count as nays (no prime member)
        approved = 2 * yes > seats if by_stake(state) else yes >= votes["threshold"]
    if approved:
        proposal = proposal_of(state, h)
        if proposal_len(proposal) > length_bound:
            raise DispatchError(T + "ProposalLengthBoundLessThanProposalLength",
                                f"the proposal is {proposal_len(proposal)} bytes; length_bound is {length_bound}")
        ctx.emit("Triumvirate", "Closed", proposal_hash=h, yes=yes, no=no)
        ctx.emit("Triumvirate", "Approved", proposal_hash=h)
        error = dispatch_as_root(ctx, proposal)
        ctx.emit("Triumvirate", "Executed", proposal_hash=h, result="Ok" if error is None else {"Err": error})
    else:
        ctx.emit("Triumvirate", "Closed", proposal_hash=h, yes=yes, no=no)
        ctx.emit("Triumvirate", "Disapproved", proposal_hash=h)
    _remove(state, h)


@call("Triumvirate", "disapprove_proposal", proposal_hash=hex32)
def disapprove_proposal(ctx: Context, proposal_hash: str) -> None:
    """Root: drop an open proposal regardless of its votes."""
    ensure_root(ctx)
    if voting(ctx.state, proposal_hash) is None:
        raise DispatchError(T + "ProposalNotExists", f"no open proposal {proposal_hash}")
    ctx.emit("Triumvirate", "Disapproved", proposal_hash=proposal_hash)
    _remove(ctx.state, proposal_hash)
