"""Writes that keep obligations and alerts true.

Facts (obligations owed, extensions, completions) are written by editors through the
``<entity>_<action>`` functions below; each asks for the State to be recomputed. The
recompute pipeline: ``recompute_request`` writes an outbox row in the caller's transaction
and, once it commits, enqueues ``obligations.tasks.recompute_state``; the task claims the
row with a conditional UPDATE and calls ``obligations_recompute``.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from mineban import changes, clock, recompute
from mineban.cache import data_changed
from mineban.concurrency import state_lock
from mineban.models import RecomputeRequest
from mineban.recompute import recompute_request
from mineban.records import SOURCED_FIELDS, User, check_fields, record_delete, record_write, sources_touched
from mineban.rules.alerts import alert_conditions
from mineban.rules.clearance import extension_errors
from mineban.rules.deadlines import original_deadline
from mineban.rules.precision import PartialDate
from mineban.rules.reporting import initial_report_due
from mineban.rules.terms import ObligationKind
from obligations.models import Alert, Article7Report, Completion, Extension, ExtensionRequest, Obligation
from obligations.selectors import completion_fact, evaluate, extension_fact, facts_for
from states.models import Country, Meeting, Treaty, TreatyObligation
from states.selectors import participation_of

logger = logging.getLogger(__name__)

REPORT_KINDS = (ObligationKind.INITIAL_REPORT.value, ObligationKind.ANNUAL_REPORT.value)
OBLIGATION_FIELDS = ("status_note", "breach_confirmed_source", "reports_tracked_from", *SOURCED_FIELDS)


# --- Facts ----------------------------------------------------------------------------------


@transaction.atomic
def obligation_record(
    *, country: Country, treaty: Treaty, code: str, user: User = None, **fields: Any
) -> Obligation:
    """Record that a State owes a stockpile-destruction or clearance obligation (it held
    stockpiles / has mined areas). Updating an existing record changes its notes only."""
    check_fields(fields, OBLIGATION_FIELDS)
    state_lock(country_id=country.pk)
    terms = TreatyObligation.objects.get(treaty=treaty, code=code)
    obligation = Obligation.objects.select_for_update().filter(country=country, terms=terms).first()
    if obligation is None:
        obligation = Obligation(country=country, treaty=treaty, terms=terms, **fields)
        cite = True
    else:
        changed = {k: v for k, v in fields.items() if getattr(obligation, k) != v}
        if not changed:
            return obligation
        for name, value in changed.items():
            setattr(obligation, name, value)
        cite = sources_touched(changed)
    if obligation.reports_tracked_from is not None and terms.kind not in REPORT_KINDS:
        raise ValidationError(
            {"reports_tracked_from": "Only a reporting obligation (Art. 7) is tracked by year."}
        )
    obligation.full_clean()
    record_write(obligation, user=user, cite=cite)
    recompute_request(country_id=country.pk, treaty_id=treaty.pk)
    return obligation


def _meeting_linked(record: Extension | ExtensionRequest) -> None:
    """Refer a decision or request to the meeting on record that its code names; a request
    takes the meeting's days when it gives none (the decision counts from the closing day)."""
    code = (record.meeting or "").strip()
    meeting = (
        Meeting.objects.filter(treaty_id=record.obligation.treaty_id, code__iexact=code).first()
        if code
        else None
    )
    record.decision_meeting = meeting
    if isinstance(record, ExtensionRequest) and meeting is not None:
        record.meeting_opens_on = record.meeting_opens_on or meeting.start_date
        record.meeting_closes_on = record.meeting_closes_on or meeting.end_date


