"""Every write to the policy record goes through here: the treaty's meetings, a State's
attendance and statements at them, the UN General Assembly's resolutions and each State's
vote, and dated policy facts (policy, production, stockpile, transfer, use).

The admin, the API, the reference data loader and the tests call the same five functions
for every kind of record — ``record``, ``update``, ``delete``, ``revert``, ``restore`` — plus
``confirm`` (a reviewer confirms an unconfirmed record with a source) and, for the loader's
thousands of votes, ``votes_record_many``. Each validates (the model's own checks and the
kind's rules, with messages per field), requires a source for a new record and keeps one on
a change, saves inside a transaction through ``mineban.records.record_write`` (attribution
and the history's author) and keeps the history, so a change can be reverted and a deletion
undone. None of these facts moves a deadline, so none asks for a recompute.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from mineban import changes, clock
from mineban.cache import data_changed
from mineban.records import (
    SOURCE_REQUIRED,
    SOURCED_FIELDS,
    User,
    attributed,
    check_fields,
    is_cited,
    record_delete,
    record_write,
    source_errors,
)
from mineban.rules.precision import PartialDate
from states.models import Meeting, MeetingAttendance, PolicyFact, UNGAResolution, UNGAVote
from states.selectors import participation_of

Errors = dict[str, list[str]]
SOURCE_FIELDS = frozenset({"source_citation", "source_urls"})


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: what identifies it (set once: to change it, delete the record
    and record a new one), the facts editors may change, and the rules it must satisfy."""

    model: type[models.Model]
    noun: str
    identity: tuple[str, ...]
    facts: tuple[str, ...]
    rules: Callable[[Any, date], Errors]
    # Fields the service computes from the facts (never given).
    derived: tuple[str, ...] = ()
    derive: Callable[[Any], None] | None = None
    # Records that rest on this one and must go first: (related name, what to say).
    dependants: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.identity, *self.facts)


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


# --- The rules of each kind ---------------------------------------------------------------------


def _meeting_rules(meeting: Meeting, today: date) -> Errors:
    errors: Errors = {}
    if meeting.start_date and meeting.end_date and meeting.end_date < meeting.start_date:
        _add(errors, "end_date", "A meeting cannot end before it starts.")
    if meeting.treaty_id and meeting.start_date and meeting.start_date < meeting.treaty.adopted_on:
        _add(
            errors,
            "start_date",
            f"The {meeting.treaty.code} was adopted on {meeting.treaty.adopted_on.isoformat()}: "
            "its meetings come after.",
        )
    if not isinstance(meeting.documents, list) or not all(
        isinstance(item, str) and item.strip() for item in meeting.documents
    ):
        _add(errors, "documents", "Give a list of document symbols or URLs.")
    return errors


def _attendance_rules(record: MeetingAttendance, today: date) -> Errors:
    errors: Errors = {}
    if bool(record.statement_kind) != bool(record.statement.strip()):
        field = "statement" if record.statement_kind else "statement_kind"
        _add(errors, field, "A statement says whether it is the text or a summary, and has one.")
    if not (record.meeting_id and record.country_id):
        return errors
    meeting = record.meeting
    if meeting.start_date > today:
        _add(
            errors,
            "attendance",
            f"{meeting.code} begins on {meeting.start_date.isoformat()}: "
            "attendance is recorded once the meeting has begun.",
        )
    if record.attendance == MeetingAttendance.Attendance.STATE_PARTY:
        status = participation_of(record.country, meeting.treaty).status(meeting.end_date)
        if not status.has_consented:
            _add(
                errors,
                "attendance",
                f"{record.country.name} had not consented to be bound by the {meeting.treaty.code} by "
                f"{meeting.end_date.isoformat()} ({status.label.lower()}): it could attend {meeting.code} "
                "only as an observer.",
            )
    return errors


_RESOLUTION_SYMBOL = re.compile(r"A/RES/\d{1,3}/\d{1,4}(?: ?[A-Z]{1,2})?")


