"""Keys, mnemonics, SS58 addresses, secret URIs, keyfiles and wallets.

File-compatible with bittensor-wallet (see ``shared/spec/keystore.md``).
This package depends only on crypto libraries, never on ``btkit``; its
modules are imported directly (``keystore.keys``, ``keystore.wallet``, ...)
so that importing one does not load the crypto libraries of the others.
"""
