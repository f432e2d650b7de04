"""Weights and the epoch on a real node: checks by name, and payouts equal to run_epoch's."""

from __future__ import annotations

import pytest

from btkit.consensus import EpochInput, run_epoch
from btkit.extrinsic import call
from tests.integration.conftest import ALICE, BOB, CHARLIE, fails, ok, run_block
from tests.integration.test_subnets import S, burned, hk, make_subnet

TAO = 10**9


def sw(netuid, dests, weights, version_key=0):
    return call(S, "set_weights", netuid=netuid, dests=dests, weights=weights, version_key=version_key)


@pytest.fixture
def c(start_node):
    return start_node("manual").client


def mine_to(c, block):
    head = c.head()["number"]
    if block > head:
        c.call("localnet_mine", block - head)


def setup_subnet(c, **hp):
    netuid = make_subnet(c, **hp)
    run_block(c, (BOB, burned(netuid, "val")), (CHARLIE, burned(netuid, "m1")), (CHARLIE, burned(netuid, "m2")))
    ok(c, BOB, call(S, "add_stake", hotkey=hk("val").ss58_address, netuid=netuid, amount_staked=1000 * TAO))
    ok(c, CHARLIE, call(S, "add_stake", hotkey=hk("val").ss58_address, netuid=netuid, amount_staked=500 * TAO))
    return netuid


def epoch_input_from_rpc(c, netuid: int, block: int) -> EpochInput:
    """Built from queries only, the way a client would see the subnet."""
    mg = c.call("subtensor_metagraph", netuid)
    hp = c.call("subtensor_hyperparameters", netuid)
    weights = c.call("subtensor_weights", netuid)
    bonds = c.call("subtensor_bonds", netuid)
    neurons = mg["neurons"]
    owner_uid = next(n["uid"] for n in neurons if n["hotkey"] == mg["subnet"]["owner_hotkey"])
    return EpochInput(
        block=block, stake=[n["stake"] for n in neurons], weights=[weights[str(n["uid"])] for n in neurons],
        bonds=[bonds[str(n["uid"])] for n in neurons], last_update=[n["last_update"] for n in neurons],
        block_at_registration=[n["registered_at"] for n in neurons], validator_permit=[n["permit"] for n in neurons],
        tempo=hp["tempo"], kappa=hp["kappa"], bonds_moving_average=hp["bonds_moving_avg"],
        bonds_penalty=hp["bonds_penalty"], activity_cutoff=hp["activity_cutoff"],
        max_allowed_validators=hp["max_allowed_validators"], stake_threshold=hp["stake_threshold"],
        owner_uid=owner_uid)