def _resolution_rules(resolution: UNGAResolution, today: date) -> Errors:
    errors: Errors = {}
    if resolution.symbol and not _RESOLUTION_SYMBOL.fullmatch(resolution.symbol):
        _add(errors, "symbol", f"{resolution.symbol!r} is not a resolution symbol like A/RES/65/48.")
    if resolution.adopted_on and resolution.adopted_on > today:
        _add(errors, "adopted_on", f"A resolution cannot be adopted in the future ({resolution.adopted_on}).")
    return errors


_SEAT_CODE = re.compile(r"[A-Z]{3}")


def _vote_rules(vote: UNGAVote, today: date) -> Errors:
    errors: Errors = {}
    if bool(vote.seat_code) != bool(vote.seat_name):
        _add(errors, "seat_name", "A former seat has both its code and its name.")
    if vote.seat_code and not _SEAT_CODE.fullmatch(vote.seat_code):
        _add(errors, "seat_code", f"{vote.seat_code!r} is not a three-letter code like YUG.")
    if vote.country_id:
        if vote.seat_code and vote.seat_code == vote.country.iso3:
            _add(errors, "seat_code", "The State's own seat needs no seat code: leave it empty.")
        if not vote.country.un_member and not vote.seat_code:
            _add(
                errors,
                "country",
                f"{vote.country.name} is not a UN Member State: it has no vote in the General Assembly.",
            )
    return errors


def _fact_date(fact: PolicyFact) -> PartialDate | None:
    try:
        return PartialDate.parse(fact.dated or "")
    except ValueError:
        return None


def _fact_known_from(fact: PolicyFact) -> None:
    parsed = _fact_date(fact)
    fact.known_from = parsed.last_day if parsed else None  # type: ignore[assignment]


def _fact_rules(fact: PolicyFact, today: date) -> Errors:
    errors: Errors = {}
    parsed = _fact_date(fact)
    if parsed is None:
        _add(errors, "dated", f"Enter the date as YYYY, YYYY-MM or YYYY-MM-DD; got {fact.dated!r}.")
    elif parsed.first_day > today:
        _add(errors, "dated", f"A fact cannot be dated in the future ({parsed.label}).")
    if fact.quantity is not None and not fact.unit.strip():
        _add(errors, "unit", "A figure says what it counts, e.g. “antipersonnel mines”.")
    return errors


MEETING = RecordKind(
    Meeting,
    "meeting",
    identity=("treaty", "code"),
    facts=("name", "kind", "start_date", "end_date", "place", "documents", *SOURCED_FIELDS),
    rules=_meeting_rules,
    dependants=(("attendance", "attendance records"),),
)
ATTENDANCE = RecordKind(
    MeetingAttendance,
    "attendance record",
    identity=("meeting", "country"),
    facts=("attendance", "statement_kind", "statement", *SOURCED_FIELDS),
    rules=_attendance_rules,
)
RESOLUTION = RecordKind(
    UNGAResolution,
    "resolution",
    identity=("treaty", "symbol"),
    facts=("title", "adopted_on", "in_favour", "against", "abstaining", *SOURCED_FIELDS),
    rules=_resolution_rules,
    dependants=(("votes", "votes"),),
)
VOTE = RecordKind(
    UNGAVote,
    "vote",
    identity=("resolution", "country"),
    facts=("vote", "seat_code", "seat_name", *SOURCED_FIELDS),
    rules=_vote_rules,
)
POLICY_FACT = RecordKind(
    PolicyFact,
    "policy fact",
    identity=("country", "reference_key"),
    facts=("topic", "dated", "statement", "quantity", "unit", *SOURCED_FIELDS),
    rules=_fact_rules,
    derived=("known_from",),
    derive=_fact_known_from,
)
KINDS: tuple[RecordKind, ...] = (MEETING, ATTENDANCE, RESOLUTION, VOTE, POLICY_FACT)


def kind_of(model: type[models.Model]) -> RecordKind:
    return next(kind for kind in KINDS if kind.model is model)


# --- Validation -------------------------------------------------------------------------------