@transaction.atomic
def meeting_links_refresh(*, meeting: Meeting) -> int:
    """After a meeting is recorded (or restored): the extensions and requests whose meeting
    code names it refer to it (any other that did no longer does), and a request that gives
    no meeting days takes its days, as when it was recorded after the meeting. Returns how
    many records changed; the States whose requests took days are recomputed."""
    code = meeting.code.strip()
    extensions = Extension.objects.select_related("obligation")
    requests = ExtensionRequest.objects.select_related("obligation")
    named = Q(obligation__treaty_id=meeting.treaty_id, meeting__iexact=code)
    linked = [*extensions.filter(named).exclude(decision_meeting=meeting)]
    requests_linked = [*requests.filter(named).exclude(decision_meeting=meeting)]
    unlinked = [*extensions.filter(decision_meeting=meeting).exclude(named)]
    requests_unlinked = [*requests.filter(decision_meeting=meeting).exclude(named)]
    records: list[Extension | ExtensionRequest] = [*linked, *requests_linked, *unlinked, *requests_unlinked]
    # Every writer of a State's record takes its lock first, in one order.
    for country_id in sorted({r.obligation.country_id for r in records}):
        state_lock(country_id=country_id)
    Extension.objects.filter(pk__in=[r.pk for r in unlinked]).update(decision_meeting=None)
    ExtensionRequest.objects.filter(pk__in=[r.pk for r in requests_unlinked]).update(decision_meeting=None)
    Extension.objects.filter(pk__in=[r.pk for r in linked]).update(decision_meeting=meeting)
    ExtensionRequest.objects.filter(pk__in=[r.pk for r in requests_linked]).update(decision_meeting=meeting)
    undated = [
        r
        for r in requests_linked
        if r.meeting_opens_on is None
        and r.meeting_closes_on is None
        and (r.submitted_on is None or r.submitted_on <= meeting.end_date)
    ]
    ExtensionRequest.objects.filter(pk__in=[r.pk for r in undated]).update(
        meeting_opens_on=meeting.start_date, meeting_closes_on=meeting.end_date
    )
    for country_id in sorted({r.obligation.country_id for r in undated}):
        recompute_request(country_id=country_id)
    if records:
        data_changed()
    return len(records)


def _original_deadline(obligation: Obligation) -> date:
    participation = participation_of(obligation.country, obligation.treaty)
    if participation.entry_into_force is None:
        raise ValidationError({"obligation": "The treaty is not in force for this State: no deadline yet."})
    return original_deadline(participation.entry_into_force, obligation.terms.terms())


def _validate_extension(extension: Extension) -> None:
    _meeting_linked(extension)
    errors: dict[str, list[str]] = {}
    try:
        extension.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors:  # the rules give per-field messages; the constraints are the backstop
        obligation = extension.obligation
        others = Extension.objects.filter(obligation=obligation).exclude(pk=extension.pk)
        rule_errors = extension_errors(
            obligation.terms.terms(),
            _original_deadline(obligation),
            [extension_fact(e) for e in others],
            extension_fact(extension),
        )
        for name, message in rule_errors.items():
            errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    extension.validate_constraints()


@transaction.atomic
def extension_grant(
    *,
    obligation: Obligation,
    meeting: str,
    granted_on: date,
    new_deadline: date,
    requested_on: date | None = None,
    user: User = None,
    restoring: int | None = None,
    **fields: Any,
) -> Extension:
    """Record an extension a Meeting of the States Parties granted (Art. 5(3)-(6)).

    ``restoring`` is the id of a deleted extension brought back (``extension_restore``).
    """
    check_fields(fields, SOURCED_FIELDS)
    # The State first (every writer's first lock), then the obligation (only it: of=self):
    # two grants validated at once could both pass the 10-year check.
    state_lock(country_id=obligation.country_id)
    obligation = (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("country", "treaty", "terms")
        .get(pk=obligation.pk)
    )
    extension = Extension(
        id=restoring,
        obligation=obligation,
        meeting=meeting,
        granted_on=granted_on,
        new_deadline=new_deadline,
        requested_on=requested_on,
        **fields,
    )
    _validate_extension(extension)
    record_write(extension, user=user, cite=True)
    recompute_request(country_id=obligation.country_id, treaty_id=obligation.treaty_id)
    return extension


EXTENSION_FIELDS = ("meeting", "granted_on", "new_deadline", "requested_on", *SOURCED_FIELDS)

_Fact = TypeVar("_Fact", Extension, Completion, ExtensionRequest)


def _fact_change(
    locked: _Fact, fields: dict[str, Any], *, validate: Callable[[Any], None], user: User
) -> _Fact:
    """Apply the fields that differ to a locked extension or completion, validate, attribute,
    save and ask for the recompute. Nothing differs: nothing is written, nothing recomputed."""
    changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
    if not changed:
        return locked
    for name, value in changed.items():
        setattr(locked, name, value)
    validate(locked)
    record_write(locked, user=user, cite=sources_touched(changed))
    recompute_request(country_id=locked.obligation.country_id, treaty_id=locked.obligation.treaty_id)
    return locked


def _fact_delete(fact: _Fact, *, user: User) -> None:
    """Delete an extension or completion, its State and obligation locked, attributed; recompute."""
    obligation = Obligation.objects.get(pk=fact.obligation_id)
    state_lock(country_id=obligation.country_id)
    obligation = Obligation.objects.select_for_update().get(pk=fact.obligation_id)
    record_delete(type(fact).objects.get(pk=fact.pk), user=user)
    recompute_request(country_id=obligation.country_id, treaty_id=obligation.treaty_id)


