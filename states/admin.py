"""Admin for the reference tables and the depositary log.

Depositary actions are written only through ``states.services``: the form runs the service
in a savepoint that is rolled back (so the treaty's rules show as field errors), then
``save_model``/``delete_model`` call it for real, attributed to ``request.user``. Reverting
to a version from the history page calls ``depositary_action_revert``.
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

from states import services
from states.models import Country, DepositaryAction, Treaty, TreatyObligation

# The order in which a State's actions can be deleted: what rests on another goes first.
DELETION_ORDER = {"withdrawal": 0, "consent": 1, "signature": 3}


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
        return ValidationError("This action no longer exists; it may have been deleted meanwhile.")


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return error.messages
    return [message for field_messages in error.message_dict.values() for message in field_messages]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-mostly: countries come from UN M49 through ``load_reference_data``."""

    list_display = ["name", "iso3", "iso2", "region", "sub_region", "un_member"]
    list_filter = ["region", "un_member"]
    search_fields = ["name", "formal_name", "iso3", "iso2"]
    ordering = ["name"]
    readonly_fields = ["iso3", "iso2", "m49_code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Country | None = None) -> bool:
        return False


class TreatyObligationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TreatyObligation
    extra = 0
    fields = [
        "position",
        "code",
        "article",
        "title",
        "kind",
        "period_months",
        "period_days",
        "extendable",
        "max_extension_months",
        "annual_due_month",
        "annual_due_day",
    ]


@admin.register(Treaty)
class TreatyAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["code", "short_name", "adopted_on", "entry_into_force", "eif_threshold", "position"]
    search_fields = ["code", "short_name", "name"]
    inlines = [TreatyObligationInline]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # treaty texts are on https sites; Django 6's default
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class DepositaryActionForm(forms.ModelForm):  # type: ignore[type-arg]
    """Validates by asking the service (see the module docstring)."""

    class Meta:
        model = DepositaryAction
        fields = ["country", "treaty", "kind", *services.EDITABLE_FIELDS]

    # Set by the admin's get_form: the service call this submission would make.
    trial: Callable[["DepositaryActionForm"], Callable[[], object]] | None = None

    def _post_clean(self) -> None:
        """After the model's own checks, which the service would repeat, ask the service."""
        super()._post_clean()  # type: ignore[misc]
        if self.errors or self.trial is None:
            return
        refusal = service_refusal(self.trial(self))
        if refusal is not None:
            self._add_service_errors(refusal)

    def _add_service_errors(self, error: ValidationError) -> None:
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


def _facts(form: forms.ModelForm) -> dict[str, Any]:  # type: ignore[type-arg]
    return {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data}


@admin.register(DepositaryAction)
class DepositaryActionAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    form = DepositaryActionForm
    list_display = ["country", "treaty", "kind", "consent_type", "action_date", "effective_date", "confirmed"]
    list_filter = ["treaty", "kind", "consent_type"]
    search_fields = ["country__name", "country__iso3", "depositary_reference", "notes", "source_citation"]
    list_select_related = ["country", "treaty"]
    date_hierarchy = "action_date"
    history_list_display = ["action_date", "consent_type", "effective_date"]
    identity_fields = ("country", "treaty", "kind")
    bookkeeping_fields = ("created_at", "created_by", "updated_at", "updated_by")

    @admin.display(boolean=True)
    def confirmed(self, obj: DepositaryAction) -> bool:
        return obj.confirmed

    # --- which form, which service -----------------------------------------------------

    def _reverting_to(self, request: HttpRequest) -> int | None:
        """The version being restored, on the history "revert" page."""
        match = request.resolver_match
        if match is None or match.url_name != "states_depositaryaction_simple_history":
            return None
        version = match.kwargs.get("version_id") or match.args[1]  # simple-history's URL is positional
        return int(version)

    def get_readonly_fields(self, request: HttpRequest, obj: DepositaryAction | None = None) -> Any:
        if obj is None:
            return self.bookkeeping_fields
        if self._reverting_to(request) is not None:
            # Reverting restores the version as it was: nothing to edit on the way.
            return [f.name for f in DepositaryAction._meta.concrete_fields if f.name != "id"]
        return (*self.identity_fields, *self.bookkeeping_fields)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        version = self._reverting_to(request)
        user = request.user

        def trial(form: DepositaryActionForm) -> Callable[[], object]:
            instance = form.instance
            if version is not None:
                return lambda: services.depositary_action_revert(
                    action=DepositaryAction.objects.get(pk=instance.pk), history_id=version, user=user
                )
            if instance.pk is None or instance._state.adding:
                return lambda: services.depositary_action_record(
                    country=form.cleaned_data["country"],
                    treaty=form.cleaned_data["treaty"],
                    kind=form.cleaned_data["kind"],
                    action_date=form.cleaned_data["action_date"],
                    user=user,
                    **{k: v for k, v in _facts(form).items() if k != "action_date"},
                )
            return lambda: services.depositary_action_update(
                action=DepositaryAction.objects.get(pk=instance.pk), user=user, **_facts(form)
            )

        return type(form_class.__name__, (form_class,), {"trial": staticmethod(trial)})

    # --- writes through the services ----------------------------------------------------

    def save_model(self, request: HttpRequest, obj: DepositaryAction, form: Any, change: bool) -> None:
        version = self._reverting_to(request)
        if version is not None:
            saved = services.depositary_action_revert(
                action=DepositaryAction.objects.get(pk=obj.pk), history_id=version, user=request.user
            )
        elif not change:
            facts = _facts(form)
            saved = services.depositary_action_record(
                country=obj.country,
                treaty=obj.treaty,
                kind=obj.kind,
                action_date=facts.pop("action_date"),
                user=request.user,
                **facts,
            )
        else:
            saved = services.depositary_action_update(
                action=DepositaryAction.objects.get(pk=obj.pk), user=request.user, **_facts(form)
            )
        # The admin logs and redirects with the object it passed in: give it the saved one.
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing related to save: no many-to-many fields, no inlines."""

    def delete_model(self, request: HttpRequest, obj: DepositaryAction) -> None:
        services.depositary_action_delete(action=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DepositaryAction]) -> None:
        for action in sorted(queryset, key=lambda a: DELETION_ORDER.get(a.kind, 2)):
            services.depositary_action_delete(action=action, user=request.user)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Refuse, with the service's reason, a deletion other actions rest on."""
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and obj is not None and self.has_delete_permission(request, obj):
            refusal = service_refusal(
                lambda: services.depositary_action_delete(action=obj, user=request.user)
            )
            if refusal is not None:
                for message in _messages(refusal):
                    self.message_user(request, message, messages.ERROR)
                return HttpResponseRedirect(
                    reverse(
                        "admin:states_depositaryaction_change",
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
            actions["delete_selected"] = (self.delete_selected_through_services, name, description)
        return actions

    @staticmethod
    @admin.action(permissions=["delete"], description="Delete selected depositary actions")
    def delete_selected_through_services(
        modeladmin: "DepositaryActionAdmin", request: HttpRequest, queryset: QuerySet[DepositaryAction]
    ) -> Any:
        """Django's bulk delete, refused as a whole when the services refuse one action."""
        if request.POST.get("post"):
            refusal = service_refusal(lambda: modeladmin.delete_queryset(request, queryset))
            if refusal is not None:
                for message in _messages(refusal):
                    modeladmin.message_user(request, f"Nothing deleted: {message}", messages.ERROR)
                return None
        return delete_selected(modeladmin, request, queryset)
