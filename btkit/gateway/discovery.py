"""Finding gateways: validators announce theirs with ``serve_axon`` marked as a gateway.

On chain a gateway is a validator's axon whose ``AxonInfo.gateway`` is set (``Calls.serve_gateway``;
on btkit's localnet and subtensor alike that is ``placeholder1 = GATEWAY_MARK`` in ``serve_axon``).
Miners are the other served axons: a validator never routes to a gateway as if it were a miner.
"""

from __future__ import annotations

from btkit.errors import BtkitError


def gateways(metagraph) -> list:
    """The neurons (``btkit.chain.Neuron``) of ``metagraph`` serving a gateway, highest stake first."""
    found = [n for n in metagraph.neurons if n.axon is not None and n.axon.gateway]
    return sorted(found, key=lambda n: (-n.stake.rao, n.uid))


def miners(metagraph, exclude: str | None = None) -> list:
    """The neurons serving a miner's axon (not a gateway), except the hotkey ``exclude``."""
    return [n for n in metagraph.neurons if n.axon is not None and not n.axon.gateway and n.hotkey != exclude]


def find(metagraph, validator: str | None = None):
    """The gateway to use on ``metagraph``'s subnet: ``validator``'s (a hotkey SS58), else the
    highest-staked one. Raises ``BtkitError`` with what to do when there is none."""
    found = gateways(metagraph)
    if validator is not None:
        found = [n for n in found if n.hotkey == validator]
        if not found:
            raise BtkitError(f"validator {validator} serves no gateway on subnet {metagraph.netuid}",
                             hint="see the gateway column of `btkit subnet metagraph`, or pass --validator URL")
    if not found:
        raise BtkitError(f"no validator serves a gateway on subnet {metagraph.netuid}",
                         hint="start one with `btkit validator run --gateway-port PORT`")
    return found[0]