@transaction.atomic
def extension_update(*, extension: Extension, user: User = None, **fields: Any) -> Extension:
    check_fields(fields, EXTENSION_FIELDS)
    state_lock(country_id=Obligation.objects.get(pk=extension.obligation_id).country_id)
    Obligation.objects.select_for_update().get(pk=extension.obligation_id)
    locked = Extension.objects.select_related(
        "obligation__country", "obligation__treaty", "obligation__terms"
    ).get(pk=extension.pk)
    return _fact_change(locked, fields, validate=_validate_extension, user=user)


@transaction.atomic
def extension_delete(*, extension: Extension, user: User = None) -> None:
    """Delete an extension recorded in error (history keeps it); the deadline falls back."""
    _fact_delete(extension, user=user)


@transaction.atomic
def extension_revert(*, extension: Extension, history_id: int, user: User = None) -> Extension:
    """Put an extension's facts back as they were in one of its earlier versions."""
    facts = changes.version_facts(Extension, extension.pk, history_id, EXTENSION_FIELDS, "extension")
    return extension_update(extension=extension, user=user, **facts)


@transaction.atomic
def extension_restore(*, extension_id: int, user: User = None) -> Extension:
    """Bring back a deleted extension as it was when deleted, under its id."""
    deleted = changes.last_version_before_deletion(Extension, extension_id, "extension")
    facts = {name: getattr(deleted, name) for name in EXTENSION_FIELDS}
    return extension_grant(obligation=_obligation_of(deleted), user=user, restoring=extension_id, **facts)


def _obligation_of(deleted: Any) -> Obligation:
    obligation = Obligation.objects.filter(pk=deleted.obligation_id).first()
    if obligation is None:
        raise ValidationError(
            {"obligation": "The obligation this record belonged to is no longer on record."}
        )
    return obligation


COMPLETION_FIELDS = (
    "kind",
    "completed_on",
    "reported_on",
    "reopened_on",
    "second_completed_on",
    "status_note",
)


def _validate_completion(completion: Completion, today: date) -> None:
    # The rules give per-field messages; the constraints are the backstop.
    completion.full_clean(validate_constraints=False)
    errors: dict[str, str] = _completion_date_errors(completion, today)
    dated = ("completed_on", "reported_on", "reopened_on", "second_completed_on")
    if completion.kind == Completion.Kind.NOT_APPLICABLE:
        for name in dated:
            if getattr(completion, name) and name != "reported_on":
                errors[name] = (
                    "A declaration that the obligation never applied has no completion date."
                    if name in ("completed_on", "second_completed_on")
                    else "A declaration that the obligation never applied is never re-opened."
                )
    elif not (completion.completed_on or completion.reported_on):
        errors["completed_on"] = (
            "Give when the work ended (YYYY, YYYY-MM or YYYY-MM-DD), or the date of the report that "
            "announced it (reported_on)."
        )
    fact = completion_fact(completion)
    if not errors:
        try:
            period = fact.period
        except ValueError as exc:
            errors["reported_on"] = f"The report predates the completion it announces: {exc}."
            period = None
        if (
            fact.reopened_on is not None
            and period is not None
            and fact.reopened_on.last_day <= (period.start or period.end)
        ):
            errors["reopened_on"] = "A re-opening follows the completion it re-opens."
        if fact.second_completed_on is not None and fact.reopened_on is None:
            errors["second_completed_on"] = "Only a re-opened obligation is completed a second time."
        elif (
            fact.second_completed_on is not None
            and fact.reopened_on is not None
            and fact.second_completed_on.last_day < fact.reopened_on.first_day
        ):
            errors["second_completed_on"] = "The second completion follows the re-opening."
    if errors:
        raise ValidationError(errors)
    completion.validate_constraints()


@transaction.atomic
def completion_record(
    *,
    obligation: Obligation,
    user: User = None,
    restoring: int | None = None,
    today: date | None = None,
    **fields: Any,
) -> Completion:
    """Record a State's declaration of completion (or that the obligation never applied).

    ``restoring`` is the id of a deleted completion brought back (``completion_restore``).
    """
    check_fields(fields, (*COMPLETION_FIELDS, *SOURCED_FIELDS))
    state_lock(country_id=obligation.country_id)
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    completion = Completion(id=restoring, obligation=obligation, **fields)
    _validate_completion(completion, today or clock.today())
    record_write(completion, user=user, cite=True)
    recompute_request(country_id=obligation.country_id, treaty_id=obligation.treaty_id)
    return completion


@transaction.atomic
def completion_update(
    *, completion: Completion, user: User = None, today: date | None = None, **fields: Any
) -> Completion:
    check_fields(fields, (*COMPLETION_FIELDS, *SOURCED_FIELDS))
    state_lock(country_id=Obligation.objects.get(pk=completion.obligation_id).country_id)
    locked = Completion.objects.select_for_update().select_related("obligation").get(pk=completion.pk)
    on = today or clock.today()
    return _fact_change(locked, fields, validate=lambda c: _validate_completion(c, on), user=user)


