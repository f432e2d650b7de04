"""The subtensor engine's pieces that need no chopsticks: the bridge's rewrites, finding and
installing chopsticks (with stand-in `node`/`npm` scripts), the dev storage's SCALE values."""

from __future__ import annotations

import json
import os
import stat

import pytest

from localnet import chopsticks, subtensor_dev
from localnet.rpc_bridge import rewrite


def test_bridge_rewrites_only_the_two_gaps():
    one = json.loads(rewrite('{"jsonrpc":"2.0","id":1,"method":"account_nextIndex","params":["5Grw"]}'))
    assert one["method"] == "system_accountNextIndex" and one["params"] == ["5Grw"]
    batch = json.loads(rewrite(json.dumps([
        {"jsonrpc": "2.0", "id": 1, "method": "state_call", "params": ["Core_version", "", None]},
        {"jsonrpc": "2.0", "id": 2, "method": "state_call", "params": ["X_y", "0x01"]},
        {"jsonrpc": "2.0", "id": 3, "method": "state_call", "params": ["X_y", "abcd", "0xff"]}])))
    assert [b["params"][1] for b in batch] == ["0x", "0x01", "0xabcd"]
    assert batch[2]["params"][2] == "0xff"
    untouched = '{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":[]}'
    assert rewrite(untouched) is untouched
    assert rewrite(b"not json") == b"not json"


def test_dev_storage_writes_numbers_as_scale_hex_never_json_zero():
    assert subtensor_dev.u64(0) == "0x0000000000000000" and subtensor_dev.u16(256) == "0x0001"
    doc = subtensor_dev.relaxed_limits()["SubtensorModule"]
    assert doc["NetworkRateLimit"] == "0x0000000000000000"
    values = [v for item in doc.values() if isinstance(item, list) for _k, v in item] + \
        [v for v in doc.values() if not isinstance(v, list)]
    assert all(isinstance(v, str) and v.startswith("0x") for v in values)  # a JSON 0 would delete the key
    sudo = subtensor_dev.accounts_and_sudo()
    assert sudo["Sudo"]["Key"] == "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
    assert len(sudo["System"]["Account"]) == 6


def _script(path, body: str):
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    d = tmp_path / "bin"
    d.mkdir()
    monkeypatch.setenv("PATH", str(d))
    monkeypatch.setenv("BTKIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BTKIT_CHOPSTICKS", raising=False)
    return d


def test_without_node_the_error_names_nodejs_20(bin_dir):
    with pytest.raises(chopsticks.ChopsticksMissing, match=r"Node\.js >= 20"):
        chopsticks.require_node()


def test_an_old_node_is_refused_with_its_version(bin_dir):
    _script(bin_dir / "node", "echo v18.19.0")
    with pytest.raises(chopsticks.ChopsticksMissing, match=r"needs Node\.js >= 20; found 18\.19\.0"):
        chopsticks.require_node()


def test_install_runs_npm_ci_on_the_packaged_lockfile(bin_dir, tmp_path):
    _script(bin_dir / "node", "echo v20.11.1")
    log = tmp_path / "npm-args"
    _script(bin_dir / "npm", f'PATH=/usr/bin:/bin; echo "$@" > {log}; test -f package-lock.json || exit 3; '
                             "mkdir -p node_modules/.bin && touch node_modules/.bin/chopsticks")
    with open(tmp_path / "progress", "w") as progress:  # npm's output goes to a real stream (stderr)
        path = chopsticks.install(progress)
    assert path == tmp_path / "home" / "chopsticks" / "node_modules" / ".bin" / "chopsticks" and path.exists()
    assert (tmp_path / "home" / "chopsticks" / "package-lock.json").read_bytes() == \
        (chopsticks.PACKAGE_DIR / "package-lock.json").read_bytes()
    assert log.read_text().split()[:3] == ["ci", "--no-audit", "--no-fund"]
    assert "Installing chopsticks" in (tmp_path / "progress").read_text()


def test_a_failed_install_is_a_clear_error(bin_dir, tmp_path):
    _script(bin_dir / "node", "echo v22.0.0")
    _script(bin_dir / "npm", "echo npm ERR! network; exit 1")
    with open(tmp_path / "progress", "w") as progress, \
            pytest.raises(chopsticks.ChopsticksMissing, match=r"`npm ci` in .* failed \(exit 1\)"):
        chopsticks.install(progress)


def test_btkit_chopsticks_overrides_and_must_exist(bin_dir, tmp_path, monkeypatch):
    fake = tmp_path / "my-chopsticks"
    monkeypatch.setenv("BTKIT_CHOPSTICKS", str(fake))
    with pytest.raises(chopsticks.ChopsticksMissing, match="does not exist"):
        chopsticks.find()
    _script(fake, "exit 0")
    assert chopsticks.find() == fake
    assert os.access(fake, os.X_OK)


class _Flaky(chopsticks.Rpc):
    """A chopsticks that refuses ``dev_newBlock`` ``failures`` times with ``message``, then builds."""

    def __init__(self, message: str, failures: int = 1) -> None:
        super().__init__("http://127.0.0.1:9")
        self.message, self.failures = message, failures
        self.built = self.refused = 0

    def __call__(self, method, *params, timeout=None):
        if method == "dev_newBlock":
            if self.refused < self.failures:
                self.refused += 1
                raise chopsticks.ChopsticksError(method, self.message)
            self.built += 1
            return "0x01"
        if method == "chain_getHeader":
            return {"number": hex(self.built)}
        return "0x" + "ab" * 32


def test_block_one_is_built_again_after_the_slot_error():
    rpc = _Flaky("Timestamp slot must match `CurrentSlot`")
    assert rpc.new_blocks(1)["number"] == 1
    assert (rpc.refused, rpc.built) == (1, 1)


def test_other_block_errors_are_not_retried():
    rpc = _Flaky("boom")
    with pytest.raises(chopsticks.ChopsticksError, match="boom"):
        rpc.new_blocks(1)
    assert rpc.refused == 1
