"""Shared by miners and validators: structured logs, registration checks, stop signals, state files."""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from btkit.errors import BtkitError


class Log:
    """One line per event on stderr: ``text`` for people, ``json`` for machines.

    A field that is None or empty (no error, no failures) is left out of a text line and kept in JSON
    (``null``, ``{}``): a text line never shows an empty ``error=``.
    """

    def __init__(self, fmt: str = "text", name: str = "neuron") -> None:
        self.fmt, self.name = fmt, name
        self.lock = threading.Lock()

    def __call__(self, event: str, **fields: Any) -> None:
        with self.lock:
            if self.fmt == "json":
                sys.stderr.write(json.dumps({"ts": round(time.time(), 3), "who": self.name, "event": event,
                                             **fields}) + "\n")
            else:
                extra = "  ".join(f"{k}={v}" for k, v in fields.items() if v is not None and v != {} and v != "")
                sys.stderr.write(f"{time.strftime('%H:%M:%S')} {self.name} {event}  {extra}\n")
            sys.stderr.flush()


def log_node_changes(chain, log: Log) -> None:
    """Log when a chain that follows ``--network local`` (``btkit.chain.follow``) switches nodes."""
    if hasattr(chain, "on_change"):
        chain.on_change = lambda old, new: log("node-changed", old=old, new=new)


def require_registration(chain, hotkey: str, netuid: int, kind: str) -> int:
    """The uid of ``hotkey`` on ``netuid`` (``chain``: a ``btkit.chain.Chain``); BtkitError when unregistered,
    ``PreconditionFailed`` (exit 4) on root (``RegistrationNotPermittedOnRootSubnet``: no neuron runs there)
    or on a subnet that does not exist (``SubNetworkDoesNotExist``)."""
    from btkit.chain.preflight import check_subnet

    check_subnet(chain, netuid, on_root="SubtensorModule.RegistrationNotPermittedOnRootSubnet")
    uid = chain.hotkey_info(hotkey).uid_on(netuid)
    if uid is not None:
        return uid
    raise BtkitError(f"the {kind} hotkey {hotkey} is not registered on subnet {netuid}",
                     hint=f"register it first: `btkit register --netuid {netuid} --wallet-name ... --hotkey ...`")


class StopFlag:
    """Set by SIGINT/SIGTERM/SIGHUP; loops poll it so that they finish the current step and exit
    cleanly. ``exit_code`` is what the process then exits with: 128 + the signal (130 for Ctrl-C),
    0 when no signal stopped it. (uvicorn re-raises the signal it stopped on once it has shut down:
    that lands here too.)"""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum: int | None = None
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, _frame) -> None:
        self.signum = self.signum or signum
        self.event.set()

    @property
    def exit_code(self) -> int:
        return 128 + self.signum if self.signum else 0

    def wait(self, seconds: float) -> bool:
        return self.event.wait(seconds)

    @property
    def stopped(self) -> bool:
        return self.event.is_set()


def neurons_dir() -> Path:
    from btkit import config

    d = config.home() / "neurons"
    d.mkdir(parents=True, exist_ok=True)
    return d


def save_json(path: Path, data: Any) -> None:
    from keystore.fs import atomic_write

    atomic_write(path, json.dumps(data).encode(), mode=0o644)


def load_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return default
