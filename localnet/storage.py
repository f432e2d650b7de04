"""SQLite (WAL) storage: the state, the blocks, and an index of extrinsics.

One SQL transaction per block: a block and its state changes are committed together or
not at all, so a ``kill -9`` at any moment leaves the last committed block intact.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT UNIQUE NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS txindex (hash TEXT PRIMARY KEY, block INTEGER NOT NULL, idx INTEGER NOT NULL);
"""


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _dumps_block(block: dict[str, Any]) -> str:
    """Like ``_dumps`` but list by list, item by item: no single long GIL-holding encode."""
    parts = []
    for key, value in block.items():
        if isinstance(value, list):
            parts.append(f"{_dumps(key)}:[" + ",".join(_dumps(v) for v in value) + "]")
        else:
            parts.append(f"{_dumps(key)}:{_dumps(value)}")
    return "{" + ",".join(parts) + "}"


class Storage:
    def __init__(self, path: Path | None, readonly: bool = False) -> None:
        """``path`` None keeps everything in memory (``--ephemeral``)."""
        self.path = path
        # One connection shared by the RPC thread and the block-production thread: the lock
        # keeps a reader from seeing a block's rows before its COMMIT.
        self.lock = threading.RLock()
        if readonly and path is not None:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            return
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        if path is not None:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
        self.db.executescript(SCHEMA)

    # -- reads ------------------------------------------------------------------------
    def meta(self, key: str) -> Any:
        with self.lock:
            row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def load_state(self) -> dict[str, Any]:
        with self.lock:
            return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM state")}

    def block(self, number: int) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute("SELECT body FROM blocks WHERE number=?", (number,)).fetchone()
        return json.loads(row[0]) if row else None

    def block_number_by_hash(self, block_hash: str) -> int | None:
        with self.lock:
            row = self.db.execute("SELECT number FROM blocks WHERE hash=?", (block_hash,)).fetchone()
        return row[0] if row else None

    def head_number(self) -> int | None:
        with self.lock:
            row = self.db.execute("SELECT MAX(number) FROM blocks").fetchone()
        return row[0]

    def tx_location(self, tx_hash: str) -> tuple[int, int] | None:
        with self.lock:
            row = self.db.execute("SELECT block, idx FROM txindex WHERE hash=?", (tx_hash,)).fetchone()
        return (row[0], row[1]) if row else None

    def blocks_after(self, number: int):
        for (body,) in self.db.execute("SELECT body FROM blocks WHERE number>? ORDER BY number", (number,)):
            yield json.loads(body)

    # -- writes -----------------------------------------------------------------------
    def commit_block(self, block: dict[str, Any], changes: dict[str, Any], meta: dict[str, Any] | None = None) -> None:
        """Write a block, its extrinsic index and its state changes in one transaction."""
        upserts = [(k, _dumps(v)) for k, v in changes.items() if v is not None]
        deletes = [(k,) for k, v in changes.items() if v is None]
        txs = [(xt["hash"], block["header"]["number"], i) for i, xt in enumerate(block["extrinsics"])]
        db = self.db
        with self._transaction():
            if upserts:
                db.executemany("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", upserts)
            if deletes:
                db.executemany("DELETE FROM state WHERE key=?", deletes)
            db.execute("INSERT INTO blocks(number, hash, body) VALUES (?, ?, ?)",
                       (block["header"]["number"], block["hash"], _dumps_block(block)))
            if txs:
                db.executemany("INSERT OR REPLACE INTO txindex(hash, block, idx) VALUES (?, ?, ?)", txs)
            self._write_meta(meta)

    def replace_all(self, state: dict[str, Any], keep_blocks_upto: int | None,
                    meta: dict[str, Any] | None = None) -> None:
        """Rewrite the whole state (revert, load), dropping blocks after ``keep_blocks_upto``."""
        db = self.db
        with self._transaction():
            db.execute("DELETE FROM state")
            db.executemany("INSERT INTO state(key, value) VALUES (?, ?)", [(k, _dumps(v)) for k, v in state.items()])
            if keep_blocks_upto is None:
                db.execute("DELETE FROM blocks")
                db.execute("DELETE FROM txindex")
            else:
                db.execute("DELETE FROM blocks WHERE number>?", (keep_blocks_upto,))
                db.execute("DELETE FROM txindex WHERE block>?", (keep_blocks_upto,))
            self._write_meta(meta)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One SQL transaction under the lock: all of it lands, or none of it."""
        with self.lock:
            self.db.execute("BEGIN")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _write_meta(self, meta: dict[str, Any] | None) -> None:
        for key, value in (meta or {}).items():
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, _dumps(value)))

    def close(self) -> None:
        self.db.close()
