"""The validator's gateway: client applications query the subnet through a validator and pay in TAO.

``server`` (the HTTP app: checks, limits, miner fan-out, signed answers), ``ledger`` (credits in
SQLite), ``payments`` (the chain watcher that credits transfers), ``receipts`` (signed receipts),
``limits`` (per-client rate and concurrency), ``discovery`` (how a gateway is announced and found),
``service`` (wires them into ``btkit validator run --gateway-port``).
"""
