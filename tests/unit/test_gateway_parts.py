"""The gateway's ledger, limits and payment detection, in-process."""

from __future__ import annotations

import pytest

from btkit.chain.types import Event
from btkit.errors import BtkitError
from btkit.gateway.ledger import DuplicateRequest, InsufficientCredit, Ledger, Payment
from btkit.gateway.limits import ClientLimits, Limits
from btkit.gateway.payments import payments_in

PAY_TO, A, B = "5GatewayTill", "5ClientA", "5ClientB"


def transfer(x, frm, to, amount):
    return Event("Balances", "Transfer", {"from": frm, "to": to, "amount": amount}, x)


def test_payments_are_the_transfers_into_the_gateway_account_one_per_extrinsic():
    events = [transfer(0, A, PAY_TO, 5), transfer(1, B, "5Elsewhere", 7), transfer(2, B, PAY_TO, 3),
              transfer(2, B, PAY_TO, 4), Event("Balances", "Transfer", {"from": A, "to": PAY_TO, "amount": 9}, None),
              Event("System", "ExtrinsicSuccess", {}, 0)]
    assert payments_in(10, events, PAY_TO) == [Payment(10, 0, A, 5), Payment(10, 2, B, 7)]


def test_a_block_is_credited_once_and_the_cursor_moves_with_it(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite", PAY_TO, start_block=4)
    assert ledger.next_block == 4
    assert ledger.apply_block(4, [Payment(4, 0, A, 100), Payment(4, 1, B, 50)]) == [Payment(4, 0, A, 100),
                                                                                    Payment(4, 1, B, 50)]
    assert ledger.apply_block(4, [Payment(4, 0, A, 100)]) == []  # read again after a crash: nothing twice
    assert ledger.apply_block(5, []) == [] and ledger.next_block == 6
    assert (ledger.credit(A), ledger.credit(B), ledger.credit("5Nobody")) == (100, 50, 0)
    ledger.hold(A, 30, "r1")
    assert (ledger.credit(A), ledger.paid(A), ledger.paid("5Nobody")) == (70, 100, 0)
    ledger.close()
    reopened = Ledger(tmp_path / "l.sqlite", PAY_TO, start_block=99)  # start_block only counts the first time
    assert reopened.next_block == 6 and reopened.credit(A) == 70
    assert reopened.refund_held() == 1 and reopened.credit(A) == 100
    assert reopened.payments() == [Payment(4, 0, A, 100), Payment(4, 1, B, 50)]
    reopened.close()
    with pytest.raises(BtkitError, match="records payments to"):
        Ledger(tmp_path / "l.sqlite", "5AnotherTill", 0)


def test_holds_charges_refunds_and_duplicates(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite", PAY_TO, 0)
    ledger.apply_block(0, [Payment(0, 0, A, 250)])
    assert ledger.hold(A, 100, "r1") == 150
    with pytest.raises(DuplicateRequest):
        ledger.hold(A, 100, "r1")
    assert ledger.hold(A, 100, "r2") == 50
    with pytest.raises(InsufficientCredit) as exc:
        ledger.hold(A, 100, "r3")
    assert (exc.value.credit, exc.value.price) == (50, 100)
    with pytest.raises(InsufficientCredit):
        ledger.hold(B, 1, "r4")
    ledger.charge("r1")
    ledger.refund("r1")  # charged: nothing to refund
    ledger.refund("r2")
    ledger.refund("r2")  # once only
    assert ledger.credit(A) == 150
    assert ledger.hold(A, 100, "r5") == 50
    assert ledger.refund_held() == 1  # a crash left r5 held: refunded at the next start
    assert ledger.credit(A) == 150
    assert ledger.debits("charged") == {"r1": (A, 100)}
    assert set(ledger.debits("refunded")) == {"r2", "r5"}


def test_limits_rate_and_concurrency_per_client():
    now = [0.0]
    lim = ClientLimits(Limits(rate_per_s=2, burst=2, concurrency=2), clock=lambda: now[0])
    assert lim.admit(A) is None and lim.admit(A) is None
    assert "in flight" in lim.admit(A)
    lim.release(A)
    assert "rate limit" in lim.admit(A)  # two tokens used, none refilled yet
    assert lim.admit(B) is None  # other clients are not affected
    now[0] = 0.5  # one token back
    assert lim.admit(A) is None
    lim.release(A), lim.release(A)
    assert A not in lim.inflight


def test_a_402_tells_the_client_the_price_and_its_credit_in_tao():
    from btkit.client import PaymentRequired

    exc = PaymentRequired({"error": "payment required: credit 0 rao is below the price of 10000000 rao",
                           "price_rao": 10_000_000, "credit_rao": 2_500_000, "pay_to": PAY_TO})
    assert exc.message == "payment required: the gateway charges τ0.010000000 a query and your credit there is " \
                          "τ0.002500000"
    assert "--pay 0.01 " in exc.hint and PAY_TO in exc.hint
    assert (exc.price_rao, exc.credit_rao, exc.status) == (10_000_000, 2_500_000, 402)
