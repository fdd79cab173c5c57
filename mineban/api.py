"""API plumbing shared by every app: domain errors to HTTP statuses, ``as_of`` and
``since`` parsing, paging."""

from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mineban import clock


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Someone else changed the record at the same moment. Reload and try again."
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Model/service ``ValidationError``s become 400s with field-level messages.

    An ``IntegrityError`` that escapes the services' validation can only come from a
    concurrent write (e.g. two editors recording the same signature at once): a 409.
    """
    if isinstance(exc, IntegrityError):
        exc = Conflict()
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        # Django's key for errors of no one field is "__all__"; DRF clients expect this one.
        if NON_FIELD_ERRORS in detail:
            detail["non_field_errors"] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


def parse_as_of(raw: str | None, *, field: str = "as_of") -> date:
    """``?as_of=YYYY-MM-DD``; today when absent. A malformed value is a 400, not a 500."""
    if raw is None or raw == "":
        return clock.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {field: [f"Enter a date as YYYY-MM-DD (e.g. 2005-07-01); got {raw!r}."]}
        ) from None


def parse_since(raw: str, *, field: str = "since") -> datetime:
    """An ISO 8601 timestamp (UTC when it has no offset) or a date (its midnight, UTC)."""
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise exceptions.ValidationError(
            {field: [f"Enter an ISO 8601 timestamp, e.g. 2026-11-22T09:30:00Z; got {raw!r}."]}
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class RecordPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` on every list of stored records."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
