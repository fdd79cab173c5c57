"""Request plumbing: a request id for the logs, whole-response caching and conditional GETs
keyed by the data version, and compression that cannot leak a secret.

Anonymous reads (no session cookie, no Authorization header: everything the public sees)
get an ETag and a Last-Modified computed from the data version and today's date *before* the
view runs, so a client that has the page gets a 304 for the price of one query; otherwise the
response is served from the cache, or rendered and cached, under a key that names the
version. Logged-in readers see their own name and forms: their responses are never cached.
"""

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from datetime import time as time_of_day
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from mineban import cache as data_cache
from mineban import clock
from mineban.logs import request_id_var
from mineban.release import current_release

logger = logging.getLogger(__name__)

# Paths that are not the analysts' reads: editing, logging in, static files, health checks.
UNCACHED_PREFIXES = ("/admin/", "/accounts/", "/static/", "/healthz", "/readyz")
# A response this large is rendered each time rather than filling the cache.
LARGEST_CACHED = 4 * 1024 * 1024
# Reconstructed on a hit; the rest (Date, Set-Cookie, security headers) come from elsewhere.
STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Vary",
    "ETag",
)
ANONYMOUS_CACHE_CONTROL = "public, max-age=0, must-revalidate"
# In front of the shared cache, each process keeps the responses it served last (keys name
# the data version, so these are exact too): a hit then costs no trip to Redis.
LOCAL_BYTES = 16 * 1024 * 1024
_local: OrderedDict[str, tuple[bytes, list[tuple[str, str]]]] = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()


# A renderer holds its key's lock at most this long (a worker killed mid-render frees it).
RENDER_LOCK_SECONDS = 30
RENDER_POLL_SECONDS = 0.02


def _lock_key(key: str) -> str:
    return f"{key}:rendering"


def _local_get(key: str) -> tuple[bytes, list[tuple[str, str]]] | None:
    with _local_lock:
        found = _local.get(key)
        if found is not None:
            _local.move_to_end(key)
        return found


def _local_put(key: str, stored: tuple[bytes, list[tuple[str, str]]]) -> None:
    global _local_bytes
    with _local_lock:
        if key in _local:
            return
        _local[key] = stored
        _local_bytes += len(stored[0])
        while _local_bytes > LOCAL_BYTES and _local:
            _, (content, _headers) = _local.popitem(last=False)
            _local_bytes -= len(content)


def local_clear() -> None:
    global _local_bytes
    with _local_lock:
        _local.clear()
        _local_bytes = 0


class RequestIdMiddleware:
    """Every log line of a request names it (``X-Request-ID`` from the proxy, or a new one);
    the response carries it back so a user's report can be matched to the logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def is_anonymous(request: HttpRequest) -> bool:
    """Decided from the request alone (no session lookup): a request carrying a session
    cookie or credentials may be a logged-in user's, and is treated as one."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