@transaction.atomic
def completion_delete(*, completion: Completion, user: User = None) -> None:
    """Delete a completion recorded in error (history keeps it); the obligation re-opens."""
    _fact_delete(completion, user=user)


@transaction.atomic
def completion_revert(*, completion: Completion, history_id: int, user: User = None) -> Completion:
    """Put a completion's facts back as they were in one of its earlier versions."""
    facts = changes.version_facts(
        Completion, completion.pk, history_id, (*COMPLETION_FIELDS, *SOURCED_FIELDS), "completion"
    )
    return completion_update(completion=completion, user=user, **facts)


@transaction.atomic
def completion_restore(*, completion_id: int, user: User = None) -> Completion:
    """Bring back a deleted completion as it was when deleted, under its id."""
    deleted = changes.last_version_before_deletion(Completion, completion_id, "completion")
    facts = {name: getattr(deleted, name) for name in (*COMPLETION_FIELDS, *SOURCED_FIELDS)}
    return completion_record(obligation=_obligation_of(deleted), user=user, restoring=completion_id, **facts)


# --- Extension requests ---------------------------------------------------------------------

REQUEST_FIELDS = (
    "submitted_on",
    "requested_deadline",
    "meeting",
    "meeting_opens_on",
    "meeting_closes_on",
    "outcome",
    "outcome_note",
    "extension",
    *SOURCED_FIELDS,
)


def _validate_request(request: ExtensionRequest) -> None:
    _meeting_linked(request)
    request.full_clean(validate_constraints=False)
    errors: dict[str, str] = {}
    obligation = request.obligation
    if not obligation.terms.extendable:
        errors["obligation"] = f"The Art. {obligation.terms.article} deadline cannot be extended."
    if request.extension is not None and request.extension.obligation_id != obligation.pk:
        errors["extension"] = "The extension belongs to another obligation."
    if (
        request.meeting_opens_on
        and request.meeting_closes_on
        and request.meeting_closes_on < request.meeting_opens_on
    ):
        errors["meeting_closes_on"] = "A meeting closes on or after the day it opens."
    if (
        request.submitted_on
        and request.meeting_closes_on
        and request.submitted_on > request.meeting_closes_on
    ):
        errors["submitted_on"] = "A request is submitted before the meeting that decides it closes."
    decided = (
        ExtensionRequest.Outcome.GRANTED,
        ExtensionRequest.Outcome.GRANTED_DEADLINE_NOT_ON_RECORD,
        ExtensionRequest.Outcome.REFUSED,
        ExtensionRequest.Outcome.NOT_DECIDED,
        ExtensionRequest.Outcome.DECISION_NOT_ON_RECORD,
    )
    if request.outcome in decided and not (request.meeting or request.meeting_closes_on):
        errors["meeting"] = "Name the meeting that decided (or was due to decide) the request."
    if errors:
        raise ValidationError(errors)
    request.validate_constraints()


@transaction.atomic
def extension_request_record(
    *, obligation: Obligation, outcome: str, user: User = None, restoring: int | None = None, **fields: Any
) -> ExtensionRequest:
    """Record an extension request and what became of it (``restoring``: a deleted one's id)."""
    check_fields(fields, REQUEST_FIELDS)
    state_lock(country_id=obligation.country_id)
    obligation = (
        Obligation.objects.select_for_update(of=("self",)).select_related("terms").get(pk=obligation.pk)
    )
    request = ExtensionRequest(id=restoring, obligation=obligation, outcome=outcome, **fields)
    _validate_request(request)
    record_write(request, user=user, cite=True)
    recompute_request(country_id=obligation.country_id, treaty_id=obligation.treaty_id)
    return request


@transaction.atomic
def extension_request_update(
    *, request: ExtensionRequest, user: User = None, **fields: Any
) -> ExtensionRequest:
    check_fields(fields, REQUEST_FIELDS)
    state_lock(country_id=Obligation.objects.get(pk=request.obligation_id).country_id)
    Obligation.objects.select_for_update().get(pk=request.obligation_id)
    locked = ExtensionRequest.objects.select_related("obligation__terms").get(pk=request.pk)
    return _fact_change(locked, fields, validate=_validate_request, user=user)


@transaction.atomic
def extension_request_delete(*, request: ExtensionRequest, user: User = None) -> None:
    _fact_delete(request, user=user)


