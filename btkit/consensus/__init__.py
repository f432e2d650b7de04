"""Yuma consensus, bit-exact with subtensor's fixed-point epoch (``shared/spec/epoch.md``).

``run_epoch`` picks the vectorized implementation (``btkit.consensus.fast``, numpy int64)
for Yuma 2 and the reference implementation (``btkit.consensus.reference``, plain Python
integers) otherwise; both follow the same steps and the tests hold them to equal outputs.
"""

from btkit.consensus.types import EpochInput, EpochOutput
from btkit.consensus.fixed import max_upscale_u16


def run_epoch(inp: EpochInput) -> EpochOutput:
    """One epoch: stakes and weights in, consensus, incentive, dividends and emission out. Pure."""
    import gc

    # Rows cross the API as Python pairs (up to millions of small objects at n = 4096); the
    # cyclic GC would rescan them many times over while they are built.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if not inp.yuma3:
            from btkit.consensus import fast

            return fast.run_epoch(inp)
        from btkit.consensus import reference

        return reference.run_epoch(inp)
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["EpochInput", "EpochOutput", "run_epoch", "max_upscale_u16"]
