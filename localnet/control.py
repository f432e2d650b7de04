"""Start, find and stop node processes by data directory (what ``btkit localnet`` drives)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from btkit import process
from btkit.errors import BtkitError, ProcessError
from localnet.config import DB_FILE, LOG_FILE, NODE_FILE

MARKER = "localnet"  # in the node's cmdline: `python -m localnet --data-dir ...`
READY_TIMEOUT = 15.0


@dataclass
class UpOptions:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 9944
    mining: str = "interval"
    block_time: float = 0.25
    ephemeral: bool = False
    profile: str = "dev"
    log_format: str = "text"
    vote_weight: str = "seat"
    module = "localnet"  # what `python -m` runs (another engine's options name its own module)
    ready_timeout = READY_TIMEOUT

    def argv(self) -> list[str]:
        args = ["--data-dir", str(self.data_dir), "--host", self.host, "--port", str(self.port),
                "--mining", self.mining, "--block-time", str(self.block_time), "--profile", self.profile]
        if self.log_format != "text":
            args += ["--log-format", self.log_format]
        if self.vote_weight != "seat":
            args += ["--vote-weight", self.vote_weight]
        return args + (["--ephemeral"] if self.ephemeral else [])


def read_node_file(data_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((data_dir / NODE_FILE).read_text())
    except (OSError, ValueError):
        return None


def running(data_dir: Path) -> dict[str, Any] | None:
    """The node record of ``data_dir`` if its process is alive and is our node; cleans stale records."""
    info = read_node_file(data_dir)
    if info is None:
        return None
    pid = int(info.get("pid", 0))
    if pid and process.is_alive(pid) and process.cmdline_has(pid, MARKER) and process.cmdline_has(pid, str(data_dir)):
        return info
    (data_dir / NODE_FILE).unlink(missing_ok=True)  # stale: the process is gone
    return None


def up(options: UpOptions, detached: bool = True) -> tuple[dict[str, Any], Any]:
    """Start a node; return (its record, the Popen) once it serves RPC.

    The record is ``node.json`` (pid, url, data_dir, log, argv, ...) plus ``ready_s`` (seconds
    from spawn to ready) and ``node`` (what ``localnet_nodeInfo`` answers: genesis_hash, head,
    mining, ...). The node reports readiness on a pipe (``--ready-fd``) after it has written
    ``node.json`` and its server accepts requests. Raises ``ProcessError`` if it exits first or
    is not ready within ``READY_TIMEOUT`` seconds.
    """
    data_dir = options.data_dir
    existing = running(data_dir)
    if existing:
        raise BtkitError(f"a node is already running for {data_dir} (pid {existing['pid']}, {existing['url']})",
                         hint="stop it with `btkit localnet down`, or pass --data-dir for a second node")
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / LOG_FILE
    start = time.monotonic()
    read_end, write_end = os.pipe()
    try:
        proc = process.spawn(["-m", options.module, *options.argv(), "--ready-fd", str(write_end)], log,
                             detached=detached, pass_fds=(write_end,))
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    info = json.loads(process.wait_ready(proc, read_end, options.ready_timeout, log, what="node"))
    info["ready_s"] = round(time.monotonic() - start, 3)
    return info, proc


def down(data_dir: Path, timeout: float = 10.0) -> dict[str, Any] | None:
    info = running(data_dir)
    if info is None:
        return None
    process.stop(int(info["pid"]), marker=MARKER, timeout=timeout)
    if process.is_alive(int(info["pid"])):
        raise ProcessError(f"node pid {info['pid']} did not stop")
    (data_dir / NODE_FILE).unlink(missing_ok=True)
    return info


def wipe(data_dir: Path) -> list[str]:
    removed = []
    for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm"):
        p = data_dir / name
        if p.exists():
            p.unlink()
            removed.append(name)
    return removed


def parse_argv(argv: list[str]) -> UpOptions:
    from localnet.__main__ import parse

    c = parse(argv)
    return UpOptions(data_dir=c.data_dir, host=c.host, port=c.port, mining=c.mining.value,
                     block_time=c.block_time, ephemeral=c.ephemeral, profile=c.profile, log_format=c.log_format,
                     vote_weight=c.vote_weight)
