"""`make demo`: the btkit story in a throwaway home (nothing touches ~/.bittensor)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile


def run(*args: str, env: dict[str, str]) -> str:
    print(f"\n$ btkit {shlex.join(args)}", flush=True)
    proc = subprocess.run([sys.executable, "-m", "btkit", *args], env=env, text=True, capture_output=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        raise SystemExit(f"demo step failed with exit code {proc.returncode}")
    return proc.stdout


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="btkit-demo-") as home:
        env = dict(os.environ, BTKIT_HOME=home, BTKIT_PASSWORD="demo-password")
        print(f"demo home: {home}")
        run("wallet", "create", "--wallet-name", "demo", "--hotkey", "miner1", env=env)
        run("wallet", "new-hotkey", "--wallet-name", "demo", "--hotkey", "validator", env=env)
        run("wallet", "regen-coldkey", "--wallet-name", "alice", "--uri", "//Alice", "--no-use-password", env=env)
        run("wallet", "list", env=env)
        run("wallet", "show", "--wallet-name", "demo", env=env)
        sig = run("wallet", "sign", "--wallet-name", "demo", "--message", "hello subnet", env=env).strip()
        run("wallet", "verify", "--wallet-name", "demo", "--message", "hello subnet", "--signature", sig, env=env)
    print("\ndemo finished: all steps passed")


if __name__ == "__main__":
    main()