def test_epochs_pay_what_run_epoch_computes(c):
    netuid = setup_subnet(c, tempo=4, weights_rate_limit=0)
    val = hk("val")
    charlie_alpha = {s["hotkey"]: s["stake"] for s in c.call("subtensor_stakesOf", CHARLIE.ss58_address)}
    paid_epochs = 0
    for round_ in range(5):
        nxt = c.call("subtensor_nextEpoch", netuid)["next_epoch_block"]
        mine_to(c, nxt - 1)
        if round_ >= 1:  # after the first epoch the validator holds a permit
            (r,) = run_block(c, (val, sw(netuid, [2, 3], [65535, 20000 + 10000 * round_])))
            assert r["success"], r
            nxt = c.call("subtensor_nextEpoch", netuid)["next_epoch_block"]
            mine_to(c, nxt - 1)
        inp = epoch_input_from_rpc(c, netuid, nxt)
        before = {n["hotkey"]: n["stake"] for n in c.call("subtensor_metagraph", netuid)["neurons"]}
        c.call("localnet_mine", 1)
        record = c.call("subtensor_lastEpoch", netuid)
        assert record["block"] == nxt and record["unit"] == "alpha"
        inp.rao_emission = record["rao_emission"]  # pending server + validator + root alpha
        out = run_epoch(inp)
        mg = c.call("subtensor_metagraph", netuid)
        owner = mg["subnet"]
        payouts = {p["uid"]: p for p in record["payouts"]}
        for n in mg["neurons"]:
            uid = n["uid"]
            assert (n["incentive"], n["dividends"], n["consensus"], n["emission"], n["permit"]) == (
                out.incentive[uid], out.dividends[uid], out.consensus[uid], out.emission[uid],
                out.validator_permit[uid])
            # miners are paid the epoch's incentive in alpha (the owner's own is burned)
            expected_incentive = 0 if n["coldkey"] == owner["owner_coldkey"] else out.server_emission[uid]
            assert payouts[uid]["incentive"] == expected_incentive, (round_, uid)
            delta = payouts[uid]["incentive"] + payouts[uid]["dividends"]
            if n["hotkey"] == owner["owner_hotkey"]:
                delta += record["owner_cut"]
            assert n["stake"] - before[n["hotkey"]] == delta, (round_, uid)
        # validators share the pending validator alpha (all of it when no miner earned), to the rao
        pending = record["pending"]
        pool = pending["validator"] + pending["root"] + (0 if sum(out.server_emission) else pending["server"])
        assert pool - len(payouts) <= sum(p["dividends"] for p in payouts.values()) <= pool
        assert c.call("localnet_accounting")["violations"] == []
        paid_epochs += out.incentive[2] > 0
    assert paid_epochs >= 3  # miners earned incentive in the weighted epochs
    mg = c.call("subtensor_metagraph", netuid)["neurons"]
    assert mg[2]["incentive"] > mg[3]["incentive"] > 0 and mg[1]["dividends"] > 0
    # nominators: Charlie staked on the validator and earned part of its dividends
    stakes = {(s["hotkey"], s["netuid"]): s["stake"] for s in c.call("subtensor_stakesOf", CHARLIE.ss58_address)}
    assert stakes[(val.ss58_address, netuid)] > charlie_alpha[val.ss58_address]


def test_set_weights_checks_by_name(c):
    netuid = setup_subnet(c, tempo=3, weights_rate_limit=0)
    val, m1 = hk("val"), hk("m1")
    nxt = c.call("subtensor_nextEpoch", netuid)["next_epoch_block"]
    mine_to(c, nxt)  # an epoch grants the validator its permit
    fails(c, val, sw(0, [1], [1]), "CanNotSetRootNetworkWeights")
    fails(c, val, sw(netuid, [1, 2], [1]), "WeightVecNotEqualSize")
    fails(c, val, sw(77, [1], [1]), "SubNetworkDoesNotExist")
    fails(c, val, sw(netuid, [0, 1, 2, 3, 4], [1, 1, 1, 1, 1]), "UidsLengthExceedUidsInSubNet")
    fails(c, hk("stranger"), sw(netuid, [2], [1]), "HotKeyNotRegisteredInSubNet")
    ok(c, ALICE, call("AdminUtils", "sudo_set_stake_threshold", netuid=netuid, value=10**15))
    fails(c, val, sw(netuid, [2], [1]), "NotEnoughStakeToSetWeights")
    ok(c, ALICE, call("AdminUtils", "sudo_set_stake_threshold", netuid=netuid, value=0))
    ok(c, ALICE, call("AdminUtils", "sudo_set_weights_version", netuid=netuid, value=5))
    fails(c, val, sw(netuid, [2], [1], version_key=4), "IncorrectWeightVersionKey")
    ok(c, ALICE, call("AdminUtils", "sudo_set_weights_version", netuid=netuid, value=0))
    fails(c, m1, sw(netuid, [3], [1]), "NeuronNoValidatorPermit")
    assert run_block(c, (m1, sw(netuid, [2], [1])))[0]["success"]  # a lone self-weight needs no permit
    fails(c, val, sw(netuid, [2, 2], [1, 1]), "DuplicateUids")
    fails(c, val, sw(netuid, [2, 9], [1, 1]), "UidVecContainInvalidOne")
    ok(c, ALICE, call("AdminUtils", "sudo_set_min_allowed_weights", netuid=netuid, value=2))
    fails(c, val, sw(netuid, [2], [1]), "WeightVecLengthIsLow")
    ok(c, ALICE, call("AdminUtils", "sudo_set_max_weights_limit", netuid=netuid, value=40000))
    fails(c, val, sw(netuid, [2, 3], [65535, 1]), "MaxWeightExceeded")
    ok(c, val, sw(netuid, [2, 3], [30000, 30000]))
    ok(c, ALICE, call("AdminUtils", "sudo_set_weights_rate_limit", netuid=netuid, value=5))
    fails(c, val, sw(netuid, [2, 3], [30000, 30000]), "SettingWeightsTooFast")
    weights = c.call("subtensor_weights", netuid)
    assert weights["1"] == [[2, 65535], [3, 65535]]  # stored max-upscaled


