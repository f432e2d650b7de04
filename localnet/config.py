"""Node settings (anvil-style ``NodeConfig`` with a ``test()`` preset)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class MiningMode(str, enum.Enum):
    INTERVAL = "interval"
    INSTANT = "instant"
    MANUAL = "manual"


PROFILES = ("dev", "mainnet")
VOTE_WEIGHTS = ("seat", "stake")
NODE_FILE = "node.json"  # pid, url, args: written when ready, removed on clean exit
LOG_FILE = "node.log"
DB_FILE = "chain.db"


@dataclass
class NodeConfig:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 9944
    mining: MiningMode = MiningMode.INTERVAL
    block_time: float = 0.25
    ephemeral: bool = False
    profile: str = "dev"
    vote_weight: str = "seat"  # governance votes: per seat, or weighed by root stake (set at genesis)
    max_body_bytes: int = 8 * 1024 * 1024
    log_format: str = "text"  # the node log's lines: text or json (localnet/log.py)
    ready_fd: int | None = None  # write end of the parent's ready pipe (``--ready-fd``)
    extra: dict = field(default_factory=dict)

    @classmethod
    def test(cls, data_dir: Path) -> "NodeConfig":
        return cls(data_dir=data_dir, port=0, mining=MiningMode.INSTANT)

    @property
    def db_path(self) -> Path | None:
        return None if self.ephemeral else self.data_dir / DB_FILE

    @property
    def node_file(self) -> Path:
        return self.data_dir / NODE_FILE
