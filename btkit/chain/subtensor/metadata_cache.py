"""A disk cache of runtime metadata, so that each command does not download it again.

A network command needs the node's metadata (SCALE types, calls, storage, errors). Fetching it is a
``state_call`` of ``Metadata_metadata_at_version`` that returns ~300 KB to 1 MB (chopsticks runs
the runtime's wasm for it; a remote node sends it over the internet). The raw bytes are cached
per (genesis hash, spec name, spec version, transaction version), which identify a runtime, under
btkit's cache directory; the library decodes them as it would the node's answer.

This hooks ``SubstrateInterface._load_registry_at_block`` of async-substrate-interface 2.x (a
private method: pyproject pins ``<3``); without it, the plain client is used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    from btkit.pow.native import cache_dir as btkit_cache

    return btkit_cache() / "metadata"


def key(genesis_hash: str, version: dict[str, Any]) -> str:
    ident = f"{genesis_hash}:{version.get('specName')}:{version.get('specVersion')}:{version.get('transactionVersion')}"
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def interface_class() -> type:
    """``SubstrateInterface``, with its metadata fetch served from the cache when the library has the hook."""
    from async_substrate_interface import sync_substrate
    from async_substrate_interface import types as lib_types

    base = sync_substrate.SubstrateInterface
    decode = getattr(lib_types, "_decode_v15_metadata", None)
    unwrap = getattr(lib_types, "_decode_option_opaque_metadata", None)
    if decode is None or unwrap is None or not hasattr(base, "_load_registry_at_block"):
        return base

    class CachedMetadataInterface(base):  # type: ignore[misc, valid-type]
        def _load_registry_at_block(self, block_hash, runtime_config=None):
            if block_hash is None:
                return super()._load_registry_at_block(block_hash, runtime_config)
            path = cache_dir() / f"v15-{key(self.get_block_hash(0), self.get_block_runtime_info(block_hash))}.scale"
            try:
                raw = path.read_bytes()
            except OSError:
                answer = self.rpc_request("state_call", ["Metadata_metadata_at_version", self.metadata_version_hex],
                                          block_hash=block_hash)["result"]
                raw = unwrap(bytes.fromhex(answer.removeprefix("0x")))
                if raw is None:  # no v15 metadata: the library falls back to v14
                    return None
                _store(path, raw)
            return decode(raw, runtime_config=runtime_config)

    return CachedMetadataInterface


def _store(path: Path, raw: bytes) -> None:
    from keystore.fs import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, raw, mode=0o644)
    except OSError:
        pass  # a read-only home: fetch again next time
