"""Errors as users meet them: one JSON shape, τ amounts, the URL that did not answer, validated
config, no wire method names, and a declined prompt that says "cancelled"."""

from __future__ import annotations

import os
import re

import pytest


ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
WIRE_NAME = re.compile(r"\b(subtensor|balances|localnet|author|chain|system|state)_[a-z][A-Za-z]+\b")


def test_json_error_always_has_code_message_hint(cli):
    for args in (["walet"], ["wallet", "show", "-w", "nobody"], ["config", "set", "nope", "x"],
                 ["wallet", "balance", "--ss58", "not-an-address"]):
        r = cli(*args, "--json")
        assert r.code != 0
        err = r.json()["error"]
        assert set(err) == {"code", "message", "hint"} and isinstance(err["hint"], str), (args, err)


def test_explicit_network_url_that_does_not_answer_is_named(cli):
    r = cli("wallet", "balance", "--ss58", ALICE, "--network", "http://127.0.0.1:9", "--json")
    assert r.code == 3
    err = r.json()["error"]
    assert "http://127.0.0.1:9" in err["message"] and "localnet up" not in err["message"] + err["hint"]
    r = cli("wallet", "balance", "--ss58", ALICE, "--json")  # the default: no localnet running here
    assert r.code == 3 and "localnet up" in r.json()["error"]["message"]


def test_config_set_validates(cli, home):
    r = cli("config", "set", "network", "finny", "--json")
    assert r.code != 0 and "finny" in r.json()["error"]["message"]
    assert not (home / "config.toml").exists()
    assert cli("config", "set", "wallet.name", "a/b").code != 0
    assert cli("config", "set", "network", "http://10.0.0.5:9944").code == 0
    assert cli("config", "show", "--json").json()["settings"]["network"]["value"] == "http://10.0.0.5:9944"


@pytest.fixture
def node(cli):
    r = cli("localnet", "up", "--port", "0", "--mining", "instant", "--json")
    assert r.code == 0, r.stderr
    yield r.json()
    cli("localnet", "down")


def test_amounts_in_tau_and_no_wire_names(cli, node):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "a").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//o", "-w", "a").code == 0
    assert cli("subnet", "create", "-w", "a", "-y").code == 0
    assert cli("wallet", "regen-coldkey", "--uri", "//Poor", "--no-use-password", "-w", "poor").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Poor//o", "-w", "poor").code == 0
    r = cli("register", "--netuid", "1", "-w", "poor", "-y", "--json")  # the burn is more than it has
    assert r.code != 0
    message = r.json()["error"]["message"]
    assert "τ" in message and not re.search(r"\d rao\b", message), message
    for args in (["subnet", "show", "--netuid", "99"], ["localnet", "revert", "999"],
                 ["weights", "show", "--netuid", "42"], ["subnet", "metagraph", "--netuid", "77"]):
        r = cli(*args, "--json")
        assert r.code != 0
        assert not WIRE_NAME.search(r.stdout + r.stderr), (args, r.stdout)
        human = cli(*args)
        assert not WIRE_NAME.search(human.stdout + human.stderr), (args, human.stderr)


def test_declining_a_prompt_exits_1_cancelled(cli, home):
    from tests.integration.terminal import run_on_terminal

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BTKIT_", "BT_PW_"))}
    env.update(BTKIT_HOME=str(home))
    (home / "localnet").mkdir(parents=True)
    code, screen, out = run_on_terminal(["localnet", "reset"], "n", env)
    assert code == 1, screen
    assert "cancelled" in screen and "Usage" not in screen + out


def test_a_group_without_its_command_shows_its_help(cli):
    r = cli("wallet")
    assert r.code == 2 and r.stdout.startswith("Usage: btkit wallet") and "error" not in r.stderr
    r = cli("subnets", "--json")
    assert r.code == 2 and r.json()["error"]["message"] == "`btkit subnet` needs a command"  # btcli alias resolved


def test_neuron_flags_are_checked_before_detaching(cli, home):
    """A background neuron cannot report a usage error: bad flags fail (exit 2) before anything starts."""
    for args, words in ((["validator", "run", "--gateway-price", "5"], "--gateway-price needs --gateway-port"),
                        (["validator", "run", "--gateway-port", "99999"], "--gateway-port"),
                        (["validator", "run", "--gateway-port", "0", "--gateway-mode", "vote"], "--gateway-mode"),
                        (["validator", "run", "--gateway-port", "0", "--gateway-external-ip", "notanip"],
                         "--gateway-external-ip 'notanip' is not an IP address"),
                        (["miner", "run", "--host", "localhost"], "--host 'localhost' is not an IP address"),
                        (["miner", "run", "--port", "70000"], "--port")):
        r = cli(*args, "--netuid", "1", "-w", "nobody", "--detach", "--json")
        assert r.code == 2 and words in r.json()["error"]["message"], (args, r.stdout, r.stderr)
    assert not (home / "neurons").exists() or not any((home / "neurons").iterdir())  # nothing was started
