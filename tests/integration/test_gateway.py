"""The validator's gateway over real HTTP with real miners (AxonApps on uvicorn): routing, fallback,
signed answers and receipts, and the adversarial suite (refusals never reach a miner)."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from btkit.client import GatewayClient, GatewayError, PaymentRequired, fetch_info
from btkit.gateway import receipts
from btkit.gateway.ledger import Ledger, Payment
from btkit.gateway.limits import Limits
from btkit.gateway.server import GatewayApp, GatewayConfig, Miner, MinerView
from btkit.net import btauth
from btkit.net.axon import AxonApp, BackgroundServer, PeerView, Policy
from btkit.net.client import Client
from btkit.neurons.task import BrokenForecast, Forecast, NaiveForecast
from keystore.keys import Keypair

VALIDATOR = Keypair.from_uri("//GatewayValidator")
OTHER_GATEWAY = Keypair.from_uri("//OtherGateway")
CLIENT = Keypair.from_uri("//GatewayClient")
PAY_TO = Keypair.from_uri("//GatewayTill").ss58_address
TASK = Forecast()
INPUT = {k: v for k, v in TASK.challenge(7)[0].items() if k != "task"}


class CountingMiner:
    """A real miner server whose task counts its calls."""

    def __init__(self, name: str, answer) -> None:
        self.keypair = Keypair.from_uri(f"//GatewayMiner{name}")
        self.calls = 0
        self.lock = threading.Lock()

        def handler(query):
            with self.lock:
                self.calls += 1
            return answer(query)

        self.server = BackgroundServer(AxonApp(self.keypair, handler, PeerView(),
                                               Policy(require_registered=False, require_permit=False, timeout_s=5,
                                                      concurrency=8)), "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.port}"


def _hang(query):
    time.sleep(3)
    return {"forecast": [0.0] * int(query["horizon"])}


@pytest.fixture(scope="module")
def miners():
    TASK.answer(TASK.challenge(0)[0])  # warm torch up once
    made = {"good": CountingMiner("good", TASK.answer), "weak": CountingMiner("weak", NaiveForecast().answer),
            "liar": CountingMiner("liar", lambda q: {"forecast": "not a forecast"}),
            "hang": CountingMiner("hang", _hang)}
    yield made
    for m in made.values():
        m.server.stop()


class RunningGateway:
    def __init__(self, miners: dict, order: list[str], scores: dict[str, float], ledger: Ledger | None = None,
                 **cfg) -> None:
        self.uids = {name: uid for uid, name in enumerate(order, start=1)}
        table = {self.uids[n]: (miners[n].keypair.ss58_address, s) for n, s in scores.items()}
        self.view = MinerView(lambda: table)
        self.view.update([Miner(self.uids[n], miners[n].keypair.ss58_address, miners[n].url) for n in order])
        self.cfg = GatewayConfig(netuid=1, pay_to=PAY_TO if ledger else None, **cfg)
        self.client = Client(VALIDATOR, timeout=self.cfg.miner_timeout_s)
        self.app = GatewayApp(VALIDATOR, TASK, self.view, self.cfg, self.client, ledger)
        self.server = BackgroundServer(self.app, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.port}"

    def client_for(self, keypair=CLIENT) -> GatewayClient:
        return GatewayClient(keypair, self.url, fetch_info(self.url, VALIDATOR.ss58_address))

    def stop(self) -> None:
        self.server.stop()
        self.client.close()


@pytest.fixture
def gateway(miners):
    made = []

    def start(order=("good", "weak"), scores=None, **cfg) -> RunningGateway:
        cfg.setdefault("top_k", 1)  # one miner call per request unless a test asks for more
        g = RunningGateway(miners, list(order), scores or {"good": 0.9, "weak": 0.3}, **cfg)
        made.append(g)
        return g

    yield start
    for g in made:
        g.stop()


def calls(miners) -> dict[str, int]:
    return {n: m.calls for n, m in miners.items()}


def post(url, body: bytes, headers: dict) -> requests.Response:
    return requests.post(url + "/query", data=body, headers={**headers, "content-type": "application/json"}, timeout=10)


def signed(body: bytes, signer=CLIENT, receiver=VALIDATOR.ss58_address, **kw) -> dict:
    return btauth.sign(signer, "POST", "/query", body, receiver=receiver, **kw)


def test_answer_comes_from_the_best_scored_miner_signed_by_the_validator(gateway, miners):
    g = gateway(top_k=2)
    info = fetch_info(g.url, VALIDATOR.ss58_address)
    assert info["task"] == "forecast" and info["request_schema"] == TASK.request_schema
    assert info["price_rao"] == 0 and info["pay_to"] is None
    with pytest.raises(GatewayError, match="is free"):
        g.client_for().pay(None, 1000)  # nothing is sent to a free gateway
    a = g.client_for().query(INPUT)
    assert a.answer == TASK.answer(INPUT)  # the good miner's own answer
    assert [m["uid"] for m in a.answered_by] == [g.uids["good"]] and not a.fallback and a.note == ""
    assert a.gateway == VALIDATOR.ss58_address and a.timings["total_ms"] > 0
    assert {m["uid"] for m in a.miners} <= {g.uids["good"], g.uids["weak"]}
    # the proof: anyone can check that the validator's hotkey signed this answer for this client
    caller = btauth.verify(a.proof["headers"], a.proof["body"].encode(), "RESPONSE", "/query", CLIENT.ss58_address,
                           None)
    assert caller.hotkey == VALIDATOR.ss58_address


def test_combine_mode_answers_with_the_tasks_aggregate(gateway):
    g = gateway(order=("good", "weak", "liar"), scores={"good": 0.9, "weak": 0.3, "liar": 0.1}, top_k=3,
                mode="combine")
    a = g.client_for().query(INPUT)
    good, weak = TASK.answer(INPUT)["forecast"], NaiveForecast().answer(INPUT)["forecast"]
    assert a.answer["forecast"] == pytest.approx([(x + y) / 2 for x, y in zip(good, weak)])
    assert sorted(m["uid"] for m in a.answered_by) == [g.uids["good"], g.uids["weak"]]
    liar = next(m for m in a.miners if m["uid"] == g.uids["liar"])
    assert not liar["ok"] and "answer schema" in liar["error"]


def test_liars_and_hanging_miners_fall_back_to_the_next_batch_within_the_deadline(gateway, miners):
    g = gateway(order=("liar", "hang", "good"), scores={"liar": 0.9, "hang": 0.8, "good": 0.5}, top_k=2,
                miner_timeout_s=1.0)
    t = time.monotonic()
    a = g.client_for().query(INPUT, deadline_s=4)
    assert time.monotonic() - t < 3
    assert [m["uid"] for m in a.answered_by] == [g.uids["good"]] and a.fallback
    errors = {m["uid"]: m["error"] for m in a.miners}
    assert "answer schema" in errors[g.uids["liar"]] and "Timeout" in errors[g.uids["hang"]]
    assert a.note.startswith(f"answered by uid {g.uids['good']} (rank 3)")
    # a deadline too short for the fallback: the client is told, not left hanging
    with pytest.raises(GatewayError) as exc:
        g.client_for().query(INPUT, deadline_s=0.8)
    assert exc.value.status == 504


def test_good_miner_killed_next_best_answers_and_says_so(gateway):
    stopped = CountingMiner("gone", TASK.answer)
    stopped.server.stop()  # the best-scored miner is dead: connection refused
    g = gateway(order=("good", "weak"), scores={"good": 0.9, "weak": 0.3}, top_k=1)
    g.view.update([Miner(1, stopped.keypair.ss58_address, stopped.url), *g.view.miners[1:]])
    g.view.scores = lambda: {1: (stopped.keypair.ss58_address, 0.9), 2: (g.view.miners[1].hotkey, 0.3)}
    a = g.client_for().query(INPUT)
    assert a.answered_by[0]["uid"] == 2 and a.answered_by[0]["rank"] == 2 and a.fallback
    assert a.note.startswith("answered by uid 2 (rank 2) because better-ranked miners failed: uid 1 (rank 1)")
    assert a.answer == NaiveForecast().answer(INPUT)


def test_adversarial_requests_are_refused_before_any_miner(gateway, miners, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite", PAY_TO, 0)
    g = gateway(ledger=ledger, price_rao=1000, max_body=4096,
                limits=Limits(rate_per_s=1000, burst=1000, concurrency=8))
    body = json.dumps({"input": INPUT}).encode()
    before = calls(miners)

    def refused(response, status, words):
        assert response.status_code == status, (response.status_code, response.text)
        assert words in response.json()["error"]
        # refusals are signed by the gateway too
        assert btauth.verify(response.headers, response.content, "RESPONSE", "/query", CLIENT.ss58_address, None,
                             require_receiver=False).hotkey == VALIDATOR.ss58_address

    # unpaid: 402 with the price and where to pay
    r = post(g.url, body, signed(body))
    refused(r, 402, "payment required")
    assert r.json()["price_rao"] == 1000 and r.json()["pay_to"] == PAY_TO and r.json()["credit_rao"] == 0
    ledger.apply_block(5, [Payment(5, 0, CLIENT.ss58_address, 2500)])
    # forged client signature: a valid request's signature under another claimed hotkey, or a tampered body
    good = signed(body)
    forged = {**good, btauth.H_HOTKEY: Keypair.from_uri("//Someone").ss58_address}
    refused(post(g.url, body, forged), 401, "signature does not verify")
    refused(post(g.url, body.replace(b"horizon", b"horizon "), good), 401, "signature does not verify")
    # a request signed for another gateway
    refused(post(g.url, body, signed(body, receiver=OTHER_GATEWAY.ss58_address)), 401, "another receiver")
    # oversize body (declared, and streamed without a length)
    big = json.dumps({"input": {**INPUT, "series": [0.5] * 2000}}).encode()
    r = post(g.url, big, signed(big))
    assert r.status_code == 413
    r = requests.post(g.url + "/query", data=iter([big[:3000], big[3000:]]), headers=signed(big), timeout=10)
    assert r.status_code == 413
    # invalid input for the task's request schema
    bad = json.dumps({"input": {"series": "abc", "horizon": 8}}).encode()
    refused(post(g.url, bad, signed(bad)), 400, "invalid input")
    assert calls(miners) == before  # not one miner call for any refusal
    assert ledger.credit(CLIENT.ss58_address) == 2500
    # a good request is served; its replay is refused (and not charged again)
    r = post(g.url, body, good)
    assert r.status_code == 200, r.text
    served = calls(miners)
    assert sum(served.values()) - sum(before.values()) == 1
    refused(post(g.url, body, good), 401, "replayed")
    assert calls(miners) == served
    assert ledger.credit(CLIENT.ss58_address) == 1500
    # the credit runs out: 402 again (1500 covers one more query, not two)
    assert g.client_for().query(INPUT).receipt["credit_rao"] == 500
    with pytest.raises(PaymentRequired) as exc:
        g.client_for().query(INPUT)
    assert exc.value.price_rao == 1000 and exc.value.credit_rao == 500 and exc.value.pay_to == PAY_TO


def test_a_request_served_before_a_restart_is_not_served_again_after_it(gateway, miners):
    """Free mode keeps no ledger: the seen nonces die with the process. A request captured before the
    gateway restarted, replayed within its 10 s freshness window, is refused (401) before any miner."""
    body = json.dumps({"input": INPUT}).encode()
    first = gateway()
    good = signed(body)
    assert post(first.url, body, good).status_code == 200
    first.stop()
    second = gateway()  # the same validator hotkey, a new process's memory
    before = calls(miners)
    r = post(second.url, body, good)
    assert r.status_code == 401 and "signed before this server started" in r.json()["error"], r.text
    assert calls(miners) == before
    assert post(second.url, body, signed(body)).status_code == 200  # signed again: served


def test_receipts_verify_and_forged_ones_do_not(gateway, tmp_path, monkeypatch):
    ledger = Ledger(tmp_path / "ledger.sqlite", PAY_TO, 0)
    ledger.apply_block(1, [Payment(1, 0, CLIENT.ss58_address, 10_000)])
    g = gateway(ledger=ledger, price_rao=3000)
    a = g.client_for().query(INPUT)
    r = a.receipt
    assert (r["payer"], r["price_rao"], r["credit_rao"], r["request_hash"]) == (CLIENT.ss58_address, 3000, 7000,
                                                                                 a.request_hash)
    assert receipts.verify(r, VALIDATOR.ss58_address, CLIENT.ss58_address, a.request_hash) == r
    assert ledger.debits("charged") == {a.request_hash: (CLIENT.ss58_address, 3000)}
    for changed in ({"credit_rao": 70_000}, {"payer": OTHER_GATEWAY.ss58_address}, {"signature": "0x" + "00" * 64}):
        with pytest.raises(receipts.ReceiptError):
            receipts.verify({**r, **changed}, VALIDATOR.ss58_address)
    forged = receipts.sign(OTHER_GATEWAY, payer=CLIENT.ss58_address, price_rao=3000, credit_rao=7000,
                           request_hash=a.request_hash, netuid=1)
    with pytest.raises(receipts.ReceiptError, match="names gateway"):
        receipts.verify(forged, VALIDATOR.ss58_address)
    with pytest.raises(receipts.ReceiptError, match="does not verify"):
        receipts.verify({**forged, "gateway": VALIDATOR.ss58_address}, VALIDATOR.ss58_address)
    # a gateway whose receipts are signed by another key: the client refuses the answer
    real_sign = receipts.sign
    monkeypatch.setattr(receipts, "sign", lambda kp, **f: {**real_sign(OTHER_GATEWAY, **f),
                                                             "gateway": kp.ss58_address})
    with pytest.raises(GatewayError, match="receipt does not verify"):
        g.client_for().query(INPUT)


def test_two_hundred_concurrent_clients(gateway, miners):
    """200 clients at once, each served once and verified; one more client sends 4 at once and its
    extra requests are refused (concurrency 1, burst 1); every miner call belongs to a served request."""
    g = gateway(order=("good", "weak"), top_k=1, capacity=32, deadline_s=25, miner_timeout_s=20,
                limits=Limits(rate_per_s=0.001, burst=1, concurrency=1))
    clients = [Keypair.from_uri(f"//Crowd{i}") for i in range(200)]
    body = json.dumps({"input": INPUT}).encode()
    requests_ = [(kp, signed(body, signer=kp)) for kp in clients]
    greedy = Keypair.from_uri("//Greedy")
    requests_ += [(greedy, signed(body, signer=greedy)) for _ in range(4)]
    before = calls(miners)
    results = [None] * len(requests_)
    barrier = threading.Barrier(len(requests_))

    def send(i):
        headers = requests_[i][1]
        barrier.wait()
        results[i] = post(g.url, body, headers)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests_))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    statuses = [r.status_code for r in results]
    assert statuses[:200] == [200] * 200, sorted(set(statuses[:200]))
    assert sorted(statuses[200:]) == [200, 429, 429, 429]
    for (kp, _), r in zip(requests_, results):
        signer = btauth.verify(r.headers, r.content, "RESPONSE", "/query", kp.ss58_address, None)
        assert signer.hotkey == VALIDATOR.ss58_address
        if r.status_code == 200:
            assert [m["uid"] for m in r.json()["answered_by"]] == [g.uids["good"]]
    assert calls(miners)["good"] - before["good"] == g.app.miner_calls == 201  # and no other miner was asked
