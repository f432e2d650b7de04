"""``python -m localnet.subtensor_engine``: the subtensor engine's process (``btkit localnet up --engine subtensor``).

It starts chopsticks (attached: chopsticks dies with it) on a free port, builds past genesis
(block #1 retried), writes the dev conveniences (funded //Alice..//Ferdie, sudo //Alice,
relaxed rate limits unless ``--mainnet-limits``), then serves the RPC bridge
(``localnet.rpc_bridge``) on ``--port`` and writes ``node.json`` (pid, url, engine) once ready,
like btkit's own node. SIGTERM/SIGINT stop chopsticks and remove ``node.json``.

Mining: ``instant`` (chopsticks builds a block per submitted extrinsic), ``manual``
(only ``localnet mine``), ``interval`` (a block every ``--block-time`` seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from btkit.net.urls import http_url
from localnet import chopsticks, subtensor_dev
from localnet.config import LOG_FILE, NODE_FILE

ENGINE = "subtensor"
FORKS = {"finney": "wss://entrypoint-finney.opentensor.ai:443", "test": "wss://test.finney.opentensor.ai:443"}
MININGS = ("instant", "manual", "interval")
SNAPSHOTS_FILE = "snapshots.json"  # `localnet snapshot` ids -> head hashes; only while the engine runs
# twox128("SubtensorModule") ++ twox128("NetworksAdded"): keys end with the netuid (u16 LE, Identity).
NETWORKS_ADDED = "0x658faa385070e074c85bf6b568cf05550e30450fc4d507a846032a7fa65d9a43"


@dataclass
class EngineConfig:
    data_dir: Path
    chain_spec: Path | None = None
    fork: str | None = None
    at: str | None = None
    host: str = "127.0.0.1"
    port: int = 9944
    mining: str = "instant"
    block_time: float = 1.0
    mainnet_limits: bool = False
    ready_fd: int | None = None  # a pipe to write the node record to once serving (`btkit localnet up`)
    module = "localnet.subtensor_engine"  # for localnet.control.up
    ready_timeout = chopsticks.READY_TIMEOUT + 30.0

    def argv(self) -> list[str]:
        args = ["--data-dir", str(self.data_dir), "--host", self.host, "--port", str(self.port),
                "--mining", self.mining, "--block-time", str(self.block_time)]
        args += ["--chain-spec", str(self.chain_spec)] if self.chain_spec else ["--fork", str(self.fork)]
        args += ["--at", str(self.at)] if self.at is not None else []
        return args + (["--mainnet-limits"] if self.mainnet_limits else [])

    @property
    def source(self) -> chopsticks.Source:
        if self.chain_spec is not None:
            return chopsticks.Source(chain_spec=self.chain_spec)
        at = int(self.at) if self.at is not None and self.at.isdigit() else self.at
        return chopsticks.Source(endpoint=FORKS.get(self.fork or "", self.fork), block=at)


def parse(argv: list[str]) -> EngineConfig:
    p = argparse.ArgumentParser(prog="python -m localnet.subtensor_engine",
                                description="the real subtensor runtime under chopsticks, behind btkit's RPC bridge")
    p.add_argument("--data-dir", type=Path, required=True)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--chain-spec", type=Path, help="a raw subtensor chain spec (with its runtime)")
    src.add_argument("--fork", help="a live network to fork: ws(s)://URL, finney or test")
    p.add_argument("--at", help="block number or hash to fork at (default: the latest)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9944, help="0 picks a free port")
    p.add_argument("--mining", choices=MININGS, default="instant")
    p.add_argument("--block-time", type=float, default=1.0)
    p.add_argument("--mainnet-limits", action="store_true", help="keep the runtime's rate limits")
    p.add_argument("--ready-fd", type=int, default=None, help="a pipe to write one JSON line to once serving")
    a = p.parse_args(argv)
    if a.at is not None and a.chain_spec is not None:
        p.error("--at goes with --fork")
    spec = a.chain_spec.expanduser().resolve() if a.chain_spec else None
    return EngineConfig(data_dir=a.data_dir.expanduser().resolve(), chain_spec=spec, fork=a.fork, at=a.at,
                        host=a.host, port=a.port, mining=a.mining, block_time=a.block_time,
                        mainnet_limits=a.mainnet_limits, ready_fd=a.ready_fd)


def log(message: str) -> None:
    sys.stderr.write(f"{time.strftime('%H:%M:%S')} {message}\n")
    sys.stderr.flush()


def prepare(rpc: chopsticks.Rpc, config: EngineConfig) -> dict:
    """Past genesis, then the dev storage; returns the head."""
    head = rpc.head()
    for _ in range(3):  # chopsticks builds #1 itself at start; on a failed slot check the head stays #0
        if head["number"] > 0:
            break
        head = rpc.new_blocks(1)
    rpc.set_storage(subtensor_dev.accounts_and_sudo())
    try:
        rpc.set_storage(subtensor_dev.governance())
    except chopsticks.ChopsticksError as exc:  # a runtime without the governance pallets (finney today)
        log(f"no governance pallets to seat //Alice and the senate in: {exc}")
    if not config.mainnet_limits:
        rpc.set_storage(subtensor_dev.relaxed_limits())
    return head


class Engine:
    """The running engine: chopsticks' URL, its mining loop and the new-subnet watcher."""

    def __init__(self, config: EngineConfig, upstream: str) -> None:
        self.config = config
        self.upstream = upstream
        self.rpc = chopsticks.Rpc(upstream)
        self.netuids: set[int] | None = None  # known subnets; None until the first head is seen
        self.tasks: list[asyncio.Task] = []

    def on_startup(self) -> None:
        if self.config.mining == "interval":
            self.tasks.append(asyncio.get_running_loop().create_task(self._interval_mining()))
        if not self.config.mainnet_limits:
            self.tasks.append(asyncio.get_running_loop().create_task(self._watch_subnets()))

    async def _interval_mining(self) -> None:
        rpc = chopsticks.Rpc(self.upstream)  # its own HTTP session: the watcher's runs in another thread
        loop = asyncio.get_running_loop()
        next_tick = loop.time()
        while True:  # a block every block_time; one that takes longer delays the next, never doubles up
            next_tick = max(next_tick + self.config.block_time, loop.time())
            await asyncio.sleep(next_tick - loop.time())
            try:
                await asyncio.to_thread(rpc.new_blocks, 1)
            except Exception as exc:  # noqa: BLE001 - keep mining; the log tells why a block failed
                log(f"interval block failed: {exc}")

    def _netuids(self) -> set[int]:
        keys = self.rpc("state_getKeysPaged", NETWORKS_ADDED, 1000)
        return {int.from_bytes(bytes.fromhex(k[-4:]), "little") for k in keys}

    async def _watch_subnets(self) -> None:
        """subtensor's init_new_network sets TargetRegistrationsPerInterval to 1: raise it again."""
        import websockets

        ws_url = "ws" + self.upstream[len("http"):]
        while True:
            try:
                async with websockets.connect(ws_url, max_size=None, ping_interval=None) as ws:
                    await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_subscribeNewHeads",
                                              "params": []}))
                    async for _ in ws:
                        netuids = await asyncio.to_thread(self._netuids)
                        new = netuids - (netuids if self.netuids is None else self.netuids)
                        if new:
                            await asyncio.to_thread(self.rpc.set_storage, subtensor_dev.registrations_per_interval(new))
                            log(f"relaxed registrations per interval on new subnet(s) {sorted(new)}")
                        self.netuids = netuids
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect; chopsticks may be busy building
                log(f"subnet watcher: {exc}")
                await asyncio.sleep(1)


