"""Scenarios against the ``Chain`` interface only; each runs once per backend (see conftest.py)."""

from __future__ import annotations

import pytest

from btkit.chain import DispatchFailed
from btkit.units import Balance
from keystore.keys import Keypair

TAO = Balance.from_tao(1)


def key(name: str) -> Keypair:
    return Keypair.from_uri(f"//conformance/{name}")


def funded(backend, name: str, tao: int = 100) -> Keypair:
    kp = key(name)
    backend.fund(kp.ss58_address, Balance.from_tao(tao))
    return kp


def submit_ok(chain, keypair, call):
    return chain.submit(keypair, call).raise_for_error()


def new_subnet(backend) -> tuple[int, Keypair, Keypair]:
    """A started subnet owned by a fresh coldkey; its hotkey is uid 0."""
    chain = backend.chain
    owner, owner_hot = key("owner"), key("owner-hot")
    backend.fund(owner.ss58_address, chain.lock_cost() + Balance.from_tao(100))
    result = submit_ok(chain, owner, chain.calls.register_network(owner_hot.ss58_address))
    netuid = result.event("NetworkAdded")["netuid"]
    backend.stage_subnet(netuid)
    start = chain.calls.start_call(netuid)
    if start is not None:
        submit_ok(chain, owner, start)
    return netuid, owner, owner_hot


def registered(backend, netuid: int, name: str) -> tuple[Keypair, Keypair, int]:
    """A fresh coldkey and hotkey, the hotkey registered on ``netuid`` by burn; returns its uid too."""
    chain = backend.chain
    cold, hot = key(f"{name}-cold"), key(f"{name}-hot")
    backend.fund(cold.ss58_address, chain.burn_cost(netuid) + Balance.from_tao(100))
    result = submit_ok(chain, cold, chain.calls.burned_register(netuid, hot.ss58_address))
    return cold, hot, result.event("NeuronRegistered")["uid"]


def test_node_info_names_the_backend_kind(backend):
    info = backend.chain.node_info()
    assert info.kind == backend.chain.kind
    assert info.head == backend.chain.head().number or info.head + 1 == backend.chain.head().number


def test_balance_is_what_was_funded(backend):
    kp = funded(backend, "rich", 123)
    assert backend.chain.balance(kp.ss58_address) == Balance.from_tao(123)
    assert backend.chain.balance(key("nobody").ss58_address) == Balance(0)


def test_transfer_moves_exactly_the_amount_and_shows_in_the_block_events(backend):
    chain = backend.chain
    alice, bob = funded(backend, "alice", 100), funded(backend, "bob", 5)
    amount = Balance.from_tao("1.5")
    result = submit_ok(chain, alice, chain.calls.transfer(bob.ss58_address, amount))
    assert result.block is not None and result.fee is not None
    assert chain.balance(bob.ss58_address) == Balance.from_tao(5) + amount
    assert chain.balance(alice.ss58_address) == Balance.from_tao(100) - amount - result.fee
    transfers = [e for e in chain.block_events(result.block) if (e.pallet, e.name) == ("Balances", "Transfer")]
    assert [(e.data["from"], e.data["to"], e.data["amount"]) for e in transfers] == \
        [(alice.ss58_address, bob.ss58_address, amount.rao)]


def test_dry_run_submits_nothing(backend):
    chain = backend.chain
    alice, bob = funded(backend, "alice", 100), key("bob")
    nonce = chain.next_nonce(alice.ss58_address)
    result = chain.submit(alice, chain.calls.transfer(bob.ss58_address, TAO), dry_run=True)
    assert result.dry_run and result.block is None and result.fee is not None
    assert result.hash.startswith("0x")
    assert chain.next_nonce(alice.ss58_address) == nonce
    assert chain.balance(alice.ss58_address) == Balance.from_tao(100)
    assert chain.balance(bob.ss58_address) == Balance(0)


def test_submit_moves_the_nonce(backend):
    chain = backend.chain
    alice = funded(backend, "alice", 100)
    nonce = chain.next_nonce(alice.ss58_address)
    submit_ok(chain, alice, chain.calls.transfer(key("bob").ss58_address, TAO))
    assert chain.next_nonce(alice.ss58_address) == nonce + 1


def test_subnet_create_then_listed_with_its_owner(backend):
    chain = backend.chain
    netuid, owner, owner_hot = new_subnet(backend)
    assert netuid in [s.netuid for s in chain.subnets()]
    info = chain.subnet_info(netuid)
    assert (info.owner_coldkey, info.owner_hotkey) == (owner.ss58_address, owner_hot.ss58_address)
    hp = chain.hyperparameters(netuid)
    assert hp.tempo > 0 and hp.max_allowed_uids >= 1
    assert chain.metagraph(netuid).by_hotkey(owner_hot.ss58_address) is not None


