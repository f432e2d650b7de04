"""chopsticks (npm ``@acala-network/chopsticks``, pinned by ``localnet/chopsticks/package-lock.json``):
find or install it, start it, talk to its dev RPC.

chopsticks runs a real Substrate runtime (here: subtensor's) from a raw chain spec
(``--genesis``) or from a live network's state, fetched lazily (``--endpoint``, optionally
``--block``). Blocks are built on request (``--build-block-mode Manual`` + ``dev_newBlock``) or
one per submitted extrinsic (``Instant``).

Where chopsticks comes from, first match wins:
``$BTKIT_CHOPSTICKS`` (a path to the executable), this package's
``localnet/chopsticks/node_modules`` (what ``make test`` installs), ``$BTKIT_HOME/chopsticks``
(installed by btkit on first use), ``chopsticks`` on ``PATH``; else btkit installs it into
``$BTKIT_HOME/chopsticks`` with ``npm ci`` from the packaged lockfile (needs Node.js >= 20).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from btkit import process
from btkit.errors import BtkitError, ProcessError
from btkit.net.urls import http_url

PACKAGE_DIR = Path(__file__).resolve().parent / "chopsticks"  # package.json + package-lock.json
MIN_NODE = 20
READY_TIMEOUT = 60.0  # a fork fetches metadata and the runtime from its endpoint first
_LISTENING = re.compile(rb"RPC listening on http://(\S+):(\d+)")
_NODE_HINT = f"install Node.js >= {MIN_NODE} (https://nodejs.org), then run the command again"


class ChopsticksMissing(BtkitError):
    code = "chopsticks_missing"


def _bin(root: Path) -> Path:
    return root / "node_modules" / ".bin" / "chopsticks"


def install_dir() -> Path:
    from btkit.config import home

    return home() / "chopsticks"


def node_version(node: str | None = None) -> tuple[int, ...] | None:
    """Node.js's version, or None when ``node`` is not installed."""
    node = node or shutil.which("node")
    if node is None:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return None
    return tuple(int(x) for x in re.findall(r"\d+", out)[:3]) or None


def require_node() -> str:
    """The ``node`` executable; ChopsticksMissing when absent or older than Node.js 20."""
    node = shutil.which("node")
    version = node_version(node)
    if node is None or version is None:
        raise ChopsticksMissing(f"the subtensor engine runs chopsticks, which needs Node.js >= {MIN_NODE}; "
                                "`node` is not on PATH", hint=_NODE_HINT)
    if version[0] < MIN_NODE:
        raise ChopsticksMissing(f"the subtensor engine needs Node.js >= {MIN_NODE}; found "
                                f"{'.'.join(map(str, version))}", hint=_NODE_HINT)
    return node


def find() -> Path | None:
    """The chopsticks executable btkit would run, or None (see the module docstring for the order)."""
    override = os.environ.get("BTKIT_CHOPSTICKS")
    if override:
        path = Path(override).expanduser()
        if not path.exists():
            raise ChopsticksMissing(f"BTKIT_CHOPSTICKS points to {path}, which does not exist")
        return path
    for candidate in (_bin(PACKAGE_DIR), _bin(install_dir())):
        if candidate.exists():
            return candidate
    on_path = shutil.which("chopsticks")
    return Path(on_path) if on_path else None


def install(progress=sys.stderr) -> Path:
    """``npm ci`` the pinned chopsticks into ``$BTKIT_HOME/chopsticks``; npm's progress goes to ``progress``."""
    require_node()
    npm = shutil.which("npm")
    if npm is None:
        raise ChopsticksMissing(f"the subtensor engine installs chopsticks with npm (part of Node.js >= {MIN_NODE}); "
                                "`npm` is not on PATH", hint=_NODE_HINT)
    target = install_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(PACKAGE_DIR / name, target / name)
    progress.write(f"Installing chopsticks (pinned by btkit's lockfile) into {target} with npm ci ...\n")
    progress.flush()
    started = time.monotonic()
    code = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel", "http"], cwd=target,
                          stdout=progress, stderr=progress, stdin=subprocess.DEVNULL).returncode
    if code != 0 or not _bin(target).exists():
        raise ChopsticksMissing(f"`npm ci` in {target} failed (exit {code})",
                                hint="check the network and npm's output above, then run the command again")
    progress.write(f"chopsticks installed in {time.monotonic() - started:.0f} s\n")
    progress.flush()
    return _bin(target)


def executable() -> list[str]:
    """argv prefix that runs chopsticks: found, else installed now."""
    node = require_node()
    path = find() or install()
    real = path.resolve()
    # npm's .bin entries are links to a `#!/usr/bin/env node` script: run it with the node we checked.
    return [node, str(real)] if real.suffix in (".cjs", ".js", ".mjs") else [str(path)]


@dataclass
class Source:
    """What chopsticks runs: a raw chain spec (genesis) or a live endpoint (fork) at a block."""

    chain_spec: Path | None = None
    endpoint: str | None = None
    block: int | str | None = None

    def argv(self) -> list[str]:
        if self.chain_spec is not None:
            return ["--genesis", str(self.chain_spec)]
        args = ["--endpoint", str(self.endpoint)]
        return args + (["--block", str(self.block)] if self.block is not None else [])


