from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "obligations"
    default_auto_field = "django.db.models.BigAutoField"
