"""The gateway of a real `btkit validator run` process on a real node: discovery, the CLI client,
paid mode (402, credit within a block, exact debits, receipts), a SIGKILL mid-stream that loses and
double-counts nothing (the ledger against the chain's transfer events), and fallback when the good
miner dies."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from btkit.client import GatewayError, PaymentRequired, open_gateway
from btkit.errors import BtkitError
from btkit.gateway import discovery, receipts
from btkit.gateway.payments import payments_in
from btkit.net.axon import AxonApp, BackgroundServer, PeerView, Policy
from btkit.neurons.task import Forecast, NaiveForecast
from btkit.units import Balance
from keystore.keys import Keypair
from tests.conftest import ROOT
from tests.integration.conftest import CHARLIE, DAVE
from tests.integration.test_subnets import hk, make_subnet

PRICE = 1_000_000  # rao per query
PAY_TO = Keypair.from_uri("//GatewayTill").ss58_address
VAL_COLD = Keypair.from_uri("//Bob")
VAL_HOT = Keypair.from_uri("//Bob//val")
TASK = Forecast()
INPUT = {k: v for k, v in TASK.challenge(11)[0].items() if k != "task"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ValidatorProcess:
    def __init__(self, home, url: str, netuid: int, port: int) -> None:
        self.argv = [sys.executable, "-m", "btkit", "validator", "run", "--netuid", str(netuid), "-w", "val",
                     "--network", url, "--interval", "0.5", "--timeout", "2", "--log-format", "json",
                     "--gateway-port", str(port), "--gateway-price", str(PRICE), "--gateway-pay-to", PAY_TO,
                     "--gateway-top-k", "1", "--gateway-rate", "200"]
        self.env = dict(os.environ, BTKIT_HOME=str(home))
        self.log = home / "validator.log"
        self.proc = None
        self.start()

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=log, stderr=log)

    def events(self, name: str) -> list[dict]:
        out = []
        for line in self.log.read_text().splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("event") == name:
                out.append(e)
        return out

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(15)


def wait_for(what, predicate, timeout=30.0, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def subnet(start_node, cli, home):
    """A node, a subnet with a validator (wallet `val`) and two served miners (good registered after
    weak, so only the validator's scores can put it first), and a client wallet `client` (//Dave)."""
    node = start_node("instant")
    chain = node.chain
    netuid = make_subnet(node.client, weights_rate_limit=0)
    assert cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password", "-w", "val").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Bob//val", "-w", "val", "-H", "default").code == 0
    assert cli("wallet", "regen-coldkey", "--uri", "//Dave", "--no-use-password", "-w", "client").code == 0
    chain.submit(VAL_COLD, chain.calls.burned_register(netuid, VAL_HOT.ss58_address)).raise_for_error()
    TASK.answer(TASK.challenge(0)[0])
    miners = {}
    for name, task in (("weak", NaiveForecast()), ("good", TASK)):
        chain.submit(CHARLIE, chain.calls.burned_register(netuid, hk(name).ss58_address)).raise_for_error()
        server = BackgroundServer(AxonApp(hk(name), task.answer, PeerView(),
                                          Policy(require_registered=False, require_permit=False)), "127.0.0.1", 0)
        chain.submit(hk(name), chain.calls.serve_axon(netuid, "127.0.0.1", server.port)).raise_for_error()
        miners[name] = server
    yield node, chain, netuid, miners
    for server in miners.values():
        server.stop()


