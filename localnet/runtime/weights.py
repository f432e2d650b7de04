"""set_weights and commit-reveal, checked in subtensor's order (spec: chain.md, Weights).

Weights live on the neuron (``neuron:<n>:<uid>``: ``weights`` as a stored row, see
``localnet.runtime.rows``, and ``last_update``); pending commits in ``commits:<n>:<hotkey>`` ([[hash, block], ...]).
"""

from __future__ import annotations

from btkit.commit_reveal import reveal_window
from btkit.consensus import max_upscale_u16
from btkit.extrinsic import blake2_256, canonical_json
from localnet.runtime import Context, DispatchError, call
from localnet.runtime import rows, staking, subnets
from localnet.runtime.types import as_tao, list_of, text, u16, u64

S = "SubtensorModule."
MAX_COMMITS = 10


def check_and_store(ctx: Context, netuid: int, uids: list[int], values: list[int], version_key: int) -> int:
    state, hotkey = ctx.state, ctx.signer
    if netuid == subnets.ROOT_NETUID:
        raise DispatchError(S + "CanNotSetRootNetworkWeights", "weights cannot be set on the root subnet")
    if len(uids) != len(values):
        raise DispatchError(S + "WeightVecNotEqualSize", f"{len(uids)} uids but {len(values)} weights")
    subnets.require(state, netuid)
    n = subnets.n(state, netuid)
    params = subnets.hp(state, netuid)
    if len(uids) > n:
        raise DispatchError(S + "UidsLengthExceedUidsInSubNet", f"{len(uids)} weights for a subnet of {n} uids")
    uid = subnets.uid_of(state, netuid, hotkey)
    if uid is None:
        raise DispatchError(S + "HotKeyNotRegisteredInSubNet", f"{hotkey} is not registered on subnet {netuid}")
    stake = staking.total_hotkey_stake(state, netuid, hotkey)
    if stake < params["stake_threshold"]:
        raise DispatchError(S + "NotEnoughStakeToSetWeights",
                            f"stake {as_tao(stake)} is below stake_threshold {as_tao(params['stake_threshold'])}")
    if version_key < params["weights_version"]:
        raise DispatchError(S + "IncorrectWeightVersionKey",
                            f"version_key {version_key} is below weights_version {params['weights_version']}")
    neuron = subnets.neuron(state, netuid, uid)
    limit = params["weights_rate_limit"]
    if ctx.block - neuron["last_update"] < limit:
        raise DispatchError(S + "SettingWeightsTooFast",
                            f"weights_rate_limit is {limit} blocks; last update at block {neuron['last_update']}, "
                            f"retry at block {neuron['last_update'] + limit}")
    self_weight = len(uids) == 1 and uids[0] == uid
    if not self_weight and not neuron["permit"]:
        raise DispatchError(S + "NeuronNoValidatorPermit",
                            f"uid {uid} has no validator permit (top {params['max_allowed_validators']} by stake, "
                            "granted at the next epoch)")
    if len(set(uids)) != len(uids):
        raise DispatchError(S + "DuplicateUids", "a uid appears twice")
    if any(u >= n for u in uids):
        raise DispatchError(S + "UidVecContainInvalidOne", f"every uid must be below {n}")
    if not self_weight and len(uids) < min(params["min_allowed_weights"], n):
        raise DispatchError(S + "WeightVecLengthIsLow",
                            f"min_allowed_weights is {params['min_allowed_weights']}; got {len(uids)}")
    if not self_weight and params["max_weights_limit"] < 65535 and sum(values):
        if max(values) * 65535 > params["max_weights_limit"] * sum(values):
            raise DispatchError(S + "MaxWeightExceeded",
                                f"no weight may exceed max_weights_limit {params['max_weights_limit']}/65535")
    stored = rows.encode(zip(uids, max_upscale_u16(values)))
    subnets.update_neuron(state, netuid, uid, weights=stored, last_update=ctx.block)
    ctx.emit("SubtensorModule", "WeightsSet", netuid=netuid, uid=uid)
    return uid


