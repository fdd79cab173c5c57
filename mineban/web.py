"""Plumbing shared by the server-rendered pages: the "as of" date every page is turned to."""

import csv
from collections.abc import Callable, Sequence
from datetime import date
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mineban import clock
from mineban.asof import DateInputError, as_of_parse


def as_of_from(request: HttpRequest) -> tuple[date, str]:
    """The date from ``?as_of=YYYY-MM-DD`` (today when absent) and the raw value links keep.
    Raises ``DateInputError`` (the API's parser's, same bounds, same message)."""
    raw = (request.GET.get("as_of") or "").strip()
    if not raw:
        return clock.today(), ""
    return as_of_parse(raw), raw


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "400.html", {"message": message}, status=400)


def with_as_of(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pass ``as_of`` to the view and set ``request.as_of_param`` for the templates;
    a malformed date is a 400 page with a helpful message, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            as_of, raw = as_of_from(request)
        except DateInputError as exc:
            return bad_request(request, str(exc))
        request.as_of = as_of  # type: ignore[attr-defined]
        request.as_of_param = raw  # type: ignore[attr-defined]
        return view(request, *args, as_of=as_of, **kwargs)

    return wrapper


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return bad_request(request, str(exception) if exception else "")


def csv_response(filename: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
