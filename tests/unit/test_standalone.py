"""The project stands on its own: a clone with no `../shared` beside it collects and builds cleanly."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests import conftest

ROOT = conftest.ROOT
PY_WARNING = re.compile(r"\b\w*Warning:")  # Python warnings (SetuptoolsDeprecationWarning: ...), not pip's "WARNING:"
SKIP = shutil.ignore_patterns(".git", ".venv", "node_modules", "__pycache__", "build", "*.egg-info", ".pytest_cache")


def _clone(dest: Path) -> Path:
    """A copy of this checkout in `dest/btkit` (so `dest/shared` does not exist)."""
    repo = dest / "btkit"
    shutil.copytree(ROOT, repo, ignore=SKIP)
    return repo


def _env_without_shared() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("BTKIT_SHARED_DIR", "CI", "PYTHONWARNINGS")}


def test_tests_collect_in_a_clone_without_shared(tmp_path):
    repo = _clone(tmp_path)
    assert not (tmp_path / "shared").exists()
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=repo, capture_output=True, text=True, env=_env_without_shared(), timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "error" not in proc.stdout.lower().split("collected")[-1]


def test_vectors_are_copies_with_their_source_named():
    readme = (conftest.VECTORS / "README.md").read_text()
    for name in ("keystore.json", "epoch.json"):
        assert (conftest.VECTORS / name).is_file()
        assert f"shared/vectors/{name}" in readme
    assert conftest.VECTORS.is_relative_to(ROOT)


def test_missing_large_fixture_skips_outside_ci_and_fails_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-fixture"):
        conftest.shared_fixture("no-such-fixture/x.json")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        conftest.shared_fixture("no-such-fixture/x.json")


def _pip(*args: str, cwd: Path, python: str = sys.executable, env: dict[str, str] | None = None):
    return subprocess.run([python, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env or _env_without_shared())


def test_wheel_builds_without_warnings_and_holds_every_package(tmp_path):
    repo = _clone(tmp_path)
    proc = _pip("wheel", "-v", "--no-deps", "-w", str(tmp_path / "dist"), ".", cwd=repo)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not PY_WARNING.findall(proc.stdout + proc.stderr), proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("btkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(repo)) for p in repo.glob("**/__init__.py")
                if p.parts[len(repo.parts)] in ("btkit", "commands", "keystore", "localnet")}
    missing = sorted(p for p in packages if f"{p}/__init__.py" not in names)
    assert not missing, f"packages left out of the wheel: {missing}"
    assert "keystore/wordlists/english.txt" in names
    assert not any("node_modules" in n for n in names)  # the npm tree stays out; its lockfile goes in:
    assert "localnet/chopsticks/package-lock.json" in names  # the subtensor engine installs chopsticks from it


def test_make_install_editable_step_prints_nothing(tmp_path):
    """`make install`'s own pip command (env prefix and options, without the dependencies) prints nothing."""
    repo = _clone(tmp_path)
    line = next(ln for ln in (repo / "Makefile").read_text().splitlines() if "pip install" in ln and " -e " in ln)
    words = shlex.split(line)
    env = _env_without_shared()
    env.update(w.split("=", 1) for w in words[:words.index("$(BIN)/python")] if "=" in w)
    opts = words[words.index("install") + 1:words.index("-e")]
    if "-c" in opts:  # constraints only matter for the dependencies, which are not installed here
        del opts[opts.index("-c"):opts.index("-c") + 2]
    # a bare venv, installed into by this pip (`--python`): `make install` upgrades the venv's pip to the
    # current one first, and a fresh venv's bundled pip is older (and takes ~4 s to set up)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True, timeout=120)
    # -v: show the build backend's output whatever the pip version hides at -q
    opts = ["-v" if o == "-q" else o for o in opts]
    proc = _pip("--python", str(tmp_path / "venv/bin/python"), "install", *opts, "--no-deps", "-e", ".", cwd=repo,
                env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not PY_WARNING.findall(proc.stdout + proc.stderr), proc.stdout[-3000:] + proc.stderr[-3000:]
