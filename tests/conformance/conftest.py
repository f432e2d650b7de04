"""The conformance suite: scenarios written once against ``btkit.chain.Chain``, run on every backend.

eth-tester's pattern: ``test_scenarios.py`` only talks to the ``Chain`` interface (reads, ``calls``,
``submit``) plus the few test-only powers a scenario needs to set the stage, gathered in a
``Backend``. The same scenario must give the same outcome, and the same error names, everywhere.

How a backend plugs in:

1. Write a session-scoped fixture that starts its node (a real process on a free port) and
   returns a ``Backend`` (below): ``chain`` (the ``Chain`` under test, as ``btkit.chain.connect``
   builds it), ``sudo`` (a keypair holding the chain's sudo key), ``fund`` (set a free balance),
   ``advance`` (produce N blocks), ``checkpoint``/``restore`` (isolate each test: the localnet
   uses ``localnet snapshot``/``revert``, a chopsticks node ``dev_setHead``). ``submit(...,
   wait="inclusion")`` must return on its own, so a node that builds blocks on demand needs its
   fixture to build them (chopsticks: ``--build-block-mode Instant``).
2. Add the fixture's name to ``BACKEND_FIXTURES``. A backend whose node cannot start here
   (missing fixture or Node.js) skips with the reason, and fails under ``CI=true``.

Every test gets the ``backend`` fixture once per backend (test ids ``[localnet]``, ...), restored
to the same state after the test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pytest

from btkit.chain import Chain, connect
from btkit.units import Balance
from keystore.keys import Keypair

# fixture names of the backends the scenarios run against (each returns a ``Backend``)
BACKEND_FIXTURES = ["localnet_backend", "subtensor_backend"]


@dataclass
class Backend:
    name: str
    chain: Chain
    sudo: Keypair
    fund: Callable[[str, Balance], Any]  # set the free balance of an address
    advance: Callable[[int], Any]  # produce N blocks
    checkpoint: Callable[[], Any]  # a token for restore
    restore: Callable[[Any], Any]  # back to the checkpoint's state and head
    stage_subnet: Callable[[int], Any] = lambda netuid: None  # test-only staging of a new subnet


@pytest.fixture(scope="session")
def localnet_backend(tmp_path_factory):
    """btkit's node (instant mining), one per session; dev operations through ``Chain.dev``."""
    from localnet import control
    from localnet.genesis import SUDO_URI

    data_dir = tmp_path_factory.mktemp("conformance-localnet")
    info, _ = control.up(control.UpOptions(data_dir=data_dir, port=0, mining="instant"))
    chain = connect(info["url"])
    dev = chain.dev("the conformance suite")
    try:
        yield Backend(name="localnet", chain=chain, sudo=Keypair.from_uri(SUDO_URI), fund=dev.set_balance,
                      advance=dev.mine, checkpoint=dev.snapshot, restore=dev.revert)
    finally:
        control.down(data_dir)


@pytest.fixture(params=BACKEND_FIXTURES, ids=lambda name: name.removesuffix("_backend"))
def backend(request) -> Backend:
    b: Backend = request.getfixturevalue(request.param)
    token = b.checkpoint()
    yield b
    b.restore(token)


@pytest.fixture(scope="session")
def subtensor_backend(subtensor_node):
    """The real subtensor runtime (spec 218 under chopsticks, btkit's subtensor engine, instant blocks)
    through the ``subtensor`` backend over WebSocket; isolation by ``dev_setHead``.

    Staging: spec 218 seeds a new subnet's pool with 1 rao of alpha (its stake math is broken,
    shared/fixtures/subtensor/README.md), so ``stage_subnet`` prices the pool at 1 TAO per alpha
    with ``dev_setStorage``; the economics are not under test here, the calls and their effects are.
    """
    from localnet.genesis import SUDO_URI

    chain = connect(subtensor_node.ws_url)
    pool = "0x" + (10**12).to_bytes(8, "little").hex()

    def fund(address: str, amount: Balance) -> None:
        subtensor_node.rpc.set_storage({"System": {"Account": [[[address], {"providers": 1,
                                                                            "data": {"free": amount.rao}}]]}})

    def stage_subnet(netuid: int) -> None:
        subtensor_node.rpc.set_storage({"SubtensorModule": {"SubnetTAO": [[[netuid], pool]],
                                                            "SubnetAlphaIn": [[[netuid], pool]]}})

    def checkpoint() -> str:
        # dev_setStorage writes into the head block's state: build a block to write into, so that
        # going back to this head also drops what the test funded
        head = subtensor_node.snapshot()
        subtensor_node.mine(1)
        return head

    try:
        yield Backend(name="subtensor", chain=chain, sudo=Keypair.from_uri(SUDO_URI), fund=fund,
                      advance=lambda n: subtensor_node.jump(n) if n > 0 else None,
                      checkpoint=checkpoint, restore=subtensor_node.revert, stage_subnet=stage_subnet)
    finally:
        chain.close()
