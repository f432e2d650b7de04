"""Shared fixtures: an isolated BTKIT_HOME per test and a runner for the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VECTORS = Path(__file__).resolve().parent / "vectors"  # copies of shared/vectors; see vectors/README.md
# Large fixtures only (never vectors): `../shared` beside the clone, or BTKIT_SHARED_DIR.
SHARED = Path(os.environ.get("BTKIT_SHARED_DIR") or ROOT.parent / "shared")


def load_vector(name: str) -> dict:
    return json.loads((VECTORS / name).read_text())


def shared_fixture(relpath: str) -> Path:
    """Path of a large fixture under `../shared/fixtures`.

    Outside CI a missing fixture skips the calling test (with the path it looked for); under
    `CI=true` it fails the test, so CI can never pass by skipping.
    """
    path = SHARED / "fixtures" / relpath
    if not path.exists():
        msg = f"large fixture {path} is missing (set BTKIT_SHARED_DIR to the folder holding fixtures/)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg + " and CI=true", pytrace=False)
        pytest.skip(msg)
    return path


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    h = tmp_path / "btkit-home"
    monkeypatch.setenv("BTKIT_HOME", str(h))
    for var in list(os.environ):
        if var.startswith(("BTKIT_PASSWORD", "BTKIT_NEW_PASSWORD", "BT_PW_", "BTKIT_WALLET", "BTKIT_NETWORK")):
            monkeypatch.delenv(var)
    return h


@pytest.fixture
def cli(home):
    """Run `python -m btkit ARGS` as a real process; stdin is not a TTY."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60) -> Result:
        full_env = dict(os.environ)
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "btkit", *args], input=input if input is not None else "",
            capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def pwfile(tmp_path) -> Path:
    p = tmp_path / "pw.txt"
    p.write_text("correct horse battery staple\n")
    return p


@pytest.fixture(scope="session")
def subtensor_node(tmp_path_factory):
    """The real subtensor runtime (spec 218) behind btkit's subtensor engine, instant mining, for the session.

    Dev accounts //Alice..//Ferdie funded, sudo //Alice, rate limits relaxed. Tests that change
    state and need isolation take ``subtensor_node.snapshot()`` and ``revert`` it afterwards.
    """
    from tests.substrate_node import SubtensorNode, require

    require()
    node = SubtensorNode(tmp_path_factory.mktemp("subtensor-node"))
    yield node
    node.stop()