def _reads_data(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(UNCACHED_PREFIXES)


def _variant(request: HttpRequest) -> str:
    """What, besides the URL, chooses the representation: the API negotiates on Accept (JSON
    or the browsable HTML), and a gzip-accepting client gets the compressed body."""
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    return f"{request.get_full_path()}\n{request.META.get('HTTP_ACCEPT', '')}\n{int(gzip)}"


def response_digest(request: HttpRequest, version: data_cache.Version) -> str:
    """Names one representation of one URL under one data version, on one day, as rendered
    by one release of the code: the ETag and the cache key (``response:<digest>``) both come
    from it."""
    named = f"{current_release().digest}\n{version.token}\n{clock.today().isoformat()}\n{_variant(request)}"
    return hashlib.sha256(named.encode()).hexdigest()


def last_modified(version: data_cache.Version) -> datetime:
    """The last committed change, or midnight, or the running code's newest file, whichever
    is latest: pages without ``as_of`` are today's, and "today" changed at midnight; new code
    may render a page differently."""
    midnight = datetime.combine(clock.today(), time_of_day.min, tzinfo=UTC)
    return max(version.changed_at, midnight, current_release().built_at)


class VersionedCacheMiddleware:
    """ETag / Last-Modified / 304 and the whole-response cache for anonymous reads; the data
    version for every read (``mineban.cache.per_version`` uses it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # A connection whose open transaction has written (a test, or a request that wrote
        # earlier in an outer transaction) sees data no version names: no cache, no 304.
        if not _reads_data(request) or data_cache.uncommitted_changes():
            return self.get_response(request)
        version = data_cache.current_version()
        token = data_cache.use_version(version)
        try:
            if is_anonymous(request):
                return self._anonymous(request, version)
            response = self.get_response(request)
            if response.status_code == 200:
                response["Cache-Control"] = "private, no-cache"
            return response
        finally:
            data_cache.reset_version(token)

    def _anonymous(self, request: HttpRequest, version: data_cache.Version) -> HttpResponseBase:
        digest = response_digest(request, version)
        etag = f'W/"{digest[:32]}"'
        modified = last_modified(version)
        # HTTP dates have one-second resolution: two changes within the same second share a
        # Last-Modified, so a client that sends only If-Modified-Since could be told "not
        # modified" across the second one. Clients that got an ETag send If-None-Match, which
        # wins (RFC 9110 13.2.2) and names the exact version.
        not_modified = get_conditional_response(request, etag=etag, last_modified=int(modified.timestamp()))
        if not_modified is not None:
            return self._validators(not_modified, etag, modified, request)
        key = f"response:{digest}"
        response: HttpResponseBase | None = self._cached(key) or self._rendered_by_another(key)
        if response is None:
            response = self._render(request, key)
        if response.status_code == 200:
            self._validators(response, etag, modified, request)
        return response

    def _render(self, request: HttpRequest, key: str) -> HttpResponseBase:
        """Render and store, holding the key's render lock (if nobody else took it meanwhile)."""
        lock = _lock_key(key)
        try:
            locked = cache.add(lock, 1, timeout=RENDER_LOCK_SECONDS)
        except Exception:
            locked = False
        try:
            response = self.get_response(request)
            self._store(key, response)
        finally:
            if locked:
                try:
                    cache.delete(lock)
                except Exception:
                    logger.warning("response cache unavailable", exc_info=True)
        return response

    def _rendered_by_another(self, key: str) -> HttpResponse | None:
        """After a write every URL misses at once, and several workers would render the same
        page side by side. One renders (it holds the key's lock); the others wait for its
        result, up to a bound, then render themselves (a response it did not store, a
        renderer that died)."""
        try:
            if cache.get(_lock_key(key)) is None:
                return None
        except Exception:
            return None
        deadline = time.monotonic() + settings.CACHE_RENDER_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(RENDER_POLL_SECONDS)
            found = self._cached(key)
            if found is not None:
                return found
            try:
                if cache.get(_lock_key(key)) is None:  # rendered, but not stored: not cacheable
                    return None
            except Exception:
                return None
        return None

    @staticmethod
    def _validators(
        response: HttpResponseBase, etag: str, modified: datetime, request: HttpRequest
    ) -> HttpResponseBase:
        # A record read carries its own version (the If-Match an editor sends back): keep it.
        if not response.has_header("ETag"):
            response["ETag"] = etag
        response["Last-Modified"] = http_date(modified.timestamp())
        response["Cache-Control"] = ANONYMOUS_CACHE_CONTROL
        patch_vary_headers(response, ("Cookie", "Authorization", "Accept", "Accept-Encoding"))
        return response

    @staticmethod
    def _cached(key: str) -> HttpResponse | None:
        stored = _local_get(key)
        if stored is None:
            try:
                stored = cache.get(key)
            except Exception:  # a cache that is down is skipped, not waited for
                logger.warning("response cache unavailable", exc_info=True)
                return None
            if stored is None:
                return None
            _local_put(key, stored)
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def _store(key: str, response: HttpResponseBase) -> None:
        if (
            response.status_code != 200
            or not isinstance(response, HttpResponse)  # streaming: not held in memory
            or response.cookies  # a CSRF token or a session: this response is someone's
            or len(response.content) > LARGEST_CACHED
        ):
            return
        headers = [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)]
        _local_put(key, (response.content, headers))
        try:
            cache.set(key, (response.content, headers), timeout=settings.CACHE_RESPONSE_SECONDS)
        except Exception:
            logger.warning("response cache unavailable", exc_info=True)


class AnonymousGZipMiddleware(GZipMiddleware):
    """Compress HTML, JSON, CSV and iCalendar for anonymous readers only.

    BREACH recovers a secret from a compressed response that also reflects an attacker's
    input. Anonymous pages carry no secret; a response for a logged-in user (a CSRF token, a
    session) or one setting a cookie is sent uncompressed.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> Any:
        if (
            not is_anonymous(request)
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or request.path.startswith(("/admin/", "/accounts/"))
        ):
            return response
        return super().process_response(request, response)
