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


def stop(kind: str, name: str | None) -> None:
    from pathlib import Path

    from btkit import process

    stopped = []
    for rec in records(kind):
        if name and rec.get("name") != name:
            continue
        if rec["running"]:
            process.stop(rec["pid"], marker="btkit", timeout=10)
            stopped.append(rec["name"])
        Path(rec["file"]).unlink(missing_ok=True)
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
