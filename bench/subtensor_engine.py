"""Subtensor engine figures (the spec-218 fixture under chopsticks). One JSON line.

- ``up_ready_s``: `btkit localnet up --engine subtensor --chain-spec FIXTURE --port 0` until it
  returns (ready: chopsticks listening, block #1, dev storage written, bridge serving), median
  of RUNS; against ``bare_ready_s``: a bare `chopsticks --genesis FIXTURE --port 0` until it
  logs "RPC listening", median of RUNS in the same run (interleaved).
- ``block_s``: seconds per block, from `localnet mine BLOCKS` on the engine.
- ``transfer_s``: an SDK transfer submitted and included (instant mining), median of 5.
- with ``--demo``: ``demo_s`` of `scripts/demo.py --engine subtensor` and of the default engine.

Needs Node.js, chopsticks and ../shared/fixtures (or BTKIT_SHARED_DIR); otherwise prints
``{"skipped": reason}``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_ENGINE_RUNS", "5"))
BLOCKS = 20
SHARED = Path(os.environ.get("BTKIT_SHARED_DIR") or ROOT.parent / "shared")
SPEC = SHARED / "fixtures" / "subtensor" / "raonet-spec218.json"


def btkit(*args: str, home: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {**os.environ, "BTKIT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "btkit", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT, check=True)


def bare_start(tmp: Path) -> float:
    from localnet import chopsticks

    started = time.monotonic()
    proc, _url = chopsticks.start(chopsticks.Source(chain_spec=SPEC), tmp / "bare.log")
    ready = time.monotonic() - started
    proc.terminate()
    proc.wait(10)
    return ready


def engine_start(tmp: Path, n: int) -> float:
    home = tmp / f"home{n}"
    started = time.monotonic()
    btkit("localnet", "up", "--engine", "subtensor", "--chain-spec", str(SPEC), "--port", "0", home=home)
    ready = time.monotonic() - started
    btkit("localnet", "down", home=home)
    return ready


def per_block_and_transfer(tmp: Path) -> tuple[float, float]:
    import bittensor as bt
    from bittensor_wallet import Keypair

    home = tmp / "blocks"
    info = json.loads(btkit("--json", "localnet", "up", "--engine", "subtensor", "--chain-spec", str(SPEC),
                            "--port", "0", home=home).stdout)
    try:
        started = time.monotonic()
        btkit("localnet", "mine", str(BLOCKS), home=home)
        block_s = (time.monotonic() - started) / BLOCKS
        sub, alice = bt.Subtensor(network=info["ws_url"]), Keypair.create_from_uri("//Alice")
        times = []
        for i in range(5):
            t = time.monotonic()
            result = sub.execute(bt.Transfer(dest_ss58=Keypair.create_from_uri(f"//Bench{i}").ss58_address,
                                             amount_tao=bt.tao(1)), wallet=alice)
            assert result.success, result.message
            times.append(time.monotonic() - t)
        return block_s, statistics.median(times)
    finally:
        btkit("localnet", "down", home=home)


def demo(engine: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "scripts/demo.py", "--engine", engine], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    return time.monotonic() - started


def main() -> dict:
    import shutil

    from localnet import chopsticks

    if not SPEC.is_file():
        return {"bench": "subtensor_engine", "skipped": f"no fixture at {SPEC}"}
    if shutil.which("node") is None or chopsticks.find() is None:
        return {"bench": "subtensor_engine", "skipped": "Node.js or chopsticks is missing"}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bare, up = [], []
        for n in range(RUNS):
            bare.append(bare_start(tmp))
            up.append(engine_start(tmp, n))
        block_s, transfer_s = per_block_and_transfer(tmp)
    out = {"bench": "subtensor_engine", "runs": RUNS, "up_ready_s": round(statistics.median(up), 3),
           "bare_ready_s": round(statistics.median(bare), 3),
           "up_over_bare": round(statistics.median(up) / statistics.median(bare), 2),
           "block_s": round(block_s, 3), "transfer_s": round(transfer_s, 3)}
    if "--demo" in sys.argv:
        out.update(demo_subtensor_s=round(demo("subtensor"), 1), demo_btkit_s=round(demo("btkit"), 1))
    return out


if __name__ == "__main__":
    print(json.dumps(main()))
