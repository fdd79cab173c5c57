from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "obligations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        # Register the Celery tasks in every process, not only in workers (whose start
        # imports them): the web process enqueues the recompute by name, and without a broker
        # runs it in-process. Celery's lazy autodiscovery would leave it unregistered there.
        from obligations import tasks  # noqa: F401
        from obligations.receivers import meeting_saved
        from states.models import Meeting

        # A meeting recorded or corrected: the extensions and requests naming it follow.
        post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="obligations.meeting_saved")
