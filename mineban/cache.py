"""The data version, and what is cached under it.

Every write that changes what readers see calls ``data_changed()`` in its transaction
(``mineban.records`` for every service's save and delete, the recompute pipeline when it
changes snapshots or alerts, a treaty-terms change, the reference-data load); the version
advances as that transaction commits (``mineban.db``). A reader asks for the version once
per request (one query, ``current_version``) and keys whatever it caches by it: a committed
change makes new keys, so nothing is invalidated by hand and nothing stale can be served.

Two caches use it: whole anonymous responses in the Django cache, shared by every process
(``mineban.middleware``), and ``per_version``, an in-process memo of expensive reads (the
all-States evaluation per ``as_of``) that serves the pages rendered on a response-cache miss.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import connection, models

from mineban.db import advance
from mineban.models import DataVersion


@dataclass(frozen=True)
class Version:
    token: str
    serial: int
    changed_at: datetime


# Before the first recorded change (a database loaded by bulk inserts and never written since).
INITIAL = Version("initial", 0, datetime(2000, 1, 1, tzinfo=UTC))

# The version the current request read; set by the response middleware for reads.
_request_version: ContextVar[Version | None] = ContextVar("mineban_data_version", default=None)


def data_changed() -> None:
    """This transaction changed what readers see: the version advances when it commits.

    Outside a transaction the write has already committed: the version advances at once.
    """
    if connection.in_atomic_block:
        connection.mineban_data_changed = True  # type: ignore[attr-defined]
    else:
        advance(connection)
    # A read later in this request must not use the version read before the write.
    _request_version.set(None)


def uncommitted_changes() -> bool:
    """This connection's open transaction changed data that no version names yet: its own
    reads must bypass every cache (they see what others cannot)."""
    return bool(getattr(connection, "mineban_data_changed", False))


def current_version() -> Version:
    """The committed data version: one query on a one-row table."""
    row = DataVersion.objects.filter(pk=1).values_list("token", "serial", "changed_at").first()
    return INITIAL if row is None else Version(*row)


def request_version() -> Version | None:
    return _request_version.get()


def use_version(version: Version | None) -> Any:
    """Make ``version`` the current request's; returns a token for ``reset_version``."""
    return _request_version.set(version)


def reset_version(token: Any) -> None:
    _request_version.reset(token)


# --- The in-process memo ---------------------------------------------------------------------

P = ParamSpec("P")
R = TypeVar("R")

# Enough for every page's variant of today and a few ``as_of`` dates; least recently used
# entries go first, so arbitrary ``as_of`` values cannot grow it without bound.
MEMO_ENTRIES = 32
_memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_memo_lock = threading.Lock()


def _key_part(value: Any) -> Any:
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    if isinstance(value, date):
        return value.isoformat()
    return value


def per_version(read: Callable[P, list[R]]) -> Callable[P, list[R]]:
    """Memoise a keyword-only read returning a list, per data version, in this process.

    Only inside a request that read the version (``mineban.middleware``): commands, tasks
    and a transaction that has written always read afresh. Callers get their own list; the
    rows in it are shared and must not be changed.
    """

    @wraps(read)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> list[R]:
        version = _request_version.get()
        if version is None or args or uncommitted_changes():
            return read(*args, **kwargs)
        # An argument left at None is the same call as one not given.
        given = sorted((k, _key_part(v)) for k, v in kwargs.items() if v is not None)
        key = (read.__qualname__, version.token, *given)
        with _memo_lock:
            found = _memo.get(key)
            if found is not None:
                _memo.move_to_end(key)
                return list(found)
        rows = read(*args, **kwargs)
        with _memo_lock:
            _memo[key] = rows
            while len(_memo) > MEMO_ENTRIES:
                _memo.popitem(last=False)
        return list(rows)

    return wrapper


def memo_clear() -> None:
    with _memo_lock:
        _memo.clear()
