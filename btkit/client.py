"""Query a subnet through a validator's gateway, and pay for it in TAO (the Python API of `btkit query`).

    from btkit.chain import connect
    from btkit.client import open_gateway

    chain = connect("local")
    gw = open_gateway(chain, keypair, netuid=1)                  # the highest-staked gateway
    gw.pay(chain, 10**8)                                         # only if it charges; waits for the credit
    answer = gw.query({"series": [...], "horizon": 8})           # verified: signature, receipt
    answer.answer, answer.answered_by, answer.receipt

``keypair`` (a ``keystore.keys.Keypair``) is the client's identity: it signs every request
(btauth/1) and, for paid gateways, it is the account that pays (the gateway credits transfers by
their signer). Every answer is checked before it is returned: signed by the gateway's hotkey, for
this client, over this request; a receipt signed by the gateway for this payer and request.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from btkit.errors import BtkitError
from btkit.gateway import discovery, receipts
from btkit.net import btauth
from btkit.net.client import ReplyError, session, signed_call


class GatewayError(BtkitError):
    """The gateway refused or failed a request (``status``: its HTTP status; ``payload``: its JSON)."""

    code = "gateway"

    def __init__(self, message: str, status: int | None = None, payload: Any = None, hint: str = "") -> None:
        super().__init__(message, hint)
        self.status, self.payload = status, payload


class PaymentRequired(GatewayError):
    """HTTP 402: the credit is below the price. ``price_rao``, ``credit_rao``, ``pay_to`` say what to do."""

    code = "payment_required"

    def __init__(self, payload: dict[str, Any]) -> None:
        from btkit.units import Balance

        self.price_rao, self.credit_rao, self.pay_to = payload.get("price_rao"), payload.get("credit_rao"), \
            payload.get("pay_to")
        message, amount = payload.get("error", "payment required"), "AMOUNT"
        if isinstance(self.price_rao, int) and isinstance(self.credit_rao, int):  # people read τ, not rao
            message = (f"payment required: the gateway charges {Balance(self.price_rao)} a query and your credit "
                       f"there is {Balance(self.credit_rao)}")
            amount = str(Balance(self.price_rao).tao)
        super().__init__(message, 402, payload,
                         hint=f"pay with `btkit query --pay {amount} ...` (a transfer to {self.pay_to})")


@dataclass
class Answer:
    """A verified answer. ``proof``: the gateway's signed response (``headers`` and raw ``body``),
    enough for anyone to check with ``btkit.net.btauth.verify`` that this gateway said it."""

    answer: Any
    gateway: str
    url: str
    answered_by: list[dict[str, Any]]
    fallback: bool
    note: str
    miners: list[dict[str, Any]]
    timings: dict[str, float]
    request_hash: str
    receipt: dict[str, Any] | None
    proof: dict[str, Any] = field(repr=False, default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "proof"}


def fetch_info(url: str, expected_hotkey: str | None = None, timeout: float = 10.0) -> dict[str, Any]:
    """``GET /info`` of the gateway at ``url``; its signature must verify (and be ``expected_hotkey``'s
    when given). Raises ``GatewayError``."""
    import requests

    url = url.rstrip("/")
    try:
        r = requests.get(url + "/info", timeout=timeout)
    except requests.RequestException as exc:
        raise GatewayError(f"no gateway answers at {url}: {type(exc).__name__}",
                           hint="check the URL, or find one with `btkit subnet metagraph`") from None
    try:
        signer = btauth.verify(r.headers, r.content, "RESPONSE", "/info", "-", None, require_receiver=False)
        info = r.json()
    except (btauth.AuthFailure, ValueError):
        info = None
    if r.status_code != 200 or not isinstance(info, dict) or info.get("gateway") != 1:
        raise GatewayError(f"{url} is not a btkit gateway (no signed /info)",
                           hint="find gateways in `btkit subnet metagraph` (the `gateway IP:PORT` axons)")
    if expected_hotkey is not None and signer.hotkey != expected_hotkey:
        raise GatewayError(f"the gateway at {url} is {signer.hotkey}, not {expected_hotkey}")
    if info.get("hotkey") != signer.hotkey:
        raise GatewayError(f"the gateway at {url} signs as {signer.hotkey} but says it is {info.get('hotkey')}")
    return info


def open_gateway(chain, keypair, netuid: int, validator: str | None = None, timeout: float = 30.0) -> "GatewayClient":
    """A client for a gateway on ``netuid``: ``validator`` is a hotkey SS58 or an ``http(s)://`` URL;
    None picks the highest-staked gateway of the metagraph. A URL's gateway must be a validator
    registered on ``netuid``. Raises ``BtkitError`` / ``GatewayError``."""
    mg = chain.metagraph(netuid)
    if validator and validator.startswith(("http://", "https://")):
        info = fetch_info(validator)
        if mg.by_hotkey(info["hotkey"]) is None:
            raise GatewayError(f"the gateway at {validator} ({info['hotkey']}) is not registered on subnet {netuid}")
        url = validator.rstrip("/")
    else:
        neuron = discovery.find(mg, validator)
        url = neuron.axon.url
        info = fetch_info(url, neuron.hotkey)
    if info.get("netuid") != netuid:
        raise GatewayError(f"the gateway at {url} serves subnet {info.get('netuid')}, not {netuid}")
    return GatewayClient(keypair, url, info, timeout)


class GatewayClient:
    """Signed requests to one gateway (``info`` from ``fetch_info``). Thread-safe for queries."""

    def __init__(self, keypair, url: str, info: dict[str, Any], timeout: float = 30.0) -> None:
        self.keypair, self.url, self.info, self.timeout = keypair, url.rstrip("/"), info, timeout
        self.hotkey = info["hotkey"]
        self.session = session(16)

    def _call(self, method: str, target: str, body: bytes, timeout: float, headers: dict[str, str] | None = None):
        try:
            return signed_call(self.session, self.keypair, method, self.url, target, body, self.hotkey, timeout,
                               headers=headers)
        except ReplyError as exc:
            raise GatewayError(f"the gateway at {self.url} gave no trustworthy answer: {exc.reason}",
                               exc.status) from None

    def account(self) -> dict[str, Any]:
        """This client's account at the gateway: ``credit_rao`` (what queries may spend now) and
        ``paid_rao`` (every payment the gateway has credited, ever), with ``price_rao`` and ``pay_to``."""
        r = self._call("GET", "/credit", b"", self.timeout)
        if r.status != 200:
            raise GatewayError(f"credit: HTTP {r.status}: {r.data.get('error')}", r.status, r.data)
        return r.data

    def credit(self) -> int:
        """This client's credit at the gateway, in rao."""
        return int(self.account()["credit_rao"])

    def query(self, input: Any, deadline_s: float | None = None) -> Answer:
        """Ask the subnet: ``input`` must match the task's ``request_schema`` (``info["request_schema"]``).
        Raises ``PaymentRequired`` (402), ``GatewayError`` (any other refusal or failure, or an
        answer or receipt whose signature does not verify)."""
        envelope: dict[str, Any] = {"input": input}
        if deadline_s is not None:
            envelope["deadline_s"] = deadline_s
        body = json.dumps(envelope).encode()
        wait = (deadline_s or self.info.get("deadline_s", 5.0)) + 5.0
        headers = btauth.sign(self.keypair, "POST", "/query", body, receiver=self.hotkey)
        rhash = receipts.request_hash(headers, "POST", "/query", body)
        r = self._call("POST", "/query", body, wait, headers)
        data = r.data
        if r.status == 402:
            raise PaymentRequired(data)
        if r.status != 200:
            raise GatewayError(f"the gateway refused or failed the query: HTTP {r.status}: {data.get('error')}",
                               r.status, data)
        if data.get("request_hash") != rhash:
            raise GatewayError("the answer is for another request")
        receipt = data.get("receipt")
        if self.info.get("price_rao") or receipt is not None:
            try:
                receipts.verify(receipt, self.hotkey, payer=self.keypair.ss58_address, expected_hash=rhash)
            except receipts.ReceiptError as exc:
                raise GatewayError(f"the receipt does not verify: {exc.message}", r.status, data) from None
        return Answer(data["answer"], self.hotkey, self.url, data["answered_by"], data["fallback"], data["note"],
                      data["miners"], data["timings"], rhash, receipt,
                      proof={"headers": r.headers, "body": r.body.decode(), "target": "/query"})

    def pay_to(self) -> str:
        """The account this gateway credits payments to; ``GatewayError`` for a free gateway."""
        pay_to = self.info.get("pay_to")
        if not pay_to:
            raise GatewayError(f"the gateway at {self.url} is free: it takes no payment")
        return pay_to

    def pay(self, chain, amount_rao: int, wait_s: float = 30.0, wait: str = "inclusion") -> int:
        """Transfer ``amount_rao`` to the gateway's ``pay_to`` from this client's account (``wait``:
        ``"inclusion"`` or ``"finalization"``) and wait until the gateway credits it; returns the new
        credit (rao). Raises ``DispatchFailed`` when the transfer fails on chain, ``GatewayError`` when
        no credit shows within ``wait_s``."""
        from btkit.units import Balance

        pay_to = self.pay_to()
        before = int(self.account()["paid_rao"])
        result = chain.submit(self.keypair, chain.calls.transfer(pay_to, Balance(amount_rao)),
                              wait=wait).raise_for_error()
        deadline = time.monotonic() + wait_s
        while True:
            now = self.account()
            if int(now["paid_rao"]) >= before + amount_rao:  # queries running meanwhile may spend credit
                return int(now["credit_rao"])
            if time.monotonic() > deadline:
                raise GatewayError(f"paid in block {result.block}, but the gateway shows no credit after {wait_s:g} s",
                                   hint="check `btkit gateway credit` again later; the payment is on chain")
            time.sleep(0.1)

    def close(self) -> None:
        self.session.close()
