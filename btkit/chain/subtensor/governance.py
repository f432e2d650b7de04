"""Governance on a Substrate subtensor whose runtime has the collective and membership pallets
(subtensor before f5e11478a; the spec-218 fixture has them): reads of ``Triumvirate``,
``TriumvirateMembers`` and ``SenateMembers`` storage, and proposal lengths in SCALE.

Names: ``runtime/src/lib.rs`` and ``pallets/collective/src/lib.rs`` of that time —
``Triumvirate.Members`` (who may propose), ``SenateMembers.Members`` (who votes),
``Triumvirate.Proposals`` (open hashes), ``ProposalOf`` (the call), ``Voting`` ({index,
threshold, ayes, nays, end}). Seat stake: ``TotalHotkeyAlpha(hotkey, 0)`` (root stake, the
measure ``join_senate_if_eligible`` compares). ``CouncilMotionDuration`` is 12 hours of the
runtime's blocks (2 x ``Timestamp.MinimumPeriod``) and ``SenateMaxMembers`` 12: runtime
parameters, not in the metadata.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from btkit.chain.errors import Unsupported
from btkit.chain.types import Call, Governance, Proposal, SenateMember
from btkit.units import Balance

if TYPE_CHECKING:
    from btkit.chain.subtensor.backend import SubtensorChain

SENATE_MAX_MEMBERS = 12  # SenateMaxMembers
MOTION_MS = 12 * 3600 * 1000  # CouncilMotionDuration = 12 * HOURS


def _require(chain: "SubtensorChain") -> None:
    if not chain.conn.has_storage("Triumvirate", "Proposals"):
        raise Unsupported(f"this runtime (spec_version {chain.conn.spec_version}) has no governance pallets "
                          "(subtensor removed them in f5e11478a)")


def decoded_call(value: dict[str, Any]) -> Call:
    """The library's decoded call ({call_module, call_function, call_args}) as a ``Call`` (nested too)."""
    args = {}
    for arg in value.get("call_args", []):
        v = arg["value"]
        args[arg["name"]] = decoded_call(v) if isinstance(v, dict) and "call_module" in v else v
    return Call(value["call_module"], value["call_function"], args)


def motion_duration(chain: "SubtensorChain") -> int:
    with chain.conn.guard():
        period = chain.conn.si.get_constant("Timestamp", "MinimumPeriod")
    period = int(getattr(period, "value", period) or 6000)
    return MOTION_MS // (2 * period)


def proposal_length(chain: "SubtensorChain", call: Call) -> int:
    """The SCALE length of ``call`` as the runtime stores it in ``ProposalOf``."""
    from btkit.chain.subtensor.calls import compose

    return len(compose(chain, call).data)


def read(chain: "SubtensorChain") -> Governance:
    _require(chain)
    st = chain.storage
    triumvirate, senate, hashes = st.multi([("Triumvirate", "Members", []), ("SenateMembers", "Members", []),
                                            ("Triumvirate", "Proposals", [])])
    senate, hashes = list(senate or []), list(hashes or [])
    values = st.multi([("SubtensorModule", "TotalHotkeyAlpha", [hk, 0]) for hk in senate]
                      + [item for h in hashes for item in (("Triumvirate", "ProposalOf", [h]),
                                                            ("Triumvirate", "Voting", [h]))])
    stakes, rest = values[:len(senate)], values[len(senate):]
    proposals = []
    for i, h in enumerate(hashes):
        call_value, votes = rest[2 * i], rest[2 * i + 1]
        if votes is None:
            continue  # closed between the two reads
        call = decoded_call(call_value) if isinstance(call_value, dict) else None
        proposals.append(Proposal(h, int(votes["index"]), call, int(votes["threshold"]), tuple(votes["ayes"]),
                                  tuple(votes["nays"]), int(votes["end"]),
                                  proposal_length(chain, call) if call is not None else 0))
    return Governance(tuple(triumvirate or []), tuple(SenateMember(hk, Balance(int(s or 0)))
                                                      for hk, s in zip(senate, stakes)),
                      SENATE_MAX_MEMBERS, motion_duration(chain), "seat", tuple(proposals))
