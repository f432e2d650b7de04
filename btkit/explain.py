"""Chain error names (subtensor's) explained as a sentence with the fix.

``btkit explain ERROR`` prints the long form; dispatch failures use the short form.
"""

from __future__ import annotations

S = "SubtensorModule."
ERRORS: dict[str, tuple[str, str]] = {
    "Balances.InsufficientBalance": (
        "the account's free balance is lower than the amount",
        "check `btkit wallet balance` and transfer a smaller amount"),
    "Balances.KeepAlive": (
        "the transfer would take the sender below the existential deposit (τ0.000000500)",
        "leave at least τ0.000000500, or send everything with --allow-death"),
    "Balances.ExistentialDeposit": (
        "a new account must receive at least the existential deposit (τ0.000000500)",
        "send at least 0.0000005 TAO"),
    S + "RegistrationNotPermittedOnRootSubnet": (  # subtensor: "Operation is not permitted on the root subnet"
        "the operation is not permitted on the root subnet (netuid 0)", "use a subnet with netuid >= 1"),
    S + "SubNetworkDoesNotExist": ("the subnet does not exist", "see `btkit subnet list`"),
    S + "SubNetRegistrationDisabled": (
        "registration is disabled on this subnet (hyperparameter registration_allowed or pow_registration_allowed)",
        "ask the subnet owner to enable it (`btkit subnet set registration_allowed true`)"),
    S + "TooManyRegistrationsThisBlock": (
        "the subnet took max_regs_per_block registrations in this block already",
        "retry in the next block (a fraction of a second on localnet)"),
    S + "TooManyRegistrationsThisInterval": (
        "the subnet took 3 x target_regs_per_interval registrations in this adjustment interval",
        "retry after the interval ends (every adjustment_interval blocks; see `btkit subnet hyperparameters`)"),
    S + "HotKeyAlreadyRegisteredInSubNet": (
        "this hotkey is already registered on the subnet", "use another hotkey (`btkit wallet new-hotkey`)"),
    S + "NonAssociatedColdKey": (
        "the hotkey belongs to another coldkey", "sign with the coldkey that owns the hotkey, or use a new hotkey"),
    S + "NotEnoughBalanceToStake": (
        "the coldkey's free balance does not cover the cost or amount", "fund the coldkey (`btkit wallet transfer`)"),
    S + "NoNeuronIdAvailable": ("the subnet has no uid that can be replaced", "raise max_allowed_uids"),
    S + "NotSubnetOwner": ("only the subnet owner can do this", "sign with the owner coldkey"),
    S + "FirstEmissionBlockNumberAlreadySet": ("the subnet is already started", "nothing to do"),
    S + "SubtokenDisabled": (
        "staking is off until the subnet owner runs start_call", "the owner runs `btkit subnet create` without "
        "--no-start, or start_call"),
    S + "HotKeyAccountNotExists": (
        "the hotkey is unknown to the chain (no coldkey owns it yet)",
        "register it on a subnet first (`btkit register --netuid N`)"),
    S + "AmountTooLow": ("the amount is below the minimum stake operation (0.002 TAO)",
                         "stake or unstake at least 0.002 TAO; a smaller position is emptied with "
                         "`btkit stake remove --all`"),
    S + "NotEnoughStakeToWithdraw": (
        "the coldkey has less stake on this hotkey than the amount", "see `btkit stake list`"),
    S + "StakingOperationRateLimitExceeded": (
        "staking and unstaking the same hotkey on the same subnet in one block is not allowed",
        "retry in the next block"),
    S + "SlippageTooHigh": (
        "the order does not fill within its limit price (the pool's price would move past it)",
        "raise --tolerance, add --partial to fill what fits, or stake a smaller amount"),
    S + "InsufficientLiquidity": (
        "the pool cannot take this swap (over 1000 x its reserve, or it would pay out nothing)",
        "swap a smaller amount; see the pool with `btkit subnet show --netuid N`"),
    S + "SubnetNotExists": ("the subnet does not exist", "see `btkit subnet list`"),
    S + "SameNetuid": ("origin and destination are the same stake", "pick another hotkey, coldkey or subnet"),
    S + "TransferDisallowed": ("stake transfers are disabled on this subnet", "move or unstake it instead"),
    S + "CannotAffordLockCost": (
        "the coldkey cannot pay the subnet lock cost", "see `btkit subnet create-cost`; fund the coldkey"),
    "Swap.PriceLimitExceeded": (
        "the pool's price is already past the limit price", "use a limit on the other side of the current price "
        "(see `btkit subnet show --netuid N`)"),
    "Swap.SwapInputTooLarge": ("the input is over 1000 x the pool's reserve", "swap a smaller amount"),
    "Swap.ReservesTooLow": ("the pool's reserve is too small for this swap", "swap a larger amount or wait"),
    S + "DelegateTakeTooLow": ("an increase must be above the current take", "use a higher --take"),
    S + "DelegateTakeTooHigh": ("the take must be at most 18% (or below the current take for a decrease)",
                                "use a lower --take"),
    S + "DelegateTxRateLimitExceeded": ("the take was raised too recently", "retry after the rate limit (10 blocks)"),
    S + "HotKeyNotRegisteredInNetwork": (
        "the hotkey is not registered on this subnet", "register it first (`btkit register --netuid N`)"),
    S + "HotKeyNotRegisteredInSubNet": (
        "the hotkey is not registered on this subnet", "register it first (`btkit register --netuid N`)"),
    S + "InvalidIpType": ("the IP type must be 4 or 6", "pass a valid IPv4 or IPv6 address"),
    S + "InvalidIpAddress": ("the IP address is not valid", "pass the address miners can be reached at"),
    S + "InvalidPort": ("port 0 is not a valid port", "pass the port the miner listens on"),
    S + "ServingRateLimitExceeded": (
        "the axon was served too recently (hyperparameter serving_rate_limit)",
        "retry after serving_rate_limit blocks"),
    S + "CanNotSetRootNetworkWeights": ("weights cannot be set on the root subnet", "use a netuid >= 1"),
    S + "WeightVecNotEqualSize": ("uids and weights have different lengths", "give one weight per uid"),
    S + "UidsLengthExceedUidsInSubNet": ("more weights than the subnet has uids", "drop the extra uids"),
    S + "NotEnoughStakeToSetWeights": (
        "the hotkey's stake is below the subnet's stake_threshold", "stake more to the hotkey (`btkit stake add`)"),
    S + "IncorrectWeightVersionKey": (
        "the version key is below the subnet's weights_version", "upgrade the validator or pass --version-key"),
    S + "SettingWeightsTooFast": (
        "weights were set less than weights_rate_limit blocks ago",
        "retry after the block the message names (see `btkit subnet hyperparameters`)"),
    S + "NeuronNoValidatorPermit": (
        "only the top max_allowed_validators uids by stake hold a validator permit; permits change at epochs",
        "stake more, then wait for the next epoch (`btkit subnet epoch --netuid N` shows when)"),
    S + "DuplicateUids": ("a uid appears twice in the weights", "list each uid once"),
    S + "UidVecContainInvalidOne": ("a uid is not in the subnet", "see `btkit subnet metagraph`"),
    S + "WeightVecLengthIsLow": ("fewer weights than min_allowed_weights", "weight more uids"),
    S + "MaxWeightExceeded": ("a weight exceeds max_weights_limit", "spread the weights more evenly"),
    S + "CommitRevealEnabled": ("this subnet uses commit-reveal", "use `btkit weights commit`, then `reveal`"),
    S + "CommitRevealDisabled": ("commit-reveal is off on this subnet", "use `btkit weights set`"),
    S + "NoWeightsCommitFound": ("there is no commit to reveal", "run `btkit weights commit` first"),
    S + "InvalidRevealCommitHashNotMatch": (
        "the revealed uids, weights, salt or version key differ from the commit", "reveal exactly what you committed"),
    S + "RevealTooEarly": ("a reveal is valid only in the epoch after its commit", "wait for the next epoch"),
    S + "ExpiredWeightCommit": ("the commit was not revealed in the following epoch", "commit again"),
    S + "TooManyUnrevealedCommits": ("10 commits are waiting to be revealed", "reveal or wait for them to expire"),
    "System.InternalError": ("the runtime hit an internal error", "please report it with `btkit localnet logs`"),
    "AdminUtils.BadOrigin": ("only the subnet owner or sudo may set hyperparameters", "sign with the owner coldkey"),
    "AdminUtils.InvalidValue": ("the value is out of range", "check the min_/max_ pairs"),
    "AdminUtils.MaxAllowedUIdsLessThanCurrentUIds": (
        "max_allowed_uids cannot go below the current number of uids", "use a larger value"),
    # governance (docs/governance.md)
    "Triumvirate.NotMember": ("only a triumvirate member may propose (senators vote with `governance vote`)",
                              "see `btkit governance senate` for the members"),
    "Triumvirate.DuplicateProposal": ("the same call is already an open proposal", "vote on that one"),
    "Triumvirate.ProposalNotExists": ("there is no open proposal with that hash (closed or never made)",
                                      "see `btkit governance list`"),
    "Triumvirate.IndexMismatchProposalHash": ("the index does not belong to that proposal hash",
                                              "give the proposal by its hash"),
    "Triumvirate.DuplicateVote": ("this senator already voted that way on the proposal", "nothing to do"),
    "Triumvirate.TooEarlyToCloseProposal": (
        "the proposal has neither enough ayes nor enough nays, and its voting period has not ended",
        "wait for more votes or for its end block (`btkit governance show`)"),
    "Triumvirate.TooManyActiveProposals": ("10 proposals are open", "close some first"),
    "Triumvirate.DurationLowerThanConfiguredMotionDuration": (
        "the voting period is shorter than the motion duration", "leave --duration out"),
    "Triumvirate.ProposalLengthBoundLessThanProposalLength": (
        "the length bound is below the proposal's encoded length", "leave the bound to btkit"),
    S + "NotSenateMember": ("that hotkey holds no senate seat", "see `btkit governance senate`"),
    S + "StakeTooLowForRoot": ("the hotkey has less root stake than every senator", "stake more on netuid 0"),
    "System.BadOrigin": ("the call needs root origin (the sudo key)", "sign with the sudo key's wallet"),
}


def lookup(name: str) -> tuple[str, tuple[str, str]] | None:
    """Find an error by full or short name, case-insensitively."""
    wanted = name.strip().lower()
    for full, entry in ERRORS.items():
        if full.lower() == wanted or full.split(".", 1)[1].lower() == wanted:
            return full, entry
    return None


def explain_short(name: str, message: str = "") -> tuple[str, str]:
    found = lookup(name)
    if found is None:
        return (message or "the call failed"), f"see `btkit explain {name.split('.')[-1]}`"
    text, fix = found[1]
    if message and message != name and not (message.startswith(text) or text.startswith(message)):
        text = f"{text} ({message})"  # the node's detail (an address, an amount), not its own wording of ours
    return text, fix
