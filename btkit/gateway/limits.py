"""Per-client limits of the gateway: a token bucket (rate) and a cap on requests in flight.

Used from the server's event loop only (one thread), so no locks. Clients are SS58 addresses that
signed their request; the checks run after the signature, before anything costs a miner call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Limits:
    rate_per_s: float = 20.0
    burst: int = 40
    concurrency: int = 8


class ClientLimits:
    PRUNE_AT = 10_000

    def __init__(self, limits: Limits, clock=time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, as of)
        self.inflight: dict[str, int] = {}

    def admit(self, client: str) -> str | None:
        """None when ``client`` may go ahead (then ``release`` it when done), else the refusal."""
        lim, now = self.limits, self.clock()
        if self.inflight.get(client, 0) >= lim.concurrency:
            return f"too many requests in flight for this client (at most {lim.concurrency})"
        tokens, since = self.buckets.get(client, (float(lim.burst), now))
        tokens = min(float(lim.burst), tokens + (now - since) * lim.rate_per_s)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            return f"rate limit: at most {lim.rate_per_s:g} requests/s per client (burst {lim.burst})"
        self.buckets[client] = (tokens - 1, now)
        self.inflight[client] = self.inflight.get(client, 0) + 1
        if len(self.buckets) > self.PRUNE_AT:
            self._prune(now)
        return None

    def release(self, client: str) -> None:
        n = self.inflight.get(client, 0) - 1
        if n > 0:
            self.inflight[client] = n
        else:
            self.inflight.pop(client, None)

    def _prune(self, now: float) -> None:
        refill_s = self.limits.burst / max(self.limits.rate_per_s, 1e-9)
        for client, (_, since) in list(self.buckets.items()):
            if now - since > refill_s and client not in self.inflight:
                del self.buckets[client]
