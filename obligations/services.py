"""Writes that keep obligations and alerts true."""


def recompute_request(*, country_id: int, treaty_id: int | None = None) -> None:
    """Ask for a State's obligations and alerts to be recomputed after this transaction.

    Called by every service that changes a record affecting obligations, inside its
    transaction. The obligations pipeline (outbox + Celery task) hangs off this one call.
    """
