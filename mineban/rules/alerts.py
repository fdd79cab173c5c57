"""Which alerts should be open for one State under one treaty on a given day.

A pure function of the facts: the service stores its answer by diffing it with the alerts
already open (open the new conditions, resolve the vanished ones), so recomputing an
unchanged world changes nothing. Messages never mention "days left", which would change
every day; the due date carries that.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mineban.rules.facts import ObligationStatus
from mineban.rules.standing import ReportDue, Standing


class AlertKind(StrEnum):
    DEADLINE_APPROACHING = "deadline_approaching"
    DEADLINE_MISSED = "deadline_missed"
    COMPLETED_LATE = "completed_late"
    INITIAL_REPORT_OVERDUE = "initial_report_overdue"
    ANNUAL_REPORT_OVERDUE = "annual_report_overdue"
    WITHDRAWAL_NOTIFIED = "withdrawal_notified"
    WITHDRAWAL_EFFECTIVE_SOON = "withdrawal_effective_soon"
    ENTRY_INTO_FORCE_UPCOMING = "entry_into_force_upcoming"
    # For editors: the record lacks a decision or a date (an extension request's decision,
    # a granted extension's new deadline, the deadline of re-opened work). Never a breach.
    RECORD_INCOMPLETE = "record_incomplete"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class ObligationView:
    """One obligation of the State, as far as alerts need it."""

    code: str
    label: str  # e.g. "APMBC Art. 5 (Destruction of anti-personnel mines in mined areas)"
    standing: Standing
    # The newest source the record holds for this obligation, named in a missed deadline.
    newest_source: str = ""


@dataclass(frozen=True)
class AlertCondition:
    kind: AlertKind
    severity: Severity
    due_date: date
    message: str
    obligation_code: str | None = None


@dataclass(frozen=True)
class StateFacts:
    treaty_code: str
    state_name: str
    entry_into_force: date | None
    consent: date | None = None
    withdrawal_notice: date | None = None
    withdrawal_effective: date | None = None
    withdrawal_pending_reason: str = ""
    obligations: tuple[ObligationView, ...] = ()
    reports: tuple[ReportDue, ...] = ()


def _approaching(view: ObligationView, as_of: date, thresholds: Sequence[int]) -> AlertCondition | None:
    left = view.standing.days_left(as_of)
    if left is None or left < 0:
        return None
    within = [t for t in sorted(thresholds) if left <= t]
    if not within:
        return None
    window = within[0]
    severity = Severity.WARNING if window == min(thresholds) else Severity.INFO
    deadline = view.standing.current_deadline.isoformat()
    return AlertCondition(
        AlertKind.DEADLINE_APPROACHING,
        severity,
        view.standing.current_deadline,
        f"{view.label}: deadline {deadline} is within {window} days.",
        view.code,
    )


def _obligation_alerts(view: ObligationView, as_of: date, thresholds: Sequence[int]) -> list[AlertCondition]:
    standing = view.standing
    deadline = standing.current_deadline
    if view.code.endswith("-initial") or view.code.endswith("-annual"):
        # Reports have alerts of their own (one per kind, below).
        approaching = _approaching(view, as_of, thresholds)
        return [approaching] if approaching else []
    if standing.status is ObligationStatus.OVERDUE:
        unconfirmed = (
            f" Rests on unconfirmed facts: {', '.join(standing.unconfirmed)}." if standing.unconfirmed else ""
        )
        if view.newest_source:
            unconfirmed += f" Newest source consulted: {view.newest_source}."
        if standing.breach_confirmed:
            verdict = (
                f"in breach since {date.fromordinal(deadline.toordinal() + 1).isoformat()} "
                "(confirmed by a source on record)"
            )
        else:
            verdict = standing.reason or "no completion or extension on record"
        return [
            AlertCondition(
                AlertKind.DEADLINE_MISSED,
                Severity.CRITICAL,
                deadline,
                f"{view.label}: deadline {deadline.isoformat()} passed; {verdict}.{unconfirmed}",
                view.code,
            )
        ]
    if standing.status.record_incomplete:
        return [
            AlertCondition(
                AlertKind.RECORD_INCOMPLETE,
                Severity.INFO,
                deadline,
                f"{view.label}: {standing.reason}. Complete the record.",
                view.code,
            )
        ]
    if standing.status is ObligationStatus.COMPLETED_LATE:
        against = standing.judged_against or deadline
        return [
            AlertCondition(
                AlertKind.COMPLETED_LATE,
                Severity.INFO,
                against,
                f"{view.label}: completed after its deadline of {against.isoformat()}.",
                view.code,
            )
        ]
    approaching = _approaching(view, as_of, thresholds)
    return [approaching] if approaching else []


def _report_alerts(facts: StateFacts, codes: dict[str, str]) -> list[AlertCondition]:
    conditions: list[AlertCondition] = []
    missing = [r for r in facts.reports if r.status is ObligationStatus.OVERDUE]
    initial = [r for r in missing if r.kind == "initial"]
    if initial:
        conditions.append(
            AlertCondition(
                AlertKind.INITIAL_REPORT_OVERDUE,
                Severity.WARNING,
                initial[0].due,
                f"{facts.treaty_code} initial transparency report was due {initial[0].due.isoformat()} "
                "and is not on record.",
                codes.get("initial"),
            )
        )
    annual = [r for r in missing if r.kind == "annual"]
    if annual:
        latest = annual[-1]
        years = (
            f"{annual[0].covered_year}"
            if len(annual) == 1
            else f"{annual[0].covered_year}-{latest.covered_year}"
        )
        conditions.append(
            AlertCondition(
                AlertKind.ANNUAL_REPORT_OVERDUE,
                Severity.WARNING,
                latest.due,
                f"{facts.treaty_code} annual transparency reports missing: {len(annual)} "
                f"(covering {years}); the latest was due {latest.due.isoformat()}.",
                codes.get("annual"),
            )
        )
    return conditions


def alert_conditions(facts: StateFacts, *, as_of: date, thresholds: Sequence[int]) -> set[AlertCondition]:
    """Every alert condition that holds for this State and treaty on ``as_of``.

    ``thresholds``: days before a deadline at which it counts as approaching (e.g. 365, 90);
    the smallest one is also the warning window before a withdrawal takes effect and the
    largest the notice window before an entry into force.
    """
    conditions: set[AlertCondition] = set()
    soon = min(thresholds) if thresholds else 90
    ahead = max(thresholds) if thresholds else 365
    treaty = facts.treaty_code
    withdrawn = facts.withdrawal_effective is not None and facts.withdrawal_effective <= as_of

    if facts.entry_into_force is not None and facts.consent is not None and facts.consent <= as_of:
        days = (facts.entry_into_force - as_of).days
        if 0 < days <= ahead:
            conditions.add(
                AlertCondition(
                    AlertKind.ENTRY_INTO_FORCE_UPCOMING,
                    Severity.INFO,
                    facts.entry_into_force,
                    f"{treaty} enters into force for {facts.state_name} "
                    f"on {facts.entry_into_force.isoformat()}.",
                )
            )
    if facts.withdrawal_notice is not None and facts.withdrawal_notice <= as_of and not withdrawn:
        effective = facts.withdrawal_effective
        reason = facts.withdrawal_pending_reason or "reason not given"
        when = (
            f"it takes effect on {effective.isoformat()}"
            if effective
            else f"its effective date is not yet determined ({reason})"
        )
        conditions.add(
            AlertCondition(
                AlertKind.WITHDRAWAL_NOTIFIED,
                Severity.WARNING,
                effective or facts.withdrawal_notice,
                f"{facts.state_name} notified withdrawal from {treaty} on "
                f"{facts.withdrawal_notice.isoformat()}; {when}.",
            )
        )
        if effective is not None and 0 < (effective - as_of).days <= soon:
            conditions.add(
                AlertCondition(
                    AlertKind.WITHDRAWAL_EFFECTIVE_SOON,
                    Severity.CRITICAL,
                    effective,
                    f"{facts.state_name}'s withdrawal from {treaty} takes effect on {effective.isoformat()}.",
                )
            )
    if withdrawn or facts.entry_into_force is None or facts.entry_into_force > as_of:
        return conditions
    for view in facts.obligations:
        conditions.update(_obligation_alerts(view, as_of, thresholds))
    codes = {
        "initial": next((v.code for v in facts.obligations if v.code.endswith("-initial")), None),
        "annual": next((v.code for v in facts.obligations if v.code.endswith("-annual")), None),
    }
    conditions.update(c for c in _report_alerts(facts, {k: v for k, v in codes.items() if v}) if c)
    return conditions
