"""Admin pages that write only through the services.

A ``ServiceAdmin`` names, in ``service_write`` and ``service_delete``, the service calls a
submission makes. Its form runs the call in a savepoint that is always rolled back, so the
treaty's rules show as field errors (never a 500); then ``save_model``/``delete_model``
make the call for real, attributed to ``request.user``.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from mineban.concurrency import moment_of_version, record_version, state_lock
from mineban.records import SOURCE_REQUIRED, is_cited

BOOKKEEPING_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")
SOURCED_FIELDS = ("source_citation", "source_urls", "notes", "unverified_fields")


class _DryRun(Exception):
    """Rolls back a service call made only to learn whether it would succeed."""


def service_refusal(call: Callable[[], object]) -> ValidationError | None:
    """Run ``call`` in a savepoint that is always rolled back; its ValidationError, if any."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as exc:
        return exc
    except ObjectDoesNotExist:
        return ValidationError("This record no longer exists; it may have been deleted meanwhile.")


def error_messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return error.messages
    return [message for field_messages in error.message_dict.values() for message in field_messages]


class ServiceForm(forms.ModelForm):  # type: ignore[type-arg]
    """Validates by asking the service (see the module docstring), and refuses to save over
    a change made since the form was opened (the version it was opened at rides along)."""

    # Set by ServiceAdmin.get_form: the service call this submission would make.
    trial: Callable[["ServiceForm"], Callable[[], object]] | None = None
    record_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.instance._state.adding:
            self.fields["record_version"].initial = record_version(self.instance)

    def _post_clean(self) -> None:
        """After the model's own checks, which the service would repeat, ask the service."""
        super()._post_clean()  # type: ignore[misc]
        if self.errors or self.trial is None:
            return
        refusal = service_refusal(self.trial(self))
        if refusal is not None:
            self.add_service_errors(refusal)

    def clean(self) -> dict[str, Any]:
        """A new record, or a change to a record's sources, must leave it cited."""
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        self.refuse_stale(cleaned.get("record_version") or "")
        source_fields = {"source_citation", "source_urls"}
        touched = self.instance._state.adding or source_fields & set(self.changed_data)
        cited = is_cited(cleaned.get("source_citation"), cleaned.get("source_urls"))
        if source_fields <= set(self.fields) and touched and not cited:
            self.add_error("source_citation", SOURCE_REQUIRED)
        return cleaned

    def refuse_stale(self, opened_at: str) -> None:
        """The record changed since this form was opened: say what changed and save nothing.

        The State is locked first (the admin saves in the same transaction), so no change
        can slip in between this check and the save."""
        instance = self.instance
        if instance.pk is None or instance._state.adding or not opened_at:
            return
        state_id = _state_id(instance)
        if state_id is not None:
            state_lock(country_id=state_id)
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        if current is None:
            raise ValidationError("This record was deleted since you opened it; nothing was saved.")
        if record_version(current) == opened_at:
            return
        changed = _changes_since(current, opened_at)
        detail = "; ".join(f"{name}: {old!r} → {new!r}" for name, (old, new) in changed.items())
        raise ValidationError(
            "Someone changed this record since you opened it, and nothing was saved"
            + (f" ({detail})" if detail else "")
            + ". Reload the page to see the record as it is now, then make your change again."
        )

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, field_messages in error.message_dict.items():
            target = field if field in self.fields else None
            prefix = (
                "" if target or field == NON_FIELD_ERRORS else f"{field.replace('_', ' ').capitalize()}: "
            )
            for message in field_messages:
                self.add_error(target, f"{prefix}{message}")


def _state_id(instance: models.Model) -> Any:
    """The State a record belongs to (its own, or its obligation's)."""
    if hasattr(instance, "country_id"):
        return instance.country_id
    obligation = getattr(instance, "obligation", None)
    return getattr(obligation, "country_id", None)


