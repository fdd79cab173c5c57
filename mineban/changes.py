"""The change feed: who changed what in the editable record, and when, newest first.

Built on simple-history's tables. ``CHANGE_SOURCES`` is the one list of models the feed
follows: add an entry (its history must be tracked by simple-history and it should point to a
State and a treaty, directly or through a relation such as ``obligation__country``; a record
about no State, such as a meeting, names none and is left out of a feed filtered by State)
and it appears in ``/api/v1/changes/``. Each source costs two queries
per page whatever its length: the page of history rows and the versions before them (to
tell which fields changed).

The same tables give one record's versions (``versions``) and the facts of a version to
revert to or restore (``version_facts``, ``last_version_before_deletion``); the services
write them back through their own validation.
"""

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

# Bookkeeping that changes on every save and is reported separately (``user``).
UNTRACKED_FIELDS = frozenset({"id", "created_at", "updated_at", "created_by", "updated_by"})
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class ChangeSource:
    """A model whose history the feed follows."""

    name: str
    model_label: str
    state_field: str | None = "country"
    treaty_field: str | None = "treaty"

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @property
    def history_model(self) -> type[Model]:
        return self.model.history.model  # type: ignore[attr-defined,no-any-return]

    @property
    def tracked_fields(self) -> dict[str, str]:
        """Field name to attribute name (``country`` to ``country_id``)."""
        return {f.name: f.attname for f in self.model._meta.concrete_fields if f.name not in UNTRACKED_FIELDS}


CHANGE_SOURCES: tuple[ChangeSource, ...] = (
    ChangeSource("depositary_action", "states.DepositaryAction"),
    ChangeSource("obligation", "obligations.Obligation"),
    ChangeSource("extension", "obligations.Extension", "obligation__country", "obligation__treaty"),
    ChangeSource("completion", "obligations.Completion", "obligation__country", "obligation__treaty"),
    ChangeSource(
        "extension_request", "obligations.ExtensionRequest", "obligation__country", "obligation__treaty"
    ),
    ChangeSource("article7_report", "obligations.Article7Report"),
    ChangeSource("meeting", "states.Meeting", state_field=None),
    ChangeSource("meeting_attendance", "states.MeetingAttendance", "country", "meeting__treaty"),
    ChangeSource("unga_resolution", "states.UNGAResolution", state_field=None),
    ChangeSource("unga_vote", "states.UNGAVote", "country", "resolution__treaty"),
    ChangeSource("policy_fact", "states.PolicyFact", treaty_field=None),
)


def _follow(row: Any, path: str | None) -> Any:
    """``row.obligation.country`` for ``obligation__country``; None past a missing link."""
    if path is None:
        return None
    for name in path.split("__"):
        if row is None:
            return None
        row = getattr(row, name)
    return row


@dataclass(frozen=True)
class Position:
    """Where a page of the feed ends: the next page starts strictly after it."""

    history_date: datetime
    source: str
    history_id: int

    @property
    def key(self) -> tuple[datetime, str, int]:
        return (self.history_date, self.source, self.history_id)


@dataclass(frozen=True)
class Change:
    source: str
    history_id: int
    object_id: int
    state: str | None
    treaty: str | None
    change_type: str
    changed_fields: list[str]
    history_date: datetime
    user: str | None
    change_reason: str | None

    @property
    def position(self) -> Position:
        return Position(self.history_date, self.source, self.history_id)


@dataclass(frozen=True)
class Version:
    """One version of one object, with what changed from the version before it."""

    history_id: int
    history_date: datetime
    change_type: str
    user: str | None
    change_reason: str | None
    changes: dict[str, dict[str, Any]]


def _values(row: Model, fields: dict[str, str]) -> dict[str, Any]:
    return {name: getattr(row, attname) for name, attname in fields.items()}


def _diff(before: Model | None, after: Model, fields: dict[str, str], change_type: str) -> dict[str, Any]:
    """``{field: {"old": ..., "new": ...}}``; a creation lists the fields it set."""
    if change_type == "-":
        return {}
    new = _values(after, fields)
    if before is None or change_type == "+":
        return {name: {"old": None, "new": new[name]} for name in fields if new[name] not in (None, "", [])}
    old = _values(before, fields)
    return {name: {"old": old[name], "new": new[name]} for name in fields if old[name] != new[name]}


def _username(row: Any) -> str | None:
    user = row.history_user
    return user.get_username() if user is not None else None


def _before(source: ChangeSource, position: Position) -> Q:
    """History rows of ``source`` strictly after ``position`` in newest-first order."""
    older = Q(history_date__lt=position.history_date)
    if source.name < position.source:
        return older | Q(history_date=position.history_date)
    if source.name == position.source:
        return older | Q(history_date=position.history_date, history_id__lt=position.history_id)
    return older


