"""The miner's refusals, the validator's resilience, persisted scores, and the demo."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from btkit.extrinsic import call
from btkit.net import btauth
from btkit.net.axon import AxonApp, PeerView, Policy
from keystore.keys import Keypair
from tests.conftest import ROOT
from tests.integration.axon_helpers import RunningAxon
from tests.integration.conftest import BOB, CHARLIE, ok, run_block
from tests.integration.test_subnets import S, burned, hk, make_subnet

MINER = Keypair.from_uri("//Miner")
VALIDATOR = Keypair.from_uri("//Validator")
NOPERMIT = Keypair.from_uri("//NoPermit")
STRANGER = Keypair.from_uri("//Stranger")


@pytest.fixture
def axon():
    calls = []

    def handler(query):
        calls.append(query)
        return {"ok": True}

    peers = PeerView()
    peers.update({VALIDATOR.ss58_address: (1, 10**12, True), NOPERMIT.ss58_address: (2, 10**9, False)})
    running = RunningAxon(AxonApp(MINER, handler, peers, Policy(max_body=1024)))
    running.calls = calls
    yield running
    running.stop()


def post(axon, body=b'{"q": 1}', headers=None, target="/forward"):
    return requests.post(axon.url + target, data=body, headers=headers or {}, timeout=5)


def test_miner_refuses_each_bad_request_before_the_task(axon):
    body = b'{"q": 1}'
    good = btauth.sign(VALIDATOR, "POST", "/forward", body, receiver=MINER.ss58_address)
    cases = {
        "no signature": ({}, 401),
        "empty signature, spoofed hotkey": ({**good, btauth.H_SIGNATURE: "", btauth.H_HOTKEY: BOB.ss58_address}, 401),
        "stale": (btauth.sign(VALIDATOR, "POST", "/forward", body, MINER.ss58_address,
                              nonce_ns=time.time_ns() - 11 * 10**9), 401),
        "future": (btauth.sign(VALIDATOR, "POST", "/forward", body, MINER.ss58_address,
                               nonce_ns=time.time_ns() + 5 * 10**9), 401),
        "another receiver": (btauth.sign(VALIDATOR, "POST", "/forward", body, receiver=BOB.ss58_address), 401),
        "unregistered": (btauth.sign(STRANGER, "POST", "/forward", body, receiver=MINER.ss58_address), 403),
        "no permit": (btauth.sign(NOPERMIT, "POST", "/forward", body, receiver=MINER.ss58_address), 403),
    }
    for name, (headers, status) in cases.items():
        r = post(axon, body, headers)
        assert r.status_code == status, (name, r.status_code, r.text)
        assert "error" in r.json() and good[btauth.H_SIGNATURE] not in r.text
    tampered = post(axon, b'{"q": 2}', good)
    assert tampered.status_code == 401
    assert axon.calls == []
    assert post(axon, body, good).status_code == 200
    replay = post(axon, body, good)
    assert replay.status_code == 401 and "replayed" in replay.json()["error"]
    big = b'{"x": "' + b"a" * 5000 + b'"}'
    assert post(axon, big, btauth.sign(VALIDATOR, "POST", "/forward", big, MINER.ss58_address)).status_code == 413
    assert axon.calls == [{"q": 1}]


def test_a_request_accepted_before_a_miner_restart_is_refused_after_it(axon):
    """The axon's seen nonces live in memory: a restarted miner refuses what was signed before it started
    (a replay inside the freshness window would otherwise run the task again)."""
    body = b'{"q": 1}'
    good = btauth.sign(VALIDATOR, "POST", "/forward", body, receiver=MINER.ss58_address)
    assert post(axon, body, good).status_code == 200
    peers = PeerView()
    peers.update({VALIDATOR.ss58_address: (1, 10**12, True)})
    restarted = RunningAxon(AxonApp(MINER, lambda q: {"ok": True}, peers, Policy(max_body=1024)))
    try:
        r = post(restarted, body, good)
        assert r.status_code == 401 and "before this server started" in r.json()["error"], r.text
        fresh = btauth.sign(VALIDATOR, "POST", "/forward", body, receiver=MINER.ss58_address)
        assert post(restarted, body, fresh).status_code == 200
    finally:
        restarted.stop()


def _fake_miner(kind: str) -> tuple[str, threading.Event]:
    """Raw TCP miners that misbehave: hang, reset, garbage, huge."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    stop = threading.Event()

    def handle(conn):
        try:
            conn.recv(65536)
            if kind == "hang":
                stop.wait(30)
            elif kind == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            elif kind == "garbage":
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nnot json!")
            elif kind == "huge":
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 3000000\r\n\r\n" + b"x" * 3_000_000)
        except OSError:
            pass
        finally:
            conn.close()

    def serve():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except socket.timeout:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
        srv.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1], stop


