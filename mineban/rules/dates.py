"""Calendar arithmetic in the treaties' own terms."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


def add_months(start: date, months: int) -> date:
    """Whole months later, keeping the day number.

    A day that does not exist in the target month falls back to that month's last day:
    29 February plus whole years becomes 28 February when the target year has none.
    """
    moved: date = start + relativedelta(months=months)
    return moved


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def first_day_of_month_after(start: date, months: int) -> date:
    """The first day of the ``months``-th month after the month of ``start``."""
    moved: date = start.replace(day=1) + relativedelta(months=months)
    return moved
