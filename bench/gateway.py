"""Gateway figures, one JSON line: the latency a validator's gateway adds over a direct signed miner
query (p50, p99; same client, same miners, interleaved in the same run), the queries/s one gateway
sustains in front of 8 miners, and what paid mode (SQLite ledger: hold + charge per query, signed
receipt) adds. Miners (built-in forecast task), the gateway and the client are separate processes
on loopback; the gateway asks the top 3 miners of its ranking at once (the default).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from axon import serve_miners  # noqa: E402  (bench/axon.py: N miners in one process)

MINERS = 8
LATENCY_N = 300
THROUGHPUT_N = 1500
CLIENT_THREADS = 8
PRICE = 1000


def serve_gateway(ports: list[int], price: int, ledger_dir: str, port_q) -> None:
    from btkit.gateway.ledger import Ledger, Payment
    from btkit.gateway.limits import Limits
    from btkit.gateway.server import GatewayApp, GatewayConfig, Miner, MinerView
    from btkit.net.axon import serve
    from btkit.net.client import Client
    from btkit.neurons.task import Forecast
    from keystore.keys import Keypair

    validator = Keypair.from_uri("//BenchValidator")
    miners = [Miner(i, Keypair.from_uri(f"//BenchMiner{i}").ss58_address, f"http://127.0.0.1:{p}")
              for i, p in enumerate(ports)]
    view = MinerView(lambda: {m.uid: (m.hotkey, 1.0 - m.uid / 100) for m in miners})
    view.update(miners)
    ledger = None
    pay_to = Keypair.from_uri("//BenchTill").ss58_address
    if price:
        ledger = Ledger(Path(ledger_dir) / "ledger.sqlite", pay_to, 0)
        ledger.apply_block(0, [Payment(0, i, Keypair.from_uri(f"//BenchClient{i}").ss58_address, 10**15)
                               for i in range(CLIENT_THREADS)])
    cfg = GatewayConfig(netuid=1, price_rao=price, pay_to=pay_to if price else None,
                        limits=Limits(rate_per_s=1e6, burst=10**6, concurrency=64), capacity=64)
    app = GatewayApp(validator, Forecast(), view, cfg, Client(validator, timeout=5), ledger)
    serve(app, "127.0.0.1", 0, port_q.put)


def percentiles(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return xs[len(xs) // 2], xs[min(len(xs) - 1, int(len(xs) * 0.99))]


def latencies(gateway_url: str, miner_port: int, query) -> tuple[list[float], list[float]]:
    """Interleaved: one direct signed query to the rank-1 miner, one through the gateway; seconds."""
    from btkit.client import GatewayClient, fetch_info
    from btkit.net.client import Client
    from keystore.keys import Keypair

    me = Keypair.from_uri("//BenchClient0")
    gw = GatewayClient(me, gateway_url, fetch_info(gateway_url))
    direct = Client(Keypair.from_uri("//BenchValidator"), timeout=5)  # the key the miners serve
    miner = Keypair.from_uri("//BenchMiner0").ss58_address
    body = json.dumps(query).encode()
    d, g = [], []
    for i in range(LATENCY_N + 20):
        t = time.perf_counter()
        r = direct.query(0, miner, f"http://127.0.0.1:{miner_port}", body)
        dt = time.perf_counter() - t
        assert r.ok, r.error
        t = time.perf_counter()
        a = gw.query(query)
        gt = time.perf_counter() - t
        assert a.answered_by[0]["uid"] == 0
        if i >= 20:  # warm-up: connections, the task's first calls
            d.append(dt)
            g.append(gt)
    direct.close()
    gw.close()
    return d, g


def throughput(gateway_url: str, query, gateway_hotkey: str) -> float:
    """Requests/s from CLIENT_THREADS keep-alive clients (distinct keys) over http.client (lean: the
    gateway, not the client, is measured; responses are not verified here)."""
    import http.client

    from btkit.net import btauth
    from keystore.keys import Keypair

    body = json.dumps({"input": query}).encode()
    per = THROUGHPUT_N // CLIENT_THREADS
    host, port = gateway_url.split("//")[1].split(":")
    errors = []

    def worker(c: int):
        me = Keypair.from_uri(f"//BenchClient{c}")
        conn = http.client.HTTPConnection(host, int(port))
        for _ in range(per):
            headers = btauth.sign(me, "POST", "/query", body, receiver=gateway_hotkey)
            conn.request("POST", "/query", body=body, headers={**headers, "content-type": "application/json"})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors.append(r.status)

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(CLIENT_THREADS)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    assert not errors, f"{len(errors)} failed requests, e.g. HTTP {errors[0]}"
    return per * CLIENT_THREADS / elapsed


def main() -> None:
    from btkit.neurons.task import Forecast
    from keystore.keys import Keypair

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    miners = ctx.Process(target=serve_miners, args=(MINERS, "forecast", q), daemon=True)
    miners.start()
    ports = q.get(timeout=120)
    query = {k: v for k, v in Forecast().challenge(1)[0].items() if k != "task"}
    hotkey = Keypair.from_uri("//BenchValidator").ss58_address
    result = {"bench": "gateway", "miners": MINERS, "top_k": 3}
    with tempfile.TemporaryDirectory() as tmp:
        for price in (0, PRICE):
            q = ctx.Queue()
            gateway = ctx.Process(target=serve_gateway, args=(ports, price, tmp, q), daemon=True)
            gateway.start()
            url = f"http://127.0.0.1:{q.get(timeout=60)}"
            direct, through = latencies(url, ports[0], query)
            qps = throughput(url, query, hotkey)
            gateway.terminate()
            gateway.join(10)
            if price == 0:
                dp50, dp99 = percentiles(direct)
                gp50, gp99 = percentiles(through)
                result.update(direct_p50_ms=round(dp50 * 1e3, 2), direct_p99_ms=round(dp99 * 1e3, 2),
                              gateway_p50_ms=round(gp50 * 1e3, 2), gateway_p99_ms=round(gp99 * 1e3, 2),
                              added_p50_ms=round((gp50 - dp50) * 1e3, 2), added_p99_ms=round((gp99 - dp99) * 1e3, 2),
                              queries_per_s=round(qps), free_gateway_p50_s=gp50)
            else:
                pp50, pp99 = percentiles(through)
                result.update(paid_p50_ms=round(pp50 * 1e3, 2), paid_p99_ms=round(pp99 * 1e3, 2),
                              paid_overhead_p50_ms=round((pp50 - result.pop("free_gateway_p50_s")) * 1e3, 2),
                              paid_queries_per_s=round(qps))
    miners.terminate()
    result["added_p50_target_ms"] = 50
    print(json.dumps(result))


if __name__ == "__main__":
    main()
