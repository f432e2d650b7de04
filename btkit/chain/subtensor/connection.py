"""The connection to a Substrate node: async-substrate-interface's sync client, opened on first use.

The library (btcli's) reads the node's metadata and does all SCALE encoding, storage hashing and
extrinsic formatting; this module only opens it, closes it at exit, and turns its failures into
btkit's errors (``NodeUnreachableError``, exit 3, naming the URL the user gave).

A Substrate node serves HTTP and WebSocket JSON-RPC on one port: an ``http(s)://`` URL is
reached over ``ws(s)://`` on the same host and port (the library speaks WebSocket only).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import threading
from typing import Any, Iterator

from btkit.errors import BtkitError, NodeUnreachableError

SS58_FORMAT = 42


def websocket_url(url: str) -> str:
    """``http(s)://`` -> ``ws(s)://`` (same host, port and path); ``ws(s)://`` unchanged."""
    for plain, ws in (("https://", "wss://"), ("http://", "ws://")):
        if url.startswith(plain):
            return ws + url[len(plain):]
    return url


def api_id(name: str) -> str:
    """The id a runtime lists an API under in ``state_getRuntimeVersion().apis``: blake2b-64 of its name."""
    return "0x" + hashlib.blake2b(name.encode(), digest_size=8).hexdigest()


class Connection:
    """One node at ``url``; ``si`` is the library's ``SubstrateInterface`` (connects on first use)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.ws_url = websocket_url(url)
        self.timeout = timeout
        self._si: Any = None
        self._version: dict[str, Any] | None = None
        # one websocket, one request at a time: neurons call the chain from several threads
        self._lock = threading.RLock()

    @property
    def si(self) -> Any:
        """The library client (open it inside ``guard()``: calls on it are serialized there)."""
        if self._si is None:
            with self._lock:
                if self._si is None:
                    self._si = self._open()
        return self._si

    def _open(self) -> Any:
        import logging

        from btkit.chain.subtensor.metadata_cache import interface_class

        quiet = logging.getLogger("async_substrate_interface")  # its errors come back to btkit as exceptions
        quiet.addHandler(logging.NullHandler())
        quiet.propagate = False

        with self.guard():
            si = interface_class()(self.ws_url, ss58_format=SS58_FORMAT, max_retries=1,
                                   retry_timeout=self.timeout)
        # The decoded metadata is a large graph of objects that lives until exit: keep the garbage
        # collector from walking it again and again (and once more at exit: ~0.5 s a command).
        gc.freeze()
        atexit.register(self.close)  # its websocket thread would keep the process alive
        return si

    def unreachable(self, reason: str) -> NodeUnreachableError:
        return NodeUnreachableError(f"no Substrate node answers at {self.url} ({reason})",
                                    hint="check the URL and that the node is up (--network local is btkit's localnet)")

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """One library call at a time; library and socket failures -> ``NodeUnreachableError``,
        RPC errors -> ``BtkitError``."""
        from async_substrate_interface.errors import SubstrateRequestException
        from websockets.exceptions import InvalidHandshake, InvalidURI, WebSocketException

        try:
            with self._lock:
                yield
        except InvalidURI:
            from btkit.errors import UsageError

            raise UsageError(f"not a node URL: {self.url!r}", hint="use ws://HOST:PORT or wss://HOST:PORT") from None
        except (InvalidHandshake, WebSocketException, ConnectionError, TimeoutError, OSError) as exc:
            raise self.unreachable(str(exc) or type(exc).__name__) from None
        except SubstrateRequestException as exc:
            if isinstance(exc.args[0] if exc.args else None, dict) or "Max retries" in str(exc):
                raise self.unreachable(str(exc)) from None
            raise BtkitError(f"the node at {self.url} refused a request: {exc}") from None

    def rpc(self, method: str, *params: Any) -> Any:
        """A raw JSON-RPC call; its ``result``."""
        with self.guard():
            return self.si.rpc_request(method, list(params)).get("result")

    # -- runtime -----------------------------------------------------------------------
    @property
    def runtime_version(self) -> dict[str, Any]:
        if self._version is None:
            self._version = self.rpc("state_getRuntimeVersion")
        return self._version

    @property
    def spec_version(self) -> int:
        return int(self.runtime_version["specVersion"])

    def has_api(self, name: str) -> bool:
        """Whether the runtime implements the runtime API ``name`` (e.g. ``SubnetRegistrationRuntimeApi``)."""
        ident = api_id(name)
        return any(a[0] == ident for a in self.runtime_version.get("apis", []))

    def call_args(self, pallet: str, function: str) -> list[str] | None:
        """The argument names of ``pallet.function`` in the node's metadata, None when it has no such call."""
        with self.guard():
            for p in self.si.metadata.pallets:
                if p.name == pallet:
                    for call in p.calls or []:
                        if call.name == function:
                            return [a.name for a in call.args]
        return None

    def has_storage(self, pallet: str, item: str) -> bool:
        with self.guard():
            for p in self.si.metadata.pallets:
                if p.name == pallet and p.storage is not None:
                    return any(s.name == item for s in p.storage)
        return False

    def close(self) -> None:
        if self._si is not None:
            si, self._si = self._si, None
            with contextlib.suppress(Exception):
                si.close()
