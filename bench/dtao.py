"""Dynamic TAO figures (issue #15). One JSON line:

- ``stake_add_cli_s``: `btkit stake add -y --json` end to end (a CLI process: quote, sign, submit,
  inclusion on an instant-mining node), median of 5; ``stake_add_rpc_s``: the signed ``add_stake``
  submitted and included, without the CLI, median of 20;
- ``emission_step_32_subnets_s``: one block's coinbase (shares, injection, protocol buys, alpha
  emission and moving prices) with 32 started subnets and no epoch, median of 20;
- ``epoch_payout_n4096_s``: a subnet's epoch at n = 4096 (256 validators weighting every uid, as
  bench/epoch.py) through the runtime: Yuma plus the alpha payout, with ``epoch_run_s`` (Yuma alone
  on the same input, the bench/epoch.py figure) beside it.
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
TAO = 10**9
S = "SubtensorModule"


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def stake_add() -> dict[str, float]:
    from btkit.chain import ChainClient
    from btkit.extrinsic import call
    from keystore.keys import Keypair
    from localnet import control

    with tempfile.TemporaryDirectory() as d:
        home = Path(d) / "home"
        info, _ = control.up(control.UpOptions(data_dir=Path(d) / "node", port=0, mining="instant"))
        try:
            c = ChainClient(info["url"])
            alice = Keypair.from_uri("//Alice")
            hot = Keypair.from_uri("//Alice//bench-hot").ss58_address
            c.submit(alice, call(S, "register_network", hotkey=hot))
            c.submit(alice, call(S, "start_call", netuid=1))
            rpc = median_time(lambda: c.submit(alice, call(S, "add_stake", hotkey=hot, netuid=1, amount_staked=TAO)),
                              20)
            env = {**os.environ, "BTKIT_HOME": str(home)}

            def cli(*args: str) -> None:
                subprocess.run([sys.executable, "-m", "btkit", *args], cwd=ROOT, env=env, check=True,
                               capture_output=True)

            cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice")
            cli("wallet", "regen-hotkey", "--uri", "//Alice//bench-hot", "-w", "alice", "-H", "hot")
            end_to_end = median_time(lambda: cli("stake", "add", "--netuid", "1", "-a", "1", "-w", "alice", "-H",
                                                 "hot", "-y", "--json", "--network", info["url"]), 5)
        finally:
            control.down(Path(d) / "node")
    return {"stake_add_cli_s": round(end_to_end, 4), "stake_add_rpc_s": round(rpc, 4)}


def emission_step() -> float:
    from localnet import genesis
    from localnet.runtime import coinbase, load_modules, subnets, swap, system
    from localnet.state import Overlay

    load_modules()
    state = Overlay(genesis.genesis_state("dev"))
    for n in range(1, 33):
        state.set(f"subnet:{n}", {"netuid": n, "owner_coldkey": "ck", "owner_hotkey": "hk", "registered_at": 0,
                                  "lock": 0, "started": True, "first_emission_block": 1, "emission_enabled": True})
        state.set(f"hp:{n}", {**subnets.default_hyperparameters("dev"), "tempo": 0})
        swap.seed(state, n, 1000 * TAO + n * TAO, 1000 * TAO)
        state.set(f"moving_price:{n}", (n << 32) // 40)
    state.set("netuids", list(range(1, 33)))
    swap.update(state, 0, tao=10**15, alpha_out=10**15)  # root stake: injections and root shares happen
    block = [100]

    def step() -> None:
        view = Overlay(state)
        system.on_initialize(view, block[0])
        coinbase.run(view, block[0])
        coinbase.update_moving_prices(view, block[0])

    return median_time(step, 20)


def epoch_payout() -> dict[str, float]:
    import dataclasses

    from bench.epoch import subnet as epoch_subnet
    from btkit.consensus import run_epoch
    from btkit.consensus.rows import SparseRows
    from localnet import genesis
    from localnet.runtime import emission, load_modules, rows, staking, subnets, swap
    from localnet.state import Overlay

    load_modules()
    n, validators = 4096, 256
    inp = epoch_subnet(n, validators)
    state = Overlay(genesis.genesis_state("dev"))
    state.set("subnet:1", {"netuid": 1, "owner_coldkey": "owner-ck", "owner_hotkey": "hk0", "registered_at": 0,
                           "lock": 0, "started": True, "first_emission_block": 1, "emission_enabled": True})
    state.set("hp:1", {**subnets.default_hyperparameters("dev"), "tempo": 360, "max_allowed_uids": n,
                       "max_allowed_validators": validators})
    state.set("netuids", [1])
    swap.seed(state, 1, 10**15, 10**15)
    state.set("sn_n:1", n)
    for uid in range(n):
        hk = f"hk{uid}"
        nn = subnets.new_neuron(hk, f"ck{uid % 64}", inp.block_at_registration[uid])
        nn.update(last_update=990, permit=uid < validators, weights=rows.encode(inp.weights[uid]),
                  bonds=rows.encode(inp.bonds[uid]))
        subnets.set_neuron(state, 1, uid, nn)
        state.set(f"uid:1:{hk}", uid)
        state.set(f"owner:{hk}", f"ck{uid % 64}")
        staking.credit(state, hk, f"ck{uid % 64}", 1, inp.stake[uid])
    pending = {"server": 180 * TAO, "validator": 180 * TAO, "root": 0, "owner": 79 * TAO}

    def payout() -> None:
        view = Overlay(state)
        view.set("pending:1", pending)
        emission.epoch(view, 1, 1000)

    arrays = dataclasses.replace(inp, weights=SparseRows.from_pairs(inp.weights),
                                 bonds=SparseRows.from_pairs(inp.bonds))
    return {"epoch_payout_n4096_s": round(median_time(payout, 3), 4),
            "epoch_run_s": round(median_time(lambda: run_epoch(arrays), 3), 4)}


def main() -> None:
    result = {"bench": "dtao", **stake_add(), "emission_step_32_subnets_s": round(emission_step(), 5),
              **epoch_payout()}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
