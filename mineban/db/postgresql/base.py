"""PostgreSQL, with the data version advanced on commit (``mineban.db``)."""

from django.db.backends.postgresql import base

from mineban.db import VersionedCommits


class DatabaseWrapper(VersionedCommits, base.DatabaseWrapper):
    pass
