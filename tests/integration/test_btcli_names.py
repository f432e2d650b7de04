"""btcli's names and spellings: each one gives the same result as btkit's own spelling.

Names from btcli 9.23.2 (`bittensor_cli/cli.py`): group aliases, `sudo set/get`, `subnets register`,
underscore and dotted flags, `--json-output`, `--quiet`.
"""

from __future__ import annotations

import pytest

from keystore.keys import Keypair


@pytest.fixture
def wallets(cli):
    assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//m1", "-w", "alice", "-H", "m1").code == 0
    return cli


def same_json(cli, ours: list[str], theirs: list[str]) -> dict:
    a, b = cli(*ours, "--json"), cli(*theirs, "--json")
    assert a.code == 0, a.stdout + a.stderr
    assert (b.code, b.json()) == (0, a.json()), b.stdout + b.stderr
    return a.json()


@pytest.mark.parametrize("alias", ["w", "wallets"])
def test_wallet_group_aliases(wallets, alias):
    doc = same_json(wallets, ["wallet", "list"], [alias, "list"])
    assert doc["wallets"][0]["name"] == "alice"


@pytest.mark.parametrize("alias", ["c", "conf"])
def test_config_group_aliases(cli, alias):
    same_json(cli, ["config", "show"], [alias, "show"])


@pytest.mark.parametrize("flag", ["--wallet_name", "--wallet.name", "--wallet-name", "--name"])
def test_wallet_name_spellings(wallets, flag):
    same_json(wallets, ["wallet", "show", "-w", "alice"], ["wallet", "show", flag, "alice"])


@pytest.mark.parametrize("flag", ["--wallet_hotkey", "--wallet.hotkey", "--wallet-hotkey"])
def test_wallet_hotkey_spellings(wallets, flag):
    ours = ["wallet", "sign", "-m", "hi", "--use-hotkey", "-w", "alice"]
    a = wallets(*ours, "--hotkey", "m1", "--json")
    b = wallets(*ours, flag, "m1", "--json")
    m1 = Keypair.from_uri("//Alice//m1").ss58_address
    assert a.code == b.code == 0 and a.json()["signer"] == b.json()["signer"] == m1


@pytest.mark.parametrize("flag", ["--wallet_path", "--wallet.path"])
def test_wallet_path_spellings(wallets, home, flag):
    same_json(wallets, ["wallet", "list", "--wallet-path", str(home / "wallets")],
              ["wallet", "list", flag, str(home / "wallets")])


@pytest.mark.parametrize("flag", ["--json-output", "--json-out"])
def test_json_output_is_json(wallets, flag):
    a, b = wallets("wallet", "list", "--json"), wallets("wallet", "list", flag)
    assert b.code == 0 and b.json() == a.json()


@pytest.mark.parametrize("flag", ["--json", "--json-output"])
def test_version_with_json_is_one_json_document(cli, flag):
    from btkit import __version__

    for args in (["--version", flag], [flag, "--version"]):
        r = cli(*args)
        assert (r.code, r.json()) == (0, {"version": __version__}), r.stdout
    assert cli("--version").stdout == f"btkit {__version__}\n"


def test_quiet_prints_the_result_only(wallets):
    """The same stdout; the note on stderr (columns left out of a narrow table) is gone."""
    a = wallets("config", "show", env={"COLUMNS": "40"})
    assert a.code == 0 and "left out" in a.stderr
    for args in (["config", "show", "--quiet"], ["--quiet", "c", "show"]):
        b = wallets(*args, env={"COLUMNS": "40"})
        assert (b.code, b.stdout, b.stderr) == (0, a.stdout, ""), args


@pytest.mark.parametrize("flag", ["--yes", "--no_prompt"])
def test_yes_spellings_confirm_like_y(cli, home, flag):
    (home / "localnet").mkdir(parents=True)
    asked = cli("localnet", "reset")  # no terminal to ask on: refused
    assert asked.code == 2 and "pass -y" in asked.stderr
    a, b = cli("localnet", "reset", "-y"), cli("localnet", "reset", flag)
    assert (b.code, b.stdout) == (a.code, a.stdout) == (0, f"reset {home / 'localnet'}\n"), b.stderr


def test_ss58_address_spelling(cli):
    bob = Keypair.from_uri("//Bob").ss58_address
    a = cli("wallet", "regen-coldkeypub", "--ss58", bob, "-w", "b", "--json")
    b = cli("wallet", "regen-coldkeypub", "--ss58-address", bob, "-w", "b2", "--json")
    assert a.code == b.code == 0, b.stdout + b.stderr
    assert a.json()["coldkeypub"]["ss58_address"] == b.json()["coldkeypub"]["ss58_address"] == bob