@call("SubtensorModule", "set_weights", netuid=u16, dests=list_of(u16), weights=list_of(u16), version_key=u64)
def set_weights(ctx: Context, netuid: int, dests: list[int], weights: list[int], version_key: int) -> None:
    """Set the signing hotkey's weights on a subnet (commit-reveal off)."""
    if subnets.exists(ctx.state, netuid) and subnets.hp(ctx.state, netuid)["commit_reveal_weights_enabled"]:
        raise DispatchError(S + "CommitRevealEnabled", "this subnet uses commit-reveal: commit, then reveal")
    check_and_store(ctx, netuid, dests, weights, version_key)


def commit_hash(hotkey: str, netuid: int, uids: list[int], values: list[int], salt: list[int],
                version_key: int) -> str:
    return "0x" + blake2_256(canonical_json([hotkey, netuid, uids, values, salt, version_key])).hex()


@call("SubtensorModule", "commit_weights", netuid=u16, commit_hash=text(66))
def commit_weights(ctx: Context, netuid: int, commit_hash: str) -> None:
    """Commit to weights (the hash of hotkey, netuid, uids, values, salt, version_key)."""
    subnets.require(ctx.state, netuid)
    if not subnets.hp(ctx.state, netuid)["commit_reveal_weights_enabled"]:
        raise DispatchError(S + "CommitRevealDisabled", "commit-reveal is off on this subnet: use set_weights")
    if subnets.uid_of(ctx.state, netuid, ctx.signer) is None:
        raise DispatchError(S + "HotKeyNotRegisteredInSubNet", f"{ctx.signer} is not registered on subnet {netuid}")
    key = f"commits:{netuid}:{ctx.signer}"
    pending = list(ctx.state.get(key, []))
    if len(pending) >= MAX_COMMITS:
        raise DispatchError(S + "TooManyUnrevealedCommits", f"{MAX_COMMITS} commits are waiting to be revealed")
    ctx.state.set(key, pending + [[commit_hash, ctx.block]])
    ctx.emit("SubtensorModule", "WeightsCommitted", netuid=netuid, hotkey=ctx.signer, hash=commit_hash)


@call("SubtensorModule", "reveal_weights", netuid=u16, uids=list_of(u16), values=list_of(u16),
      salt=list_of(u16, 64), version_key=u64)
def reveal_weights(ctx: Context, netuid: int, uids: list[int], values: list[int], salt: list[int],
                   version_key: int) -> None:
    """Reveal committed weights; valid in the epoch after the commit's."""
    subnets.require(ctx.state, netuid)
    params = subnets.hp(ctx.state, netuid)
    if not params["commit_reveal_weights_enabled"]:
        raise DispatchError(S + "CommitRevealDisabled", "commit-reveal is off on this subnet")
    key = f"commits:{netuid}:{ctx.signer}"
    pending = list(ctx.state.get(key, []))
    if not pending:
        raise DispatchError(S + "NoWeightsCommitFound", "no commit to reveal")
    wanted = commit_hash(ctx.signer, netuid, uids, values, salt, version_key)
    match = next((c for c in pending if c[0] == wanted), None)
    if match is None:
        raise DispatchError(S + "InvalidRevealCommitHashNotMatch", "the reveal does not match any commit")
    window = reveal_window(match[1], netuid, params["tempo"])
    if window.where(ctx.block) == "early":
        raise DispatchError(S + "RevealTooEarly", f"the commit of block {match[1]} may be revealed in blocks "
                                                  f"{window.first}-{window.last}")
    if window.where(ctx.block) == "expired":
        raise DispatchError(S + "ExpiredWeightCommit", f"the commit of block {match[1]} could be revealed in blocks "
                                                       f"{window.first}-{window.last}: commit again")
    rest = [c for c in pending if c is not match]
    ctx.state.set(key, rest) if rest else ctx.state.delete(key)
    check_and_store(ctx, netuid, uids, values, version_key)
    ctx.emit("SubtensorModule", "WeightsRevealed", netuid=netuid, hotkey=ctx.signer)
