"""`btkit network info`: which node answers at --network (btkit's localnet or a Substrate subtensor node)."""

from __future__ import annotations

from typing import Optional

from commands._common import Network, client, env
from commands._group import command_group

app = command_group('Inspect the node a --network value reaches.', [
    'btkit network info --network finney',
    'btkit network info --network ws://127.0.0.1:9944 --json',
])


@app.callback()
def _group() -> None:
    """Inspect the node a --network value reaches."""


@app.command()
def info(network: Optional[str] = Network) -> None:
    """Kind of node (btkit localnet or Substrate subtensor), chain, runtime spec version, head (exit 3 when none)."""
    chain = client(network)
    node = chain.node_info()
    data = node.to_json()
    what = "btkit localnet" if node.kind == "localnet" else "Substrate subtensor node"
    lines = [f"{node.url}: {what}", f"chain    {node.chain}  genesis {node.genesis_hash}",
             f"head     #{node.head} {node.head_hash}"]
    if node.spec_version is not None:
        lines.append(f"runtime  spec_version {node.spec_version}  ({node.version})")
    if node.block_time:
        lines.append(f"blocks   every {node.block_time:g} s")
    env().result(data, lambda out: [out.print(line, markup=False) for line in lines])
