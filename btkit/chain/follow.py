"""A chain that follows ``--network local`` across node restarts, for long-running processes.

A miner or validator outlives the localnet it started with: ``btkit localnet down`` then ``up``
starts a node on another port, ``localnet reset`` one with another genesis. ``Following`` reads
the data dir's ``node.json`` again when the node stops answering (``NodeUnreachableError``) or
refuses a signature (``BadProof``: the genesis changed), rebuilds the backend for the node found
there and repeats the operation once. Explicit URLs are never re-resolved (``connect_following``
returns the plain backend for them).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from btkit.chain.errors import TransactionRejected
from btkit.chain.interface import Chain
from btkit.chain.network import Endpoint, resolve
from btkit.errors import NodeUnreachableError


def connect_following(network: str | None, data_dir: Path | None = None, cfg=None, timeout: float = 10.0) -> Chain:
    """``btkit.chain.connect``, following the localnet when ``network`` resolves through ``local``."""
    from btkit.chain import open_endpoint

    endpoint = resolve(network, data_dir, cfg)
    if not endpoint.local:
        return open_endpoint(endpoint, timeout)
    return Following(lambda: resolve(network, data_dir, cfg), timeout)  # type: ignore[return-value]


class Following:
    """Delegates to the backend of the current local node; see the module docstring.

    ``on_change(old_url, new_url)``, when set, is called after a switch (neurons log it).
    """

    def __init__(self, locate: Callable[[], Endpoint], timeout: float = 10.0) -> None:
        from btkit.chain import open_endpoint

        self._locate, self._timeout, self._open = locate, timeout, open_endpoint
        self._chain = open_endpoint(locate(), timeout)
        self.on_change: Callable[[str, str], None] | None = None

    @property
    def url(self) -> str:
        return self._chain.url

    def _switch(self) -> None:
        old = self._chain.url
        self._chain.close()
        self._chain = self._open(self._locate(), self._timeout)
        if self.on_change is not None:
            self.on_change(old, self._chain.url)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._chain, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return getattr(self._chain, name)(*args, **kwargs)
            except NodeUnreachableError:
                self._switch()
            except TransactionRejected as exc:
                if exc.reason != "BadProof":
                    raise
                self._switch()
            return getattr(self._chain, name)(*args, **kwargs)

        return call
