"""Asking for a State's obligations and alerts to be recomputed: the outbox row.

Every service that changes a record affecting obligations calls ``recompute_request`` inside
its transaction. Once the transaction commits, the recompute task is enqueued by name (the
worker lives in ``obligations``, which the core does not import); a broker outage loses
nothing because the row stays pending for the sweep.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from mineban.models import RecomputeRequest

logger = logging.getLogger(__name__)

RECOMPUTE_TASK = "obligations.tasks.recompute_state"

_deferral = threading.local()


def deferring() -> bool:
    """Inside a ``deferred()`` block: rows are written, nothing is enqueued."""
    return bool(getattr(_deferral, "depth", 0))


@contextmanager
def deferred() -> Iterator[bool]:
    """Bulk writes (the reference-data load) record outbox rows but enqueue nothing; the
    caller processes the pending rows itself. Yields whether this is the outermost block."""
    depth = getattr(_deferral, "depth", 0)
    _deferral.depth = depth + 1
    try:
        yield depth == 0
    finally:
        _deferral.depth = depth


def recompute_request(*, country_id: int, treaty_id: int | None = None) -> None:
    """Ask for a State's obligations and alerts to be recomputed after this transaction.

    The pending outbox row is touched (or created) here, so it is locked until the edit
    commits: a worker claiming it meanwhile waits, then sees the edit.
    """
    now = timezone.now()
    pending = RecomputeRequest.objects.filter(country_id=country_id, processed_at__isnull=True)
    # An edit may be the fix for a recompute that failed: it gets a fresh set of tries.
    if not pending.update(requested_at=now, failures=0, next_attempt_at=None, gave_up_at=None):
        try:
            with transaction.atomic():
                RecomputeRequest.objects.create(country_id=country_id, requested_at=now)
        except IntegrityError:  # another transaction created it first: touch theirs
            pending.update(requested_at=now)
    if not deferring():
        transaction.on_commit(partial(recompute_enqueue, country_id=country_id))


def recompute_enqueue(*, country_id: int) -> bool:
    """Hand the recompute to Celery. A broker outage must not fail the edit: the outbox row
    stays pending and the periodic sweep enqueues it again."""
    from mineban.celery import app

    try:
        # By name, through the registry: eager mode (no broker) runs it in-process.
        app.tasks[RECOMPUTE_TASK].apply_async(args=[country_id], retry=False)
    except Exception:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.exception("could not enqueue the recompute of country %s; the sweep will retry", country_id)
        return False
    return True
