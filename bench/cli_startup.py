"""CLI start-up and keystore figures. Prints one JSON line.

Ratios are against references measured in the same run: bare `python -c pass` for
start-up, and PyNaCl's bare Argon2i call for one coldkey encryption.
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
RUNS = 10


def median_wall(cmd: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    btkit = [sys.executable, "-m", "btkit"]
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, BTKIT_HOME=home)
        subprocess.run(btkit + ["wallet", "create", "--no-use-password", "-y"], env=env, check=True,
                       capture_output=True, cwd=ROOT)
        python = median_wall([sys.executable, "-c", "pass"], env)
        help_ = median_wall(btkit + ["--help"], env)
        wlist = median_wall(btkit + ["wallet", "list"], env)

    sys.path.insert(0, str(ROOT))
    from nacl import pwhash
    from nacl.secret import SecretBox

    from keystore import encryption
    from keystore.keyfile import serialize
    from keystore.keys import Keypair

    t = time.perf_counter()
    pwhash.argon2i.kdf(32, b"bench-password", encryption.NACL_SALT, opslimit=8, memlimit=536870912)
    bare = time.perf_counter() - t
    data = serialize(Keypair.from_uri("//Alice"))
    t = time.perf_counter()
    blob = encryption.encrypt_nacl(data, "bench-password")
    enc = time.perf_counter() - t
    assert blob.startswith(b"$NACL") and SecretBox
    print(json.dumps({
        "bench": "cli_startup", "runs": RUNS,
        "python_pass_s": round(python, 4), "btkit_help_s": round(help_, 4), "btkit_wallet_list_s": round(wlist, 4),
        "help_minus_python_s": round(help_ - python, 4), "help_ratio_vs_python": round(help_ / python, 2),
        "argon2i_bare_s": round(bare, 3), "coldkey_encrypt_s": round(enc, 3),
        "encrypt_ratio_vs_bare_argon2i": round(enc / bare, 3),
    }))


if __name__ == "__main__":
    main()
