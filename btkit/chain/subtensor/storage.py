"""Storage reads, by subtensor's pallet and item names, decoded by the library from metadata.

``Reader.multi`` fetches many items in one ``state_queryStorageAt`` round trip (absent keys give
the item's default from metadata, as the runtime would read them); ``Reader.map`` iterates a
map under a key prefix. Names: subtensor ``pallets/subtensor/src/lib.rs`` (spec 218 is the
rao build of January 2025, opentensor/subtensor 15f8eb799).
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from btkit.chain.subtensor.connection import Connection

Item = tuple[str, str, Sequence[Any]]  # (pallet, storage item, keys)


class Reader:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def one(self, pallet: str, item: str, keys: Sequence[Any] = (), at: str | None = None) -> Any:
        with self.conn.guard():
            obj = self.conn.si.query(pallet, item, list(keys), block_hash=at)
        return None if obj is None else getattr(obj, "value", obj)

    def multi(self, items: Iterable[Item], at: str | None = None) -> list[Any]:
        """The values of ``items``, in order, read at one block (``at``, default the best block)."""
        items = list(items)
        if not items:
            return []
        si = self.conn.si
        with self.conn.guard():
            keys = [si.create_storage_key(p, i, list(k), block_hash=at) for p, i, k in items]
            by_key: dict[str, Any] = {}
            for start in range(0, len(keys), 512):  # keep each request of a big metagraph moderate
                for key, value in si.query_multi(keys[start:start + 512], block_hash=at):
                    by_key[key.to_hex()] = getattr(value, "value", value)
        return [by_key.get(k.to_hex()) for k in keys]

    def map(self, pallet: str, item: str, prefix: Sequence[Any] = (), at: str | None = None) -> list[tuple[Any, Any]]:
        """Every (remaining key, value) of a map under ``prefix`` keys."""
        with self.conn.guard():
            result = self.conn.si.query_map(pallet, item, list(prefix), block_hash=at, page_size=1000)
            return [(_plain(k), _plain(v)) for k, v in result]

    def head_hash(self) -> str:
        with self.conn.guard():
            return self.conn.si.get_chain_head()


def _plain(obj: Any) -> Any:
    return getattr(obj, "value", obj)
