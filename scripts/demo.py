"""`make demo`: a whole subnet on this machine, in a throwaway home, in a few minutes.

Starts a localnet; creates wallets; creates and starts a subnet; registers a validator (burn) and
three miners (one by proof of work); stakes the validator; runs a good miner, a weak one and a
broken one; lets the validator score them for a few epochs; prints the metagraph; shuts down.
Exits non-zero unless the good miner earns the most and the broken one the least.

`--engine subtensor` (`make demo ENGINE=subtensor`) tells the same story on the real subtensor
runtime (the spec-218 fixture under chopsticks, `btkit localnet up --engine subtensor`), every
command reaching it with `--network ws://...`. That runtime's epoch is a mock, so the ranking is
btkit's own reading of the weights the validator set on chain.

The throwaway home is removed on exit (also on Ctrl-C or SIGTERM); keep it with `--keep` or
BTKIT_DEMO_KEEP=1 (`make demo BTKIT_DEMO_KEEP=1`), and the demo prints where it is.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EPOCHS = int(os.environ.get("DEMO_EPOCHS", "4"))
DEADLINE_S = float(os.environ.get("DEMO_DEADLINE_S", "150"))


def btkit(*args: str, env: dict[str, str], show: bool = True, check: bool = True) -> str:
    if show:
        print(f"\n$ btkit {shlex.join(args)}", flush=True)
    proc = subprocess.run([sys.executable, "-m", "btkit", *args], env=env, text=True, capture_output=True, cwd=ROOT)
    if show:
        sys.stdout.write(proc.stdout)
    if proc.returncode != 0 and check:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"demo step failed (exit {proc.returncode}): btkit {shlex.join(args)}")
    return proc.stdout


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through main's finally: neurons, node and home are cleaned up


def main(argv: list[str]) -> int:
    keep = "--keep" in argv or os.environ.get("BTKIT_DEMO_KEEP", "") not in ("", "0")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # Ctrl-C too: clean up, no traceback
        signal.signal(sig, _terminate)
    started = time.monotonic()
    home = tempfile.mkdtemp(prefix="btkit-demo-")
    env = dict(os.environ, BTKIT_HOME=home, COLUMNS="160")
    print(f"demo home: {home} ({'kept after the demo' if keep else 'removed on exit; keep it with --keep'})")
    ranking_ok = False
    engine = argv[argv.index("--engine") + 1] if "--engine" in argv[:-1] else "btkit"
    try:
        ranking_ok = _run_subtensor(env, started) if engine == "subtensor" else _run(env, started)
    finally:
        for kind in ("validator", "miner"):
            btkit(kind, "stop", env=env, show=False, check=False)
        btkit("localnet", "down", env=env, show=False, check=False)
        if keep:
            print(f"demo home kept: {home} (BTKIT_HOME={home} btkit ... to look around)")
        else:
            shutil.rmtree(home, ignore_errors=True)
            print(f"demo home removed: {home}")
    took = time.monotonic() - started
    if not ranking_ok:
        print(f"\ndemo FAILED after {took:.0f} s: the good miner did not out-earn the weak and broken ones")
        return 1
    if engine == "subtensor":
        print(f"\ndemo finished in {took:.0f} s on the real subtensor runtime: the validator's weights, as btkit "
              "reads them, rank the good miner first and the broken one last")
        return 0
    print(f"\ndemo finished in {took:.0f} s: the good miner earns the most, the broken one the least, and a "
          "client query through the validator's gateway was answered by the good miner")
    return 0


def _wallets(env: dict[str, str]) -> None:
    for wallet, uri, hotkeys in (("owner", "//Alice", ["default"]), ("val", "//Bob", ["default"]),
                                 ("miners", "//Charlie", ["good", "weak", "broken"]), ("client", "//Dave", [])):
        btkit("wallet", "regen-coldkey", "-w", wallet, "--uri", uri, "--no-use-password", env=env, show=False)
        for hk in hotkeys:
            btkit("wallet", "regen-hotkey", "-w", wallet, "-H", hk, "--uri", f"{uri}//{wallet}-{hk}", env=env,
                  show=False)
    btkit("wallet", "list", env=env)


def _run(env: dict[str, str], started: float) -> bool:
    info = json.loads(btkit("localnet", "up", "--port", "0", "--json", env=env, show=False))
    print(f"localnet up at {info['url']} in {info['ready_s']} s (genesis {info['genesis_hash'][:18]}...)")
    _wallets(env)
    netuid = json.loads(btkit("subnet", "create", "-w", "owner", "-y", "--json", env=env))["netuid"]
    n = str(netuid)
    btkit("register", "--netuid", n, "-w", "val", "-y", env=env)
    btkit("register", "--netuid", n, "-w", "miners", "-H", "good", "-y", env=env)
    btkit("register", "--netuid", n, "-w", "miners", "-H", "broken", "-y", env=env)
    btkit("register", "--netuid", n, "-w", "miners", "-H", "weak", "--pow", env=env)
    # 1000 TAO into a 1000 TAO pool moves the price a lot: take any price (--unsafe), then show the pool
    btkit("stake", "add", "--netuid", n, "-w", "val", "-a", "1000", "--unsafe", "-y", env=env)
    btkit("subnet", "show", "--netuid", n, env=env)
    tasks = {"good": "btkit.neurons.task:Forecast", "weak": "btkit.neurons.task:NaiveForecast",
             "broken": "btkit.neurons.task:BrokenForecast"}
    for hk, task in tasks.items():
        btkit("miner", "run", "--netuid", n, "-w", "miners", "-H", hk, "--port", "0", "--task", task,
              "--timeout", "1.5", "--detach", env=env)
    btkit("validator", "run", "--netuid", n, "-w", "val", "--interval", "1", "--timeout", "1", "--gateway-port", "0",
          "--detach", env=env)
    print(f"\nletting the validator score the miners for {EPOCHS} epochs...", flush=True)
    ranking_ok, seen = False, set()
    while time.monotonic() - started < DEADLINE_S:
        time.sleep(2)
        last = json.loads(btkit("subnet", "epoch", "--netuid", n, "--json", env=env, show=False))
        if not last["last_epoch"]:
            continue
        seen.add(last["last_epoch"]["block"])
        mg = json.loads(btkit("subnet", "metagraph", "--netuid", n, "--json", env=env, show=False))
        inc = {nn["hotkey"]: nn["incentive"] for nn in mg["neurons"]}
        names = json.loads(btkit("wallet", "show", "-w", "miners", "--json", env=env, show=False))["hotkeys"]
        by_name = {h["name"]: inc.get(h["ss58_address"], 0) for h in names}
        print(f"  block {mg['block']}: incentive good {by_name['good'] / 65535:.3f}  weak "
              f"{by_name['weak'] / 65535:.3f}  broken {by_name['broken'] / 65535:.3f}", flush=True)
        ranking_ok = by_name["good"] > by_name["weak"] >= by_name["broken"] and by_name["good"] > 0
        if ranking_ok and len(seen) >= EPOCHS:
            break
    btkit("subnet", "metagraph", "--netuid", n, env=env)
    btkit("subnet", "epoch", "--netuid", n, env=env)
    btkit("wallet", "overview", "-w", "miners", env=env)
    btkit("stake", "list", "-w", "val", env=env)
    btkit("subnet", "list", env=env)
    if ranking_ok:
        query_through_gateway(n, env)
    return ranking_ok


SUBTENSOR_SPEC = os.path.join(os.environ.get("BTKIT_SHARED_DIR") or os.path.join(os.path.dirname(ROOT), "shared"),
                              "fixtures", "subtensor", "raonet-spec218.json")


def _run_subtensor(env: dict[str, str], started: float) -> bool:
    """The story on the real subtensor runtime: same wallets, subnet, registrations, stake, neurons."""
    spec = os.environ.get("BTKIT_DEMO_CHAIN_SPEC", SUBTENSOR_SPEC)
    if not os.path.isfile(spec):
        raise SystemExit(f"the subtensor demo runs a raw subtensor chain spec; none at {spec} "
                         "(set BTKIT_DEMO_CHAIN_SPEC or BTKIT_SHARED_DIR)")
    # blocks every second: the validator's rounds and the weights rate limit count blocks, and an instant
    # chain only moves when something is submitted
    info = json.loads(btkit("localnet", "up", "--engine", "subtensor", "--chain-spec", spec, "--port", "0",
                            "--mining", "interval", "--block-time", "1", "--json", env=env, show=False))
    net = ["--network", info["ws_url"]]
    print(f"subtensor engine up at {info['ws_url']} in {info['ready_s']} s: the real subtensor runtime "
          f"({os.path.basename(spec)}) under chopsticks, a block every second")
    print("note: this runtime (spec 218) runs a MOCK epoch (epoch_mock) every block and its pool/stake math is a "
          "prototype's,\n      so its incentive, emission and alpha say nothing; the demo ranks the miners by "
          "btkit's own reading\n      of the weights the validator sets on chain")
    _wallets(env)
    netuid = json.loads(btkit("subnet", "create", "-w", "owner", "-y", "--json", *net, env=env))["netuid"]
    n = str(netuid)
    for wallet, hotkey in (("val", "default"), ("miners", "good"), ("miners", "weak"), ("miners", "broken")):
        btkit("register", "--netuid", n, "-w", wallet, "-H", hotkey, "-y", *net, env=env)
    btkit("stake", "add", "--netuid", n, "-w", "val", "-a", "1000", "--unsafe", "-y", *net, env=env)
    tasks = {"good": "btkit.neurons.task:Forecast", "weak": "btkit.neurons.task:NaiveForecast",
             "broken": "btkit.neurons.task:BrokenForecast"}
    print("\nsubtensor refuses 127.0.0.1 as an axon address (serving.rs, is_valid_ip_address): the miners listen "
          "on 127.0.0.2, loopback too")
    for hk, task in tasks.items():
        btkit("miner", "run", "--netuid", n, "-w", "miners", "-H", hk, "--host", "127.0.0.2", "--port", "0",
              "--task", task, "--timeout", "1.5", "--detach", *net, env=env)
    btkit("validator", "run", "--netuid", n, "-w", "val", "--interval", "1", "--timeout", "1", "--detach", *net,
          env=env)
    print(f"\nletting the validator score the miners and set weights {EPOCHS} times...", flush=True)
    hotkeys = {h["name"]: h["ss58_address"]
               for h in json.loads(btkit("wallet", "show", "-w", "miners", "--json", env=env, show=False))["hotkeys"]}
    validator = _val_hotkey(env)
    ranking_ok, rows = False, set()
    while time.monotonic() - started < DEADLINE_S + 120:
        time.sleep(2)
        mg = json.loads(btkit("subnet", "metagraph", "--netuid", n, "--json", *net, env=env, show=False))
        uid_of = {nn["hotkey"]: nn["uid"] for nn in mg["neurons"]}
        served = all(nn["axon"] for nn in mg["neurons"] if nn["hotkey"] in hotkeys.values())
        weights = json.loads(btkit("weights", "show", "--netuid", n, "--json", *net, env=env, show=False))["weights"]
        row = dict(map(tuple, weights.get(str(uid_of[validator]), [])))
        if not row:
            continue
        if served:  # rows set once every miner had announced its axon
            rows.add(tuple(sorted(row.items())))
        w = {name: row.get(uid_of[hotkeys[name]], 0) / 65535 for name in tasks}
        print(f"  block {mg['block']}: the validator's weights  good {w['good']:.3f}  weak {w['weak']:.3f}  "
              f"broken {w['broken']:.3f}", flush=True)
        ranking_ok = w["good"] > w["weak"] >= w["broken"]
        if ranking_ok and len(rows) >= min(EPOCHS, 2):  # weights set twice with every miner on the metagraph
            break
    btkit("weights", "show", "--netuid", n, *net, env=env)
    btkit("subnet", "metagraph", "--netuid", n, *net, env=env)
    return ranking_ok


def _val_hotkey(env: dict[str, str]) -> str:
    return json.loads(btkit("wallet", "show", "-w", "val", "--json", env=env, show=False))["hotkeys"][0]["ss58_address"]


def query_through_gateway(netuid: str, env: dict[str, str]) -> None:
    """A client application asks the subnet through the validator's gateway (found on the metagraph);
    `btkit query` verifies the validator's signature before printing; the good miner must answer."""
    from btkit.neurons.task import LENGTH, synthetic_series

    request = os.path.join(env["BTKIT_HOME"], "request.json")
    with open(request, "w") as f:
        json.dump({"series": [round(x, 4) for x in synthetic_series(2026, LENGTH)], "horizon": 8}, f)
    print("\na client application queries the subnet through the validator's gateway:", flush=True)
    out = json.loads(btkit("query", "--netuid", netuid, "--input", f"@{request}", "-w", "client", "--json",
                           env=env, show=False))
    hotkeys = json.loads(btkit("wallet", "show", "-w", "miners", "--json", env=env, show=False))["hotkeys"]
    name = next((h["name"] for h in hotkeys if h["ss58_address"] == out["answered_by"][0]["hotkey"]), "?")
    print(f"$ btkit query --netuid {netuid} --input @request.json -w client\n  forecast "
          f"{[round(x, 3) for x in out['answer']['forecast']]}\n  answered by the {name} miner (uid "
          f"{out['answered_by'][0]['uid']}) through the gateway of {out['gateway'][:8]} at {out['url']} in "
          f"{out['timings']['total_ms']:.0f} ms; the validator's signature verified", flush=True)
    if name != "good":
        raise SystemExit(f"demo FAILED: the gateway's answer came from the {name} miner, not the good one")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