def test_config_set_with_btcli_flags(cli, home):
    """btcli's `config set --wallet-name X --network Y`: the same settings as `config set KEY VALUE`."""
    assert cli("config", "set", "wallet.name", "alice").code == 0
    assert cli("config", "set", "network", "http://10.0.0.5:9944").code == 0
    ours = cli("config", "show", "--json").json()
    (home / "config.toml").unlink()
    r = cli("config", "set", "--wallet.name", "alice", "--subtensor.network", "http://10.0.0.5:9944", "--json")
    assert r.code == 0, r.stdout + r.stderr
    assert r.json()["settings"] == {"wallet.name": "alice", "network": "http://10.0.0.5:9944"}
    assert cli("config", "show", "--json").json() == ours
    # checked before anything is written: a bad network leaves the good wallet name unwritten too
    bad = cli("config", "set", "--wallet_name", "bob", "--network", "nowhere", "--json")
    assert bad.code != 0 and "nowhere" in bad.json()["error"]["message"]
    assert cli("config", "show", "--json").json() == ours
    assert cli("config", "set", "--json").code == 2  # nothing to set


def test_underscore_command_names(cli):
    a = cli("wallet", "regen_coldkeypub", "--ss58", Keypair.from_uri("//Bob").ss58_address, "-w", "b", "--json")
    assert a.code == 0 and a.json()["coldkeypub"]["ss58_address"] == Keypair.from_uri("//Bob").ss58_address


def test_global_flags_never_eat_an_option_value(wallets):
    """`-m -y` signs the message "-y"; a -y of its own still means --no-prompt."""
    from keystore.keys import Keypair

    alice = Keypair.from_uri("//Alice")
    r = wallets("wallet", "sign", "-m", "-y", "-w", "alice", "--json")
    assert r.code == 0, r.stdout + r.stderr
    assert alice.verify(b"-y", bytes.fromhex(r.json()["signature"][2:]))
    r = wallets("wallet", "sign", "--message", "--json", "-w", "alice", "-y", "--json")
    assert r.code == 0 and alice.verify(b"--json", bytes.fromhex(r.json()["signature"][2:]))
    r = wallets("wallet", "sign", "--message=--verbose", "-w", "alice", "--json")
    assert alice.verify(b"--verbose", bytes.fromhex(r.json()["signature"][2:]))


def test_did_you_mean_once(cli):
    top = cli("walet", "list")
    assert top.code == 2 and top.stderr.count("Did you mean") == 1 and "'wallet'" in top.stderr
    sub = cli("wallet", "lst")
    assert sub.code == 2 and sub.stderr.count("Did you mean") == 1 and "'list'" in sub.stderr
    opt = cli("subnet", "metagraph", "--netid", "1")
    assert opt.code == 2 and opt.stderr.count("Did you mean") == 1 and "'--netuid'" in opt.stderr
    # an option of another meaning is never suggested
    other = cli("wallet", "list", "--wallet-name", "x", "--json")
    assert other.code == 2 and "Did you mean" not in other.stdout and "--wallet-path" not in other.stdout
    far = cli("zzzz")
    assert far.code == 2 and "Did you mean" not in far.stderr
    # the error names the command as typed, btcli's underscores and all
    under = cli("wallet", "regen_coldky")
    assert under.code == 2 and "No such command 'regen_coldky'. Did you mean 'regen-coldkey'?" in under.stderr


@pytest.mark.parametrize("typo,flag", [("--jsn", "--json"), ("--quite", "--quiet"), ("--verbos", "--verbose")])
def test_a_misspelt_global_flag_after_the_command_is_suggested(cli, typo, flag):
    """Global flags work anywhere, so their typos get the same one suggestion anywhere."""
    for args in ([typo, "wallet", "list"], ["wallet", "list", typo], ["s", "list", typo]):
        r = cli(*args)
        assert r.code == 2 and r.stderr.count("Did you mean") == 1 and f"'{flag}'" in r.stderr, (args, r.stderr)