def test_commit_reveal(c):
    from localnet.runtime.weights import commit_hash

    netuid = setup_subnet(c, tempo=3, weights_rate_limit=0, commit_reveal_weights_enabled=True)
    val = hk("val")
    mine_to(c, c.call("subtensor_nextEpoch", netuid)["next_epoch_block"])
    fails(c, val, sw(netuid, [2], [1]), "CommitRevealEnabled")
    salt = [1, 2, 3]
    digest = commit_hash(val.ss58_address, netuid, [2, 3], [100, 50], salt, 0)
    reveal = call(S, "reveal_weights", netuid=netuid, uids=[2, 3], values=[100, 50], salt=salt, version_key=0)
    fails(c, val, reveal, "NoWeightsCommitFound")
    mine_to(c, c.call("subtensor_nextEpoch", netuid)["next_epoch_block"])  # commit early in an epoch
    ok(c, val, call(S, "commit_weights", netuid=netuid, commit_hash=digest))
    fails(c, val, reveal, "RevealTooEarly")
    mine_to(c, c.call("subtensor_nextEpoch", netuid)["next_epoch_block"])
    bad = call(S, "reveal_weights", netuid=netuid, uids=[2, 3], values=[100, 51], salt=salt, version_key=0)
    fails(c, val, bad, "InvalidRevealCommitHashNotMatch")
    ok(c, val, reveal)
    assert c.call("subtensor_weights", netuid)["1"] == [[2, 65535], [3, 32768]]


def test_weights_and_epoch_commands(cli, start_node):
    node = start_node("instant")
    net = ["--network", node.url]
    cli("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password", "-w", "a")
    cli("wallet", "regen-hotkey", "--uri", "//Alice//v", "-w", "a")
    assert cli("subnet", "create", "-w", "a", "-y", *net).code == 0
    c = node.client
    ok_ = c.submit(ALICE, call("AdminUtils", "sudo_set_weights_rate_limit", netuid=1, value=0))
    assert ok_.success
    c.call("localnet_mine", 12)
    r = cli("weights", "set", "--netuid", "1", "--uids", "0", "--weights", "1", "-w", "a", "--json", *net)
    assert r.code == 0, r.stderr
    r = cli("weights", "set", "--netuid", "1", "--uids", "0,0", "--weights", "1,1", "-w", "a", "--json", *net)
    assert r.code == 4 and "UidsLengthExceedUidsInSubNet" in r.json()["error"]["message"]
    shown = cli("weights", "show", "--netuid", "1", "--json", *net).json()
    assert shown["weights"]["0"] == [[0, 65535]]
    c.call("localnet_mine", 12)
    ep = cli("subnet", "epoch", "--netuid", "1", "--json", *net)
    assert ep.code == 0 and ep.json()["last_epoch"]["explain"][0]["uid"] == 0
    human = cli("subnet", "epoch", "--netuid", "1", *net)
    assert "next epoch at block" in human.stdout
    assert cli("explain", "SettingWeightsTooFast").code == 0
    assert "weights_rate_limit" in cli("explain", "settingweightstoofast").stdout
