"""Commands and neurons speak only the chain interface (btkit.chain): no wire method names, no raw calls."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "commands").glob("*.py"), *(ROOT / "btkit" / "neurons").glob("*.py")])

# JSON-RPC method names of btkit's node and of Substrate nodes: subtensor_metagraph, chain_getHeader, ...
# (Substrate's state_*/dev_* are camelCase: state_getStorage, dev_setStorage; ``state_keys`` is no method)
WIRE_METHOD = re.compile(r"""["']((subtensor|balances|localnet|author|chain|system)_[A-Za-z]|(state|dev)_[a-z]+[A-Z])""")
# building extrinsics or talking to a backend directly instead of through Chain / Chain.calls
RAW_CALL = re.compile(r"btkit\.extrinsic|btkit\.chain\.localnet|ChainClient|\bCall\(|\.call\(\s*[\"']|\.batch\(")


def _hits(pattern: re.Pattern[str]) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for path in SOURCES for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]


def test_the_patterns_catch_what_they_are_for():
    assert WIRE_METHOD.search('chain.call("subtensor_metagraph", 1)')
    assert WIRE_METHOD.search("rpc('chain_getHeader')")
    assert WIRE_METHOD.search('substrate.rpc_request("state_getStorage", [key])')
    assert not WIRE_METHOD.search('"SubtensorModule.InvalidWorkBlock"')
    assert not WIRE_METHOD.search("report['state_keys']")
    assert RAW_CALL.search('from btkit.extrinsic import call')
    assert RAW_CALL.search('Call("SubtensorModule", "add_stake", {})')
    assert not RAW_CALL.search("chain.calls.add_stake(hk, 1, value)")


def test_sources_are_found():
    names = {p.name for p in SOURCES}
    assert {"wallet.py", "subnet.py", "validator.py", "miner.py"} <= names


def test_commands_and_neurons_name_no_wire_method():
    assert _hits(WIRE_METHOD) == []


def test_commands_and_neurons_build_no_raw_call():
    assert _hits(RAW_CALL) == []


def test_help_imports_no_chain_backend():
    import subprocess
    import sys

    script = ("import sys; from commands.root import main\n"
              "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
              "loaded = [m for m in ('btkit.chain', 'btkit.chain.localnet', 'http.client') if m in sys.modules]\n"
              "assert not loaded, loaded")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "wallet" in proc.stdout  # the help really ran
