"""What `btkit miner` and `btkit validator` share: detach, stop, ps (pidfiles under $BTKIT_HOME/neurons)."""

from __future__ import annotations

import sys
from typing import Any

from btkit.errors import BtkitError
from commands._common import env


def record_name(kind: str, netuid: int, wallet: str, hotkey: str) -> str:
    return f"{kind}-{netuid}-{wallet}-{hotkey}"


def records(kind: str) -> list[dict[str, Any]]:
    from btkit import process
    from btkit.neurons.runtime import load_json, neurons_dir

    out = []
    for path in sorted(neurons_dir().glob(f"{kind}-*.json")):
        rec = load_json(path, None)
        if not rec or "pid" not in rec:
            continue
        rec["running"] = process.is_alive(rec["pid"]) and process.cmdline_has(rec["pid"], "btkit")
        rec["file"] = str(path)
        out.append(rec)
    return out


def detach(kind: str, name: str, argv: list[str]) -> None:
    """Start `python -m btkit <argv>` in the background with a pidfile and a log; return when it runs."""
    import time

    from btkit import process
    from btkit.neurons.runtime import neurons_dir, save_json

    d = neurons_dir()
    current = next((r for r in records(kind) if r.get("name") == name and r["running"]), None)
    if current:
        raise BtkitError(f"{name} is already running (pid {current['pid']})", hint=f"`btkit {kind} stop` first")
    log = d / f"{name}.log"
    proc = process.spawn(["-m", "btkit", *argv], log, detached=True)
    time.sleep(0.5)
    if proc.poll() is not None:
        raise BtkitError(f"the {kind} exited at start: {process.log_tail(log)}", hint=f"full log: {log}")
    save_json(d / f"{name}.json", {"name": name, "kind": kind, "pid": proc.pid, "log": str(log), "argv": argv,
                                   "started": time.time()})
    env().result({"name": name, "pid": proc.pid, "log": str(log)},
                 lambda out: out.print(f"{kind} {name} running in the background (pid {proc.pid}); log: {log}",
                                       markup=False))


def _network_of(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg in ("--network", "--subtensor.network") and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(("--network=", "--subtensor.network=")):
            return arg.split("=", 1)[1]
    return None


def attached(url: str, default_localnet: bool) -> list[dict[str, Any]]:
    """Running miners and validators that use the node at ``url``: by that URL, or through
    ``--network local`` (or the config's network, when it is local) when it is the default localnet."""
    from commands._common import settings

    out = []
    for kind in ("miner", "validator"):
        for rec in records(kind):
            network = _network_of(rec.get("argv", [])) or settings()["network"]
            if rec["running"] and (network.rstrip("/") == url.rstrip("/") or (network == "local" and default_localnet)):
                out.append(rec)
    return out


def stop_records(recs: list[dict[str, Any]]) -> list[str]:
    """Stop these neuron records' processes (SIGTERM, then SIGKILL after 10 s); the names stopped."""
    from pathlib import Path

    from btkit import process

    stopped = []
    for rec in recs:
        if rec["running"]:
            process.stop(rec["pid"], marker="btkit", timeout=10)
            stopped.append(rec["name"])
        Path(rec["file"]).unlink(missing_ok=True)
    return stopped


def stop(kind: str, name: str | None) -> None:
    stopped = stop_records([rec for rec in records(kind) if not name or rec.get("name") == name])
    env().result({"stopped": stopped}, lambda out: out.print(
        f"stopped {', '.join(stopped)}" if stopped else f"no {kind} running"))


def ps(kind: str) -> None:
    recs = records(kind)
    env().result({"processes": recs}, lambda out: [out.print(
        f"{r['name']:<40} pid {r['pid']:<8} {'running' if r['running'] else 'exited'}  log {r['log']}", markup=False)
        for r in recs] or out.print(f"no {kind} processes"))


def foreground_argv(ctx_args: list[str]) -> list[str]:
    return [a for a in ctx_args if a != "--detach"]


def raw_argv() -> list[str]:
    return sys.argv[1:]
