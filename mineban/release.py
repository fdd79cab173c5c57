"""The running code's release, for the response cache and its validators.

Whole responses are cached in Redis under the data version, and Redis outlives a deployment:
without the release in the key, new code would serve pages the previous code rendered until
the next edit. The release is a digest of the files that render responses (code, templates,
static files), read once per process, and the time of the newest of them.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings

SKIPPED = {"__pycache__"}


@dataclass(frozen=True)
class Release:
    digest: str
    built_at: datetime


def release_of(roots: tuple[Path, ...]) -> Release:
    """The digest of every file under ``roots`` (paths and contents, in a fixed order) and
    the modification time of the newest."""
    digest = hashlib.sha256()
    newest = 0.0
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file() and not SKIPPED & set(p.parts))
        for path in files:
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
            newest = max(newest, path.stat().st_mtime)
    return Release(digest.hexdigest()[:16], datetime.fromtimestamp(int(newest), tz=UTC))


@lru_cache(maxsize=4)
def _release(roots: tuple[Path, ...]) -> Release:
    return release_of(roots)


def current_release() -> Release:
    """This process's release (computed on first use: the files do not change under it)."""
    return _release(tuple(Path(root) for root in settings.MINEBAN_RELEASE_SOURCES))


def release_forget() -> None:
    """Read the files again on next use (a test standing for a new deployment)."""
    _release.cache_clear()