# -- against a node -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A node with subnet 1 owned by //Alice, and //Alice//m1 registered (module-scoped)."""
    import os
    import subprocess
    import sys

    from localnet import control
    from tests.conftest import ROOT

    home = tmp_path_factory.mktemp("btcli-home")
    info, _ = control.up(control.UpOptions(data_dir=home / "node", port=0, mining="instant"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BTKIT_", "BT_PW_"))}
    env.update(BTKIT_HOME=str(home), BTKIT_NETWORK=info["url"])

    def run(*args: str, network_flag: str | None = None):
        from tests.conftest import Result

        net = [network_flag, info["url"]] if network_flag else []
        p = subprocess.run([sys.executable, "-m", "btkit", *args, *net], capture_output=True,
                           text=True, env=env, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL)
        return Result(p.returncode, p.stdout, p.stderr)

    assert run("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "alice").code == 0
    for name in ("default", "m1", "m2"):
        assert run("wallet", "regen-hotkey", "--uri", f"//Alice//{name}", "-w", "alice", "-H", name).code == 0
    assert run("subnet", "create", "-w", "alice", "-y").code == 0
    assert run("register", "--netuid", "1", "-w", "alice", "-H", "m1", "-y").code == 0
    yield run
    control.down(home / "node")


@pytest.mark.parametrize("alias", ["subnets", "s"])
def test_subnets_aliases(chain, alias):
    same_json(chain, ["subnet", "list"], [alias, "list"])
    same_json(chain, ["subnet", "show", "--netuid", "1"], [alias, "show", "--netuid", "1"])
    same_json(chain, ["subnet", "burn-cost", "--netuid", "1"], [alias, "burn-cost", "--netuid", "1"])
    same_json(chain, ["subnet", "burn-cost", "--netuid", "1"], [alias, "burn_cost", "--netuid", "1"])


@pytest.mark.parametrize("alias", ["sudo", "su"])
def test_sudo_get_is_hyperparameters(chain, alias):
    same_json(chain, ["subnet", "hyperparameters", "--netuid", "1"], [alias, "get", "--netuid", "1"])


def test_sudo_set_param_value(chain):
    a = chain("subnet", "set", "tempo", "50", "--netuid", "1", "-w", "alice", "--json")
    b = chain("sudo", "set", "--netuid", "1", "--param", "tempo", "--value", "60", "-w", "alice", "--json")
    assert a.code == 0 and b.code == 0, b.stderr
    assert (a.json()["name"], a.json()["value"]) == ("tempo", 50)
    assert (b.json()["name"], b.json()["previous"], b.json()["value"]) == ("tempo", 50, 60)
    c = chain("su", "set", "--netuid", "1", "--parameter", "tempo", "--value", "50", "-w", "alice", "--json")
    assert c.code == 0 and c.json()["previous"] == 60


def test_sudo_set_typos_and_units(chain):
    r = chain("sudo", "set", "--netuid", "1", "--param", "tmpo", "--value", "50", "-w", "alice", "--json")
    assert r.code == 2 and r.json()["error"]["message"].count("Did you mean") == 1, r.stdout
    assert "'tempo'" in r.json()["error"]["message"]
    far = chain("sudo", "set", "--netuid", "1", "--param", "zzzz", "--value", "50", "-w", "alice", "--json")
    assert far.code == 2 and "Did you mean" not in far.json()["error"]["message"]
    r = chain("sudo", "set", "--netuid", "1", "--param", "min_burn", "--value", "0.5", "-w", "alice", "--json")
    assert r.code == 2 and "rao" in r.json()["error"]["message"], r.stdout  # btcli users think in τ


@pytest.mark.parametrize("alias", ["st"])
def test_stake_alias(chain, alias):
    alice = Keypair.from_uri("//Alice").ss58_address
    same_json(chain, ["stake", "list", "--ss58", alice], [alias, "list", "--ss58", alice])


@pytest.mark.parametrize("alias", ["wt", "weight"])
def test_weights_aliases(chain, alias):
    same_json(chain, ["weights", "show", "--netuid", "1"], [alias, "show", "--netuid", "1"])


def test_subnets_register_is_register(chain):
    a = chain("register", "--netuid", "1", "-w", "alice", "-H", "m1", "-y", "--json")
    b = chain("subnets", "register", "--netuid", "1", "-w", "alice", "-H", "m2", "-y", "--json")
    assert b.code == 0, b.stdout + b.stderr
    assert b.json()["hotkey"] == Keypair.from_uri("//Alice//m2").ss58_address and b.json()["netuid"] == 1
    # m1 was registered already: the same refusal by either spelling
    c = chain("subnets", "register", "--netuid", "1", "-w", "alice", "-H", "m1", "-y", "--json")
    assert (c.code, c.json()["error"]["code"]) == (a.code, a.json()["error"]["code"])


@pytest.mark.parametrize("flag", ["--subtensor.network", "--subtensor.chain_endpoint", "--chain"])
def test_network_spellings(chain, flag):
    a = chain("subnet", "show", "--netuid", "1", "--json", network_flag="--network")
    b = chain("subnet", "show", "--netuid", "1", "--json", network_flag=flag)
    assert a.code == 0 and (b.code, b.json()) == (0, a.json())


def test_sudo_set_take_is_stake_set_take(chain):
    a = chain("stake", "set-take", "--take", "9", "-w", "alice", "-H", "default", "-y", "--json")
    assert a.code == 0, a.stdout + a.stderr
    b = chain("sudo", "set-take", "--take", "9", "-w", "alice", "-H", "default", "-y", "--json")
    assert b.code == 0 and b.json()["changed"] is False and b.json()["take"] == a.json()["take"]