@transaction.atomic
def extension_request_revert(
    *, request: ExtensionRequest, history_id: int, user: User = None
) -> ExtensionRequest:
    fields = tuple(f for f in REQUEST_FIELDS if f != "extension")
    facts = changes.version_facts(ExtensionRequest, request.pk, history_id, fields, "extension request")
    return extension_request_update(request=request, user=user, **facts)


@transaction.atomic
def extension_request_restore(*, request_id: int, user: User = None) -> ExtensionRequest:
    deleted = changes.last_version_before_deletion(ExtensionRequest, request_id, "extension request")
    facts = {name: getattr(deleted, name) for name in REQUEST_FIELDS if name not in ("extension", "outcome")}
    return extension_request_record(
        obligation=_obligation_of(deleted), outcome=deleted.outcome, user=user, restoring=request_id, **facts
    )


def _completion_date_errors(completion: Completion, today: date) -> dict[str, str]:
    """A completion is declared by a State bound by the treaty, in a period that has begun."""
    errors: dict[str, str] = {}
    obligation = completion.obligation
    consent = participation_of(obligation.country, obligation.treaty).consent
    bound_on = consent.action_date if consent else None
    for name in ("completed_on", "reported_on", "reopened_on", "second_completed_on"):
        raw = getattr(completion, name)
        if not raw:
            continue
        try:
            period = PartialDate.parse(raw)
        except ValueError:
            continue  # the field's own validator names it
        if period.first_day > today:
            errors[name] = f"This cannot be dated in the future ({raw})."
        elif bound_on is not None and period.last_day < bound_on:
            errors[name] = (
                f"{obligation.country} consented to be bound by {obligation.treaty.code} on "
                f"{bound_on.isoformat()}; a completion of its obligation cannot be dated earlier ({raw})."
            )
    return errors


# --- Recompute pipeline ---------------------------------------------------------------------


@dataclass
class RecomputeResult:
    states: int = 0
    opened: int = 0
    resolved: int = 0
    obligations_created: int = 0
    obligations_updated: int = 0
    # States whose recompute raised (recorded on their outbox rows, retried later).
    failed: list[int] = field(default_factory=list)


@contextmanager
def recompute_deferred(*, as_of: date) -> Iterator[None]:
    """Bulk writes (the reference-data load): record outbox rows but enqueue nothing; when
    the block's transaction commits, recompute every pending State in one pass."""
    with recompute.deferred() as outermost:
        yield
    if outermost:
        transaction.on_commit(partial(recompute_pending, as_of=as_of))


@transaction.atomic
def recompute_pending(*, as_of: date) -> RecomputeResult:
    """Claim every pending outbox row and recompute those States together."""
    pending = RecomputeRequest.objects.filter(processed_at__isnull=True)
    # Each State's writer lock first, in one order, as every editor takes it first: an
    # editor half-way through a write finishes before its State is claimed (see
    # ``recompute_claim_and_run``).
    country_ids = sorted(set(pending.values_list("country_id", flat=True)))
    for country_id in country_ids:
        state_lock(country_id=country_id)
    rows = list(pending.select_for_update(skip_locked=True).filter(country_id__in=country_ids))
    if not rows:
        return RecomputeResult()
    RecomputeRequest.objects.filter(pk__in=[r.pk for r in rows]).update(processed_at=timezone.now())
    countries = list(
        Country.objects.select_for_update(no_key=True)
        .filter(pk__in={r.country_id for r in rows})
        .order_by("pk")
    )
    return _recompute(countries=countries, as_of=as_of)


def recompute_claim_and_run(*, country_id: int, as_of: date) -> RecomputeResult | None:
    """Claim the pending outbox row of a State and recompute it, in one transaction.

    The claim is a conditional UPDATE: only the worker that changes the row proceeds, so a
    duplicate delivery does nothing. Claim and recompute commit together: a worker killed
    in between leaves the row pending for redelivery or the sweep.

    A recompute that raises is rolled back alone and recorded on the row (error, failures,
    next attempt after a back-off); after ``RECOMPUTE_MAX_FAILURES`` it is given up and an
    operator alerted. Either way the worker carries on.
    """
    now = timezone.now()
    with transaction.atomic():
        # The State's writer lock before the outbox row, the order every editor takes them
        # in (lock, records, outbox row): claiming the row first could deadlock with an
        # editor holding an obligation the recompute updates.
        state_lock(country_id=country_id)
        due = RecomputeRequest.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            country_id=country_id,
            processed_at__isnull=True,
            gave_up_at__isnull=True,
        )
        row = due.first()
        if row is None or due.filter(pk=row.pk).update(processed_at=now) != 1:
            return None
        try:
            with transaction.atomic():
                result = obligations_recompute(country=Country.objects.get(pk=country_id), as_of=as_of)
        except Exception as exc:
            _recompute_failed(row=row, error=exc)
            return None
        return result


