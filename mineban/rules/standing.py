"""Where an obligation stands on a given day: its current deadline and status.

One rule for every obligation with a deadline counted from entry into force (APMBC Arts.
4, 5 and 7(1)); annual reports (Art. 7(2)) are a series of such deadlines, one per year.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from mineban.rules.clearance import current_deadline, granted_by
from mineban.rules.facts import CompletionFact, ExtensionFact, ObligationStatus
from mineban.rules.reporting import annual_reports_due
from mineban.rules.terms import ObligationKind, ObligationTerms


@dataclass(frozen=True)
class Standing:
    status: ObligationStatus
    original_deadline: date
    current_deadline: date
    # The deadline a completion was judged against (the one in force when it happened).
    judged_against: date | None = None
    # A completion with no known day and no verdict in the source is taken as on time.
    lateness_assumed: bool = False
    reopened: bool = False

    def days_left(self, as_of: date) -> int | None:
        if self.status is not ObligationStatus.PENDING:
            return None
        return (self.current_deadline - as_of).days


def effective_completion(
    completion: CompletionFact | None, extensions: Sequence[ExtensionFact], as_of: date
) -> tuple[CompletionFact | None, bool]:
    """The completion that counts on ``as_of``, and whether a completion was re-opened.

    A completion stops counting once the obligation re-opens: on its ``reopened_on`` date,
    or when an extension is granted after it (a grant means the work is not finished).
    """
    if completion is None or completion.not_applicable:
        return completion, False
    since = completion.on_record_from
    if since is not None and since > as_of:
        return None, False
    reopen_dates = [completion.reopened_on] if completion.reopened_on else []
    if since is not None:
        reopen_dates += [e.granted_on for e in extensions if e.granted_on > since]
    if any(d <= as_of for d in reopen_dates):
        return None, True
    return completion, False


def standing_on(
    *,
    original: date,
    as_of: date,
    extensions: Sequence[ExtensionFact] = (),
    completion: CompletionFact | None = None,
    withdrawal_effective: date | None = None,
) -> Standing:
    """The status of one deadline obligation on ``as_of``.

    Overdue from the day after the deadline. Lateness is judged against the deadline in force
    on the completion day. When the day is unknown: the source's verdict if it gives one,
    else on time (``lateness_assumed``), since no source says the State was late.
    """
    deadline = current_deadline(original, extensions, as_of)
    done, reopened = effective_completion(completion, extensions, as_of)
    if done is not None and done.not_applicable:
        return Standing(ObligationStatus.NOT_APPLICABLE, original, deadline)
    if done is not None:
        judged_day = done.completed_on or done.known_from
        against = current_deadline(original, extensions, judged_day) if judged_day else deadline
        ended_first = (
            withdrawal_effective is not None and judged_day is not None and withdrawal_effective <= judged_day
        )
        if not ended_first:
            if done.completed_on is not None:
                late = done.completed_on > against
                assumed = False
            else:
                late = bool(done.declared_late)
                assumed = done.declared_late is None
            status = ObligationStatus.COMPLETED_LATE if late else ObligationStatus.COMPLETED_ON_TIME
            return Standing(status, original, deadline, judged_against=against, lateness_assumed=assumed)
    if withdrawal_effective is not None and withdrawal_effective <= as_of:
        return Standing(ObligationStatus.ENDED_BY_WITHDRAWAL, original, deadline, reopened=reopened)
    status = ObligationStatus.OVERDUE if as_of > deadline else ObligationStatus.PENDING
    return Standing(status, original, deadline, reopened=reopened)


@dataclass(frozen=True)
class ReportDue:
    """One Art. 7 report owed: the initial one (``covered_year`` None) or an annual update."""

    kind: str  # "initial" or "annual"
    covered_year: int | None
    due: date
    submitted_on: date | None
    status: ObligationStatus


def _report_status(due: date, submitted_on: date | None, as_of: date, record_kept: bool) -> ObligationStatus:
    if submitted_on is not None and submitted_on <= as_of:
        late = submitted_on > due
        return ObligationStatus.COMPLETED_LATE if late else ObligationStatus.COMPLETED_ON_TIME
    if as_of <= due:
        return ObligationStatus.PENDING
    return ObligationStatus.OVERDUE if record_kept else ObligationStatus.NOT_ON_RECORD


def reports_owed(
    *,
    initial_due: date,
    annual_due: tuple[int, int] | None,
    submitted: Mapping[tuple[str, int | None], date],
    as_of: date,
    withdrawal_effective: date | None = None,
    record_kept: bool = True,
) -> list[ReportDue]:
    """Art. 7(1)-(2): the initial report, then one update per year, up to the next one due.

    ``submitted`` maps ("initial", None) / ("annual", year) to the day each was received.
    Nothing falls due once a withdrawal has taken effect. ``record_kept``: whether the
    State's reports are recorded at all; if not, a past-due report is "not on record".
    """
    stop = as_of if withdrawal_effective is None else min(as_of, withdrawal_effective)
    owed: list[ReportDue] = []
    if withdrawal_effective is None or initial_due < withdrawal_effective:
        got = submitted.get(("initial", None))
        owed.append(
            ReportDue("initial", None, initial_due, got, _report_status(initial_due, got, as_of, record_kept))
        )
    if annual_due is None:
        return owed
    terms = ObligationTerms("annual", "7(2)", ObligationKind.ANNUAL_REPORT, annual_due=annual_due)
    schedule = annual_reports_due(initial_due, terms, until=stop)
    next_year = schedule[-1][0] + 1 if schedule else initial_due.year
    next_due = date(next_year + 1, *annual_due)
    if withdrawal_effective is None or next_due < withdrawal_effective:
        schedule.append((next_year, next_due))
    for year, due in schedule:
        if withdrawal_effective is not None and due >= withdrawal_effective:
            continue
        got = submitted.get(("annual", year))
        owed.append(ReportDue("annual", year, due, got, _report_status(due, got, as_of, record_kept)))
    return owed


def reporting_standing(
    owed: Sequence[ReportDue], kind: str, as_of: date, withdrawal_effective: date | None
) -> Standing | None:
    """Summarise the reports of one kind as one obligation: overdue while any is missing
    (current deadline: the oldest missing), else the next one due."""
    mine = [r for r in owed if r.kind == kind]
    if not mine:
        return None
    original = mine[0].due
    missing = [r for r in mine if r.status in (ObligationStatus.OVERDUE, ObligationStatus.NOT_ON_RECORD)]
    upcoming = [r for r in mine if r.status is ObligationStatus.PENDING]
    withdrawn = withdrawal_effective is not None and withdrawal_effective <= as_of
    if withdrawn and (missing or upcoming or kind == "annual"):
        # Art. 20: the withdrawal closes what was still open; the record is kept.
        still_open = missing or upcoming
        due = still_open[0].due if still_open else mine[-1].due
        return Standing(ObligationStatus.ENDED_BY_WITHDRAWAL, original, due)
    if missing:
        return Standing(missing[0].status, original, missing[0].due)
    if upcoming:
        return Standing(ObligationStatus.PENDING, original, upcoming[0].due)
    last = mine[-1]
    return Standing(last.status, original, last.due)


__all__ = ["granted_by", "standing_on", "reports_owed", "reporting_standing", "Standing", "ReportDue"]
