"""Database backends: Django's own, with the data version advanced as a commit's last step.

``mineban.cache.data_changed()`` marks the connection's transaction; when that transaction
commits, the one ``DataVersion`` row gets a new token in the same transaction, immediately
before the COMMIT. Taking that row's lock last, after every other lock the transaction
holds, means it can never be part of a deadlock (an editor's save and a worker's recompute
lock their own rows in different orders; neither waits for anything once it holds this one).
"""

import secrets
from typing import Any

from django.utils import timezone

# Raw SQL (both PostgreSQL and SQLite >= 3.24 understand the upsert): backends load before the
# app registry, so the model cannot be imported here. The table is mineban.models.DataVersion's.
ADVANCE = (
    "INSERT INTO mineban_dataversion (id, token, serial, changed_at) VALUES (1, %s, 1, %s) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token, "
    "serial = mineban_dataversion.serial + 1, changed_at = excluded.changed_at"
)


def advance(connection: Any) -> None:
    """A new data version, in the connection's current transaction (or on its own)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(ADVANCE, [secrets.token_hex(16), now])


class VersionedCommits:
    """Mixed into a backend's DatabaseWrapper."""

    mineban_data_changed = False

    def connect(self) -> None:
        self.mineban_data_changed = False
        super().connect()  # type: ignore[misc]

    def _commit(self) -> None:
        if self.mineban_data_changed:
            self.mineban_data_changed = False
            advance(self)
        super()._commit()  # type: ignore[misc]

    def _rollback(self) -> None:
        self.mineban_data_changed = False
        super()._rollback()  # type: ignore[misc]
