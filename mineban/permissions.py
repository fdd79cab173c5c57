"""Who may change the record: the ``editors`` group (and superusers); everyone may read.

``EDITABLE_MODELS`` is the one list of models editors maintain. The group and its
permissions are (re)synchronised after every ``migrate``, so a model added to the list
gets its permissions on the next deploy without a data migration.
"""

from typing import TYPE_CHECKING, Any

from django.apps import apps as global_apps
from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:  # DRF's views import the permission classes named in settings: no cycle
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from rest_framework.request import Request
    from rest_framework.views import APIView

EDITORS_GROUP = "editors"
# "app_label.model_name" of every model editors add, change and delete.
EDITABLE_MODELS = (
    "states.depositaryaction",
    "obligations.obligation",
    "obligations.extension",
    "obligations.completion",
    "obligations.extensionrequest",
    "obligations.article7report",
    "states.meeting",
    "states.meetingattendance",
    "states.ungaresolution",
    "states.ungavote",
    "states.policyfact",
)
EDITOR_ACTIONS = ("add", "change", "delete", "view")


def is_editor(user: "AbstractBaseUser | AnonymousUser | None") -> bool:
    """An authenticated, active superuser or member of the editors group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    groups = getattr(user, "groups", None)  # absent on a custom user model without PermissionsMixin
    return groups is not None and bool(groups.filter(name=EDITORS_GROUP).exists())


def editors_group_sync(*, using: str = "default", apps: Any = global_apps, **_: Any) -> None:
    """Create the editors group and grant it add/change/delete/view on ``EDITABLE_MODELS``.

    Idempotent; connected to ``post_migrate`` (which runs once per app, so permissions of a
    model whose app migrates later are picked up by that app's signal).
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth is not migrated (yet) in this database
        return
    group, _created = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    for label in EDITABLE_MODELS:
        app_label, model_name = label.split(".")
        permissions = Permission.objects.using(using).filter(
            content_type__app_label=app_label,
            content_type__model=model_name,
            codename__in=[f"{action}_{model_name}" for action in EDITOR_ACTIONS],
        )
        group.permissions.add(*permissions)


class IsEditorOrReadOnly(BasePermission):
    """Anyone may read; only editors (or superusers) may write."""

    message = "Only members of the editors group may change the record."

    def has_permission(self, request: "Request", view: "APIView") -> bool:
        return request.method in SAFE_METHODS or is_editor(request.user)