PROBE_TIMEOUT = 10.0  # seconds for a fork's endpoint to answer one request


def probe(endpoint: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Check that a node answers ``chain_getHeader`` at a fork's ``endpoint`` (ws(s):// or http(s)://)
    before chopsticks is started on it: chopsticks retries an unreachable endpoint until the engine's
    ready timeout (60 s, silently). Raises NodeUnreachableError (exit 3) after at most ``timeout`` s."""
    import json

    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    from btkit.chain.subtensor.connection import websocket_url
    from btkit.errors import NodeUnreachableError

    url = websocket_url(endpoint)
    try:
        with connect(url, open_timeout=timeout, close_timeout=1, max_size=None) as ws:
            ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}))
            reply = json.loads(ws.recv(timeout=timeout))
    except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
    else:
        if isinstance(reply, dict) and "result" in reply:
            return
        reason = f"unexpected answer: {str(reply)[:200]}"
    raise NodeUnreachableError(f"cannot fork {endpoint}: no Substrate node answers there ({reason})",
                               hint="check the URL and your network; --chain-spec FILE runs offline")


def start(source: Source, log_path: Path, build_block_mode: str = "Manual", host: str = "127.0.0.1",
          timeout: float = READY_TIMEOUT) -> tuple[subprocess.Popen, str]:
    """Start chopsticks on a free port, attached (it dies with this process); returns (Popen, http URL).

    Ready means: it logged ``RPC listening on ...`` (after it built or fetched its head block).
    Raises ProcessError when it exits first or is not ready within ``timeout`` seconds.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    offset = log_path.stat().st_size if log_path.exists() else 0
    argv = [*executable(), *source.argv(), "--host", host, "--port", "0", "--build-block-mode", build_block_mode]
    # One line per log record (chopsticks' pino-pretty prints each record's fields on lines of their own).
    env = {"LOG_COMPACT": "true", **os.environ}
    proc = process.spawn_command(argv, log_path, detached=False, env=env)
    deadline = time.monotonic() + timeout
    while True:  # chopsticks says where it listens only in its log
        with open(log_path, "rb") as fh:
            fh.seek(offset)
            match = _LISTENING.search(fh.read())
        if match:
            addr = match.group(1).decode()
            return proc, http_url(host if addr in ("[::]", "0.0.0.0") else addr, int(match.group(2)))
        if proc.poll() is not None:
            raise ProcessError(f"chopsticks exited with code {proc.returncode} before it was ready: "
                               f"{process.log_tail(log_path)}", hint=f"full log: {log_path}")
        if time.monotonic() > deadline:
            process.stop(proc.pid, marker=None)
            raise ProcessError(f"chopsticks was not ready within {timeout:.0f} s", hint=f"see {log_path}")
        time.sleep(0.05)


class Rpc:
    """JSON-RPC over HTTP to one chopsticks (its dev_* methods included)."""

    def __init__(self, url: str, timeout: float = 120.0) -> None:
        import requests

        self.url = url
        self.timeout = timeout
        self._session = requests.Session()

    def __call__(self, method: str, *params: Any, timeout: float | None = None) -> Any:
        import requests

        try:
            reply = self._session.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                                       "params": list(params)}, timeout=timeout or self.timeout)
            doc = reply.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProcessError(f"chopsticks at {self.url} did not answer {method}: {exc}") from None
        if "error" in doc:
            raise ChopsticksError(method, doc["error"].get("message", str(doc["error"])))
        return doc.get("result")

    def head(self) -> dict[str, Any]:
        """{"number": int, "hash": "0x.."} of the best block."""
        header = self("chain_getHeader")
        return {"number": int(header["number"], 16), "hash": self("chain_getBlockHash", int(header["number"], 16))}

    def new_blocks(self, count: int = 1, unsafe_block_height: int | None = None) -> dict[str, Any]:
        """Build ``count`` blocks (or one block at height ``unsafe_block_height``); returns the new head.

        The first block after genesis fails on about 1 start in 8 with "Timestamp slot must match
        CurrentSlot" (subtensor's Aura slot check under chopsticks' timestamp inherent): it is
        built again, at most three times.
        """
        params: dict[str, Any] = {"count": count}
        if unsafe_block_height is not None:
            params = {"unsafeBlockHeight": unsafe_block_height}
        for attempt in range(3):
            try:
                self("dev_newBlock", params, timeout=max(self.timeout, 2.0 * count))
                break
            except ChopsticksError as exc:
                if "CurrentSlot" not in exc.detail or attempt == 2:
                    raise
        return self.head()

    def set_storage(self, doc: dict[str, Any] | list) -> str:
        """``dev_setStorage`` on the head; ``doc`` in chopsticks' JSON form ({Pallet: {Item: value}})."""
        return self("dev_setStorage", doc)

    def set_head(self, block_hash: str) -> None:
        self("dev_setHead", block_hash)


class ChopsticksError(BtkitError):
    """chopsticks answered a call with an error."""

    code = "chopsticks"

    def __init__(self, method: str, message: str) -> None:
        super().__init__(f"chopsticks refused {method}: {message}")
        self.method, self.detail = method, message
