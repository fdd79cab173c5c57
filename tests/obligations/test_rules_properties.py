"""Property-based checks of the date rules over arbitrary dates, month ends and 29 February."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mineban.rules.dates import add_months, first_day_of_month_after
from mineban.rules.entry_into_force import state_entry_into_force, treaty_entry_into_force
from mineban.rules.reporting import annual_reports_due, first_annual_report_due, initial_report_due
from mineban.rules.status import ParticipationFacts, ParticipationStatus, status_on
from mineban.rules.terms import EntryIntoForceRule, EntryIntoForceTerms
from mineban.rules.withdrawal import withdrawal_effective
from tests.obligations.test_rules_worked_examples import APMBC_EIF, APMBC_TREATY_EIF, ART7_1, ART7_2

days = st.dates(min_value=date(1997, 1, 1), max_value=date(2100, 12, 31))
month_ends = st.builds(
    lambda y, m: first_day_of_month_after(date(y, m, 1), 1) - timedelta(days=1),
    st.integers(1997, 2100),
    st.integers(1, 12),
)
leap_days = st.sampled_from([date(y, 2, 29) for y in range(2000, 2101, 4) if y != 2100])
any_day = st.one_of(days, month_ends, leap_days)


@given(deposit=any_day)
def test_state_entry_into_force_is_a_first_of_month_five_to_six_months_later(deposit: date) -> None:
    eif = state_entry_into_force(deposit, APMBC_TREATY_EIF, APMBC_EIF)
    assert eif is not None
    assert eif >= APMBC_TREATY_EIF
    if deposit > date(1998, 9, 30):
        assert eif.day == 1
        assert (eif.year * 12 + eif.month) - (deposit.year * 12 + deposit.month) == 6
        assert 150 <= (eif - deposit).days <= 184


@given(start=any_day, months=st.integers(0, 240))
def test_add_months_keeps_the_day_or_falls_back_to_month_end(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    if result.day != start.day:
        assert result.day < start.day
        assert (result + timedelta(days=1)).day == 1  # the last day of its month


@given(notice=any_day)
def test_withdrawal_takes_effect_after_six_months(notice: date) -> None:
    effective = withdrawal_effective(notice, 6)
    assert 181 <= (effective - notice).days <= 184


@given(deposits=st.lists(days, min_size=40, max_size=80))
def test_treaty_entry_into_force_follows_the_fortieth_deposit(deposits: list[date]) -> None:
    eif = treaty_entry_into_force(deposits, APMBC_EIF)
    fortieth = sorted(deposits)[39]
    assert eif == first_day_of_month_after(fortieth, 6)


@given(deposit=any_day, same_day=st.booleans())
def test_same_day_rule_keeps_the_day_number(deposit: date, same_day: bool) -> None:
    terms = EntryIntoForceTerms(20, EntryIntoForceRule.SAME_DAY, 6)
    eif = state_entry_into_force(deposit, date(1998, 12, 3), terms)
    assert eif is not None and eif >= date(1998, 12, 3)
    if deposit >= date(1998, 6, 3):
        assert eif == add_months(deposit, 6)


@given(eif=any_day, years_later=st.integers(0, 30))
def test_annual_reports_fall_due_every_thirtieth_of_april(eif: date, years_later: int) -> None:
    initial = initial_report_due(eif, ART7_1)
    until = date(initial.year + years_later, 12, 31)
    due = annual_reports_due(initial, ART7_2, until=until)
    assert len(due) == years_later
    assert all(when == date(year + 1, 4, 30) for year, when in due)
    if due:
        assert due[0][1] == first_annual_report_due(initial, ART7_2)


@given(
    signature=st.one_of(st.none(), days),
    gap=st.integers(0, 4000),
    wait=st.integers(1, 200),
    stay=st.one_of(st.none(), st.integers(0, 8000)),
    probe=days,
)
def test_status_follows_the_dates(
    signature: date | None, gap: int, wait: int, stay: int | None, probe: date
) -> None:
    base = signature or date(1999, 1, 1)
    consent = base + timedelta(days=gap)
    eif = consent + timedelta(days=wait)
    notice = eif + timedelta(days=stay) if stay is not None else None
    effective = withdrawal_effective(notice, 6) if notice else None
    facts = ParticipationFacts(signature, consent, eif, notice, effective)
    status = status_on(facts, probe)
    if effective and probe >= effective:
        assert status is ParticipationStatus.WITHDRAWN
    elif notice and probe >= notice:
        assert status is ParticipationStatus.WITHDRAWAL_PENDING and status.is_party
    elif probe >= eif:
        assert status is ParticipationStatus.STATE_PARTY
    elif probe >= consent:
        assert status is ParticipationStatus.CONSENTED and status.has_consented and not status.is_party
    elif signature and probe >= signature:
        assert status is ParticipationStatus.SIGNATORY
    else:
        assert status is ParticipationStatus.NOT_SIGNED
