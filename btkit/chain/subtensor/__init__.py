"""The ``subtensor`` backend: btkit's chain interface on any Substrate subtensor node.

Modules: ``connection`` (the library client, errors), ``storage`` (reads by pallet/item name),
``queries`` (typed state from storage), ``calls`` (calls adapted to the runtime's metadata),
``extrinsic`` (signing with btkit's keystore, submission, pool rejections), ``events`` (events
and dispatch errors by name), ``backend`` (``SubtensorChain``). Importing this package imports
no Substrate library: ``connection`` does, on first use.
"""