def _previous_versions(source: ChangeSource, rows: Sequence[Model]) -> dict[int, Model | None]:
    """For each history row, the version of the same object just before it (one query)."""
    by_object: dict[int, list[Model]] = defaultdict(list)
    object_ids = {row.id for row in rows}  # type: ignore[attr-defined]
    newest = max((row.history_date for row in rows), default=None)  # type: ignore[attr-defined]
    if newest is None:
        return {}
    versions = source.history_model.objects.filter(id__in=object_ids, history_date__lte=newest).order_by(  # type: ignore[attr-defined]
        "history_date", "history_id"
    )
    for version in versions:
        by_object[version.id].append(version)
    previous: dict[int, Model | None] = {}
    for versions_of_one in by_object.values():
        for earlier, later in zip([None, *versions_of_one], versions_of_one, strict=False):
            previous[later.history_id] = earlier  # type: ignore[attr-defined]
    return previous


def changes(
    *,
    since: datetime | None = None,
    treaty_id: int | None = None,
    country_id: int | None = None,
    after: Position | None = None,
    limit: int = 50,
    sources: Sequence[ChangeSource] = CHANGE_SOURCES,
) -> list[Change]:
    """Up to ``limit`` changes, newest first, from ``since`` (inclusive) and after ``after``."""
    pages: list[list[Change]] = []
    for source in sources:
        if (treaty_id is not None and source.treaty_field is None) or (
            country_id is not None and source.state_field is None
        ):
            continue  # not about a treaty (or a State): not in a feed filtered by one
        related = [path for path in (source.state_field, source.treaty_field) if path is not None]
        rows: QuerySet[Any] = source.history_model.objects.select_related(  # type: ignore[attr-defined]
            "history_user", *related
        ).order_by("-history_date", "-history_id")
        if since is not None:
            rows = rows.filter(history_date__gte=since)
        if treaty_id is not None:
            rows = rows.filter(**{f"{source.treaty_field}_id": treaty_id})
        if country_id is not None:
            rows = rows.filter(**{f"{source.state_field}_id": country_id})
        if after is not None:
            rows = rows.filter(_before(source, after))
        page = list(rows[:limit])
        previous = _previous_versions(source, page)
        fields = source.tracked_fields
        pages.append(
            [
                Change(
                    source=source.name,
                    history_id=row.history_id,
                    object_id=row.id,
                    state=getattr(_follow(row, source.state_field), "iso3", None),
                    treaty=getattr(_follow(row, source.treaty_field), "code", None),
                    change_type=row.history_type,
                    changed_fields=list(_diff(previous.get(row.history_id), row, fields, row.history_type)),
                    history_date=row.history_date,
                    user=_username(row),
                    change_reason=row.history_change_reason,
                )
                for row in page
            ]
        )
    merged = heapq.merge(*pages, key=lambda change: change.position.key, reverse=True)
    return [change for _, change in zip(range(limit), merged, strict=False)]


def versions(source: ChangeSource, object_id: int) -> list[Version]:
    """Every version of one object (also after its deletion), newest first."""
    rows = list(
        source.history_model.objects.filter(id=object_id)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fields = source.tracked_fields
    found = [
        Version(
            history_id=row.history_id,
            history_date=row.history_date,
            change_type=row.history_type,
            user=_username(row),
            change_reason=row.history_change_reason,
            changes=_diff(earlier, row, fields, row.history_type),
        )
        for earlier, row in zip([None, *rows], rows, strict=False)
    ]
    return found[::-1]


def source_named(name: str) -> ChangeSource:
    return next(source for source in CHANGE_SOURCES if source.name == name)


# --- Reverting and restoring ---------------------------------------------------------------
# The services put a record back through their own validation; these find the version.


def version_facts(
    model: type[Model], object_id: int, history_id: int, fields: Sequence[str], noun: str
) -> dict[str, Any]:
    """The ``fields`` of one record as they were in one of its versions."""
    version = model.history.filter(id=object_id, history_id=history_id).first()  # type: ignore[attr-defined]
    if version is None:
        raise ValidationError({"history_id": f"Version {history_id} is not a version of this {noun}."})
    return {name: getattr(version, name) for name in fields}


def last_version_before_deletion(model: type[Model], object_id: int, noun: str) -> Any:
    """The version a deleted record had when it was deleted (to bring it back under its id).

    ``model.DoesNotExist`` when no record ever had the id; a ValidationError when it exists.
    """
    deletion = (
        model.history.filter(id=object_id)  # type: ignore[attr-defined]
        .order_by("-history_date", "-history_id")
        .first()
    )
    if deletion is None:
        raise model.DoesNotExist(f"No {noun} has ever had the id {object_id}.")  # type: ignore[attr-defined]
    if deletion.history_type != "-":
        raise ValidationError(f"This {noun} exists: revert it to one of its versions instead.")
    return deletion
