"""Signed HTTP figures, one JSON line: requests/s one miner serves with signature checks on (vs the
same server's unauthenticated /health in the same run), and the validator's round time over 64
miners on loopback (echo task, then the built-in forecast task).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_REQUESTS = 3000
CLIENT_THREADS = 4


def _echo(query):
    return {"echo": query.get("n")}


def serve_miners(count: int, task: str, ports_q) -> None:
    """``count`` miners (one AxonApp each) in one asyncio loop."""
    import asyncio
    import socket

    import uvicorn

    from btkit.net.axon import AxonApp, PeerView, Policy
    from btkit.neurons.task import Forecast
    from keystore.keys import Keypair

    handler = _echo if task == "echo" else Forecast().answer
    validator = Keypair.from_uri("//BenchValidator")
    peers = PeerView()
    peers.update({validator.ss58_address: (0, 10**12, True)})
    servers, socks, ports = [], [], []
    for i in range(count):
        app = AxonApp(Keypair.from_uri(f"//BenchMiner{i}"), handler, peers, Policy(concurrency=8))
        sock = socket.socket()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(("127.0.0.1", 0))
        ports.append(sock.getsockname()[1])
        socks.append(sock)
        server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off", http="httptools"))
        server.install_signal_handlers = lambda: None
        servers.append(server)

    async def main():
        tasks = [asyncio.create_task(s.serve(sockets=[k])) for s, k in zip(servers, socks)]
        while not all(s.started for s in servers):
            await asyncio.sleep(0.01)
        ports_q.put(ports)
        await asyncio.gather(*tasks)

    asyncio.run(main())


def throughput(url: str, requests_list) -> float:
    """Keep-alive load from a few threads over http.client (lean: the server, not the client, is measured)."""
    import http.client

    host, port = url.split("//")[1].split(":")
    chunks = [requests_list[i::CLIENT_THREADS] for i in range(CLIENT_THREADS)]
    errors = []

    def worker(chunk):
        conn = http.client.HTTPConnection(host, int(port))
        for method, target, body, headers in chunk:
            conn.request(method, target, body=body, headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors.append(r.status)

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    assert not errors, f"{len(errors)} failed requests, e.g. HTTP {errors[0]}"
    return len(requests_list) / elapsed


def main() -> None:
    from btkit.net import btauth
    from btkit.net.client import Client
    from btkit.neurons.task import Forecast
    from keystore.keys import Keypair

    validator = Keypair.from_uri("//BenchValidator")
    result = {"bench": "axon"}
    ctx = mp.get_context("spawn")

    q = ctx.Queue()
    proc = ctx.Process(target=serve_miners, args=(1, "echo", q), daemon=True)
    proc.start()
    (port,) = q.get(timeout=60)
    url = f"http://127.0.0.1:{port}"
    miner = Keypair.from_uri("//BenchMiner0").ss58_address
    signed = []
    for i in range(N_REQUESTS):
        body = json.dumps({"n": i}).encode()
        headers = btauth.sign(validator, "POST", "/forward", body, receiver=miner)
        headers["content-type"] = "application/json"
        signed.append(("POST", "/forward", body, headers))
    result["signed_requests_per_s"] = round(throughput(url, signed))
    result["unsigned_health_per_s_reference"] = round(throughput(url, [("GET", "/health", b"", {})] * N_REQUESTS))
    result["signed_ratio_vs_health"] = round(result["signed_requests_per_s"] / result["unsigned_health_per_s_reference"], 2)
    proc.terminate()

    for task in ("echo", "forecast"):
        q = ctx.Queue()
        proc = ctx.Process(target=serve_miners, args=(64, task, q), daemon=True)
        proc.start()
        ports = q.get(timeout=120)
        targets = [(i, Keypair.from_uri(f"//BenchMiner{i}").ss58_address, f"http://127.0.0.1:{p}")
                   for i, p in enumerate(ports)]
        client = Client(validator, timeout=5)
        query, _ = Forecast().challenge(1)
        client.query_all(targets, query)  # warm: connections, and the task's first call
        rounds = []
        for _ in range(5):
            t = time.perf_counter()
            replies = client.query_all(targets, query)
            rounds.append(time.perf_counter() - t)
            assert all(r.ok for r in replies), [r.error for r in replies if not r.ok][:3]
        client.close()
        proc.terminate()
        result[f"round_64_miners_{task}_s"] = round(sorted(rounds)[len(rounds) // 2], 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