def test_paid_gateway_survives_sigkill_and_falls_back(subnet, cli, home):
    node, chain, netuid, miners = subnet
    port = free_port()
    validator = ValidatorProcess(home, node.url, netuid, port)
    client_kp = DAVE
    try:
        # discovery: the gateway is on the metagraph, marked, and the CLI shows it
        gw_neuron = wait_for("the gateway on chain", lambda: discovery.gateways(chain.metagraph(netuid)))[0]
        assert gw_neuron.hotkey == VAL_HOT.ss58_address and gw_neuron.axon.port == port
        mg = cli("subnet", "metagraph", "--netuid", str(netuid), "--network", node.url)
        assert f"gateway 127.0.0.1:{port}" in mg.stdout
        assert [n["axon"]["gateway"] for n in cli("subnet", "metagraph", "--netuid", str(netuid), "--json",
                                                  "--network", node.url).json()["neurons"] if n["axon"]] == \
            [True, False, False]
        gw = open_gateway(chain, client_kp, netuid)
        assert gw.info["price_rao"] == PRICE and gw.info["pay_to"] == PAY_TO
        by_url = open_gateway(chain, client_kp, netuid, f"http://127.0.0.1:{port}/")
        assert (by_url.hotkey, by_url.url) == (VAL_HOT.ss58_address, gw.url)
        with pytest.raises(GatewayError, match="is not a btkit gateway"):  # a miner's axon
            open_gateway(chain, client_kp, netuid, f"http://127.0.0.1:{miners['good'].port}")
        with pytest.raises(BtkitError, match="serves no gateway"):
            open_gateway(chain, client_kp, netuid, hk("good").ss58_address)
        # the validator scores its miners: the good one (uid 3) comes to rank first
        wait_for("the validator's first rounds", lambda: len(validator.events("round")) >= 2, timeout=60)

        # unpaid: 402 (CLI: exit 1, one JSON error naming the price and where to pay)
        net = ["--network", node.url]
        r = cli("query", "--netuid", str(netuid), "--input", json.dumps(INPUT), "-w", "client", "--json", *net)
        assert r.code == 1 and r.json()["error"]["code"] == "payment_required", r.stdout + r.stderr
        assert str(Balance(PRICE)) in r.json()["error"]["message"] and PAY_TO in r.json()["error"]["hint"]

        # a transfer is credited within a block
        result = chain.submit(client_kp, chain.calls.transfer(PAY_TO, Balance(5 * PRICE))).raise_for_error()
        wait_for("the credit", lambda: gw.credit() == 5 * PRICE, timeout=5)
        assert chain.block_number() <= result.block + 1

        # each query debits exactly the price; the receipt verifies
        receipts_seen = {}
        a = gw.query(INPUT)
        receipts_seen[a.request_hash] = a.receipt
        assert a.receipt["price_rao"] == PRICE and a.receipt["credit_rao"] == 4 * PRICE == gw.credit()
        assert receipts.verify(a.receipt, VAL_HOT.ss58_address, client_kp.ss58_address, a.request_hash)
        assert a.answered_by[0]["hotkey"] == hk("good").ss58_address and not a.fallback
        # the CLI pays and queries in one step; --dry-run shows the payment and sends nothing
        (input_file := home / "input.json").write_text(json.dumps(INPUT))
        nonce = chain.next_nonce(client_kp.ss58_address)
        r = cli("query", "--netuid", str(netuid), "--input", f"@{input_file}", "--pay", "0.002", "--dry-run",
                "-w", "client", *net)
        assert r.code == 0 and "dry run (nothing submitted)" in r.stdout, r.stdout + r.stderr
        assert f"dest={PAY_TO}" in r.stdout and "value=2000000" in r.stdout and "forecast" not in r.stdout
        assert chain.next_nonce(client_kp.ss58_address) == nonce and gw.credit() == 4 * PRICE
        r = cli("query", "--netuid", str(netuid), "--input", f"@{input_file}", "--pay", "0.002", "-y", "-w", "client",
                "--json", *net)
        assert r.code == 0, r.stdout + r.stderr
        out = r.json()
        receipts_seen[out["request_hash"]] = out["receipt"]
        assert out["paid"]["credit"]["rao"] == 6 * PRICE and out["receipt"]["credit_rao"] == 5 * PRICE
        assert out["answer"] == a.answer and out["answered_by"][0]["uid"] == a.answered_by[0]["uid"]
        r = cli("gateway", "credit", "--netuid", str(netuid), "--validator", VAL_HOT.ss58_address, "-w", "client",
                "--json", *net)
        assert r.code == 0 and r.json()["credit"]["rao"] == 5 * PRICE and r.json()["queries_left"] == 5
        assert r.json()["paid"]["rao"] == 7 * PRICE

        # a stream of payments and queries; the validator is SIGKILLed in the middle and restarted
        failed, stop_stream = [0], threading.Event()

        def stream():
            i = 0
            while not stop_stream.is_set():
                i += 1
                try:
                    if i % 3 == 0:
                        chain.submit(client_kp, chain.calls.transfer(PAY_TO, Balance(2 * PRICE))).raise_for_error()
                    answer = gw.query(INPUT, deadline_s=3)
                    receipts_seen[answer.request_hash] = answer.receipt
                except PaymentRequired:
                    time.sleep(0.05)
                except GatewayError:
                    failed[0] += 1
                    time.sleep(0.05)

        streamer = threading.Thread(target=stream)
        streamer.start()
        wait_for("queries before the kill", lambda: len(receipts_seen) >= 5, timeout=60, every=0.02)
        validator.stop(signal.SIGKILL)
        chain.submit(client_kp, chain.calls.transfer(PAY_TO, Balance(3 * PRICE))).raise_for_error()  # while down
        before_restart = len(receipts_seen)
        validator.start()
        wait_for("queries after the restart", lambda: len(receipts_seen) >= before_restart + 5, timeout=60,
                 every=0.05)
        stop_stream.set()
        streamer.join(30)
        assert failed[0] >= 1  # the kill was felt mid-stream

        # with the good miner killed, the next-best answers and says so
        miners["good"].stop()
        a = gw.query(INPUT)
        assert a.answered_by[0]["hotkey"] == hk("weak").ss58_address and a.fallback
        assert a.answered_by[0]["rank"] == 2 and "better-ranked miners failed" in a.note
        receipts_seen[a.request_hash] = a.receipt
    finally:
        validator.stop()
    assert len(validator.events("gateway-ledger")) == 2  # started twice on the same ledger

    # the ledger against the chain: every transfer into PAY_TO credited exactly once, nothing else
    head = chain.block_number()
    on_chain = [p for b in range(1, head + 1) for p in payments_in(b, chain.block_events(b), PAY_TO)]
    db = sqlite3.connect(home / "neurons" / f"validator-{netuid}-val-default.ledger.sqlite")
    ledger_payments = db.execute("SELECT block, extrinsic, payer, amount FROM payments ORDER BY block, extrinsic")
    assert [dataclasses.astuple(p) for p in on_chain] == list(ledger_payments)
    paid = sum(p.amount for p in on_chain)
    transfers = [e for b in range(1, head + 1) for e in chain.block_events(b)  # read without payments_in
                 if (e.pallet, e.name) == ("Balances", "Transfer") and e.data["to"] == PAY_TO]
    assert paid == sum(int(e.data["amount"]) for e in transfers) and len(on_chain) == len(transfers) >= 4
    charged = dict(db.execute("SELECT request_hash, price FROM debits WHERE state = 'charged'").fetchall())
    assert set(db.execute("SELECT DISTINCT state FROM debits").fetchall()) <= {("charged",), ("refunded",)}
    assert set(charged.values()) == {PRICE}
    assert set(receipts_seen) <= set(charged)  # every answer the client got was charged, once
    assert len(set(charged) - set(receipts_seen)) <= 1  # at most the request in flight at the kill
    (credit,) = db.execute("SELECT balance FROM credits WHERE account = ?", (client_kp.ss58_address,)).fetchone()
    assert credit == paid - PRICE * len(charged)
