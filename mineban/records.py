"""The record base every editable fact shares: where it comes from, who wrote it, its history.

Services call ``record_write`` (and ``record_delete``) instead of saving by hand, so the
lifecycle — attribution, the history's author and reason, "cite a source" — is enforced in
one place for every kind of record, whichever door (API, admin, command) the write came in by.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models

from mineban.cache import data_changed

# The services take the request's user, or None for commands and tasks.
User = AbstractBaseUser | AnonymousUser | None

SOURCED_FIELDS = ("source_citation", "source_urls", "notes", "unverified_fields")

# Length limits of free text: far above any real citation or note, far below what would
# bloat every page and export that shows it (a 2 MB note once grew a profile to 2.1 MB).
CITATION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 10_000
TEXT_MAX_LENGTH = 20_000
SOURCE_URLS_MAX = 20
URL_MAX_LENGTH = 500
SOURCE_REQUIRED = "Cite the source: a citation (source_citation), a URL (source_urls), or both."


def is_cited(citation: str | None, urls: list[str] | None) -> bool:
    """Editors record no fact without saying where it comes from."""
    return bool((citation or "").strip() or urls)


class Sourced(models.Model):
    """Where a fact comes from and how sure we are of it."""

    source_citation = models.TextField(blank=True, max_length=CITATION_MAX_LENGTH)
    source_urls = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    # Field names that rest on an unconfirmed value (the reference data's "UNVERIFIED:").
    unverified_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def confirmed(self) -> bool:
        return not self.unverified_fields


def attributed(user: User) -> Any:
    """The user to record as author: an anonymous or absent user is recorded as nobody."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def check_fields(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    """A programming error, not bad input: the API and admin only pass fields they know."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def source_errors(record: models.Model, *, sourced: bool) -> dict[str, str]:
    """A record that cites sources must keep at least one. ``sourced``: whether this write
    must be cited (an editor's new record, or a change to its sources)."""
    if not sourced or not isinstance(record, Sourced):
        return {}
    if is_cited(record.source_citation, record.source_urls):
        return {}
    return {"source_citation": SOURCE_REQUIRED}


def sources_touched(fields: Iterable[str]) -> bool:
    return bool({"source_citation", "source_urls"} & set(fields))


def require_source(record: models.Model, *, sourced: bool) -> None:
    errors = source_errors(record, sourced=sourced)
    if errors:
        raise ValidationError(errors)


def record_write(record: models.Model, *, user: User, cite: bool = False, reason: str | None = None) -> None:
    """Save a validated record, attributed to ``user`` (the history too: simple-history only
    sees ``request.user`` inside a request, and commands and tasks name their own).

    ``cite``: this write must leave the record cited — a new record, or a change to its
    sources (a change may replace a record's sources, not remove the last one).
    """
    require_source(record, sourced=cite)
    author = attributed(user)
    if isinstance(record, Sourced):
        if record._state.adding:
            record.created_by = author
        record.updated_by = author
    record._history_user = author  # type: ignore[attr-defined]
    if reason:
        record._change_reason = reason  # type: ignore[attr-defined]
    record.save()
    data_changed()


def record_delete(record: models.Model, *, user: User) -> None:
    """Delete a record; its history keeps it, attributed, so it can be restored."""
    record._history_user = attributed(user)  # type: ignore[attr-defined]
    record.delete()
    data_changed()