def errors_of(
    kind: RecordKind, obj: models.Model, today: date, *, sourced: bool, bulk: bool = False
) -> Errors:
    """Every problem with ``obj``, by field: the model's checks, the kind's rules and the
    source rule (``sourced``: this write must leave it cited). ``bulk``: the caller checks
    the relations and uniqueness for many records at once."""
    errors: Errors = {}
    exclude = list(kind.derived)
    if bulk:
        exclude += [name for name in kind.identity if obj._meta.get_field(name).is_relation]
    try:
        obj.full_clean(exclude=exclude, validate_unique=not bulk, validate_constraints=not bulk)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                _add(errors, name, message)
    if not any(name in errors for name in kind.identity):  # the rules need what it is about
        for name, messages in kind.rules(obj, today).items():
            for message in messages:
                if message not in errors.get(name, []):
                    _add(errors, name, message)
    for name, message in source_errors(obj, sourced=sourced).items():
        _add(errors, name, message)
    # A constraint the rules also check is said once, on its field, not again for the record.
    on_fields = {
        message for name, messages in errors.items() if name != NON_FIELD_ERRORS for message in messages
    }
    if NON_FIELD_ERRORS in errors:
        errors[NON_FIELD_ERRORS] = [m for m in errors[NON_FIELD_ERRORS] if m not in on_fields]
        if not errors[NON_FIELD_ERRORS]:
            del errors[NON_FIELD_ERRORS]
    return errors


def _validate(kind: RecordKind, obj: models.Model, today: date | None, *, sourced: bool) -> None:
    if kind.derive is not None:
        kind.derive(obj)
    errors = errors_of(kind, obj, today or clock.today(), sourced=sourced)
    if errors:
        raise ValidationError(errors)


# The history keeps a change's reason in 100 characters.
REASON_LENGTH = 100


def _reason(text: str | None) -> str | None:
    """A citation or note as the history's reason, cut to the length the history keeps."""
    text = (text or "").strip()
    if len(text) <= REASON_LENGTH:
        return text or None
    return text[: REASON_LENGTH - 1] + "…"


def _locked(kind: RecordKind, record: models.Model) -> Any:
    return kind.model._default_manager.select_for_update().get(pk=record.pk)


# --- The services ---------------------------------------------------------------------------------


@transaction.atomic
def record(
    kind: RecordKind,
    /,
    *,
    user: User = None,
    today: date | None = None,
    restoring: int | None = None,
    reason: str | None = None,
    **values: Any,
) -> Any:
    """Record a new fact of ``kind``; it must cite its source. ``restoring`` is the id of a
    deleted record brought back (``restore``), so that its history continues under one id."""
    check_fields(values, kind.fields)
    obj = kind.model(id=restoring, **values)
    _validate(kind, obj, today, sourced=True)
    record_write(obj, user=user, reason=_reason(reason or values.get("source_citation")))
    return obj


@transaction.atomic
def update(
    kind: RecordKind,
    record: models.Model,
    /,
    *,
    user: User = None,
    today: date | None = None,
    reason: str | None = None,
    **fields: Any,
) -> Any:
    """Change a record's facts (what it is about stays). Nothing differs: nothing is written.
    A change to its sources may replace them, not remove the last one."""
    check_fields(fields, kind.facts)
    # Lock the row: two editors saving at once must not interleave validation and write.
    locked = _locked(kind, record)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, fields[name])
    _validate(kind, locked, today, sourced=bool(SOURCE_FIELDS & set(changed)))
    record_write(locked, user=user, reason=_reason(reason))
    return locked


@transaction.atomic
def delete(kind: RecordKind, record: models.Model, /, *, user: User = None) -> None:
    """Delete a record made in error (its history keeps it, so it can be restored). A
    meeting with attendance on record, or a resolution with votes, cannot go first."""
    locked = _locked(kind, record)
    for related, what in kind.dependants:
        count = getattr(locked, related).count()
        if count:
            raise ValidationError(
                {kind.identity[-1]: f"Delete its {count} {what} first: they rest on this {kind.noun}."}
            )
    record_delete(locked, user=user)


