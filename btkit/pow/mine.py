"""Solve a PoW against a live chain: fresh challenge, window refresh, progress, submission-ready seal."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from btkit.errors import BtkitError
from btkit.pow import seal, seal_meets

REFRESH_AFTER = 3  # blocks: a seal must be included within 5 blocks of its work block


@dataclass
class Solution:
    work_block: int
    block_hash: str
    nonce: int
    work: str
    difficulty: int
    attempts: int
    seconds: float
    refreshes: int

    @property
    def hashrate(self) -> float:
        return self.attempts / self.seconds if self.seconds else 0.0


@dataclass
class Progress:
    started: float = field(default_factory=time.monotonic)
    attempts: int = 0
    block: int = 0
    difficulty: int = 0
    refreshes: int = 0

    @property
    def hashrate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.attempts / elapsed if elapsed > 0 else 0.0

    @property
    def expected_s(self) -> float:
        return self.difficulty / self.hashrate if self.hashrate else float("inf")


class SolveTimeout(BtkitError):
    code = "timeout"


def solve(chain, solver, prefix_for: Callable[[bytes], bytes], difficulty_for: Callable[[], int],
          timeout: float | None = None, on_progress: Callable[[Progress], None] | None = None,
          chunk_seconds: float = 0.3, refresh_after: int = REFRESH_AFTER) -> Solution:
    """Search until a seal meets the difficulty; restarts on a fresh block when the window runs out.

    ``chain`` is a ``btkit.chain.Chain`` (its ``head()`` gives the challenge block); the search starts
    over on a fresh block once the head is ``refresh_after`` blocks past the work block.
    """
    progress = Progress()
    deadline = None if timeout is None else time.monotonic() + timeout
    rate = 200_000.0
    first_head, first_time = None, time.monotonic()
    while True:
        head = chain.head()
        work_block, block_hash = head.number, head.hash
        if first_head is None:
            first_head = work_block
        elif work_block > first_head:  # fast chains: keep each chunk within about one block
            block_time = (time.monotonic() - first_time) / (work_block - first_head)
            chunk_seconds = min(0.3, max(0.02, block_time))
        difficulty = difficulty_for()
        prefix = prefix_for(bytes.fromhex(block_hash[2:]))
        progress.block, progress.difficulty = work_block, difficulty
        nonce = secrets.randbelow(1 << 62)
        while True:
            if deadline is not None and time.monotonic() > deadline:
                raise SolveTimeout(f"no seal found within {timeout:.0f} s at difficulty {difficulty} "
                                   f"({progress.hashrate / 1e6:.2f} MH/s)",
                                   hint="raise --timeout, add --processes, or use --device cuda")
            count = max(1 << 16, int(rate * chunk_seconds))
            t = time.monotonic()
            found = solver.solve(prefix, difficulty, nonce, count)
            spent = time.monotonic() - t
            done = (found - nonce + 1) if found is not None else count
            progress.attempts += done
            if spent > 0 and found is None:
                rate = 0.5 * rate + 0.5 * (count / spent)
            if on_progress:
                on_progress(progress)
            if found is not None and chain.block_number() - work_block > refresh_after:
                found = None  # solved, but too late to be included inside the window
                progress.refreshes += 1
                break
            if found is not None:
                work = seal(prefix, found)
                if not seal_meets(work, difficulty, prefix):  # the solver and the checker must agree
                    raise BtkitError(f"solver {getattr(solver, 'name', '?')} returned a nonce whose seal misses "
                                     "the difficulty")
                return Solution(work_block, block_hash, found, "0x" + work.hex(), difficulty, progress.attempts,
                                time.monotonic() - progress.started, progress.refreshes)
            nonce += count
            if chain.block_number() - work_block >= refresh_after:
                progress.refreshes += 1
                break  # the window is closing: new challenge on a fresh block
