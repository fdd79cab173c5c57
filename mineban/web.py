"""Plumbing shared by the server-rendered pages: the "as of" date every page is turned to."""

import csv
from collections.abc import Callable, Sequence
from datetime import date
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

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


API_PREFIX = "/api/"


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return bad_request(request, str(exception) if exception else "")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The API answers in JSON even where no route matched (e.g. ``/api/v1/completions/-1/``)."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception or Http404())


def handler500(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error: it has been logged."}, status=500)
    return defaults.server_error(request)


def csv_response(filename: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
