"""The gateway's HTTP app: client requests in, signed answers from the subnet's best miners out.

Routes (all responses btauth/1-signed by the validator's hotkey, bound to the verified caller):

- ``GET /info`` (unsigned): hotkey, netuid, task, request schema, price (rao), where to pay, limits.
- ``GET /credit`` (signed): the caller's credit and all it ever paid in, in rao.
- ``POST /query`` (signed): body ``{"input": <the task's request>, "deadline_s": optional}``.

Order of checks on ``/query``; nothing reaches a miner before all of them pass: body size (413),
btauth/1 shape, receiver = this gateway, freshness, signature, replay (401), per-client
concurrency and rate (429), JSON envelope and the task's ``request_schema`` (400), the price from
the caller's credit (402 with where to pay; a request already paid for: 409), gateway capacity
(503). Then the miners, ranked by the validator's current scores, are queried ``top_k`` at a time
with the existing signed client; a batch without a usable answer (failed, timed out, or not
matching the task's ``answer_schema``) falls back to the next ``top_k`` while the client's deadline
lasts. ``mode="best"`` answers with the best-ranked usable answer (returning as soon as every
better-ranked miner has failed), ``mode="combine"`` with the task's ``combine`` of the batch's
usable answers. A paid request is charged only when answered (held before, refunded on failure)
and its answer carries a signed receipt.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from btkit.errors import UsageError
from btkit.gateway import receipts
from btkit.gateway.ledger import DuplicateRequest, InsufficientCredit, Ledger
from btkit.gateway.limits import ClientLimits, Limits
from btkit.net.axon import Request, SignedApp
from btkit.net.client import Client, Reply


@dataclass
class GatewayConfig:
    """``price_rao`` per answered query (0 = free); ``pay_to`` the SS58 account clients pay (needed
    when priced); ``top_k`` miners asked at once; deadlines and timeouts in seconds."""

    netuid: int
    host: str = "127.0.0.1"
    port: int = 0
    external_ip: str | None = None
    top_k: int = 3
    mode: str = "best"
    price_rao: int = 0
    pay_to: str | None = None
    max_body: int = 64 * 1024
    limits: Limits = field(default_factory=Limits)
    capacity: int = 64
    deadline_s: float = 5.0
    max_deadline_s: float = 30.0
    miner_timeout_s: float = 2.0


@dataclass(frozen=True)
class Miner:
    uid: int
    hotkey: str
    url: str


class MinerView:
    """The miners a gateway may route to (replaced on each metagraph sync) ranked by ``scores()``:
    uid -> (hotkey, moving-average score), the validator's own table. Unscored miners rank last."""

    def __init__(self, scores: Callable[[], dict[int, tuple[str, float]]]) -> None:
        self.scores = scores
        self.miners: tuple[Miner, ...] = ()

    def update(self, miners: list[Miner]) -> None:
        self.miners = tuple(miners)

    def ranked(self) -> list[tuple[Miner, float]]:
        table = dict(self.scores())

        def score(m: Miner) -> float:
            entry = table.get(m.uid)
            return entry[1] if entry and entry[0] == m.hotkey else 0.0

        return sorted(((m, score(m)) for m in self.miners), key=lambda ms: (-ms[1], ms[0].uid))


class Refusal(Exception):
    def __init__(self, status: int, payload: dict[str, Any]) -> None:
        super().__init__(payload.get("error"))
        self.status, self.payload = status, payload


