"""Art. 7 reports owed, as pure rules: overdue only in the years the State's reports are tracked."""

from datetime import date

from mineban.rules.facts import ObligationStatus
from mineban.rules.standing import reporting_standing, reports_owed

INITIAL_DUE = date(2006, 11, 28)  # Ukraine: entry into force 2006-06-01
AS_OF = date(2009, 1, 1)


def test_untracked_years_are_not_tracked_never_missing():
    owed = reports_owed(initial_due=INITIAL_DUE, annual_due=(4, 30), submitted={}, as_of=AS_OF)
    assert [(r.kind, r.covered_year, r.due, r.status) for r in owed] == [
        ("initial", None, date(2006, 11, 28), ObligationStatus.NOT_TRACKED),
        ("annual", 2006, date(2007, 4, 30), ObligationStatus.NOT_TRACKED),
        ("annual", 2007, date(2008, 4, 30), ObligationStatus.NOT_TRACKED),
        ("annual", 2008, date(2009, 4, 30), ObligationStatus.PENDING),
    ]
    standing = reporting_standing(owed, "annual", AS_OF, None)
    assert standing is not None
    # Not even "approaching": the record would not know whether it came.
    assert (standing.status, standing.current_deadline) == (ObligationStatus.NOT_TRACKED, date(2009, 4, 30))


def test_one_report_entered_does_not_make_earlier_years_missing():
    submitted = {("annual", 2008): date(2009, 4, 1)}
    owed = reports_owed(
        initial_due=INITIAL_DUE, annual_due=(4, 30), submitted=submitted, as_of=AS_OF, tracked_from=2009
    )
    assert [r.status for r in owed][:3] == [ObligationStatus.NOT_TRACKED] * 3
    standing = reporting_standing(owed, "annual", AS_OF, None, tracked_from=2009)
    assert standing is not None and (standing.status, standing.current_deadline) == (
        ObligationStatus.PENDING,
        date(2009, 4, 30),
    )


def test_with_reports_on_record_a_missing_one_is_overdue_from_the_day_after():
    submitted = {("initial", None): date(2006, 11, 28), ("annual", 2006): date(2007, 5, 2)}
    owed = reports_owed(
        initial_due=INITIAL_DUE, annual_due=(4, 30), submitted=submitted, as_of=AS_OF, tracked_from=2006
    )
    assert [r.status for r in owed] == [
        ObligationStatus.COMPLETED_ON_TIME,
        ObligationStatus.COMPLETED_LATE,
        ObligationStatus.OVERDUE,
        ObligationStatus.PENDING,
    ]
    on_the_day = reports_owed(
        initial_due=INITIAL_DUE,
        annual_due=(4, 30),
        submitted=submitted,
        as_of=date(2008, 4, 30),
        tracked_from=2006,
    )
    assert on_the_day[2].status is ObligationStatus.PENDING
