"""btkit: wallets, a local Bittensor-style chain, and subnet tooling."""

__version__ = "0.1.0"