def test_validator_survives_bad_miners_and_weights_follow_scores(start_node, tmp_path):
    from btkit.neurons import validator
    from btkit.neurons.runtime import Log

    node = start_node("instant")
    c = node.client
    netuid = make_subnet(c, weights_rate_limit=0, tempo=3)
    kinds = ["good", "hang", "reset", "garbage", "huge"]
    run_block(c, (BOB, burned(netuid, "val")), *[(CHARLIE, burned(netuid, k)) for k in kinds[:3]])
    run_block(c, *[(CHARLIE, burned(netuid, k)) for k in kinds[3:]])
    ok(c, BOB, call(S, "add_stake", hotkey=hk("val").ss58_address, netuid=netuid, amount_staked=100 * 10**9))
    c.call("localnet_mine", 5)  # an epoch: the validator gets its permit
    stops = []
    from btkit.neurons.task import Forecast

    task = Forecast()
    task.answer(task.challenge(0)[0])  # warm up, as `btkit miner run` does
    good_axon = RunningAxon(AxonApp(hk("good"), task.answer, PeerView(), Policy(require_registered=False,
                                                                              require_permit=False)))
    ports = {"good": good_axon.port}
    for k in kinds[1:]:
        ports[k], stop = _fake_miner(k)
        stops.append(stop)
    for k in kinds:
        r = c.submit(hk(k), call(S, "serve_axon", netuid=netuid, version=1, ip=2130706433, port=ports[k], ip_type=4,
                                 protocol=4, placeholder1=0, placeholder2=0))
        assert r.success, r.error
    cfg = validator.ValidatorConfig(netuid=netuid, timeout_s=1.0, state_path=tmp_path / "scores.json")
    stop_flag = validator.StopFlag.__new__(validator.StopFlag)
    stop_flag.event = threading.Event()
    rounds = {"n": 0}

    def stopper():
        while rounds["n"] < 3:
            time.sleep(0.1)
        stop_flag.event.set()

    events = []

    class Recording(Log):
        def __call__(self, event, **fields):
            events.append((event, fields))
            super().__call__(event, **fields)

    log = Recording("json", "test-validator")
    original_step = validator.step

    def counting_step(*args, **kwargs):
        original_step(*args, **kwargs)
        rounds["n"] += 1

    validator.step = counting_step
    try:
        t0 = time.time()
        threading.Thread(target=stopper, daemon=True).start()
        validator.run(node.chain, hk("val"), cfg, log, stop_flag)
    finally:
        validator.step = original_step
        for s in stops:
            s.set()
        good_axon.stop()
    assert time.time() - t0 < 30  # hanging miners cost a timeout, not the round
    assert [e for e, _ in events if e == "round-failed"] == []  # every round survived every bad miner
    scores = json.loads((tmp_path / "scores.json").read_text())
    mg = c.call("subtensor_metagraph", netuid)
    uid_of = {n["hotkey"]: n["uid"] for n in mg["neurons"]}
    good_uid = uid_of[hk("good").ss58_address]
    bad_uids = {uid_of[hk(k).ss58_address] for k in kinds[1:]}
    failures = [set(f["failures"]) for e, f in events if e == "round"]
    assert failures and all(bad_uids <= f for f in failures)
    assert scores[str(good_uid)][1] > 0.5
    for k in kinds[1:]:
        assert scores[str(uid_of[hk(k).ss58_address])][1] == 0
    weights = c.call("subtensor_weights", netuid)[str(uid_of[hk("val").ss58_address])]
    assert weights == [[good_uid, 65535]]


def test_scores_persist_and_reset_when_a_uid_changes_hotkey(tmp_path):
    from btkit.neurons.validator import Scores
    from btkit.weights import process_weights

    path = tmp_path / "s.json"
    s = Scores(path)
    s.update(1, "hkA", 1.0, 0.5)
    s.update(2, "hkB", 0.4, 0.5)
    s.save()
    restored = Scores(path)  # a restarted validator
    assert restored.by_uid == s.by_uid
    restored.update(1, "hkA", 0.0, 0.5)
    assert restored.by_uid[1][1] == 0.5  # the average continues across the restart
    restored.sync({1: "hkA", 2: "hkNEW"})
    assert 2 not in restored.by_uid
    restored.update(2, "hkNEW", 0.2, 0.5)
    assert restored.by_uid[2] == ("hkNEW", 0.2)
    assert process_weights({u: v for u, (_, v) in restored.by_uid.items()}, 3, 1, 65535) == ([1, 2], [65535, 26214])


def test_miner_without_registration_says_how_to_fix(cli, start_node):
    node = start_node("instant")
    cli("wallet", "create", "--no-use-password", "-w", "m")
    make_subnet(node.client)
    r = cli("miner", "run", "--netuid", "1", "-w", "m", "--port", "0", "--network", node.url)
    assert r.code == 1 and "not registered on subnet 1" in r.stderr and "btkit register" in r.stderr


def test_make_demo_reduced():
    env = dict(os.environ, DEMO_EPOCHS="2", DEMO_DEADLINE_S="120")
    proc = subprocess.run([sys.executable, "scripts/demo.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=240)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "the good miner earns the most" in proc.stdout
    assert "client query through the validator's gateway was answered by the good miner" in proc.stdout
