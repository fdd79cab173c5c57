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


@signals.after_task_publish.connect  # type: ignore[untyped-decorator]
def _beat_seen(sender: str | None = None, **_: object) -> None:
    """Only beat sends the sweep: the compose healthcheck of beat asks when it last did."""
    from mineban.health import BEAT_TASK, beat_seen

    if sender == BEAT_TASK:
        beat_seen()