def _recompute_failed(*, row: RecomputeRequest, error: Exception) -> None:
    """Put the claimed row back as pending, with the error and when to try again; give up
    (and say so loudly) after ``RECOMPUTE_MAX_FAILURES`` failures in a row."""
    now = timezone.now()
    country_id = row.country_id
    failures = row.failures + 1
    gave_up = failures >= settings.RECOMPUTE_MAX_FAILURES
    delay = timedelta(seconds=settings.RECOMPUTE_RETRY_BASE_SECONDS * 2 ** (failures - 1))
    RecomputeRequest.objects.filter(pk=row.pk).update(
        processed_at=None,
        failures=failures,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=None if gave_up else now + delay,
        gave_up_at=now if gave_up else None,
    )
    if gave_up:
        logger.error(
            "OPERATOR ALERT: recomputing country %s failed %s times in a row; given up until the State "
            "is edited or `manage.py recompute_alerts --state` succeeds. Last error: %s",
            country_id,
            failures,
            error,
            exc_info=error,
        )
    else:
        logger.warning(
            "recomputing country %s failed (%s of %s); next attempt at %s: %s",
            country_id,
            failures,
            settings.RECOMPUTE_MAX_FAILURES,
            now + delay,
            error,
            exc_info=error,
        )


def recompute_sweep(*, older_than_seconds: int) -> list[int]:
    """The States whose outbox rows have waited longer than a normal enqueue takes: the
    broker lost them (outage, killed worker). Counts the attempt; returns the State ids."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    with transaction.atomic():
        rows = list(
            RecomputeRequest.objects.select_for_update(skip_locked=True)
            .filter(processed_at__isnull=True, gave_up_at__isnull=True, requested_at__lte=cutoff)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
            .order_by("requested_at")[:1000]
        )
        RecomputeRequest.objects.filter(pk__in=[r.pk for r in rows]).update(attempts=F("attempts") + 1)
    return [r.country_id for r in rows]


def _thresholds() -> list[int]:
    return list(settings.ALERT_APPROACHING_DAYS)


@transaction.atomic
def obligations_recompute(*, country: Country, as_of: date) -> RecomputeResult:
    """Recompute one State's obligation snapshots and alerts as of ``as_of``.

    The Country row is locked first, so two workers recomputing the same State run one
    after the other and cannot both open the same alert or lose a resolution.
    """
    # FOR NO KEY UPDATE: serialises recomputes of the State without blocking edits that
    # only reference it (a foreign-key check takes FOR KEY SHARE).
    list(Country.objects.select_for_update(no_key=True).filter(pk=country.pk))
    return _recompute(countries=[country], as_of=as_of)


def obligations_recompute_all(*, as_of: date) -> RecomputeResult:
    """Every State (the daily schedule, the command, the benchmark).

    In one pass and one transaction while nothing fails (the fast path: one query per kind
    of fact for all States). If anything raises, that pass is rolled back and every State is
    recomputed in its own transaction: one bad record cannot hold back the day's alerts for
    the others; each State that fails is recorded on its outbox row and retried as usual.
    """
    try:
        with transaction.atomic():
            countries = list(Country.objects.select_for_update(no_key=True).order_by("pk"))
            return _recompute(countries=None, as_of=as_of, all_countries=countries)
    except Exception:
        logger.exception("recomputing every State at once failed; recomputing them one by one")
    result = RecomputeResult()
    for country_id in Country.objects.order_by("pk").values_list("pk", flat=True):
        try:
            one = obligations_recompute(country=Country.objects.get(pk=country_id), as_of=as_of)
        except Exception as exc:
            with transaction.atomic():
                # Recorded on the State's outbox row like any failed recompute: retried with
                # back-off by the sweep, given up after too many (its count is kept).
                row, _ = RecomputeRequest.objects.get_or_create(
                    country_id=country_id, processed_at=None, defaults={"requested_at": timezone.now()}
                )
                _recompute_failed(row=row, error=exc)
            result.failed.append(country_id)
            continue
        result.states += 1
        result.opened += one.opened
        result.resolved += one.resolved
        result.obligations_created += one.obligations_created
        result.obligations_updated += one.obligations_updated
    return result


def _recompute(
    *, countries: list[Country] | None, as_of: date, all_countries: list[Country] | None = None
) -> RecomputeResult:
    result = RecomputeResult()
    bundles = facts_for(countries=countries if countries is not None else all_countries)
    if all_countries is not None:
        countries = all_countries
    assert countries is not None
    result.states = len(countries)

    # Report obligations are owed by every State for which the treaty is in force.
    missing = [
        Obligation(country=b.country, treaty=b.treaty, terms=t)
        for b in bundles
        for t in b.terms
        if t.kind in REPORT_KINDS and t.pk not in b.obligations
    ]
    if missing:
        Obligation.objects.bulk_create(missing, batch_size=1000)
        result.obligations_created = len(missing)
        by_pair = {(b.country.pk, b.treaty.pk): b for b in bundles}
        for obligation in missing:
            by_pair[(obligation.country.pk, obligation.treaty.pk)].obligations[obligation.terms.pk] = (
                obligation
            )

    desired: dict[tuple[int, int, int | None, str, date, str, str], None] = {}
    to_update: list[Obligation] = []
    for bundle in bundles:
        evaluated = evaluate(bundle, as_of)
        for row in evaluated.rows:
            stored = bundle.obligations.get(row.obligation.pk)
            if stored is None:
                continue
            snapshot = (row.status, row.original_deadline, row.current_deadline)
            if (stored.status, stored.original_deadline, stored.current_deadline) != snapshot:
                stored.status, stored.original_deadline, stored.current_deadline = snapshot
                to_update.append(stored)
        obligation_ids = {
            t.code: bundle.obligations[t.pk].pk for t in bundle.terms if t.pk in bundle.obligations
        }
        for condition in alert_conditions(evaluated.state_facts(), as_of=as_of, thresholds=_thresholds()):
            obligation_id = (
                obligation_ids.get(condition.obligation_code) if condition.obligation_code else None
            )
            key = (
                bundle.country.pk,
                bundle.treaty.pk,
                obligation_id,
                condition.kind.value,
                condition.due_date,
                condition.severity.value,
                condition.message,
            )
            desired[key] = None
    if to_update:
        # Batches: one bulk UPDATE is a CASE per row, which PostgreSQL plans quadratically.
        Obligation.objects.bulk_update(
            to_update, ["status", "original_deadline", "current_deadline"], batch_size=500
        )
        result.obligations_updated = len(to_update)

    open_alerts = Alert.objects.filter(resolved_at__isnull=True)
    if countries is not all_countries:
        open_alerts = open_alerts.filter(country__in=[c.pk for c in countries])
    now = timezone.now()
    stale: list[int] = []
    for alert in open_alerts.only(
        "id", "country_id", "treaty_id", "obligation_id", "kind", "due_date", "severity", "message"
    ):
        key = (
            alert.country_id,
            alert.treaty_id,
            alert.obligation_id,
            alert.kind,
            alert.due_date,
            alert.severity,
            alert.message,
        )
        if key in desired:
            del desired[key]
        else:
            stale.append(alert.pk)
    if stale:
        # Resolve before opening: a changed condition with the same due date replaces the old one.
        # Greatest(): a clock that stepped back must not resolve an alert before it opened.
        result.resolved = Alert.objects.filter(pk__in=stale).update(
            resolved_at=Greatest(Value(now), F("opened_at"))
        )
    if desired:
        Alert.objects.bulk_create(
            [
                Alert(
                    country_id=country_id,
                    treaty_id=treaty_id,
                    obligation_id=obligation_id,
                    kind=kind,
                    due_date=due,
                    severity=severity,
                    message=message,
                    opened_at=now,
                )
                for (country_id, treaty_id, obligation_id, kind, due, severity, message) in desired
            ],
            batch_size=1000,
        )
        result.opened = len(desired)
    if result.obligations_created or result.obligations_updated or result.resolved or result.opened:
        data_changed()
    return result


# --- Art. 7 transparency reports ----------------------------------------------------------

REPORT_FIELDS = ("kind", "covered_year", "submitted_on", *SOURCED_FIELDS)


def _rule_errors(report: Article7Report, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if report.submitted_on > today:
        errors["submitted_on"] = (
            f"A report cannot be dated in the future ({report.submitted_on.isoformat()})."
        )
    participation = participation_of(report.country, report.treaty)
    if participation.consent is None:
        errors["country"] = f"{report.country} has not consented to be bound by {report.treaty.code}."
        return errors
    bound_on = participation.consent.action_date
    if bound_on is None:  # a consent whose date is not on record: nothing to compare with
        return errors
    if report.submitted_on < bound_on:
        errors["submitted_on"] = (
            f"{report.country} consented to be bound by {report.treaty.code} on {bound_on.isoformat()}; "
            f"its reports cannot be dated earlier ({report.submitted_on.isoformat()})."
        )
    if report.kind == Article7Report.Kind.ANNUAL and report.covered_year is not None:
        # An update covers a year of the State's participation that has begun by submission.
        last_year = report.submitted_on.year
        withdrawal = participation.withdrawal
        if withdrawal is not None and withdrawal.effective_date is not None:
            last_year = min(last_year, withdrawal.effective_date.year)
        if report.covered_year > last_year:
            errors["covered_year"] = (
                f"An update submitted on {report.submitted_on.isoformat()} cannot cover "
                f"{report.covered_year}; the latest year it can cover is {last_year}."
            )
        elif report.covered_year < bound_on.year:
            errors["covered_year"] = (
                f"{report.country} was not bound by {report.treaty.code} in {report.covered_year} "
                f"(it consented on {bound_on.isoformat()})."
            )
    if (
        "covered_year" not in errors
        and participation.entry_into_force is not None
        and report.kind == Article7Report.Kind.ANNUAL
    ):
        terms = next(
            (t for t in participation.terms.obligations if t.kind is ObligationKind.INITIAL_REPORT), None
        )
        if terms is not None and report.covered_year is not None:
            first_year = initial_report_due(participation.entry_into_force, terms).year
            if report.covered_year < first_year:
                errors["covered_year"] = (
                    f"Annual updates start with {first_year}, the year the initial report fell due."
                )
    return errors


def _validate_report(report: Article7Report, today: date) -> None:
    """Field messages first (a missing covered year is named as such, not by the constraint
    behind it), then the treaty's rules on well-formed values."""
    errors: dict[str, list[str]] = {}
    if report.kind == Article7Report.Kind.ANNUAL and report.covered_year is None:
        errors["covered_year"] = ["An annual update names the calendar year it covers (covered_year)."]
    elif report.kind == Article7Report.Kind.INITIAL and report.covered_year is not None:
        errors["covered_year"] = ["The initial report covers no single year: leave covered_year empty."]
    try:
        report.full_clean(validate_constraints=not errors)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if not errors:
        for name, message in _rule_errors(report, today).items():
            errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    report.validate_constraints()


