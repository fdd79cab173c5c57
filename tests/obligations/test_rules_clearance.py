"""Extension validation and the current deadline (APMBC Art. 5), without a database."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mineban.rules.clearance import current_deadline, extension_errors
from mineban.rules.dates import add_months
from mineban.rules.facts import CompletionFact, ExtensionFact, ObligationStatus, RequestFact, RequestOutcome
from mineban.rules.precision import PartialDate
from mineban.rules.standing import standing_on
from mineban.rules.terms import ObligationKind, ObligationTerms

ART4 = ObligationTerms("art4", "4", ObligationKind.STOCKPILE_DESTRUCTION, period_months=48)
ART5 = ObligationTerms(
    "art5", "5", ObligationKind.CLEARANCE, period_months=120, extendable=True, max_extension_months=120
)
ORIGINAL = date(2009, 3, 1)
AS_OF = date(2026, 11, 22)


def test_extension_moves_current_deadline() -> None:
    granted = [ExtensionFact(date(2008, 11, 28), date(2019, 3, 1))]
    assert current_deadline(ORIGINAL, granted, AS_OF) == date(2019, 3, 1)
    assert current_deadline(ORIGINAL, granted, date(2008, 11, 27)) == ORIGINAL


def test_latest_grant_is_the_current_deadline() -> None:
    granted = [
        ExtensionFact(date(2018, 11, 30), date(2021, 3, 1)),
        ExtensionFact(date(2008, 11, 28), date(2019, 3, 1)),
    ]
    assert current_deadline(ORIGINAL, granted, AS_OF) == date(2021, 3, 1)


def test_ten_year_extension_is_accepted() -> None:
    assert extension_errors(ART5, ORIGINAL, [], ExtensionFact(date(2008, 11, 28), date(2019, 3, 1))) == {}


def test_extension_beyond_ten_years_is_rejected_with_field_message() -> None:
    errors = extension_errors(ART5, ORIGINAL, [], ExtensionFact(date(2008, 11, 28), date(2019, 3, 2)))
    assert errors == {
        "new_deadline": "An extension runs at most 120 months beyond 2009-03-01: 2019-03-01 at the latest, "
        "not 2019-03-02."
    }


def test_art4_extension_is_rejected() -> None:
    errors = extension_errors(ART4, date(2003, 3, 1), [], ExtensionFact(date(2002, 11, 1), date(2004, 3, 1)))
    assert errors == {"new_deadline": "The Art. 4 deadline cannot be extended."}


def test_new_deadline_must_be_later_than_the_one_it_extends() -> None:
    prior = [ExtensionFact(date(2008, 11, 28), date(2019, 3, 1))]
    errors = extension_errors(ART5, ORIGINAL, prior, ExtensionFact(date(2010, 12, 3), date(2018, 1, 1)))
    assert errors == {
        "new_deadline": "The new deadline (2018-01-01) must be later than the deadline it extends "
        "(2019-03-01)."
    }


def test_decision_cannot_precede_request() -> None:
    errors = extension_errors(
        ART5, ORIGINAL, [], ExtensionFact(date(2008, 11, 28), date(2015, 1, 1), requested_on=date(2009, 1, 1))
    )
    assert errors["granted_on"] == "The decision (2008-11-28) cannot precede the request (2009-01-01)."


def test_reopened_obligation_counts_ten_years_from_the_decision() -> None:
    """Guinea-Bissau: deadline 2012-01-01, completed, re-opened 2021; 5RC grants 2027-12-31."""
    prior = [ExtensionFact(date(2010, 12, 3), date(2012, 1, 1))]
    proposed = ExtensionFact(date(2024, 11, 29), date(2027, 12, 31))
    assert extension_errors(ART5, date(2011, 11, 1), prior, proposed) == {}


def test_reopened_obligation_is_pending_under_its_new_extension() -> None:
    completion = CompletionFact(completed_on=PartialDate(2012, 1, 31), reopened_on=PartialDate(2021, 6, 30))
    extensions = [
        ExtensionFact(date(2010, 12, 3), date(2012, 1, 1)),
        ExtensionFact(date(2024, 11, 29), date(2027, 12, 31)),
    ]
    standing = standing_on(
        original=date(2011, 11, 1), as_of=AS_OF, extensions=extensions, completion=completion
    )
    assert standing.status is ObligationStatus.PENDING
    assert standing.current_deadline == date(2027, 12, 31)
    assert standing.reopened
    before = standing_on(
        original=date(2011, 11, 1), as_of=date(2020, 1, 1), extensions=extensions, completion=completion
    )
    assert before.status is ObligationStatus.COMPLETED_LATE  # 2012-01-31 after the 2012-01-01 deadline


def test_overdue_from_the_day_after_the_deadline() -> None:
    assert standing_on(original=ORIGINAL, as_of=ORIGINAL).status is ObligationStatus.PENDING
    assert standing_on(original=ORIGINAL, as_of=date(2009, 3, 2)).status is ObligationStatus.OVERDUE


def test_a_completion_known_to_the_year_is_judged_by_its_whole_year() -> None:
    """Germany cleared its mined areas "in 2013", after a 2009-03-01 deadline: late, whatever day."""
    late = standing_on(
        original=ORIGINAL, as_of=AS_OF, completion=CompletionFact(completed_on=PartialDate(2013))
    )
    assert (late.status, late.judged_against) == (ObligationStatus.COMPLETED_LATE, ORIGINAL)
    straddling = standing_on(
        original=ORIGINAL, as_of=AS_OF, completion=CompletionFact(completed_on=PartialDate(2009))
    )
    assert straddling.status is ObligationStatus.COMPLETED_TIMING_UNCERTAIN
    assert straddling.reason == (
        "completed between 2009-01-01 and 2009-12-31, which straddles the deadline of 2009-03-01: "
        "the record cannot say whether it was on time"
    )


def test_a_completion_known_only_from_a_report_ends_on_the_report() -> None:
    reported = CompletionFact(reported_on=PartialDate(2009, 2, 1))
    assert standing_on(original=ORIGINAL, as_of=AS_OF, completion=reported).status is (
        ObligationStatus.COMPLETED_ON_TIME
    )
    reported_late = CompletionFact(reported_on=PartialDate(2009, 6, 30))
    assert standing_on(original=ORIGINAL, as_of=AS_OF, completion=reported_late).status is (
        ObligationStatus.COMPLETED_TIMING_UNCERTAIN
    )
    # Before the report, after the deadline: the work may or may not have been done.
    meanwhile = standing_on(original=ORIGINAL, as_of=date(2009, 5, 1), completion=reported_late)
    assert meanwhile.status is ObligationStatus.TIMING_UNCERTAIN


def test_a_year_is_never_a_breach_before_it_ends() -> None:
    """Afghanistan destroyed its stockpile "in 2006" (reported 2007-04-30); deadline 2007-03-01."""
    completion = CompletionFact(completed_on=PartialDate(2006), reported_on=PartialDate(2007, 4, 30))
    deadline = date(2007, 3, 1)
    for day in (date(2006, 6, 1), date(2007, 3, 2), date(2007, 12, 30), AS_OF):
        status = standing_on(original=deadline, as_of=day, completion=completion).status
        assert status in (ObligationStatus.PENDING, ObligationStatus.COMPLETED_ON_TIME), day
    assert standing_on(original=deadline, as_of=date(2007, 3, 2), completion=completion).status is (
        ObligationStatus.COMPLETED_ON_TIME
    )


def test_a_reopened_obligation_awaits_its_new_deadline_and_a_second_completion_closes_it() -> None:
    """Bosnia and Herzegovina's Art. 4: completed 1999, stock found in September 2006,
    destroyed by April 2007."""
    completion = CompletionFact(
        completed_on=PartialDate(1999, 11),
        reopened_on=PartialDate(2006, 9),
        second_completed_on=PartialDate(2007, 4),
    )
    deadline = date(2003, 3, 1)
    awaiting = standing_on(original=deadline, as_of=date(2006, 10, 1), completion=completion)
    assert (awaiting.status, awaiting.first_completion) == (
        ObligationStatus.REOPENED_AWAITING_DEADLINE,
        ObligationStatus.COMPLETED_ON_TIME,
    )
    closed = standing_on(original=deadline, as_of=AS_OF, completion=completion)
    assert (closed.status, closed.reopened) == (ObligationStatus.COMPLETED, True)


def test_a_request_awaiting_its_decision_is_a_gap_in_the_record_not_a_breach() -> None:
    request = RequestFact(
        RequestOutcome.DECISION_NOT_ON_RECORD, "5RC", date(2024, 11, 25), date(2024, 11, 29)
    )
    extensions = [ExtensionFact(date(2018, 11, 30), date(2024, 12, 31))]
    standing = standing_on(
        original=ORIGINAL, as_of=date(2025, 1, 1), extensions=extensions, requests=[request]
    )
    assert standing.status is ObligationStatus.EXTENSION_DECISION_NOT_ON_RECORD
    # A request answered by an extension on record is no longer an open question.
    answered = [*extensions, ExtensionFact(date(2024, 11, 29), date(2026, 12, 31))]
    later = standing_on(original=ORIGINAL, as_of=date(2027, 1, 1), extensions=answered, requests=[request])
    assert later.status is ObligationStatus.OVERDUE


def test_a_grant_without_its_new_deadline_is_a_gap_and_a_request_not_decided_leaves_the_deadline() -> None:
    extensions = [ExtensionFact(date(2012, 12, 7), date(2022, 7, 1))]
    granted = RequestFact(
        RequestOutcome.GRANTED_DEADLINE_NOT_ON_RECORD, "19MSP", date(2021, 11, 15), date(2021, 11, 19)
    )
    cyprus = standing_on(original=ORIGINAL, as_of=date(2022, 7, 2), extensions=extensions, requests=[granted])
    assert cyprus.status is ObligationStatus.EXTENDED_DEADLINE_NOT_ON_RECORD
    late = RequestFact(
        RequestOutcome.NOT_DECIDED, "22MSP", date(2025, 12, 1), date(2025, 12, 5), note="submitted late"
    )
    extended = [ExtensionFact(date(2020, 11, 20), date(2025, 12, 31))]
    tajikistan = standing_on(original=ORIGINAL, as_of=date(2026, 1, 1), extensions=extended, requests=[late])
    assert tajikistan.status is ObligationStatus.OVERDUE
    assert tajikistan.reason == (
        "no completion or extension on record since 2026-01-01; the extension request before 22MSP was "
        "not decided (submitted late)"
    )


def test_breach_is_said_only_when_a_source_confirms_it() -> None:
    assert not standing_on(original=ORIGINAL, as_of=AS_OF).breach_confirmed
    assert standing_on(original=ORIGINAL, as_of=AS_OF, breach_confirmed=True).breach_confirmed
    assert not standing_on(original=ORIGINAL, as_of=ORIGINAL, breach_confirmed=True).breach_confirmed


def test_withdrawal_ends_open_obligation() -> None:
    standing = standing_on(original=date(2030, 3, 1), as_of=AS_OF, withdrawal_effective=date(2026, 1, 1))
    assert standing.status is ObligationStatus.ENDED_BY_WITHDRAWAL


def test_not_applicable_declaration() -> None:
    standing = standing_on(original=ORIGINAL, as_of=AS_OF, completion=CompletionFact(not_applicable=True))
    assert standing.status is ObligationStatus.NOT_APPLICABLE


days = st.integers(min_value=1, max_value=20 * 366)


@given(granted_offset=st.integers(min_value=-3650, max_value=3650), length=days)
def test_property_accepted_extensions_stay_within_limit(granted_offset: int, length: int) -> None:
    granted_on = date.fromordinal(ORIGINAL.toordinal() + granted_offset)
    new_deadline = date.fromordinal(max(ORIGINAL, granted_on).toordinal() + length)
    errors = extension_errors(ART5, ORIGINAL, [], ExtensionFact(granted_on, new_deadline))
    limit = add_months(max(ORIGINAL, granted_on), 120)
    assert (errors == {}) == (new_deadline <= limit)


@given(length=days)
def test_property_art4_never_extends(length: int) -> None:
    proposed = ExtensionFact(date(2002, 1, 1), date.fromordinal(date(2003, 3, 1).toordinal() + length))
    assert set(extension_errors(ART4, date(2003, 3, 1), [], proposed)) == {"new_deadline"}


def test_withdrawal_closes_missing_reports() -> None:
    from mineban.rules.standing import reporting_standing, reports_owed

    owed = reports_owed(
        initial_due=date(1999, 8, 28),
        annual_due=(4, 30),
        submitted={},
        as_of=AS_OF,
        withdrawal_effective=date(2025, 12, 27),
    )
    assert owed[-1].due == date(2025, 4, 30)
    initial = reporting_standing(owed, "initial", AS_OF, date(2025, 12, 27))
    annual = reporting_standing(owed, "annual", AS_OF, date(2025, 12, 27))
    assert initial is not None and initial.status is ObligationStatus.ENDED_BY_WITHDRAWAL
    assert annual is not None and (annual.status, annual.current_deadline) == (
        ObligationStatus.ENDED_BY_WITHDRAWAL,
        date(2000, 4, 30),
    )
