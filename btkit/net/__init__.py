"""Signed HTTP between validators and miners (btauth/1): signing, the miner's server, the client."""