@transaction.atomic
def article7_report_record(
    *,
    country: Country,
    treaty: Treaty,
    kind: str,
    submitted_on: date,
    covered_year: int | None = None,
    user: User = None,
    today: date,
    restoring: int | None = None,
    **fields: Any,
) -> Article7Report:
    """Record an Art. 7 report received: the initial report or an annual update.

    ``restoring`` is the id of a deleted report brought back (``article7_report_restore``).
    """
    check_fields(fields, SOURCED_FIELDS)
    state_lock(country_id=country.pk)
    report = Article7Report(
        id=restoring,
        country=country,
        treaty=treaty,
        kind=kind,
        covered_year=covered_year,
        submitted_on=submitted_on,
        **fields,
    )
    _validate_report(report, today)
    record_write(report, user=user, cite=True)
    recompute_request(country_id=country.pk, treaty_id=treaty.pk)
    return report


@transaction.atomic
def article7_report_update(
    *, report: Article7Report, user: User = None, today: date, **fields: Any
) -> Article7Report:
    """Correct a report's facts (kind, covered year, submission day, sources)."""
    check_fields(fields, REPORT_FIELDS)
    state_lock(country_id=report.country_id)
    locked = Article7Report.objects.select_for_update().get(pk=report.pk)
    changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
    if not changed:
        return locked
    for name, value in changed.items():
        setattr(locked, name, value)
    _validate_report(locked, today)
    record_write(locked, user=user, cite=sources_touched(changed))
    recompute_request(country_id=locked.country_id, treaty_id=locked.treaty_id)
    return locked


