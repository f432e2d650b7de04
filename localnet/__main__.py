"""``python -m localnet``: run a node in the foreground (``btkit localnet up`` starts this)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from localnet.config import PROFILES, VOTE_WEIGHTS, MiningMode, NodeConfig


def parse(argv: list[str]) -> NodeConfig:
    p = argparse.ArgumentParser(prog="python -m localnet", description="btkit local chain node")
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9944, help="0 picks a free port")
    p.add_argument("--mining", choices=[m.value for m in MiningMode], default="interval")
    p.add_argument("--block-time", type=float, default=0.25)
    p.add_argument("--ephemeral", action="store_true", help="keep the chain in memory")
    p.add_argument("--profile", choices=PROFILES, default="dev")
    p.add_argument("--vote-weight", choices=VOTE_WEIGHTS, default="seat",
                   help="governance: one vote per senate seat, or weighed by root stake (a new chain's genesis)")
    p.add_argument("--log-format", choices=("text", "json"), default="text", help="node log lines")
    p.add_argument("--ready-fd", type=int, default=None,
                   help="a pipe to write one JSON line to once serving (what `btkit localnet up` waits on)")
    a = p.parse_args(argv)
    if not 0.01 <= a.block_time <= 3600:
        p.error("--block-time must be between 0.01 and 3600 seconds")
    return NodeConfig(data_dir=a.data_dir.expanduser().resolve(), host=a.host, port=a.port,
                      mining=MiningMode(a.mining), block_time=a.block_time, ephemeral=a.ephemeral, profile=a.profile,
                      vote_weight=a.vote_weight, log_format=a.log_format, ready_fd=a.ready_fd)


def restart_argv(argv: list[str]) -> list[str]:
    """``argv`` without ``--ready-fd N``: what ``node.json`` keeps to start the node again."""
    out, args = [], iter(argv)
    for arg in args:
        if arg == "--ready-fd":
            next(args, None)
        elif not arg.startswith("--ready-fd="):
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    from localnet.node import run

    args = sys.argv[1:] if argv is None else argv
    return run(parse(args), restart_argv(args))


if __name__ == "__main__":
    sys.exit(main())
