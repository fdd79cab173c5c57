"""The Celery application, configured from Django settings (``CELERY_*`` names)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineban.settings")

app = Celery("mineban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect  # type: ignore[untyped-decorator]
@signals.task_postrun.connect  # type: ignore[untyped-decorator]
def _worker_seen(**_: object) -> None:
    """/readyz asks whether a worker ran anything lately (beat's sweep runs every minute)."""
    from mineban.health import worker_seen

    worker_seen()
