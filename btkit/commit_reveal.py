"""Commit-reveal windows: in which blocks a weights commit may be revealed.

Subtensor's rule (pallets/subtensor/src/subnets/weights.rs, ``get_epoch_index`` and
``is_reveal_block_range`` with a reveal period of one epoch): a block's epoch index is
``(block + netuid + 1) // (tempo + 1)``; a commit made in epoch ``k`` is revealed in epoch ``k + 1``
and expires after it. btkit's localnet runtime (``localnet.runtime.weights``) uses these functions.
"""

from __future__ import annotations

from dataclasses import dataclass


def epoch_index(block: int, netuid: int, tempo: int) -> int:
    """The epoch a block belongs to on ``netuid`` (``tempo`` blocks per epoch)."""
    return (block + netuid + 1) // (tempo + 1)


@dataclass(frozen=True)
class RevealWindow:
    """The blocks (``first`` to ``last``, inclusive) whose extrinsics may reveal a commit."""

    first: int
    last: int

    def where(self, block: int) -> str:
        """``"early"``, ``"open"`` or ``"expired"`` for an extrinsic included in ``block``."""
        return "early" if block < self.first else "expired" if block > self.last else "open"

    def describe(self, head: int, block_time: float | None) -> str:
        """``blocks 22-32 (in ~2.5 s to ~5.0 s at 0.25 s a block)`` as seen at block ``head``."""
        text = f"blocks {self.first}-{self.last}"
        if block_time:
            opens, closes = max(self.first - head - 1, 0) * block_time, (self.last - head) * block_time
            text += f" (in ~{_seconds(opens)} to ~{_seconds(closes)} at {block_time:g} s a block)"
        return text

    def to_json(self, head: int | None = None, block_time: float | None = None) -> dict[str, object]:
        out: dict[str, object] = {"first_block": self.first, "last_block": self.last}
        if head is not None and block_time:
            out.update(opens_in_s=round(max(self.first - head - 1, 0) * block_time, 3),
                       closes_in_s=round((self.last - head) * block_time, 3))
        return out


def _seconds(s: float) -> str:
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min"


def reveal_window(commit_block: int, netuid: int, tempo: int) -> RevealWindow:
    """The reveal window of a commit included in ``commit_block``: every block of the next epoch."""
    k = epoch_index(commit_block, netuid, tempo) + 1
    first = k * (tempo + 1) - netuid - 1
    return RevealWindow(first, first + tempo)
