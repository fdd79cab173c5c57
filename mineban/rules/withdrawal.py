"""Withdrawal (APMBC Art. 20, CCM Art. 20)."""

from datetime import date

from mineban.rules.dates import add_months


def withdrawal_effective(notice_received: date, notice_months: int) -> date:
    """Art. 20(3): six months after the depositary receives the notice (same day number).

    The armed-conflict proviso can only postpone this date; it is recorded as a fact
    (effective date unknown, with its reason), never computed.
    """
    return add_months(notice_received, notice_months)