@transaction.atomic
def revert(
    kind: RecordKind,
    record: models.Model,
    history_id: int,
    /,
    *,
    user: User = None,
    today: date | None = None,
) -> Any:
    """Put a record's facts back as they were in one of its versions (a new version)."""
    facts = changes.version_facts(kind.model, record.pk, history_id, kind.facts, kind.noun)
    return update(kind, record, user=user, today=today, reason=f"Reverted to version {history_id}", **facts)


@transaction.atomic
def restore(kind: RecordKind, record_id: int, /, *, user: User = None, today: date | None = None) -> Any:
    """Bring back a deleted record as it was when deleted, under its id, if the rules allow."""
    deleted = changes.last_version_before_deletion(kind.model, record_id, kind.noun)
    values = {name: getattr(deleted, name) for name in kind.fields}
    return record(kind, user=user, today=today, restoring=record_id, reason="Restored", **values)


@transaction.atomic
def confirm(
    kind: RecordKind,
    record: models.Model,
    /,
    *,
    source_citation: str = "",
    source_urls: Sequence[str] = (),
    user: User = None,
    today: date | None = None,
) -> Any:
    """A reviewer confirms a record's unconfirmed fields with a source: the source is added
    to the record's own (citation appended, URLs added) and the flags are cleared."""
    if not is_cited(source_citation, list(source_urls)):
        raise ValidationError({"source_citation": SOURCE_REQUIRED})
    locked = _locked(kind, record)
    if not locked.unverified_fields:
        return locked
    citation = source_citation.strip()
    if citation and locked.source_citation:
        citation = f"{locked.source_citation}; confirmed by {citation}"
    urls = list(dict.fromkeys([*locked.source_urls, *source_urls]))
    what = ", ".join(locked.unverified_fields)
    return update(
        kind,
        locked,
        user=user,
        today=today,
        reason=f"Confirmed ({what}): {source_citation.strip() or ', '.join(source_urls)}",
        unverified_fields=[],
        source_citation=citation or locked.source_citation,
        source_urls=urls,
    )


# --- Many votes at once (the loader) ----------------------------------------------------------


class BulkError(ValidationError):
    """One of many records was refused: ``index`` says which (for the loader's messages)."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.messages)
        self.index = index


@transaction.atomic
def votes_record_many(
    votes: Sequence[Mapping[str, Any]], *, user: User = None, today: date | None = None, reason: str = ""
) -> list[UNGAVote]:
    """Record many new votes (each as ``record(VOTE, ...)`` would) in a few queries, with
    their history: the General Assembly record is thousands of votes. Refused as a whole,
    with a ``BulkError`` naming the first vote refused."""
    day = today or clock.today()
    author = attributed(user)
    objs: list[UNGAVote] = []
    for index, values in enumerate(votes):
        check_fields(dict(values), VOTE.fields)
        obj = UNGAVote(**values)
        errors = errors_of(VOTE, obj, day, sourced=True, bulk=True)
        if errors:
            raise BulkError(index, ValidationError(errors))
        obj.created_by = obj.updated_by = author
        objs.append(obj)
    keys = [(obj.resolution_id, obj.country_id) for obj in objs]
    duplicates = _repeated(keys) | _on_record(keys)
    if duplicates:
        index = next(i for i, key in enumerate(keys) if key in duplicates)
        raise BulkError(
            index,
            ValidationError({"country": ["This State's vote on this resolution is already on record."]}),
        )
    data_changed()  # a bulk insert bypasses record_write: readers' caches must still miss
    return list(
        bulk_create_with_history(
            objs, UNGAVote, batch_size=500, default_user=author, default_change_reason=_reason(reason)
        )
    )


def _repeated(keys: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    again: set[tuple[int, int]] = set()
    for key in keys:
        (again if key in seen else seen).add(key)
    return again


def _on_record(keys: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    resolutions = {resolution for resolution, _ in keys}
    wanted = set(keys)
    existing = UNGAVote.objects.filter(resolution_id__in=resolutions).values_list(
        "resolution_id", "country_id"
    )
    return {key for key in existing if key in wanted}
