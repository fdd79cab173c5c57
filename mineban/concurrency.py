"""Concurrent editors: record versions (optimistic) and one lock per State (pessimistic).

A record's version changes with every saved change (it is its ``updated_at``), so a client
that read version V and writes "if still V" (HTTP ``If-Match``) cannot overwrite a change it
never saw. Writes that touch a State's participation or obligations take that State's lock
first, always first, so they run one after another and each re-validates against what the
previous one left.
"""

from datetime import UTC, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router


def record_version(record: models.Model) -> str:
    """The record's version: microseconds since the epoch of its last saved change."""
    updated_at: datetime | None = getattr(record, "updated_at", None)
    if updated_at is None:
        return "0"
    if updated_at.tzinfo is None:  # SQLite without time zone support hands back naive UTC
        updated_at = updated_at.replace(tzinfo=UTC)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    delta = updated_at - epoch
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


def record_etag(record: models.Model) -> str:
    return f'"{record_version(record)}"'


def etag_versions(if_match: str) -> list[str]:
    """The versions an ``If-Match`` header names (``*`` is kept as is)."""
    versions = []
    for part in if_match.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        versions.append(tag.strip('"'))
    return [v for v in versions if v]


def moment_of_version(version: str) -> datetime | None:
    """The ``updated_at`` a version names, or None if it is not one of ours."""
    if not version.isdigit() or len(version) > 18:
        return None
    seconds, micros = divmod(int(version), 1_000_000)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).replace(microsecond=micros)
    except (OverflowError, OSError, ValueError):
        return None


# The first key of the writers' advisory locks: "their State's record", whatever the table.
STATE_LOCK_NAMESPACE = 1997


def state_lock(*, country_id: Any) -> None:
    """Take one State's writer lock until the transaction ends: its writers run one at a time.

    A PostgreSQL advisory lock rather than the State's row: a foreign key to the State does
    not wait for it. It is the first lock of every transaction that writes a State's record
    and of the worker's claim of the State's recompute, so none of them can hold a lock
    another needs while waiting for this one: no deadlock between editors and the worker.
    (The daily pass over every State takes none: it locks no outbox row, and an editor it
    waits for never waits for it.) SQLite serialises every write to the database anyway.
    """
    connection = connections[router.db_for_write(apps.get_model(settings.MINEBAN_STATE_MODEL))]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [STATE_LOCK_NAMESPACE, int(country_id)])