def _changes_since(current: models.Model, version: str) -> dict[str, tuple[Any, Any]]:
    """Per field, the value in the version the form was opened at and the value now."""
    moment = moment_of_version(version)
    history = getattr(current, "history", None)
    if moment is None or history is None:
        return {}
    opened = history.filter(updated_at=moment).order_by("history_id").last()
    if opened is None:
        return {}
    names = [
        f.name
        for f in current._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at", "created_by", "updated_by")
    ]
    changed = {}
    for name in names:
        before, now = _value(opened, current, name), _value(current, current, name)
        if before != now:
            changed[name] = (before, now)
    return changed


def _is_relation(model: models.Model, name: str) -> bool:
    return bool(model._meta.get_field(name).is_relation)


def _value(record: Any, model: models.Model, name: str) -> Any:
    return getattr(record, f"{name}_id") if _is_relation(model, name) else getattr(record, name)


def submitted(form: forms.ModelForm, names: tuple[str, ...]) -> dict[str, Any]:  # type: ignore[type-arg]
    """The cleaned values of the fields in ``names`` the form has (read-only ones are absent)."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class ServiceAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """Adds, changes and deletes through services. Subclasses implement ``service_write``
    (and ``service_delete`` unless they refuse deletion)."""

    form = ServiceForm
    # Set on change pages: fields naming what the record is about.
    identity_fields: tuple[str, ...] = ()
    bookkeeping_fields: tuple[str, ...] = BOOKKEEPING_FIELDS

    # --- hooks -------------------------------------------------------------------------

    def service_write(
        self,
        request: HttpRequest,
        form: "forms.ModelForm[Any]",
        existing: models.Model | None,
    ) -> models.Model:
        """Record (``existing`` is None) or update ``existing`` from the form; return it saved."""
        raise NotImplementedError

    def service_delete(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def deletion_order(self, obj: Any) -> Any:
        """Bulk deletes go in this order (what rests on another goes first)."""
        return 0

    # --- forms -------------------------------------------------------------------------

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.bookkeeping_fields
        return (*self.identity_fields, *self.bookkeeping_fields)

    def _existing(self, instance: models.Model) -> models.Model | None:
        if instance.pk is None or instance._state.adding:
            return None
        return type(instance)._default_manager.get(pk=instance.pk)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)

        def trial(form: ServiceForm) -> Callable[[], object]:
            return lambda: self.service_write(request, form, self._existing(form.instance))

        return type(form_class.__name__, (form_class,), {"trial": staticmethod(trial)})

    # --- writes through the services ---------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.service_write(request, form, self._existing(obj) if change else None)
        # The admin logs and redirects with the object it passed in: give it the saved one.
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing related to save: no many-to-many fields, inlines are read-only."""

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        return super().construct_change_message(request, form, [], add)  # read-only inlines: no changes

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.service_delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in sorted(queryset, key=self.deletion_order):
            self.service_delete(request, obj)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Refuse, with the service's reason, a deletion the rules forbid."""
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and obj is not None and self.has_delete_permission(request, obj):
            refusal = service_refusal(lambda: self.service_delete(request, obj))
            if refusal is not None:
                for message in error_messages(refusal):
                    self.message_user(request, message, messages.ERROR)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[obj.pk],
                        current_app=self.admin_site.name,
                    )
                )
        response: HttpResponse = super().delete_view(request, object_id, extra_context)
        return response

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_through_services, name, description)
        return actions


@admin.action(permissions=["delete"], description="Delete selected records")
def delete_selected_through_services(
    modeladmin: ServiceAdmin, request: HttpRequest, queryset: QuerySet[Any]
) -> Any:
    """Django's bulk delete, refused as a whole when the services refuse one record."""
    if request.POST.get("post"):
        refusal = service_refusal(lambda: modeladmin.delete_queryset(request, queryset))
        if refusal is not None:
            for message in error_messages(refusal):
                modeladmin.message_user(request, f"Nothing deleted: {message}", messages.ERROR)
            return None
    return delete_selected(modeladmin, request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For what only the pipeline writes: operators inspect, nobody edits."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
