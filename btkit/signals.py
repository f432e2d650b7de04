"""Signals a btkit command reacts to: SIGINT, SIGTERM and SIGHUP unwind the main thread.

Python's default for SIGTERM and SIGHUP ends the process at once: no ``finally`` runs, so worker
processes are left running as orphans and nothing is reported. The CLI root installs
``raise_on_termination`` first thing (this module imports only ``signal``: ``btkit --help`` stays fast).
"""

from __future__ import annotations

import signal


class Terminated(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP (``signum``), raised in the main thread as a KeyboardInterrupt so
    that the same cleanup runs for all three (``finally`` blocks stop worker processes)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_received: list[int] = []


def raise_on_termination() -> None:
    """Make SIGINT, SIGTERM and SIGHUP raise ``Terminated`` in the main thread and remember the
    signal (``received_signal``). Python's default for SIGTERM/SIGHUP ends the process at once,
    leaving its children to run on as orphans."""

    def handler(signum: int, _frame) -> None:
        _received.append(signum)
        raise Terminated(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


def received_signal() -> int | None:
    """The first signal ``raise_on_termination``'s handler received, if any."""
    return _received[0] if _received else None
