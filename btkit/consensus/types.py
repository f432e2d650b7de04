"""The epoch API contract (names fixed by ``shared/spec/epoch.md``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from btkit.consensus.rows import SparseRows

Row = list  # (uid, u16) pairs, as stored: tuples or 2-lists in; 2-lists out


@dataclass(kw_only=True)
class EpochInput:
    """``weights`` and ``bonds``: n rows of (uid, u16) pairs, or the same as ``SparseRows`` (CSR
    arrays, ``btkit.consensus.rows``), the form to use at large n: it skips reading Python pairs."""

    block: int
    stake: list[int]
    weights: "list[Row] | SparseRows"
    bonds: "list[Row] | SparseRows"
    last_update: list[int]
    block_at_registration: list[int]
    validator_permit: list[bool]
    tempo: int
    kappa: int
    bonds_moving_average: int
    bonds_penalty: int
    activity_cutoff: int
    max_allowed_validators: int
    stake_threshold: int = 0
    yuma3: bool = False
    liquid_alpha: bool = False
    alpha_low: int = 45875
    alpha_high: int = 58982
    alpha_sigmoid_steepness: int = 1000
    owner_uid: int | None = None
    rao_emission: int = 1_000_000_000

    @property
    def n(self) -> int:
        return len(self.stake)


@dataclass
class EpochOutput:
    active: list[bool]
    consensus: list[int]
    incentive: list[int]
    dividends: list[int]
    validator_trust: list[int]
    rank: list[int]
    trust: list[int]
    pruning_score: list[int]
    emission: list[int]
    server_emission: list[int]
    validator_emission: list[int]
    validator_permit: list[bool]
    bonds: Sequence[Row] = field(default_factory=list)  # SparseRows from the vectorized path (reads as pairs)
