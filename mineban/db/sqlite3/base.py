"""SQLite, with the data version advanced on commit (``mineban.db``)."""

from django.db.backends.sqlite3 import base

from mineban.db import VersionedCommits


class DatabaseWrapper(VersionedCommits, base.DatabaseWrapper):
    pass
