"""The validator: query miners, score them, keep a moving average per uid, set weights."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from btkit.errors import BtkitError
from btkit.gateway import discovery
from btkit.net.client import Client
from btkit.neurons.runtime import Log, StopFlag, load_json, log_node_changes, require_registration, save_json
from btkit.neurons.task import load_task
from btkit.neurons.weight_setter import WeightSetter
from btkit.weights import finite_score


@dataclass
class ValidatorConfig:
    netuid: int
    task: str | None = None
    interval_s: float = 1.0
    timeout_s: float = 2.0
    alpha: float = 0.3
    state_path: Path | None = None
    gateway: "GatewayConfig | None" = None  # btkit.gateway.server.GatewayConfig: serve client requests too
    ledger_path: Path | None = None  # the gateway's SQLite ledger (when it charges)


class Scores:
    """uid -> (hotkey, moving average); a uid whose hotkey changes starts over. Scores are finite and
    >= 0 (``btkit.weights.finite_score``: NaN and infinities count as 0), in memory and in the file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        raw = load_json(path, {}) if path else {}
        self.by_uid: dict[int, tuple[str, float]] = {}
        for k, v in raw.items() if isinstance(raw, dict) else ():
            try:
                self.by_uid[int(k)] = (str(v[0]), finite_score(v[1]))
            except (TypeError, ValueError, IndexError):
                continue  # a damaged entry: that uid starts over

    def sync(self, hotkeys: dict[int, str]) -> None:
        for uid in list(self.by_uid):
            if hotkeys.get(uid) != self.by_uid[uid][0]:
                del self.by_uid[uid]

    def update(self, uid: int, hotkey: str, score: float, alpha: float) -> float:
        score = finite_score(score)
        prev = self.by_uid.get(uid)
        value = score if prev is None or prev[0] != hotkey else alpha * score + (1 - alpha) * prev[1]
        self.by_uid[uid] = (hotkey, value)
        return value

    def save(self) -> None:
        if self.path:
            save_json(self.path, {str(u): [h, s] for u, (h, s) in self.by_uid.items()})


def run(chain, keypair, cfg: ValidatorConfig, log: Log, stop: StopFlag | None = None) -> None:
    """Score the miners of ``cfg.netuid`` on ``chain`` (a ``btkit.chain.Chain``) and set weights, until stopped."""
    stop = stop or StopFlag()
    log_node_changes(chain, log)
    require_registration(chain, keypair.ss58_address, cfg.netuid, "validator")
    task = load_task(cfg.task)
    scores = Scores(cfg.state_path)
    setter = WeightSetter(cfg.netuid)
    client = Client(keypair, timeout=cfg.timeout_s)
    rng = random.Random()
    log("started", hotkey=keypair.ss58_address, task=task.name, restored=len(scores.by_uid))
    gateway = None
    try:
        if cfg.gateway is not None:
            from btkit.gateway import service

            gateway = service.start(chain, keypair, task, cfg.gateway, lambda: scores.by_uid, log, cfg.ledger_path)
        while not stop.stopped:
            try:
                step(chain, keypair, cfg, task, scores, client, rng, log, setter)
            except Exception as exc:  # a node hiccup or a bad round must not kill the validator
                log("round-failed", error=f"{type(exc).__name__}: {exc}")
            stop.wait(cfg.interval_s)
    finally:
        if gateway is not None:
            gateway.stop()
        scores.save()
        client.close()
        log("stopped", scored=len(scores.by_uid))


def step(chain, keypair, cfg, task, scores, client, rng, log, setter: WeightSetter | None = None) -> None:
    setter = setter or WeightSetter(cfg.netuid)
    mg = chain.metagraph(cfg.netuid)
    hp = chain.hyperparameters(cfg.netuid)
    scores.sync({n.uid: n.hotkey for n in mg.neurons})
    me = mg.by_hotkey(keypair.ss58_address)
    if me is None:
        raise BtkitError(f"the validator hotkey {keypair.ss58_address} is no longer registered on subnet {cfg.netuid}")
    targets = [(n.uid, n.hotkey, n.axon.url) for n in discovery.miners(mg, exclude=me.hotkey)]  # not gateways
    query, secret = task.challenge(rng.getrandbits(63))
    replies = client.query_all(targets, query)
    round_scores = {}
    for r in replies:
        s = task.score(secret, r.data) if r.ok else 0.0
        round_scores[r.uid] = round(scores.update(r.uid, r.hotkey, s, cfg.alpha), 4)
    scores.save()
    failures = {r.uid: r.error for r in replies if not r.ok}
    set_now = setter.step(chain, keypair, mg, me, hp, {uid: s for uid, (_, s) in scores.by_uid.items()}) or None
    log("round", block=mg.block, uid=me.uid, miners=len(targets), scores=round_scores,
        failures=failures, weights=set_now)
