"""Art. 7 reports owed, as pure rules: overdue only where the State's reports are on record."""

from datetime import date

from mineban.rules.facts import ObligationStatus
from mineban.rules.standing import reporting_standing, reports_owed

INITIAL_DUE = date(2006, 11, 28)  # Ukraine: entry into force 2006-06-01
AS_OF = date(2009, 1, 1)


def test_without_any_report_on_record_past_due_reports_are_not_on_record():
    owed = reports_owed(
        initial_due=INITIAL_DUE, annual_due=(4, 30), submitted={}, as_of=AS_OF, record_kept=False
    )
    assert [(r.kind, r.covered_year, r.due, r.status) for r in owed] == [
        ("initial", None, date(2006, 11, 28), ObligationStatus.NOT_ON_RECORD),
        ("annual", 2006, date(2007, 4, 30), ObligationStatus.NOT_ON_RECORD),
        ("annual", 2007, date(2008, 4, 30), ObligationStatus.NOT_ON_RECORD),
        ("annual", 2008, date(2009, 4, 30), ObligationStatus.PENDING),
    ]
    standing = reporting_standing(owed, "annual", AS_OF, None)
    assert standing is not None
    assert (standing.status, standing.current_deadline) == (ObligationStatus.NOT_ON_RECORD, date(2007, 4, 30))


def test_with_reports_on_record_a_missing_one_is_overdue_from_the_day_after():
    submitted = {("initial", None): date(2006, 11, 28), ("annual", 2006): date(2007, 5, 2)}
    owed = reports_owed(initial_due=INITIAL_DUE, annual_due=(4, 30), submitted=submitted, as_of=AS_OF)
    assert [r.status for r in owed] == [
        ObligationStatus.COMPLETED_ON_TIME,
        ObligationStatus.COMPLETED_LATE,
        ObligationStatus.OVERDUE,
        ObligationStatus.PENDING,
    ]
    on_the_day = reports_owed(
        initial_due=INITIAL_DUE, annual_due=(4, 30), submitted=submitted, as_of=date(2008, 4, 30)
    )
    assert on_the_day[2].status is ObligationStatus.PENDING
