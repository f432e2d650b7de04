"""Multi-process CPU solver: worker processes run the native kernel over disjoint nonce chunks.

Workers stay alive between chunks (and between ``solve`` calls); a shared stop flag ends a
search as soon as any worker finds a nonce. ``close()`` (or the context manager) stops them;
they ignore Ctrl-C (the parent stops them) and die with the parent whatever ends it
(``btkit.process.worker_init``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time

CHUNK = 1 << 17  # nonces per kernel call: ~0.1 s, so a stop request is seen quickly


def native_available() -> bool:
    from btkit.pow import native

    return native.load() is not None


def _worker(parent_pid, tasks, results, stop) -> None:
    from btkit.pow import native
    from btkit.process import worker_init

    worker_init(parent_pid)
    native.load()
    while True:
        task = tasks.get()
        if task is None:
            return
        job, prefix, difficulty, start, count = task
        if stop.value == job:
            results.put((job, start, None, 0))
            continue
        found, done = None, 0
        while done < count and stop.value != job:
            n = min(CHUNK, count - done)
            found = native.solve_range(prefix, difficulty, start + done, n)
            if found is not None:
                done = found - start + 1
                break
            done += n
        results.put((job, start, found, done))


class MultiProcessSolver:
    name = "native-cpu"

    def __init__(self, processes: int | None = None) -> None:
        self.processes = max(1, processes or os.cpu_count() or 1)
        ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
        self._tasks, self._results = ctx.Queue(), ctx.Queue()
        self._stop = ctx.Value("q", 0, lock=False)
        self._job = 0
        self._workers = [ctx.Process(target=_worker, args=(os.getpid(), self._tasks, self._results, self._stop),
                                     daemon=True)
                         for _ in range(self.processes)]
        for w in self._workers:
            w.start()
        self.hashes = 0

    def solve(self, prefix: bytes, difficulty: int, start: int, count: int) -> int | None:
        """The lowest-index chunk's nonce in [start, start + count) meeting ``difficulty``, or None."""
        self._job += 1
        job = self._job
        per = max(CHUNK, -(-count // (self.processes * 4)))
        spans = [(s, min(per, start + count - s)) for s in range(start, start + count, per)]
        for s, n in spans:
            self._tasks.put((job, prefix, difficulty, s, n))
        found: list[int] = []
        pending = len(spans)
        while pending:
            try:
                got_job, _, nonce, done = self._results.get(timeout=1)
            except queue.Empty:
                if not all(w.is_alive() for w in self._workers):
                    raise RuntimeError("a PoW worker process died") from None
                continue
            if got_job != job:
                continue
            pending -= 1
            self.hashes += done
            if nonce is not None:
                found.append(nonce)
                self._stop.value = job  # the others stop at their next chunk
        return min(found) if found else None

    def close(self) -> None:
        for _ in self._workers:
            self._tasks.put(None)
        deadline = time.monotonic() + 2
        for w in self._workers:
            w.join(max(0.0, deadline - time.monotonic()))
            if w.is_alive():
                w.terminate()
                w.join(1)

    def __enter__(self) -> "MultiProcessSolver":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
