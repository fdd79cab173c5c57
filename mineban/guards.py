"""Middleware that answers hostile or malformed requests before any view sees them.

``InvalidInputMiddleware``: a NUL byte (or another control character) in the path, the
query string, a cookie or HTTP Basic credentials can never name a record, and PostgreSQL
refuses it in a query ("A string literal cannot contain NUL"), which would be a 500. One
check here instead of one per view: a 400, JSON under ``/api/``, the error page elsewhere.

Bodies larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` sent to the API get a JSON 413.

``ContentSecurityPolicyMiddleware``: Django 5.2 has no CSP of its own. The pages load only
the app's own scripts, styles and images, so the policy is strict: nothing inline.
"""

import base64
import binascii
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# C0 controls but tab, line feed and carriage return (which forms may legitimately carry),
# and DEL.
logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

API_PREFIX = "/api/"


def invalid_input(request: HttpRequest) -> str | None:
    """What is wrong with the request's path, query, cookies or Basic credentials, if anything."""
    if _PATH_CONTROL.search(request.path_info):
        return "The address contains a control character (e.g. %00); no record is named that way."
    for key, values in request.GET.lists():
        if _CONTROL.search(key) or any(_CONTROL.search(value) for value in values):
            return f"The query parameter {_printable(key)!r} contains a control character (e.g. %00)."
    if any(_CONTROL.search(name) or _CONTROL.search(value) for name, value in request.COOKIES.items()):
        return "A cookie contains a control character; clear this site's cookies and try again."
    return _credentials_problem(request.META.get("HTTP_AUTHORIZATION", ""))


def _credentials_problem(header: str) -> str | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    # Decoded as DRF's BasicAuthentication decodes it (lenient base64; UTF-8, else Latin-1),
    # so that what is checked here is what would reach the database.
    try:
        raw = base64.b64decode(encoded.strip())
    except (binascii.Error, ValueError):
        return None  # malformed Basic credentials are the authentication's to refuse (a 401)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
    if _CONTROL.search(decoded):
        return "The HTTP Basic credentials contain a control character."
    return None


def _printable(text: str) -> str:
    return _CONTROL.sub("?", text)[:50]


def bad_request_response(request: HttpRequest, message: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    # The error page links back to the path it was given: not to this one.
    return render(request, "400.html", {"message": message, "retry_path": "/"}, status=400)


class InvalidInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = invalid_input(request)
        if problem:
            return bad_request_response(request, problem)
        if request.path_info.startswith(API_PREFIX) and _declared_length(request) > _max_body():
            # DRF streams JSON bodies past Django's own size check: refuse them here.
            limit = _max_body()
            message = f"The request body is too large (at most {limit} bytes); no record is that big."
            return JsonResponse({"detail": message}, status=413)
        return self.get_response(request)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _max_body() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**31)


class ContentSecurityPolicyMiddleware:
    """Sets ``Content-Security-Policy`` (``CONTENT_SECURITY_POLICY`` in settings) on every
    response that does not carry its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}".strip()
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class DatabaseRetryMiddleware:
    """A read that fails because the database connection broke (a PostgreSQL restart, a
    failover) is run once more on a fresh connection. Only reads: they change nothing, so
    running one twice is safe; a write is not retried (it may have been committed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if request.method not in ("GET", "HEAD") or getattr(request, "_database_retried", False):
            return None
        match = request.resolver_match
        if match is None or any(c.in_atomic_block for c in connections.all(initialized_only=True)):
            return None  # inside a transaction nothing can be retried
        request._database_retried = True  # type: ignore[attr-defined]
        logger.warning("database error on %s, retrying once on a new connection: %s", request.path, exception)
        for connection in connections.all(initialized_only=True):
            connection.close()
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
