"""The gateway inside ``btkit validator run --gateway-port``: server, miner sync, payments, announcement."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from btkit.errors import BtkitError
from btkit.gateway import discovery
from btkit.gateway.ledger import Ledger
from btkit.gateway.payments import PaymentWatcher
from btkit.gateway.server import GatewayApp, GatewayConfig, Miner, MinerView
from btkit.net.axon import BackgroundServer
from btkit.net.client import Client


class Gateway:
    """Started by ``start``; ``stop()`` shuts every part down (the ledger is closed last)."""

    def __init__(self, app: GatewayApp, server: BackgroundServer, ledger: Ledger | None, watcher, sync_stop,
                 client: Client) -> None:
        self.app, self.server, self.ledger, self.watcher, self.sync_stop, self.client = (
            app, server, ledger, watcher, sync_stop, client)

    def stop(self) -> None:
        self.sync_stop.set()
        self.server.stop()
        if self.watcher:
            self.watcher.stop()
        self.client.close()
        if self.ledger:
            self.ledger.close()


def sync_miners(chain, netuid: int, me: str, view: MinerView) -> None:
    mg = chain.metagraph(netuid)
    view.update([Miner(n.uid, n.hotkey, n.axon.url) for n in discovery.miners(mg, exclude=me)])


def start(chain, keypair, task, cfg: GatewayConfig, scores: Callable[[], dict[int, tuple[str, float]]], log,
          ledger_path: Path | None, sync_s: float = 2.0) -> Gateway:
    """Serve ``task``'s gateway for ``keypair``'s validator on ``cfg.netuid`` and announce it on chain.

    ``scores``: uid -> (hotkey, score), the validator's moving averages (read at each request).
    ``ledger_path``: the SQLite ledger (needed when ``cfg.price_rao`` > 0). Raises ``BtkitError``
    (a ledger of another account, the port taken), ``UsageError`` (a task without schemas). The
    announcement's failure (e.g. ``ServingRateLimitExceeded``) is logged, not raised."""
    ledger = watcher = None
    if cfg.price_rao:
        ledger = Ledger(ledger_path, cfg.pay_to, start_block=chain.finalized_head().number)
        refunded = ledger.refund_held()
        watcher = PaymentWatcher(chain, ledger, cfg.pay_to, log)
        log("gateway-ledger", path=str(ledger_path), refunded_holds=refunded, blocks_read=watcher.catch_up())
        watcher.start()
    view = MinerView(scores)
    sync_miners(chain, cfg.netuid, keypair.ss58_address, view)
    client = Client(keypair, timeout=cfg.miner_timeout_s)
    app = GatewayApp(keypair, task, view, cfg, client, ledger)
    try:
        server = BackgroundServer(app, cfg.host, cfg.port)
    except OSError as exc:
        client.close()
        raise BtkitError(f"the gateway cannot listen on {cfg.host}:{cfg.port}: {exc.strerror}",
                         hint="choose another --gateway-port (0 = any free port)") from None
    stop = threading.Event()

    def sync_loop() -> None:
        last = None
        while not stop.wait(sync_s):
            try:
                sync_miners(chain, cfg.netuid, keypair.ss58_address, view)
            except Exception as exc:  # keep serving through a node hiccup with the last view
                log("gateway-sync-failed", error=f"{type(exc).__name__}: {exc}")
            status = (app.stats.served, sum(app.stats.refused.values()), app.miner_calls, len(view.miners))
            if status != last:  # a live line when something happened, not every sync
                log("gateway-status", **app.stats.fields(), miner_calls=status[2], miners=status[3])
                last = status

    threading.Thread(target=sync_loop, daemon=True, name="gateway-sync").start()
    from btkit.net.urls import announced_ip, http_url

    ip = announced_ip(cfg.host, cfg.external_ip)
    result = chain.submit(keypair, chain.calls.serve_gateway(cfg.netuid, ip, server.port))
    gw = Gateway(app, server, ledger, watcher, stop, client)
    log("gateway", url=http_url(ip, server.port), price_rao=cfg.price_rao,
        pay_to=cfg.pay_to if cfg.price_rao else None, miners=len(view.miners), announced=result.success,
        error=result.error)
    return gw
