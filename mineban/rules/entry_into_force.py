"""Entry into force, for the treaty as a whole and for each State (APMBC Art. 17)."""

from collections.abc import Iterable
from datetime import date

from mineban.rules.dates import add_months, first_day_of_month_after
from mineban.rules.terms import EntryIntoForceRule, EntryIntoForceTerms


def _after(event: date, terms: EntryIntoForceTerms) -> date:
    if terms.rule is EntryIntoForceRule.FIRST_DAY_OF_MONTH:
        return first_day_of_month_after(event, terms.months)
    return add_months(event, terms.months)


def threshold_deposit(deposit_dates: Iterable[date], terms: EntryIntoForceTerms) -> date | None:
    """The deposit date of the instrument that brought the count to the threshold."""
    ordered = sorted(deposit_dates)
    if len(ordered) < terms.threshold:
        return None
    return ordered[terms.threshold - 1]


def treaty_entry_into_force(deposit_dates: Iterable[date], terms: EntryIntoForceTerms) -> date | None:
    """Art. 17(1): the first day of the sixth month after the month of the 40th deposit.

    ``None`` while fewer instruments than the threshold have been deposited.
    """
    trigger = threshold_deposit(deposit_dates, terms)
    return None if trigger is None else _after(trigger, terms)


def state_entry_into_force(
    deposit_date: date, treaty_entry_into_force: date | None, terms: EntryIntoForceTerms
) -> date | None:
    """Art. 17(2): the first day of the sixth month after the month of the State's deposit.

    Instruments deposited before the treaty itself entered into force (including the
    threshold ones) take effect with the treaty; a deposit later in the threshold's month
    gives the same day. ``None`` while the treaty is not in force.
    """
    if treaty_entry_into_force is None:
        return None
    return max(treaty_entry_into_force, _after(deposit_date, terms))
