"""Where an obligation stands on a given day: its current deadline and status.

One rule for every obligation with a deadline counted from entry into force (APMBC Arts.
4, 5 and 7(1)); annual reports (Art. 7(2)) are a series of such deadlines, one per year.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mineban.rules.clearance import current_deadline, granted_by
from mineban.rules.facts import CompletionFact, ExtensionFact, ObligationStatus, RequestFact, RequestOutcome
from mineban.rules.precision import (
    PartialDate,
    Period,
    Precision,
    Timing,
    certainly_done_by,
    possibly_done_by,
    timing,
)
from mineban.rules.reporting import annual_reports_due
from mineban.rules.terms import ObligationKind, ObligationTerms


@dataclass(frozen=True)
class Standing:
    status: ObligationStatus
    original_deadline: date
    current_deadline: date
    # The deadline a completion was judged against (the one in force when it happened).
    judged_against: date | None = None
    # The obligation was re-opened (newly found stocks or mined areas) by ``as_of``.
    reopened: bool = False
    # The first completion's verdict, kept when the obligation re-opened.
    first_completion: ObligationStatus | None = None
    # Why the status is what it is, in the record's own terms (shown with the status).
    reason: str = ""
    # The facts the status rests on that no confirmed source states.
    unconfirmed: tuple[str, ...] = ()
    # A source (e.g. a Meeting of the States Parties' report) found the State in breach.
    breach_confirmed: bool = False

    def days_left(self, as_of: date) -> int | None:
        if self.status is not ObligationStatus.PENDING:
            return None
        return (self.current_deadline - as_of).days


def _day(value: date) -> str:
    return value.isoformat()


def _when(value: PartialDate | None) -> str:
    """ "on 23 June 2021", "in June 2021", "in 2021": the words a precision allows."""
    if value is None:
        return "at a time not on record"
    return f"{'on' if value.precision is Precision.DAY else 'in'} {value.label}"


def _judged(period: Period, against: date) -> tuple[ObligationStatus, str]:
    verdict = timing(period, against)
    if verdict is Timing.ON_TIME:
        return ObligationStatus.COMPLETED_ON_TIME, ""
    if verdict is Timing.LATE:
        return ObligationStatus.COMPLETED_LATE, ""
    when = _period_words(period)
    return (
        ObligationStatus.COMPLETED_TIMING_UNCERTAIN,
        f"completed {when}, which straddles the deadline of {_day(against)}: the record cannot "
        "say whether it was on time",
    )


def _period_words(period: Period) -> str:
    if period.start is None:
        return f"by {_day(period.end)} (the date of the report that announced it)"
    if period.exact:
        return f"on {_day(period.end)}"
    return f"between {_day(period.start)} and {_day(period.end)}"


def _open_status(
    *,
    original: date,
    deadline: date,
    as_of: date,
    extensions: Sequence[ExtensionFact],
    requests: Sequence[RequestFact],
    since: date | None = None,
) -> tuple[ObligationStatus, str, tuple[str, ...]]:
    """The status of an obligation not (yet) completed on ``as_of``.

    Overdue only when the deadline passed with no completion and no extension on record. A
    request whose decision is not on record, or a grant whose new deadline is not, is a gap in
    the record (shown as such), never a breach. ``since``: extensions and requests before this
    day concern an earlier phase (before a re-opening) and are ignored.
    """
    unconfirmed = tuple(f"extension[{e.meeting}]" for e in extensions if not e.confirmed)
    if as_of <= deadline:
        return ObligationStatus.PENDING, "", unconfirmed
    last_grant = max((e.granted_on for e in extensions), default=None)

    def open_question(request: RequestFact) -> bool:
        """Made by ``as_of`` and not answered by an extension already on record."""
        if not request.made_by(as_of):
            return False
        known = request.decided_on or request.made_on
        if since is not None and known is not None and known < since:
            return False
        return last_grant is None or request.decided_on is None or request.decided_on > last_grant

    newest_first = sorted(
        filter(open_question, requests), key=lambda r: r.decided_on or date.max, reverse=True
    )
    for request in newest_first:
        flagged = unconfirmed + (() if request.confirmed else (f"request[{request.meeting}]",))
        meeting = request.meeting or "the meeting"
        decided = request.decided_by(as_of)
        granted = request.outcome in (RequestOutcome.GRANTED, RequestOutcome.GRANTED_DEADLINE_NOT_ON_RECORD)
        if granted and decided:
            return (
                ObligationStatus.EXTENDED_DEADLINE_NOT_ON_RECORD,
                f"{meeting} granted an extension; the new deadline is not on record (the deadline of "
                f"{_day(deadline)} it extended has passed)",
                flagged,
            )
        if request.outcome is RequestOutcome.NOT_DECIDED and decided:
            return (
                ObligationStatus.OVERDUE,
                f"no completion or extension on record since {_day(deadline + timedelta(days=1))}; "
                f"the extension request before {meeting} was not decided"
                + (f" ({request.note})" if request.note else ""),
                flagged,
            )
        if request.outcome in (RequestOutcome.REFUSED, RequestOutcome.WITHDRAWN) and decided:
            continue
        return (
            ObligationStatus.EXTENSION_DECISION_NOT_ON_RECORD,
            f"an extension request (to be decided by {meeting}) is on record; its decision is not "
            f"(the deadline of {_day(deadline)} has passed)",
            flagged,
        )
    return (
        ObligationStatus.OVERDUE,
        f"no completion or extension on record since {_day(deadline + timedelta(days=1))}",
        unconfirmed,
    )


def standing_on(
    *,
    original: date,
    as_of: date,
    extensions: Sequence[ExtensionFact] = (),
    completion: CompletionFact | None = None,
    requests: Sequence[RequestFact] = (),
    withdrawal_effective: date | None = None,
    breach_confirmed: bool = False,
) -> Standing:
    """The status of one deadline obligation on ``as_of``, from the facts known then.

    A completion is a period (``CompletionFact.period``), never a guessed day: it counts once
    the period has certainly ended; before that, after the deadline, the timing is uncertain.
    It is judged against the deadline in force when the period ended: on time when the whole
    period ends by it, late when the period starts after it, otherwise "timing uncertain".
    A re-opening (newly found stocks or mined areas) keeps the first verdict and opens the
    obligation again under the deadlines decided after it; until one is decided the status is
    "re-opened, new deadline awaited".
    """
    granted = [e for e in extensions if e.granted_on <= as_of]
    deadline = current_deadline(original, granted, as_of)
    withdrawn = withdrawal_effective is not None and withdrawal_effective <= as_of

    def ended_by_withdrawal(current: date, reopened: bool = False) -> Standing:
        return Standing(ObligationStatus.ENDED_BY_WITHDRAWAL, original, current, reopened=reopened)

    if completion is not None and completion.not_applicable:
        return Standing(ObligationStatus.NOT_APPLICABLE, original, deadline)
    period = completion.period if completion is not None else None
    unconfirmed_completion = () if completion is None or completion.confirmed else ("completion",)
    if completion is not None and period is not None and certainly_done_by(period, as_of):
        against = current_deadline(original, granted, min(period.end, as_of))
        if withdrawal_effective is not None and withdrawal_effective <= (period.start or period.end):
            return (
                ended_by_withdrawal(deadline)
                if withdrawn
                else Standing(ObligationStatus.PENDING, original, deadline)
            )
        first, reason = _judged(period, against)
        reopening = completion.reopening
        if reopening is None or reopening > as_of:
            return Standing(
                first,
                original,
                deadline,
                judged_against=against,
                reason=reason,
                unconfirmed=unconfirmed_completion,
            )
        return _reopened_standing(
            original=original,
            as_of=as_of,
            reopening=reopening,
            completion=completion,
            first=first,
            granted=granted,
            requests=requests,
            withdrawn=withdrawn,
        )
    if withdrawn:
        return ended_by_withdrawal(deadline)
    if period is not None and as_of > deadline and possibly_done_by(period, as_of):
        return Standing(
            ObligationStatus.TIMING_UNCERTAIN,
            original,
            deadline,
            reason=f"completed {_period_words(period)}: whether it was done by {_day(as_of)} "
            "is not on record",
            unconfirmed=unconfirmed_completion,
        )
    status, reason, unconfirmed = _open_status(
        original=original, deadline=deadline, as_of=as_of, extensions=granted, requests=requests
    )
    confirmed_breach = breach_confirmed and status is ObligationStatus.OVERDUE
    return Standing(
        status, original, deadline, reason=reason, unconfirmed=unconfirmed, breach_confirmed=confirmed_breach
    )


def _reopened_standing(
    *,
    original: date,
    as_of: date,
    reopening: date,
    completion: CompletionFact,
    first: ObligationStatus,
    granted: Sequence[ExtensionFact],
    requests: Sequence[RequestFact],
    withdrawn: bool,
) -> Standing:
    """After a re-opening: the deadlines decided after it govern the re-opened work."""
    after = [e for e in granted if e.granted_on >= reopening]
    deadline = after[-1].new_deadline if after else None
    second = Period.of(completion.second_completed_on) if completion.second_completed_on else None
    if second is not None and certainly_done_by(second, as_of):
        if deadline is None:
            return Standing(
                ObligationStatus.COMPLETED,
                original,
                original,
                reopened=True,
                first_completion=first,
                reason=f"re-opened {_when(completion.reopened_on)} and "
                f"completed again {_period_words(second)}; no deadline was decided for the re-opened work",
            )
        status, reason = _judged(second, deadline)
        return Standing(
            status,
            original,
            deadline,
            judged_against=deadline,
            reopened=True,
            first_completion=first,
            reason=reason,
        )
    if withdrawn:
        return Standing(ObligationStatus.ENDED_BY_WITHDRAWAL, original, deadline or original, reopened=True)
    if deadline is None:
        return Standing(
            ObligationStatus.REOPENED_AWAITING_DEADLINE,
            original,
            original,
            reopened=True,
            first_completion=first,
            reason=f"re-opened {_when(completion.reopened_on)} (newly found stocks or mined areas); "
            "the deadline for the re-opened work is not on record yet",
        )
    status, reason, unconfirmed = _open_status(
        original=original,
        deadline=deadline,
        as_of=as_of,
        extensions=after,
        requests=requests,
        since=reopening,
    )
    return Standing(
        status,
        original,
        deadline,
        reopened=True,
        first_completion=first,
        reason=reason,
        unconfirmed=unconfirmed,
    )


@dataclass(frozen=True)
class ReportDue:
    """One Art. 7 report owed: the initial one (``covered_year`` None) or an annual update."""

    kind: str  # "initial" or "annual"
    covered_year: int | None
    due: date
    submitted_on: date | None
    status: ObligationStatus


def _report_status(
    due: date, submitted_on: date | None, as_of: date, tracked_from: int | None
) -> ObligationStatus:
    if submitted_on is not None and submitted_on <= as_of:
        late = submitted_on > due
        return ObligationStatus.COMPLETED_LATE if late else ObligationStatus.COMPLETED_ON_TIME
    if as_of <= due:
        return ObligationStatus.PENDING
    tracked = tracked_from is not None and due.year >= tracked_from
    return ObligationStatus.OVERDUE if tracked else ObligationStatus.NOT_TRACKED


def reports_owed(
    *,
    initial_due: date,
    annual_due: tuple[int, int] | None,
    submitted: Mapping[tuple[str, int | None], date],
    as_of: date,
    withdrawal_effective: date | None = None,
    tracked_from: int | None = None,
) -> list[ReportDue]:
    """Art. 7(1)-(2): the initial report, then one update per year, up to the next one due.

    ``submitted`` maps ("initial", None) / ("annual", year) to the day each was received.
    Nothing falls due once a withdrawal has taken effect. ``tracked_from``: the first year an
    editor has said the State's reporting record covers; a report due in an earlier year (or
    any year, when ``None``) is "not tracked", never "missing": entering one report does not
    make every earlier year look missing.
    """
    stop = as_of if withdrawal_effective is None else min(as_of, withdrawal_effective)
    owed: list[ReportDue] = []
    if withdrawal_effective is None or initial_due < withdrawal_effective:
        got = submitted.get(("initial", None))
        owed.append(
            ReportDue(
                "initial", None, initial_due, got, _report_status(initial_due, got, as_of, tracked_from)
            )
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
        owed.append(ReportDue("annual", year, due, got, _report_status(due, got, as_of, tracked_from)))
    return owed


def reporting_standing(
    owed: Sequence[ReportDue],
    kind: str,
    as_of: date,
    withdrawal_effective: date | None,
    tracked_from: int | None = None,
) -> Standing | None:
    """Summarise the reports of one kind as one obligation: overdue while a tracked one is
    missing (current deadline: the oldest missing), else the next one due. Reports in years
    not tracked raise nothing, not even "approaching": the record would not know."""
    mine = [r for r in owed if r.kind == kind]
    if not mine:
        return None
    original = mine[0].due
    overdue = [r for r in mine if r.status is ObligationStatus.OVERDUE]
    untracked = [r for r in mine if r.status is ObligationStatus.NOT_TRACKED]
    upcoming = [r for r in mine if r.status is ObligationStatus.PENDING]
    withdrawn = withdrawal_effective is not None and withdrawal_effective <= as_of
    if withdrawn and (overdue or untracked or upcoming or kind == "annual"):
        # Art. 20: the withdrawal closes what was still open; the record is kept.
        still_open = sorted(overdue + untracked, key=lambda r: r.due) or upcoming
        due = still_open[0].due if still_open else mine[-1].due
        return Standing(ObligationStatus.ENDED_BY_WITHDRAWAL, original, due)
    if overdue:
        return Standing(ObligationStatus.OVERDUE, original, overdue[0].due)
    if upcoming:
        tracked = tracked_from is not None and upcoming[0].due.year >= tracked_from
        status = ObligationStatus.PENDING if tracked else ObligationStatus.NOT_TRACKED
        return Standing(status, original, upcoming[0].due)
    last = mine[-1]
    return Standing(last.status, original, last.due)


__all__ = ["granted_by", "standing_on", "reports_owed", "reporting_standing", "Standing", "ReportDue"]
