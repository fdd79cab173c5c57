from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "obligations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the Celery tasks in every process, not only in workers (whose start
        # imports them): the web process enqueues the recompute by name, and without a broker
        # runs it in-process. Celery's lazy autodiscovery would leave it unregistered there.
        from obligations import tasks  # noqa: F401
