"""serve_axon: a registered hotkey announces its endpoint (stored on its neurons)."""

from __future__ import annotations

import ipaddress

from localnet.runtime import Context, DispatchError, call
from localnet.runtime import subnets
from localnet.runtime.types import u16, u64, u128


def ip_to_str(ip: int, ip_type: int) -> str:
    return str(ipaddress.IPv4Address(ip) if ip_type == 4 else ipaddress.IPv6Address(ip))


@call("SubtensorModule", "serve_axon", netuid=u16, version=u64, ip=u128, port=u16, ip_type=u16, protocol=u16,
      placeholder1=u16, placeholder2=u16)
def serve_axon(ctx: Context, netuid: int, version: int, ip: int, port: int, ip_type: int, protocol: int,
               placeholder1: int, placeholder2: int) -> None:
    """Announce the signing hotkey's axon on ``netuid``. Loopback is allowed on localnet. The placeholders
    are stored as subtensor stores them in ``AxonInfo`` (btkit reads ``placeholder1`` as the gateway mark)."""
    subnets.require(ctx.state, netuid)
    uid = subnets.uid_of(ctx.state, netuid, ctx.signer)
    if uid is None:
        raise DispatchError("SubtensorModule.HotKeyNotRegisteredInNetwork",
                            f"{ctx.signer} is not registered on subnet {netuid}")
    if ip_type not in (4, 6):
        raise DispatchError("SubtensorModule.InvalidIpType", "ip_type must be 4 or 6")
    if (ip_type == 4 and ip >= 1 << 32) or ip == 0:
        raise DispatchError("SubtensorModule.InvalidIpAddress", "the IP address is not valid")
    if port == 0:
        raise DispatchError("SubtensorModule.InvalidPort", "port 0 is not a valid port")
    nn = subnets.neuron(ctx.state, netuid, uid)
    limit = subnets.hp(ctx.state, netuid)["serving_rate_limit"]
    last = (nn.get("axon") or {}).get("block")
    if last is not None and limit and ctx.block - last < limit:
        raise DispatchError("SubtensorModule.ServingRateLimitExceeded",
                            f"served at block {last}; serving_rate_limit is {limit} blocks")
    axon = {"block": ctx.block, "version": version, "ip": ip_to_str(ip, ip_type), "port": port,
            "ip_type": ip_type, "protocol": protocol, "placeholder1": placeholder1, "placeholder2": placeholder2}
    subnets.update_neuron(ctx.state, netuid, uid, axon=axon)
    ctx.emit("SubtensorModule", "AxonServed", netuid=netuid, hotkey=ctx.signer)