def write_node_file(config: EngineConfig, url: str, upstream: str, chopsticks_pid: int, head: dict,
                    genesis_hash: str, argv: list[str], ready_s: float) -> dict:
    from keystore.fs import atomic_write
    from localnet.__main__ import restart_argv

    doc = {"pid": os.getpid(), "engine": ENGINE, "url": url, "ws_url": "ws" + url[len("http"):],
           "host": config.host, "port": int(url.rsplit(":", 1)[1]), "upstream": upstream,
           "chopsticks_pid": chopsticks_pid, "data_dir": str(config.data_dir),
           "log": str(config.data_dir / LOG_FILE), "argv": restart_argv(argv), "started": time.time(), "mining": config.mining,
           "block_time": config.block_time, "mainnet_limits": config.mainnet_limits,
           "source": {"spec": str(config.chain_spec) if config.chain_spec else None,
                      "fork": config.source.endpoint, "at": config.at},
           "ready_s": round(ready_s, 3),
           "node": {"engine": ENGINE, "genesis_hash": genesis_hash, "head": head["number"], "head_hash": head["hash"],
                    "mining": config.mining, "block_time": config.block_time}}
    atomic_write(config.data_dir / NODE_FILE, json.dumps(doc).encode(), mode=0o644)
    return doc


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def run(config: EngineConfig, argv: list[str]) -> int:
    """Serve until SIGINT/SIGTERM; chopsticks is stopped and ``node.json`` removed on the way out."""
    import signal

    import uvicorn

    from btkit import process
    from btkit.errors import BtkitError
    from localnet.node import bind, signal_ready
    from localnet.rpc_bridge import Bridge

    started = time.monotonic()
    signal.signal(signal.SIGTERM, _interrupt)  # uvicorn restores and re-raises it after its graceful stop
    try:
        sock = bind(config.host, config.port)
    except OSError as exc:
        log(f"error: cannot listen on {config.host}:{config.port}: {exc.strerror}")
        return 1
    config.data_dir.mkdir(parents=True, exist_ok=True)
    (config.data_dir / SNAPSHOTS_FILE).unlink(missing_ok=True)
    log(f"starting chopsticks: {' '.join(config.source.argv())} (mining {config.mining})")
    proc = None
    try:
        proc, upstream = chopsticks.start(config.source, config.data_dir / LOG_FILE,
                                          "Instant" if config.mining == "instant" else "Manual")
        engine = Engine(config, upstream)
        head = prepare(engine.rpc, config)
        genesis_hash = engine.rpc("chain_getBlockHash", 0)
        url = http_url(config.host, sock.getsockname()[1])
        server = uvicorn.Server(uvicorn.Config(Bridge(upstream, engine.on_startup), loop="asyncio", http="httptools",
                                               ws="websockets-sansio", lifespan="on", log_level="warning",
                                               access_log=False, timeout_graceful_shutdown=2))

        async def watch_chopsticks() -> None:
            """chopsticks gone (killed, crashed): stop serving a bridge to nothing, so the engine exits."""
            while proc.poll() is None:
                await asyncio.sleep(0.5)
            log(f"error: chopsticks exited with code {proc.returncode}; stopping (its log is above)")
            server.should_exit = True

        async def serve() -> None:
            task = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.005)
            if server.started:
                record = write_node_file(config, url, upstream, proc.pid, head, genesis_hash, argv,
                                         time.monotonic() - started)
                signal_ready(config.ready_fd, record)
                log(f"subtensor engine ready at {url} (chopsticks {upstream}, head #{head['number']}, "
                    f"{time.monotonic() - started:.1f} s)")
            watch = asyncio.create_task(watch_chopsticks())
            try:
                await task
            finally:
                watch.cancel()
                for t in engine.tasks:
                    t.cancel()

        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    except BtkitError as exc:
        log(f"error: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
        return 1
    finally:
        if proc is not None:
            process.stop(proc.pid, marker=None)
        (config.data_dir / SNAPSHOTS_FILE).unlink(missing_ok=True)
        try:
            if json.loads((config.data_dir / NODE_FILE).read_text()).get("pid") == os.getpid():
                (config.data_dir / NODE_FILE).unlink()
        except (OSError, ValueError):
            pass
    log("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return run(parse(args), args)


if __name__ == "__main__":
    sys.exit(main())