def test_root_exists_and_refuses_registration_by_name(backend):
    """Netuid 0 is the root network on both backends: its hyperparameters read, a missing subnet and root
    are told apart (never "subnet 0 does not exist"), and burned registration on root is refused by name."""
    from btkit.chain.errors import ChainQueryError

    chain = backend.chain
    assert chain.hyperparameters(0).tempo > 0
    with pytest.raises(ChainQueryError) as refused:
        chain.burn_cost(0)
    assert refused.value.error == "SubtensorModule.RegistrationNotPermittedOnRootSubnet"
    with pytest.raises(ChainQueryError) as missing:
        chain.burn_cost(4321)
    assert missing.value.error == "SubtensorModule.SubNetworkDoesNotExist"


def test_preflight_tells_a_missing_subnet_root_and_an_unregistered_hotkey(backend):
    """``btkit.chain.preflight`` through the interface alone: the errors subtensor would dispatch."""
    from btkit.chain.preflight import PreconditionFailed, check_registered, check_subnet

    chain = backend.chain
    with pytest.raises(PreconditionFailed) as missing:
        check_subnet(chain, 4321)
    assert missing.value.error == "SubtensorModule.SubNetworkDoesNotExist" and missing.value.exit_code == 4
    check_subnet(chain, 0)  # staking accepts root
    with pytest.raises(PreconditionFailed) as root:
        check_subnet(chain, 0, on_root="SubtensorModule.CanNotSetRootNetworkWeights")
    assert root.value.error == "SubtensorModule.CanNotSetRootNetworkWeights"
    netuid, _, owner_hot = new_subnet(backend)
    check_subnet(chain, netuid)
    assert check_registered(chain, netuid, owner_hot.ss58_address) == 0
    with pytest.raises(PreconditionFailed) as stranger:
        check_registered(chain, netuid, key("stranger").ss58_address)
    assert stranger.value.error == "SubtensorModule.HotKeyNotRegisteredInSubNet"


def test_burned_register_shows_in_the_metagraph_and_hotkey_info(backend):
    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    cold, hot, uid = registered(backend, netuid, "miner")
    neuron = chain.metagraph(netuid).by_hotkey(hot.ss58_address)
    assert neuron is not None and (neuron.uid, neuron.coldkey) == (uid, cold.ss58_address)
    info = chain.hotkey_info(hot.ss58_address)
    assert info.owner == cold.ss58_address and info.uid_on(netuid) == uid


def test_registering_twice_fails_by_name(backend):
    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    cold, hot, _ = registered(backend, netuid, "miner")
    with pytest.raises(DispatchFailed) as failed:
        submit_ok(chain, cold, chain.calls.burned_register(netuid, hot.ss58_address))
    assert failed.value.result.error == "SubtensorModule.HotKeyAlreadyRegisteredInSubNet"
    assert failed.value.exit_code == 4


