"""Celery tasks: a few lines each, JSON arguments only (ids), work done by services."""

import logging

from celery import shared_task
from django.conf import settings

from mineban import clock
from obligations import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)  # type: ignore[untyped-decorator]
def recompute_state(country_id: int) -> dict[str, int] | None:
    """Claim the State's pending outbox row and recompute it (a no-op when already done)."""
    result = services.recompute_claim_and_run(country_id=country_id, as_of=clock.today())
    return None if result is None else {"opened": result.opened, "resolved": result.resolved}


@shared_task(acks_late=True)  # type: ignore[untyped-decorator]
def recompute_sweep() -> int:
    """Re-enqueue outbox rows the broker lost (an outage at save time, a killed worker)."""
    country_ids = services.recompute_sweep(older_than_seconds=settings.RECOMPUTE_SWEEP_AFTER_SECONDS)
    for country_id in country_ids:
        recompute_state.apply_async(args=[country_id])
    return len(country_ids)


@shared_task(acks_late=True)  # type: ignore[untyped-decorator]
def recompute_all() -> dict[str, int]:
    """Every State as of today: deadlines approach and pass without anyone editing."""
    result = services.obligations_recompute_all(as_of=clock.today())
    logger.info("recomputed %s States: %s opened, %s resolved", result.states, result.opened, result.resolved)
    return {"states": result.states, "opened": result.opened, "resolved": result.resolved}


__all__ = ["recompute_all", "recompute_state", "recompute_sweep"]
