from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MinebanConfig(AppConfig):
    name = "mineban"
    verbose_name = "mineban core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mineban.permissions import editors_group_sync

        # Not a model signal with domain logic: it keeps the editors group's permissions
        # in step with mineban.permissions.EDITABLE_MODELS after every migrate.
        post_migrate.connect(editors_group_sync, dispatch_uid="mineban_editors_group_sync")
