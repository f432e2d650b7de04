"""Localnet figures: start-to-first-answer (`control.up` on a fresh data dir until one RPC is
answered, median of READY_RUNS), included transfers/s with 4 concurrent submitters,
balance-query latency under that load, and node RSS after many transfers. One JSON line.

References measured in the same run: bare `python -c pass` start-up (for ready time) and the
same transfers pushed through an in-process ``Chain`` with no HTTP (for throughput).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOTAL = int(os.environ.get("BENCH_TRANSFERS", "100000"))
SUBMITTERS = int(os.environ.get("BENCH_SUBMITTERS", "4"))
BATCH = 200
READY_RUNS = 7  # start-to-first-answer and `python -c pass`: medians of this many runs
URIS = ["//Alice", "//Bob", "//Charlie", "//Dave"]


def presign(uri: str, count: int, genesis: bytes, birth: int) -> list[dict]:
    from btkit.extrinsic import build_signed, call
    from keystore.keys import Keypair

    kp = Keypair.from_uri(uri)
    dests = [Keypair.from_uri(f"{uri}//dest{i}").ss58_address for i in range(16)]
    return [build_signed(kp, call("Balances", "transfer_allow_death", dest=dests[n % 16], value=1000 + n),
                         n, genesis, birth, period=4096) for n in range(count)]


def submitter(url: str, xts: list[dict], start_evt, out_q) -> None:
    import requests

    s = requests.Session()
    start_evt.wait()
    sent = 0
    for i in range(0, len(xts), BATCH):
        chunk = xts[i:i + BATCH]
        while True:  # respect the pool's per-signer limit: stay < 900 ahead of the included nonce
            included = s.post(url, json={"jsonrpc": "2.0", "id": 0, "method": "balances_account",
                                         "params": [xts[0]["signer"]]}).json()["result"]["nonce"]
            if chunk[-1]["nonce"] - included < 900:
                break
            time.sleep(0.01)
        payload = [{"jsonrpc": "2.0", "id": j, "method": "author_submitExtrinsic", "params": [xt]}
                   for j, xt in enumerate(chunk)]
        replies = s.post(url, data=json.dumps(payload), headers={"content-type": "application/json"}).json()
        bad = [r for r in replies if "error" in r]
        if bad:
            raise SystemExit(f"submit failed: {bad[0]}")
        sent += len(chunk)
    out_q.put(sent)


def rss_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def in_process_reference(xts: list[dict]) -> float:
    """The same transfers through a Chain with no HTTP: the node's ceiling on this machine."""
    from localnet.chain import Chain
    from localnet.runtime import load_modules
    from localnet.storage import Storage

    load_modules()
    with tempfile.TemporaryDirectory() as d:
        chain = Chain(Storage(Path(d) / "chain.db"))
        from btkit.extrinsic import build_signed

        from keystore.keys import Keypair

        kp = Keypair.from_uri("//Alice")
        ref = [build_signed(kp, xt["call"], xt["nonce"], chain.genesis_hash, 0, 4096) for xt in xts]
        t = time.perf_counter()
        for i in range(0, len(ref), 1000):
            for xt in ref[i:i + 1000]:
                chain.submit(dict(xt))
            chain.produce_block()
        return len(ref) / (time.perf_counter() - t)


def up_to_first_answer(client_cls) -> float:
    """Seconds from `control.up` on a fresh data dir to one RPC answered (system_health)."""
    from localnet import control

    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        info, _ = control.up(control.UpOptions(data_dir=Path(d), port=0))
        try:
            client_cls(info["url"]).call("system_health")
            return time.perf_counter() - t
        finally:
            control.down(Path(d))


def python_start() -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - t


def main() -> None:
    from btkit.chain import ChainClient
    from localnet import control

    python = statistics.median(python_start() for _ in range(READY_RUNS))
    ready = statistics.median(up_to_first_answer(ChainClient) for _ in range(READY_RUNS))

    with tempfile.TemporaryDirectory() as d:
        opts = control.UpOptions(data_dir=Path(d), port=0, mining="interval", block_time=0.25)
        info, _ = control.up(opts)
        url = info["url"]
        c = ChainClient(url)
        per = TOTAL // SUBMITTERS
        birth = c.head()["number"]
        with mp.Pool(2) as pool:
            signed = pool.starmap(presign, [(u, per, c.genesis_hash, birth) for u in URIS[:SUBMITTERS]])
        start_evt, out_q = mp.Event(), mp.Queue()
        procs = [mp.Process(target=submitter, args=(url, xts, start_evt, out_q)) for xts in signed]
        for p in procs:
            p.start()
        latencies: list[float] = []
        stop = threading.Event()

        def query() -> None:
            import requests

            s = requests.Session()
            body = {"jsonrpc": "2.0", "id": 1, "method": "balances_account", "params": [signed[0][0]["signer"]]}
            while not stop.is_set():
                q = time.perf_counter()
                s.post(url, json=body).json()
                latencies.append(time.perf_counter() - q)
                time.sleep(0.01)

        qt = threading.Thread(target=query)
        t = time.perf_counter()
        start_evt.set()
        qt.start()
        for p in procs:
            p.join()
        deadline = time.time() + 600
        while True:
            nonces = c.batch([("balances_account", [xts[0]["signer"]]) for xts in signed])
            if all(n["nonce"] >= per for n in nonces):
                break
            if time.time() > deadline or any(p.exitcode for p in procs):
                raise SystemExit("bench failed: transfers were not all included")
            time.sleep(0.02)
        elapsed = time.perf_counter() - t
        stop.set()
        qt.join()
        rss = rss_kb(info["pid"])
        control.down(Path(d))
    latencies.sort()
    ref_tps = in_process_reference(signed[0][: min(per, 5000)])
    tps = per * SUBMITTERS / elapsed
    print(json.dumps({
        "bench": "localnet", "transfers": per * SUBMITTERS, "submitters": SUBMITTERS,
        "ready_s": round(ready, 3), "python_start_s": round(python, 3),
        "ready_ratio_vs_python": round(ready / python, 1),
        "included_tps": round(tps), "in_process_tps_reference": round(ref_tps),
        "tps_ratio_vs_in_process": round(tps / ref_tps, 2),
        "balance_query_p50_ms": round(statistics.median(latencies) * 1000, 2),
        "balance_query_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "queries": len(latencies), "node_rss_mb": round(rss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
