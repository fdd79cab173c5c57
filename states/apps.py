from django.apps import AppConfig


class StatesConfig(AppConfig):
    name = "states"
    default_auto_field = "django.db.models.BigAutoField"
