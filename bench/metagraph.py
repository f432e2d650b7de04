"""`subnet metagraph --json` (and its table at 80 columns) on a full subnet of 256 uids: end to end (a CLI process) and the
RPC call alone; the reference is `btkit --help` in the same run (CLI start-up floor). One JSON line.
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
RUNS = 10


def main() -> None:
    from btkit.chain import ChainClient
    from btkit.extrinsic import build_signed, call
    from keystore.keys import Keypair
    from localnet import control

    with tempfile.TemporaryDirectory() as d:
        info, _ = control.up(control.UpOptions(data_dir=Path(d), port=0, mining="manual"))
        c = ChainClient(info["url"])
        alice = Keypair.from_uri("//Alice")
        S = "SubtensorModule"
        owner = Keypair.from_uri("//bench-owner").ss58_address
        c.submit(alice, call(S, "register_network", hotkey=owner), wait="none")
        c.call("localnet_mine", 1)
        for name, value in (("max_regs_per_block", 512), ("target_regs_per_interval", 512)):
            c.submit(alice, call("AdminUtils", f"sudo_set_{name}", netuid=1, value=value), wait="none")
        c.submit(alice, call(S, "start_call", netuid=1), wait="none")
        c.call("localnet_mine", 1)
        nonce, head = c.next_index(alice.ss58_address), c.head()["number"]
        xts = [build_signed(alice, call(S, "burned_register", netuid=1,
                                        hotkey=Keypair.from_uri(f"//bench{i}").ss58_address),
                            nonce + i, c.genesis_hash, head) for i in range(255)]
        c.batch([("author_submitExtrinsic", [x]) for x in xts])
        c.call("localnet_mine", 1)
        assert c.call("subtensor_metagraph", 1)["n"] == 256
        rpc_times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            c.call("subtensor_metagraph", 1)
            rpc_times.append(time.perf_counter() - t)
        env = dict(os.environ, BTKIT_HOME=d)
        cli, tables, helps = [], [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "btkit", "subnet", "metagraph", "--netuid", "1", "--json",
                                  "--network", info["url"]], capture_output=True, env=env, cwd=ROOT, check=True)
            cli.append(time.perf_counter() - t)
            t = time.perf_counter()  # the table a person reads, fitted to 80 columns
            subprocess.run([sys.executable, "-m", "btkit", "subnet", "metagraph", "--netuid", "1", "--network",
                            info["url"]], capture_output=True, env=dict(env, COLUMNS="80"), cwd=ROOT, check=True)
            tables.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "btkit", "--help"], capture_output=True, env=env, cwd=ROOT)
            helps.append(time.perf_counter() - t)
        assert json.loads(out.stdout)["n"] == 256
        control.down(Path(d))
    cli_s, help_s = statistics.median(cli), statistics.median(helps)
    print(json.dumps({"bench": "metagraph", "uids": 256, "cli_metagraph_json_s": round(cli_s, 4),
                      "cli_metagraph_table80_s": round(statistics.median(tables), 4),
                      "rpc_metagraph_s": round(statistics.median(rpc_times), 4),
                      "btkit_help_s_reference": round(help_s, 4), "cli_ratio_vs_help": round(cli_s / help_s, 2)}))


if __name__ == "__main__":
    main()
