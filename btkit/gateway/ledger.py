"""The gateway's ledger: clients' credit in rao, in SQLite, every change one atomic transaction.

Tables: ``payments`` (one row per paying extrinsic, key ``(block, extrinsic)``: a payment is
credited once however often its block is read), ``credits`` (account -> rao), ``debits`` (one
row per paid request, key = the request hash: a replayed request cannot be charged twice),
``meta`` (the account paid to, the next block to read). A block's payments and the cursor move in
one transaction, so a kill -9 at any point either applied a block entirely or not at all and the
restarted watcher reads it again. A debit is *held* before miners are called and *charged* before
the answer is sent; holds left by a crash are refunded at the next start, failed requests at once.
WAL journal with ``synchronous=FULL``: a committed change survives a crash of the process or the
machine.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from btkit.errors import BtkitError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS payments (block INTEGER NOT NULL, extrinsic INTEGER NOT NULL, payer TEXT NOT NULL,
                                     amount INTEGER NOT NULL, PRIMARY KEY (block, extrinsic));
CREATE TABLE IF NOT EXISTS credits (account TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0));
CREATE TABLE IF NOT EXISTS debits (request_hash TEXT PRIMARY KEY, account TEXT NOT NULL, price INTEGER NOT NULL,
                                   state TEXT NOT NULL, created REAL NOT NULL);
"""


@dataclass(frozen=True)
class Payment:
    """``amount`` rao that ``payer`` sent to the gateway's account in extrinsic ``extrinsic`` of ``block``."""

    block: int
    extrinsic: int
    payer: str
    amount: int


class InsufficientCredit(BtkitError):
    code = "payment_required"

    def __init__(self, credit: int, price: int) -> None:
        super().__init__(f"credit {credit} rao is below the price of {price} rao")
        self.credit, self.price = credit, price


class DuplicateRequest(BtkitError):
    code = "replayed"


class Ledger:
    """Thread-safe (one connection, one lock). ``pay_to``: the SS58 account clients pay; a ledger
    file belongs to one account (opening it for another raises ``BtkitError``). ``start_block``:
    where the watcher starts the first time (later it resumes where it stopped)."""

    def __init__(self, path: Path, pay_to: str, start_block: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
        self.lock = threading.Lock()
        with self.lock:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(SCHEMA)
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('pay_to', ?)", (pay_to,))
            db.execute("INSERT OR IGNORE INTO meta VALUES ('next_block', ?)", (str(start_block),))
            owner = db.execute("SELECT value FROM meta WHERE key = 'pay_to'").fetchone()[0]
        if owner != pay_to:
            raise BtkitError(f"the ledger {path} records payments to {owner}, not to {pay_to}",
                             hint="use the same payment account, or another state directory")

    @contextlib.contextmanager
    def _tx(self):
        """One write transaction (``BEGIN IMMEDIATE``), committed on success, rolled back on error."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _one(self, sql: str, args: tuple = ()):
        with self.lock:
            return self.db.execute(sql, args).fetchone()

    @property
    def next_block(self) -> int:
        return int(self._one("SELECT value FROM meta WHERE key = 'next_block'")[0])

    def apply_block(self, block: int, payments: Iterable[Payment]) -> list[Payment]:
        """Credit ``block``'s payments and move the cursor past it, atomically; returns what was newly
        credited (nothing when the block was applied before: idempotent)."""
        credited = []
        with self._tx() as db:
            if int(db.execute("SELECT value FROM meta WHERE key = 'next_block'").fetchone()[0]) > block:
                return []
            for p in payments:
                cur = db.execute("INSERT OR IGNORE INTO payments VALUES (?, ?, ?, ?)",
                                 (p.block, p.extrinsic, p.payer, p.amount))
                if cur.rowcount:
                    db.execute("INSERT INTO credits VALUES (?, ?) ON CONFLICT(account) DO UPDATE "
                               "SET balance = balance + excluded.balance", (p.payer, p.amount))
                    credited.append(p)
            db.execute("UPDATE meta SET value = ? WHERE key = 'next_block'", (str(block + 1),))
        return credited

    def credit(self, account: str) -> int:
        row = self._one("SELECT balance FROM credits WHERE account = ?", (account,))
        return int(row[0]) if row else 0

    def paid(self, account: str) -> int:
        """Everything ``account`` ever paid in (rao): only grows, whatever its queries cost meanwhile."""
        return int(self._one("SELECT COALESCE(SUM(amount), 0) FROM payments WHERE payer = ?", (account,))[0])

    def hold(self, account: str, price: int, request_hash: str) -> int:
        """Take ``price`` rao from ``account``'s credit for one request; returns the credit left.
        Raises ``InsufficientCredit`` or ``DuplicateRequest`` (this request hash was seen before)."""
        with self._tx() as db:
            if db.execute("SELECT 1 FROM debits WHERE request_hash = ?", (request_hash,)).fetchone():
                raise DuplicateRequest("replayed request: this request was already paid for")
            row = db.execute("UPDATE credits SET balance = balance - ? WHERE account = ? AND balance >= ? "
                             "RETURNING balance", (price, account, price)).fetchone()
            if row is None:
                have = db.execute("SELECT balance FROM credits WHERE account = ?", (account,)).fetchone()
                raise InsufficientCredit(int(have[0]) if have else 0, price)
            db.execute("INSERT INTO debits VALUES (?, ?, ?, 'held', ?)", (request_hash, account, price, time.time()))
            return int(row[0])

    def charge(self, request_hash: str) -> None:
        """The request is answered: its hold becomes a charge."""
        with self._tx() as db:
            db.execute("UPDATE debits SET state = 'charged' WHERE request_hash = ? AND state = 'held'",
                       (request_hash,))

    def refund(self, request_hash: str) -> None:
        """The request failed: give the held price back (once)."""
        with self._tx() as db:
            self._refund(db, request_hash)

    def refund_held(self) -> int:
        """At start: refund the holds a crash left behind; returns how many."""
        with self._tx() as db:
            held = [r[0] for r in db.execute("SELECT request_hash FROM debits WHERE state = 'held'")]
            for h in held:
                self._refund(db, h)
        return len(held)

    @staticmethod
    def _refund(db, request_hash: str) -> None:
        row = db.execute("UPDATE debits SET state = 'refunded' WHERE request_hash = ? AND state = 'held' "
                         "RETURNING account, price", (request_hash,)).fetchone()
        if row:
            db.execute("UPDATE credits SET balance = balance + ? WHERE account = ?", (row[1], row[0]))

    def payments(self) -> list[Payment]:
        with self.lock:
            return [Payment(*r) for r in self.db.execute("SELECT * FROM payments ORDER BY block, extrinsic")]

    def debits(self, state: str = "charged") -> dict[str, tuple[str, int]]:
        """request hash -> (account, price) for the debits in ``state`` (held, charged, refunded)."""
        with self.lock:
            return {r[0]: (r[1], r[2]) for r in
                    self.db.execute("SELECT request_hash, account, price FROM debits WHERE state = ?", (state,))}

    def close(self) -> None:
        with self.lock:
            self.db.close()
