"""The recompute outbox: the one model the core owns.

Every app that changes a record affecting a State's obligations writes a row here in its own
transaction (``mineban.recompute.recompute_request``); the obligations app's worker claims
and processes it. It lives in the core so that writers below ``obligations`` (participation
records in ``states``) can ask for a recompute without importing the app that does it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RecomputeRequest(models.Model):
    """Outbox: a State whose obligations and alerts must be recomputed.

    Written in the same transaction as the edit that calls for it; a worker claims it with
    a conditional UPDATE (``processed_at IS NULL``) and a periodic sweep re-enqueues rows the
    broker lost. At most one pending row per State, so a burst of edits collapses into one.
    """

    country = models.ForeignKey(
        settings.MINEBAN_STATE_MODEL, on_delete=models.CASCADE, related_name="recompute_requests"
    )
    requested_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # A recompute that raised: how often in a row, the last error, when to try again; after
    # RECOMPUTE_MAX_FAILURES it is given up (an operator is alerted) until the State is edited.
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(processed_at__isnull=True),
                name="recompute_one_pending_per_state",
            ),
        ]
        indexes = [
            # Serves the sweep: pending rows, oldest first.
            models.Index(
                fields=["requested_at"], condition=Q(processed_at__isnull=True), name="recompute_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"recompute {self.country_id} requested {self.requested_at:%Y-%m-%d %H:%M:%S}"


class DataVersion(models.Model):
    """One row: changes whenever a transaction that changed what readers see commits.

    Every cached page, API response and evaluation is keyed by ``token`` (``mineban.cache``),
    so a committed change makes new keys and nothing has to be invalidated by hand. The token
    is random rather than a counter so that a value seen inside a transaction that was then
    rolled back can never come back with other data behind it.
    """

    token = models.CharField(max_length=32)
    serial = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"data version {self.serial} ({self.token}) at {self.changed_at:%Y-%m-%d %H:%M:%S}"