@transaction.atomic
def article7_report_delete(*, report: Article7Report, user: User = None) -> None:
    """Delete a report recorded in error (history keeps it); the obligation is owed again."""
    state_lock(country_id=report.country_id)
    locked = Article7Report.objects.select_for_update().get(pk=report.pk)
    country_id, treaty_id = locked.country_id, locked.treaty_id
    record_delete(locked, user=user)
    recompute_request(country_id=country_id, treaty_id=treaty_id)


@transaction.atomic
def article7_report_revert(
    *, report: Article7Report, history_id: int, user: User = None, today: date
) -> Article7Report:
    """Put a report's facts back as they were in one of its earlier versions."""
    facts = changes.version_facts(Article7Report, report.pk, history_id, REPORT_FIELDS, "report")
    return article7_report_update(report=report, user=user, today=today, **facts)


@transaction.atomic
def article7_report_restore(*, report_id: int, user: User = None, today: date) -> Article7Report:
    """Bring back a deleted report as it was when deleted, under its id."""
    deleted = changes.last_version_before_deletion(Article7Report, report_id, "report")
    facts = {name: getattr(deleted, name) for name in REPORT_FIELDS}
    return article7_report_record(
        country=deleted.country, treaty=deleted.treaty, user=user, today=today, restoring=report_id, **facts
    )
