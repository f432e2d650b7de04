"""How the validator puts its scores on chain: ``set_weights``, or commit then reveal in the window.

Every round the validator calls ``WeightSetter.step``. The scores become weights the chain accepts
(``btkit.weights.process_weights``: clipped to ``max_weights_limit``, ``min_allowed_weights``
respected). With commit-reveal off they are set once ``weights_rate_limit`` blocks have passed since
the last update. With it on (subtensor's ``commit_reveal_weights_enabled``) they are committed (a
hash with a random salt, ``Chain.commit_hash``), kept here, and revealed in the commit's reveal
window (``btkit.commit_reveal``: the next epoch); right after a reveal the next commit goes out, so a
validator reveals once per tempo. A commit whose window passed unrevealed is dropped.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from btkit.commit_reveal import reveal_window
from btkit.weights import process_weights


@dataclass
class Commit:
    """A commit waiting for its reveal window: what was committed, with its salt and block."""

    uids: list[int]
    values: list[int]
    salt: list[int]
    version_key: int
    block: int


@dataclass
class WeightSetter:
    netuid: int
    pending: list[Commit] = field(default_factory=list)

    def step(self, chain, keypair, mg, me, hp, scores: dict[int, float]) -> str:
        """Set, reveal and/or commit as the chain allows now; returns what happened, for the log
        (``""`` when nothing was due). ``mg``/``me``/``hp``: this round's metagraph, own neuron and
        hyperparameters; ``scores``: uid -> score."""
        if not me.validator_permit:
            return "waiting for a validator permit (granted at the next epoch to the top stakes)"
        uids, values = process_weights(scores, mg.n, hp.min_allowed_weights, hp.max_weights_limit)
        if not uids:
            return ""
        rate_ok = mg.block + 1 - me.last_update >= hp.weights_rate_limit
        if not hp.commit_reveal_weights_enabled:
            self.pending.clear()
            if not rate_ok:
                return ""
            result = chain.submit(keypair, chain.calls.set_weights(self.netuid, uids, values, hp.weights_version))
            return "set" if result.success else result.error or "failed"
        done = []
        for commit in list(self.pending):
            where = reveal_window(commit.block, self.netuid, hp.tempo).where(mg.block + 1)
            if where == "expired":
                self.pending.remove(commit)
                done.append(f"commit of block {commit.block} expired")
            elif where == "open" and rate_ok:
                result = chain.submit(keypair, chain.calls.reveal_weights(
                    self.netuid, commit.uids, commit.values, commit.salt, commit.version_key))
                self.pending.remove(commit)
                done.append("revealed" if result.success else f"reveal failed: {result.error}")
        if not self.pending:
            salt = [secrets.randbelow(65536) for _ in range(8)]
            digest = chain.commit_hash(keypair.ss58_address, self.netuid, uids, values, salt, hp.weights_version)
            result = chain.submit(keypair, chain.calls.commit_weights(self.netuid, digest))
            if result.success:
                self.pending.append(Commit(uids, values, salt, hp.weights_version, result.block))
                done.append("committed")
            else:
                done.append(f"commit failed: {result.error}")
        return ", ".join(done)
