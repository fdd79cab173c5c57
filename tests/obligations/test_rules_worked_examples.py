"""The worked examples of the treaty-rules guide, row by row."""

from datetime import date

import pytest

from mineban.rules.deadlines import original_deadline
from mineban.rules.entry_into_force import state_entry_into_force, treaty_entry_into_force
from mineban.rules.reporting import first_annual_report_due, initial_report_due
from mineban.rules.terms import (
    EntryIntoForceRule,
    EntryIntoForceTerms,
    ObligationKind,
    ObligationTerms,
)
from mineban.rules.withdrawal import withdrawal_effective

APMBC_EIF = EntryIntoForceTerms(threshold=40, rule=EntryIntoForceRule.FIRST_DAY_OF_MONTH, months=6)
APMBC_TREATY_EIF = date(1999, 3, 1)
ART4 = ObligationTerms("art4", "4", ObligationKind.STOCKPILE_DESTRUCTION, period_months=48)
ART5 = ObligationTerms(
    "art5", "5", ObligationKind.CLEARANCE, period_months=120, extendable=True, max_extension_months=120
)
ART7_1 = ObligationTerms("art7-initial", "7(1)", ObligationKind.INITIAL_REPORT, period_days=180)
ART7_2 = ObligationTerms("art7-annual", "7(2)", ObligationKind.ANNUAL_REPORT, annual_due=(4, 30))


@pytest.mark.parametrize(
    ("deposit", "eif", "art4", "art5", "initial", "first_annual"),
    [
        ("1997-12-03", "1999-03-01", "2003-03-01", "2009-03-01", "1999-08-28", "2000-04-30"),
        ("2002-09-11", "2003-03-01", "2007-03-01", "2013-03-01", "2003-08-28", "2004-04-30"),
        ("2003-09-25", "2004-03-01", "2008-03-01", "2014-03-01", "2004-08-28", "2005-04-30"),
        ("2005-12-27", "2006-06-01", "2010-06-01", "2016-06-01", "2006-11-28", "2007-04-30"),
    ],
)
def test_worked_example_row(deposit, eif, art4, art5, initial, first_annual):  # type: ignore[no-untyped-def]
    d = date.fromisoformat
    state_eif = state_entry_into_force(d(deposit), APMBC_TREATY_EIF, APMBC_EIF)
    assert state_eif == d(eif)
    assert original_deadline(state_eif, ART4) == d(art4)
    assert original_deadline(state_eif, ART5) == d(art5)
    assert initial_report_due(state_eif, ART7_1) == d(initial)
    assert first_annual_report_due(d(initial), ART7_2) == d(first_annual)


@pytest.mark.parametrize(
    ("deposit", "eif"),
    [
        ("1998-12-03", "1999-06-01"),
        ("2002-09-11", "2003-03-01"),
        ("2005-12-27", "2006-06-01"),
        ("1998-09-16", "1999-03-01"),  # the 40th instrument itself
        ("1998-09-30", "1999-03-01"),  # later in the 40th's month
        ("1997-12-03", "1999-03-01"),  # before the 40th
    ],
)
def test_state_entry_into_force_examples(deposit, eif):  # type: ignore[no-untyped-def]
    assert state_entry_into_force(
        date.fromisoformat(deposit), APMBC_TREATY_EIF, APMBC_EIF
    ) == date.fromisoformat(eif)


def test_treaty_enters_into_force_from_the_fortieth_instrument():
    deposits = [date(1997, 12, 3)] * 39 + [date(1998, 9, 16), date(1998, 10, 1)]
    assert treaty_entry_into_force(deposits, APMBC_EIF) == date(1999, 3, 1)


def test_treaty_is_not_in_force_with_thirty_nine_instruments():
    assert treaty_entry_into_force([date(1998, 1, 1)] * 39, APMBC_EIF) is None
    assert state_entry_into_force(date(1998, 1, 1), None, APMBC_EIF) is None


def test_withdrawal_takes_effect_six_months_after_notice_same_day():
    assert withdrawal_effective(date(2025, 6, 27), 6) == date(2025, 12, 27)
    assert withdrawal_effective(date(2025, 8, 20), 6) == date(2026, 2, 20)


def test_twenty_ninth_of_february_plus_years_becomes_twenty_eighth():
    assert original_deadline(date(2004, 2, 29), ART4) == date(2008, 2, 29)
    assert original_deadline(date(2000, 2, 29), ART5) == date(2010, 2, 28)


def test_hundred_and_eighty_calendar_days():
    assert original_deadline(date(1999, 3, 1), ART7_1) == date(1999, 8, 28)
