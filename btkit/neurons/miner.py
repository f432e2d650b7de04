"""The miner: serve the task over btauth/1, announce the axon, keep the peer view in sync."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from btkit.chain.types import u16_to_float
from btkit.net.axon import AxonApp, PeerView, Policy, serve
from btkit.net.urls import announced_ip, http_url
from btkit.neurons.runtime import Log, StopFlag, log_node_changes, require_registration
from btkit.neurons.task import load_task


@dataclass
class MinerConfig:
    netuid: int
    host: str = "127.0.0.1"
    port: int = 8091
    external_ip: str | None = None
    task: str | None = None
    sync_s: float = 2.0
    policy: Policy = field(default_factory=Policy)


def sync_peers(chain, netuid: int, peers: PeerView):
    """Refresh the axon's view of the subnet (hotkey -> uid, stake in rao, permit); returns the ``Metagraph``."""
    mg = chain.metagraph(netuid)
    peers.update({n.hotkey: (n.uid, n.stake.rao, n.validator_permit) for n in mg.neurons})
    return mg


def run(chain, keypair, cfg: MinerConfig, log: Log, stop_flag: StopFlag | None = None) -> None:
    """Serve ``cfg.task`` on ``chain`` (a ``btkit.chain.Chain``) until a signal (``stop_flag``
    records which). When the chain forgets the axon (a reset localnet), it is announced again."""
    stop_flag = stop_flag or StopFlag()
    log_node_changes(chain, log)
    uid = require_registration(chain, keypair.ss58_address, cfg.netuid, "miner")
    task = load_task(cfg.task)
    if hasattr(task, "challenge"):  # warm up (imports, model code paths) before the first validator waits
        try:
            task.answer(task.challenge(0)[0])
        except Exception as exc:
            log("warmup-failed", error=f"{type(exc).__name__}: {exc}")
    peers = PeerView()
    sync_peers(chain, cfg.netuid, peers)
    app = AxonApp(keypair, task.answer, peers, cfg.policy)
    stop = threading.Event()

    served: dict[str, object] = {}

    def announce(ip: str, port: int):
        served.update(ip=ip, port=port)
        return chain.submit(keypair, chain.calls.serve_axon(cfg.netuid, ip, port))

    def on_started(port: int) -> None:
        ip = announced_ip(cfg.host, cfg.external_ip)
        result = announce(ip, port)
        log("serving", uid=uid, hotkey=keypair.ss58_address, url=http_url(ip, port), task=task.name,
            announced=result.success, error=result.error)
        threading.Thread(target=loop, daemon=True).start()

    def loop() -> None:
        while not stop.wait(cfg.sync_s):
            try:
                mg = sync_peers(chain, cfg.netuid, peers)
                me = mg.by_hotkey(keypair.ss58_address)
                if me is not None and (me.axon is None or me.axon.port != served["port"]):
                    result = announce(served["ip"], served["port"])  # the chain forgot it (a reset localnet)
                    log("announced", uid=me.uid, ok=result.success, error=result.error)
                log("status", block=mg.block, uid=me.uid if me else None,
                    incentive=round(u16_to_float(me.incentive), 4) if me else 0, **app.stats.fields())
            except Exception as exc:  # keep serving through a node hiccup
                log("sync-failed", error=f"{type(exc).__name__}: {exc}")

    try:
        serve(app, cfg.host, cfg.port, on_started)
    finally:
        stop.set()
        log("stopped", **app.stats.fields())
