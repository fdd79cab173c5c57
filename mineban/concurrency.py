"""Concurrent editors: record versions (optimistic) and one lock per State (pessimistic).

A record's version changes with every saved change (it is its ``updated_at``), so a client
that read version V and writes "if still V" (HTTP ``If-Match``) cannot overwrite a change it
never saw. Writes that touch a State's participation or obligations lock that State's row
first, always first, so they run one after another and each re-validates against what the
previous one left; one lock order everywhere also means no deadlock between them.
"""

from datetime import UTC, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models


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


def state_lock(*, country_id: Any) -> None:
    """Lock one State's row until the transaction ends: its writers run one at a time.

    FOR NO KEY UPDATE, as the recompute takes it: it serialises writers and recomputes of
    the State without blocking reads or the foreign-key checks of other rows.
    """
    state_model = apps.get_model(settings.MINEBAN_STATE_MODEL)
    list(state_model._default_manager.select_for_update(no_key=True).filter(pk=country_id).values_list("pk"))
