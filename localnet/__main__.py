"""``python -m localnet``: run a node in the foreground (``btkit localnet up`` starts this)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from localnet.config import PROFILES, MiningMode, NodeConfig


def parse(argv: list[str]) -> NodeConfig:
    p = argparse.ArgumentParser(prog="python -m localnet", description="btkit local chain node")
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9944, help="0 picks a free port")
    p.add_argument("--mining", choices=[m.value for m in MiningMode], default="interval")
    p.add_argument("--block-time", type=float, default=0.25)
    p.add_argument("--ephemeral", action="store_true", help="keep the chain in memory")
    p.add_argument("--profile", choices=PROFILES, default="dev")
    a = p.parse_args(argv)
    if not 0.01 <= a.block_time <= 3600:
        p.error("--block-time must be between 0.01 and 3600 seconds")
    return NodeConfig(data_dir=a.data_dir.expanduser().resolve(), host=a.host, port=a.port,
                      mining=MiningMode(a.mining), block_time=a.block_time, ephemeral=a.ephemeral, profile=a.profile)


def main(argv: list[str] | None = None) -> int:
    from localnet.node import run

    args = sys.argv[1:] if argv is None else argv
    return run(parse(args), args)


if __name__ == "__main__":
    sys.exit(main())
