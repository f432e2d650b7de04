"""--network resolution and backend choice (btkit.chain.connect); no node needed (``home``: an empty config)."""

from __future__ import annotations

import json

import pytest

from btkit.chain import BACKENDS, Chain, connect, resolve
from btkit.errors import UsageError


def test_local_reads_the_node_record_of_the_data_dir(home, tmp_path):
    (tmp_path / "node.json").write_text(json.dumps({"url": "http://127.0.0.1:45678"}))
    endpoint = resolve("local", tmp_path)
    assert (endpoint.url, endpoint.kind) == ("http://127.0.0.1:45678", "localnet")


def test_local_without_a_record_is_the_default_port(home, tmp_path):
    assert resolve("local", tmp_path).url == "http://127.0.0.1:9944"


def test_an_http_url_is_a_localnet_endpoint(home):
    assert resolve("http://10.0.0.2:9944/").url == "http://10.0.0.2:9944"


def test_connect_builds_the_backend_of_the_kind_without_reaching_the_node(home):
    chain = connect("local")  # no localnet recorded in this home: the default URL, not probed
    assert isinstance(chain, Chain) and chain.kind == "localnet" and chain.url == "http://127.0.0.1:9944"
    assert set(BACKENDS) >= {"localnet", "subtensor"}


def test_an_http_url_is_probed_and_an_unreachable_one_is_named(home):
    from btkit.errors import NodeUnreachableError

    with pytest.raises(NodeUnreachableError, match=r"http://127\.0\.0\.1:1"):
        connect("http://127.0.0.1:1")


def test_an_unknown_network_is_a_usage_error(home):
    with pytest.raises(UsageError):
        resolve("nowhere-net")


def test_dev_operations_are_refused_by_name_on_a_backend_without_them():
    from btkit.chain import Unsupported
    from btkit.chain.localnet import LocalnetChain

    class Other(LocalnetChain):
        kind = "subtensor"

        def dev(self, what):
            return Chain.dev(self, what)

    with pytest.raises(Unsupported, match="localnet mine"):
        Other("http://127.0.0.1:1").dev("localnet mine")