class GatewayApp(SignedApp):
    def __init__(self, keypair, task, miners: MinerView, cfg: GatewayConfig, client: Client,
                 ledger: Ledger | None = None) -> None:
        import jsonschema

        super().__init__(keypair, cfg.max_body)
        if cfg.price_rao and (ledger is None or not cfg.pay_to):
            raise UsageError("a priced gateway needs a ledger and a pay_to account")
        if not (hasattr(task, "request_schema") and hasattr(task, "answer_schema")):
            raise UsageError(f"the task {task.name!r} declares no request_schema/answer_schema: it cannot serve "
                             "a gateway", hint="see docs/neurons.md (Tasks)")
        if cfg.mode == "combine" and not hasattr(task, "combine"):
            raise UsageError(f"the task {task.name!r} defines no combine()", hint="use --gateway-mode best")
        self.task, self.miners, self.cfg, self.client, self.ledger = task, miners, cfg, client, ledger
        self.request_validator = jsonschema.Draft202012Validator(task.request_schema)
        self.limits = ClientLimits(cfg.limits)
        self.capacity = asyncio.Semaphore(cfg.capacity)
        self.miner_calls = 0
        self.route("GET", "/info", self._info, signed=False)
        self.route("GET", "/credit", self._credit)
        self.route("POST", "/query", self._query)

    # -- routes --------------------------------------------------------------------------
    async def _info(self, request: Request) -> tuple[int, Any]:
        c = self.cfg
        return 200, {"gateway": 1, "hotkey": self.keypair.ss58_address, "netuid": c.netuid, "task": self.task.name,
                     "mode": c.mode, "top_k": c.top_k, "price_rao": c.price_rao,
                     "pay_to": c.pay_to if c.price_rao else None,
                     "request_schema": self.task.request_schema, "max_body": c.max_body,
                     "deadline_s": c.deadline_s, "max_deadline_s": c.max_deadline_s,
                     "limits": {"rate_per_s": c.limits.rate_per_s, "burst": c.limits.burst,
                                "concurrency": c.limits.concurrency}}

    async def _credit(self, request: Request) -> tuple[int, Any]:
        assert request.caller is not None
        who = request.caller.hotkey
        credit = await self._ledger_call(self.ledger.credit, who) if self.ledger else 0
        paid = await self._ledger_call(self.ledger.paid, who) if self.ledger else 0
        return 200, {"account": who, "credit_rao": credit, "paid_rao": paid, "price_rao": self.cfg.price_rao,
                     "pay_to": self.cfg.pay_to if self.cfg.price_rao else None}

    async def _query(self, request: Request) -> tuple[int, Any]:
        assert request.caller is not None
        started = time.monotonic()
        client = request.caller.hotkey
        refusal = self.limits.admit(client)
        if refusal:
            self.stats.refuse("429")
            return 429, {"error": refusal}
        try:
            return await self._admitted(request, client, started)
        except Refusal as r:
            self.stats.refuse(str(r.status))
            return r.status, r.payload
        finally:
            self.limits.release(client)

    async def _admitted(self, request: Request, client: str, started: float) -> tuple[int, Any]:
        query, deadline = self._parse(request.body)
        rhash = receipts.request_hash(request.headers, "POST", request.target, request.body)
        credit = None
        if self.cfg.price_rao:
            credit = await self._hold(client, rhash)
        answered = False
        try:
            try:
                await asyncio.wait_for(self.capacity.acquire(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise Refusal(503, {"error": "the gateway is at capacity: retry later"}) from None
            try:
                status, payload = await self._route(query, deadline)
            finally:
                self.capacity.release()
            if status == 200:
                if credit is not None:
                    await self._ledger_call(self.ledger.charge, rhash)
                    payload["receipt"] = receipts.sign(self.keypair, payer=client, price_rao=self.cfg.price_rao,
                                                       credit_rao=credit, request_hash=rhash, netuid=self.cfg.netuid)
                answered = True
                self.stats.served += 1
            payload["request_hash"] = rhash
            payload.setdefault("timings", {})["total_ms"] = round((time.monotonic() - started) * 1000, 2)
            return status, payload
        finally:
            if credit is not None and not answered:
                await self._ledger_call(self.ledger.refund, rhash)

    # -- checks --------------------------------------------------------------------------
    def _parse(self, body: bytes) -> tuple[dict[str, Any], float]:
        import jsonschema

        try:
            envelope = json.loads(body)
        except ValueError:
            raise Refusal(400, {"error": "the body is not JSON"}) from None
        if not isinstance(envelope, dict) or "input" not in envelope:
            raise Refusal(400, {"error": 'the body must be {"input": ..., "deadline_s": optional}'})
        error = jsonschema.exceptions.best_match(self.request_validator.iter_errors(envelope["input"]))
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "input"
            raise Refusal(400, {"error": f"invalid input: {where}: {error.message}",
                                "request_schema": self.task.request_schema})
        wanted = envelope.get("deadline_s", self.cfg.deadline_s)
        if not isinstance(wanted, (int, float)) or not 0 < wanted <= self.cfg.max_deadline_s:
            raise Refusal(400, {"error": f"invalid input: deadline_s must be in (0, {self.cfg.max_deadline_s:g}] s"})
        return envelope["input"], time.monotonic() + float(wanted)

    async def _hold(self, client: str, rhash: str) -> int:
        try:
            return await self._ledger_call(self.ledger.hold, client, self.cfg.price_rao, rhash)
        except InsufficientCredit as exc:
            raise Refusal(402, {"error": f"payment required: {exc.message}", "price_rao": self.cfg.price_rao,
                                "credit_rao": exc.credit, "pay_to": self.cfg.pay_to,
                                "how": f"transfer TAO to {self.cfg.pay_to} from the key that signs your "
                                       "requests; it is credited when the transfer is in a block"}) from None
        except DuplicateRequest as exc:
            raise Refusal(409, {"error": exc.message}) from None

    async def _ledger_call(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    # -- routing -------------------------------------------------------------------------
    async def _route(self, query: dict[str, Any], deadline: float) -> tuple[int, dict[str, Any]]:
        import jsonschema

        ranked = self.miners.ranked()
        answer_check = jsonschema.Draft202012Validator(self.task.answer_schema(query))
        body = json.dumps(query).encode()
        loop = asyncio.get_running_loop()
        tried: list[dict[str, Any]] = []
        t0 = time.monotonic()
        for start in range(0, len(ranked), max(1, self.cfg.top_k)):
            left = deadline - time.monotonic()
            if left <= 0.01:
                break
            batch = ranked[start:start + self.cfg.top_k]
            timeout = min(self.cfg.miner_timeout_s, left)
            self.miner_calls += len(batch)
            futures = [loop.run_in_executor(self.client.pool, self.client.query, m.uid, m.hotkey, m.url, body, timeout)
                       for m, _ in batch]
            replies: list[Reply | None] = [None] * len(batch)
            pending = set(futures)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for f in done:
                    replies[futures.index(f)] = f.result()
                if self.cfg.mode == "best" and self._best(replies, answer_check) is not None:
                    break  # every better-ranked miner has answered or failed: no need to wait for the rest
            rows = [self._row(start + i, m, s, r, answer_check) for i, ((m, s), r) in enumerate(zip(batch, replies))]
            tried.extend(rows)
            usable = [(row, r.data) for row, r in zip(rows, replies) if row["ok"]]
            if not usable:
                continue
            if self.cfg.mode == "best":
                row, answer = usable[0]
                used = [row]
            else:
                answer = self.task.combine(query, [a for _, a in usable])
                used = [row for row, _ in usable]
                if answer is None:
                    continue
            best = ranked[0][0].uid
            fallback = used[0]["uid"] != best
            return 200, {
                "answer": answer, "netuid": self.cfg.netuid, "task": self.task.name, "mode": self.cfg.mode,
                "answered_by": [{k: row[k] for k in ("uid", "hotkey", "rank", "score")} for row in used],
                "fallback": fallback,
                "note": self._note(tried, used) if fallback else "",
                "miners": tried, "timings": {"miners_ms": round((time.monotonic() - t0) * 1000, 2)},
            }
        if not ranked:
            return 503, {"error": "no miner serves this subnet now", "miners": []}
        status = 504 if time.monotonic() >= deadline - 0.01 else 502
        return status, {"error": "no miner gave a usable answer" + (" within the deadline" if status == 504 else ""),
                        "miners": tried, "timings": {"miners_ms": round((time.monotonic() - t0) * 1000, 2)}}

    @staticmethod
    def _usable(reply: Reply | None, check) -> bool:
        return reply is not None and reply.ok and check.is_valid(reply.data)

    def _best(self, replies: list[Reply | None], check) -> Reply | None:
        """The first usable reply in rank order, once every reply ranked above it is in."""
        for r in replies:
            if r is None:
                return None
            if self._usable(r, check):
                return r
        return None

    def _row(self, rank: int, m: Miner, score: float, r: Reply | None, check) -> dict[str, Any]:
        row = {"uid": m.uid, "hotkey": m.hotkey, "rank": rank + 1, "score": round(score, 4)}
        if r is None:
            return {**row, "ok": False, "error": "not awaited: a better-ranked miner answered"}
        if r.ok and not check.is_valid(r.data):
            return {**row, "ok": False, "error": "the answer does not match the task's answer schema",
                    "ms": round(r.seconds * 1000, 2)}
        return {**row, "ok": r.ok, "error": r.error, "ms": round(r.seconds * 1000, 2)}

    @staticmethod
    def _note(tried: list[dict[str, Any]], used: list[dict[str, Any]]) -> str:
        failed = ", ".join(f"uid {t['uid']} (rank {t['rank']}): {t['error']}" for t in tried
                           if not t["ok"] and t["rank"] < used[0]["rank"])
        return f"answered by uid {used[0]['uid']} (rank {used[0]['rank']}) because better-ranked miners failed: {failed}"