def test_stake_add_then_remove(backend):
    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    cold, hot, _ = registered(backend, netuid, "validator")

    def stake() -> int:
        return sum(s.stake.rao for s in chain.stakes_of(cold.ss58_address)
                   if (s.hotkey, s.netuid) == (hot.ss58_address, netuid))

    free = chain.balance(cold.ss58_address)
    submit_ok(chain, cold, chain.calls.add_stake(hot.ss58_address, netuid, Balance.from_tao(10)))
    staked = stake()
    assert staked > 0
    assert chain.balance(cold.ss58_address) <= free - Balance.from_tao(10)
    submit_ok(chain, cold, chain.calls.remove_stake(hot.ss58_address, netuid, Balance(staked // 2)))
    assert 0 < stake() < staked


def test_serve_axon_shows_in_the_metagraph(backend):
    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    _, hot, _ = registered(backend, netuid, "miner")
    submit_ok(chain, hot, chain.calls.serve_axon(netuid, "10.1.2.3", 8091))
    axon = chain.metagraph(netuid).by_hotkey(hot.ss58_address).axon
    assert axon is not None and (axon.ip, axon.port, axon.ip_type) == ("10.1.2.3", 8091, 4)


def test_what_a_gateway_needs_announcement_and_payments(backend):
    """btkit.gateway: a gateway announcement is told apart from a miner's axon, and a transfer into the
    gateway's account is found, once finalized, in its block's events with the extrinsic that made it."""
    from btkit.gateway.ledger import Payment
    from btkit.gateway.payments import payments_in

    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    _, validator, _ = registered(backend, netuid, "validator")
    _, miner, _ = registered(backend, netuid, "miner")
    submit_ok(chain, validator, chain.calls.serve_gateway(netuid, "10.1.2.4", 8100))
    submit_ok(chain, miner, chain.calls.serve_axon(netuid, "10.1.2.3", 8091))
    mg = chain.metagraph(netuid)
    gw, axon = mg.by_hotkey(validator.ss58_address).axon, mg.by_hotkey(miner.ss58_address).axon
    assert (gw.ip, gw.port, gw.gateway) == ("10.1.2.4", 8100, True) and axon.gateway is False
    client, till = funded(backend, "client", 10), funded(backend, "till", 1)
    result = submit_ok(chain, client, chain.calls.transfer(till.ss58_address, Balance(7_000_000)))
    backend.advance(1)
    assert chain.finalized_head().number >= result.block  # the watcher reads only finalized blocks
    (payment,) = payments_in(result.block, chain.block_events(result.block), till.ss58_address)
    assert payment == Payment(result.block, payment.extrinsic, client.ss58_address, 7_000_000)
    assert payment.extrinsic >= 0


def test_set_weights_too_fast_then_after_the_rate_limit(backend):
    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    _, hot, uid = registered(backend, netuid, "validator")
    hp = chain.hyperparameters(netuid)
    if hp.weights_rate_limit > 0:
        with pytest.raises(DispatchFailed) as failed:
            submit_ok(chain, hot, chain.calls.set_weights(netuid, [uid], [65535], hp.weights_version))
        assert failed.value.result.error == "SubtensorModule.SettingWeightsTooFast"
    backend.advance(hp.weights_rate_limit)
    submit_ok(chain, hot, chain.calls.set_weights(netuid, [uid], [65535], hp.weights_version))  # self-weight
    assert chain.weights(netuid)[uid] == [(uid, 65535)]


def test_commit_then_reveal_in_the_next_epoch(backend):
    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    submit_ok(chain, backend.sudo, chain.calls.set_hyperparameter(netuid, "commit_reveal_weights_enabled", True))
    _, hot, uid = registered(backend, netuid, "validator")
    hp = chain.hyperparameters(netuid)
    assert hp.commit_reveal_weights_enabled
    backend.advance(hp.weights_rate_limit)
    salt = [1, 2, 3, 4, 5, 6, 7, 8]
    digest = chain.commit_hash(hot.ss58_address, netuid, [uid], [65535], salt, hp.weights_version)
    submit_ok(chain, hot, chain.calls.commit_weights(netuid, digest))
    reveal = chain.calls.reveal_weights(netuid, [uid], [65535], salt, hp.weights_version)
    with pytest.raises(DispatchFailed) as failed:
        submit_ok(chain, hot, reveal)
    assert failed.value.result.error == "SubtensorModule.RevealTooEarly"
    schedule = chain.next_epoch(netuid)
    backend.advance(max(0, schedule.next_epoch_block - chain.block_number()))
    submit_ok(chain, hot, reveal)
    assert chain.weights(netuid)[uid] == [(uid, 65535)]


def test_register_by_proof_of_work(backend):
    from btkit.pow.cpu import MultiProcessSolver
    from btkit.pow.mine import solve

    chain = backend.chain
    netuid, _, _ = new_subnet(backend)
    submit_ok(chain, backend.sudo, chain.calls.set_hyperparameter(netuid, "difficulty", 10_000))
    submit_ok(chain, backend.sudo, chain.calls.set_hyperparameter(netuid, "pow_registration_allowed", True))
    hp = chain.hyperparameters(netuid)
    assert hp.pow_registration_allowed and chain.pow_difficulty(netuid) <= 10_000
    cold, hot = key("pow-cold"), key("pow-hot")
    solver = MultiProcessSolver(1)
    try:
        solution = solve(chain, solver, lambda bh: chain.pow_prefix(netuid, bh, hot.public_key, cold.public_key),
                         lambda: chain.pow_difficulty(netuid), timeout=60, refresh_after=chain.pow_refresh_after)
    finally:
        solver.close()
    result = submit_ok(chain, hot, chain.calls.register(netuid, solution.work_block, solution.nonce, solution.work,
                                                        hot.ss58_address, cold.ss58_address))
    uid = result.event("NeuronRegistered")["uid"]
    assert chain.metagraph(netuid).by_hotkey(hot.ss58_address).uid == uid
    assert chain.balance(hot.ss58_address) == Balance(0)  # an unfunded hotkey registers: no burn, no fee
