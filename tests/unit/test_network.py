"""``--network`` resolution (names, URLs, the SDK's endpoint variable) and lazy Substrate imports."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from btkit import config
from btkit.chain.network import NETWORKS, resolve
from btkit.errors import UsageError
from tests.conftest import ROOT


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    monkeypatch.setenv("BTKIT_HOME", str(tmp_path))
    for var in ("BTKIT_NETWORK", "BT_CHAIN_ENDPOINT", "BT_SUBTENSOR_CHAIN_ENDPOINT"):
        monkeypatch.delenv(var, raising=False)
    return lambda: config.load()


def test_names_and_urls(cfg):
    assert NETWORKS == {"finney": "wss://entrypoint-finney.opentensor.ai:443",
                        "test": "wss://test.finney.opentensor.ai:443",
                        "archive": "wss://archive.chain.opentensor.ai:443"}
    for name, url in NETWORKS.items():
        assert (resolve(name, cfg=cfg()).url, resolve(name, cfg=cfg()).kind) == (url, "subtensor")
    assert resolve("ws://10.0.0.1:9944", cfg=cfg()).kind == "subtensor"
    assert resolve("wss://node.example:443", cfg=cfg()).kind == "subtensor"
    http = resolve("http://127.0.0.1:9944/", cfg=cfg())
    assert (http.url, http.kind) == ("http://127.0.0.1:9944", "auto")  # told apart when opened, not here
    assert resolve("local", cfg=cfg()).kind == "localnet"
    for bad in ("finny", "ftp://x", "http://"):
        with pytest.raises(UsageError):
            resolve(bad, cfg=cfg())


def test_sdk_endpoint_variable_only_when_nothing_is_configured(cfg, monkeypatch):
    monkeypatch.setenv("BT_SUBTENSOR_CHAIN_ENDPOINT", "ws://old-sdk:9944")
    assert resolve(None, cfg=cfg()).url == "ws://old-sdk:9944"
    monkeypatch.setenv("BT_CHAIN_ENDPOINT", "ws://sdk:9944")
    assert resolve(None, cfg=cfg()).url == "ws://sdk:9944"
    monkeypatch.setenv("BTKIT_NETWORK", "test")
    assert resolve(None, cfg=cfg()).url == NETWORKS["test"]
    assert resolve("finney", cfg=cfg()).url == NETWORKS["finney"]  # the flag wins


@pytest.mark.parametrize("args", [("--help",), ("wallet", "list"), ("subnet", "--help"),
                                  ("wallet", "balance", "--ss58", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                                   "--network", "http://127.0.0.1:9")])
def test_commands_that_reach_no_substrate_node_never_import_the_substrate_library(tmp_path, args):
    script = ("import sys; from commands.root import main; rc = main(sys.argv[1:]); "
              "assert not [m for m in sys.modules if m.startswith(('async_substrate_interface', 'scalecodec'))]; "
              "sys.exit(rc)")
    env = dict(os.environ, BTKIT_HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == (3 if "balance" in args else 0), proc.stderr
