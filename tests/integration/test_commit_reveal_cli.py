"""`weights commit` prints the reveal window; `weights reveal` refuses before and after it."""

from __future__ import annotations

import pytest

from btkit.commit_reveal import reveal_window


@pytest.fixture
def subnet(cli):
    r = cli("localnet", "up", "--port", "0", "--mining", "instant", "--json")
    assert r.code == 0, r.stderr
    try:
        assert cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "a").code == 0
        assert cli("wallet", "regen-hotkey", "--uri", "//Alice//v", "-w", "a").code == 0
        assert cli("subnet", "create", "-w", "a", "-y").code == 0
        assert cli("subnet", "set", "commit_reveal_weights_enabled", "true", "--netuid", "1", "-w", "a").code == 0
        tempo = cli("subnet", "hyperparameters", "--netuid", "1", "--json").json()["hyperparameters"]["tempo"]
        assert cli("localnet", "mine", str(tempo + 2)).code == 0  # an epoch: the owner's uid 0 gets a permit
        yield tempo
    finally:
        cli("localnet", "down")


def head(cli) -> int:
    return cli("localnet", "status", "--json").json()["head"]


def test_commit_prints_the_window_and_reveal_keeps_to_it(cli, subnet):
    tempo = subnet
    args = ["--netuid", "1", "--uids", "0", "--weights", "1", "-w", "a"]
    c = cli("weights", "commit", *args, "--json")
    assert c.code == 0, c.stdout + c.stderr
    doc = c.json()
    window = reveal_window(doc["block"], 1, tempo)
    assert doc["reveal_window"] == {"first_block": window.first, "last_block": window.last}  # instant mining: no s
    human = cli("weights", "commit", "--netuid", "1", "--uids", "0", "--weights", "2", "-w", "a")
    assert human.code == 0 and "reveal in blocks " in human.stdout and "btkit weights reveal" in human.stdout
    reveal = ["weights", "reveal", *args[:4], "--weights", "65535", "--raw", "--salt",
              ",".join(map(str, doc["salt"])), "-w", "a", "--json"]
    early = cli(*reveal)
    assert early.code == 4 and early.json()["error"]["code"] == "reveal_too_early", early.stdout
    assert f"blocks {window.first}-{window.last}" in early.json()["error"]["message"]
    assert early.json()["error"]["message"].startswith("SubtensorModule.RevealTooEarly")  # the chain's name
    assert cli("localnet", "mine", str(window.first - head(cli) - 1)).code == 0  # the next block opens it
    ok = cli(*reveal)
    assert ok.code == 0, ok.stdout
    assert ok.json()["block"] == window.first
    late = cli("weights", "commit", *args, "--json").json()
    late_window = reveal_window(late["block"], 1, tempo)
    assert cli("localnet", "mine", str(late_window.last - head(cli))).code == 0  # the next block is past it
    expired = cli(*reveal[:-5], "--salt", ",".join(map(str, late["salt"])), "-w", "a", "--json")
    assert expired.code == 4 and expired.json()["error"]["code"] == "commit_expired", expired.stdout
    wrong = cli(*reveal[:-5], "--salt", "1,2,3", "-w", "a", "--json")
    assert wrong.code == 4 and wrong.json()["error"]["code"] == "no_commit"


def test_metagraph_right_after_registration_says_when_numbers_fill(cli, subnet):
    assert cli("wallet", "regen-hotkey", "--uri", "//Alice//m1", "-w", "a", "-H", "m1").code == 0
    assert cli("register", "--netuid", "1", "-w", "a", "-H", "m1", "-y").code == 0
    nxt = cli("subnet", "epoch", "--netuid", "1", "--json").json()["next_epoch_block"]
    out = cli("subnet", "metagraph", "--netuid", "1").stdout
    assert "uid 1 registered since the last epoch" in " ".join(out.split())
    assert f"epoch at block {nxt} (" in " ".join(out.split())
    assert cli("localnet", "mine", str(nxt - head(cli))).code == 0  # past that epoch: no note
    assert "registered since the last epoch" not in cli("subnet", "metagraph", "--netuid", "1").stdout
