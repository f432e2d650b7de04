"""A network command on a Substrate node: btkit vs btcli, and what the Substrate library costs. One JSON line.

- ``btkit_balance_s``: `btkit wallet balance --ss58 ALICE --network ws://...` against the subtensor
  engine (the spec-218 fixture under chopsticks), median of RUNS, metadata cache warm;
  ``btkit_balance_cold_s``: the first run, with an empty metadata cache.
- ``btcli_balance_s``: btcli's `wallet balance --ss58 ALICE --network ws://... --json-output` against the
  same node, median of RUNS interleaved with btkit's; ``speedup`` = btcli / btkit. btcli is the
  ``BTCLI`` environment variable or ``btcli`` on PATH (install it in its own virtualenv: it pins
  other versions of btkit's dependencies); without it these are null.
- ``import_substrate_s``: `python -c "import async_substrate_interface.sync_substrate"` minus
  `python -c pass`, medians of RUNS: what the library adds to a command that reaches a Substrate node.
- ``help_s``: `btkit --help`, median of RUNS, and ``help_imports_substrate`` (must be false).

Needs Node.js, chopsticks and ../shared/fixtures (or BTKIT_SHARED_DIR); otherwise prints
``{"skipped": reason}``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
SHARED = Path(os.environ.get("BTKIT_SHARED_DIR") or ROOT.parent / "shared")
SPEC = SHARED / "fixtures" / "subtensor" / "raonet-spec218.json"
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def timed(argv: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    spent = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:4]} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return spent


def median_of(argv: list[str], env: dict[str, str]) -> float:
    return statistics.median(timed(argv, env) for _ in range(RUNS))


def main() -> None:
    from localnet import chopsticks

    if not SPEC.is_file() or shutil.which("node") is None or chopsticks.find() is None:
        print(json.dumps({"skipped": "needs Node.js, chopsticks and the subtensor fixture"}))
        return
    btcli = os.environ.get("BTCLI") or shutil.which("btcli")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {**os.environ, "BTKIT_HOME": str(home)}
        data_dir = Path(tmp) / "engine"
        py = sys.executable
        subprocess.run([py, "-m", "btkit", "localnet", "up", "--engine", "subtensor", "--chain-spec", str(SPEC),
                        "--port", "0", "--data-dir", str(data_dir)], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=300)
        try:
            ws = json.loads((data_dir / "node.json").read_text())["ws_url"]
            btkit = [py, "-m", "btkit", "wallet", "balance", "--ss58", ALICE, "--network", ws, "--json"]
            cold = timed(btkit, env)
            ours, theirs = [], []
            for _ in range(RUNS):
                ours.append(timed(btkit, env))
                if btcli:
                    theirs.append(timed([btcli, "wallet", "balance", "--ss58", ALICE, "--network", ws,
                                         "--json-output"], {**os.environ, "HOME": str(Path(tmp) / "btcli-home")}))
        finally:
            subprocess.run([py, "-m", "btkit", "localnet", "down", "--data-dir", str(data_dir)], env=env, cwd=ROOT,
                           capture_output=True, timeout=60)
        bare = median_of([py, "-c", "pass"], env)
        library = median_of([py, "-c", "import async_substrate_interface.sync_substrate"], env)
        help_s = median_of([py, "-m", "btkit", "--help"], env)
        probe = subprocess.run([py, "-c", "import sys; from commands.root import main; main(['--help']); "
                                "print(any(m.startswith('async_substrate_interface') for m in sys.modules))"],
                               capture_output=True, text=True, env=env, cwd=ROOT)
    btkit_s = statistics.median(ours)
    btcli_s = statistics.median(theirs) if theirs else None
    print(json.dumps({
        "runs": RUNS, "btkit_balance_s": round(btkit_s, 3), "btkit_balance_cold_s": round(cold, 3),
        "btcli_balance_s": None if btcli_s is None else round(btcli_s, 3),
        "speedup": None if btcli_s is None else round(btcli_s / btkit_s, 2),
        "btcli": btcli and subprocess.run([btcli, "--version"], capture_output=True, text=True).stdout.strip(),
        "import_substrate_s": round(library - bare, 3), "python_bare_s": round(bare, 3),
        "help_s": round(help_s, 3), "help_imports_substrate": probe.stdout.strip().endswith("True"),
    }))


if __name__ == "__main__":
    main()
