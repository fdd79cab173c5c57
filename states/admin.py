"""Admin for the reference tables and the depositary log.

Depositary actions are written only through ``states.services``: the form runs the service
in a savepoint that is rolled back (so the treaty's rules show as field errors), then
``save_model``/``delete_model`` call it for real, attributed to ``request.user``. Reverting
to a version from the history page calls ``depositary_action_revert``.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mineban.admin_support import ServiceAdmin, ServiceForm, submitted
from states import services
from states.models import Country, DepositaryAction, Treaty, TreatyObligation

# The order in which a State's actions can be deleted: what rests on another goes first.
DELETION_ORDER = {"withdrawal": 0, "consent": 1, "signature": 3}


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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the treaty and its obligations are saved: a changed parameter moves the
        dates of every State under the treaty, so each is recomputed."""
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            services.treaty_terms_changed(treaty=form.instance)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # treaty texts are on https sites; Django 6's default
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class DepositaryActionForm(ServiceForm):
    class Meta:
        model = DepositaryAction
        fields = ["country", "treaty", "kind", *services.EDITABLE_FIELDS]


@admin.register(DepositaryAction)
class DepositaryActionAdmin(ServiceAdmin):
    form = DepositaryActionForm
    list_display = ["country", "treaty", "kind", "consent_type", "action_date", "effective_date", "confirmed"]
    list_filter = ["treaty", "kind", "consent_type"]
    search_fields = ["country__name", "country__iso3", "depositary_reference", "notes", "source_citation"]
    list_select_related = ["country", "treaty"]
    date_hierarchy = "action_date"
    history_list_display = ["action_date", "consent_type", "effective_date"]
    identity_fields = ("country", "treaty", "kind")

    @admin.display(boolean=True)
    def confirmed(self, obj: DepositaryAction) -> bool:
        return obj.confirmed

    def _reverting_to(self, request: HttpRequest) -> int | None:
        """The version being restored, on the history "revert" page."""
        match = request.resolver_match
        if match is None or match.url_name != "states_depositaryaction_simple_history":
            return None
        version = match.kwargs.get("version_id") or match.args[1]  # simple-history's URL is positional
        return int(version)

    def get_readonly_fields(self, request: HttpRequest, obj: DepositaryAction | None = None) -> Any:
        if obj is not None and self._reverting_to(request) is not None:
            # Reverting restores the version as it was: nothing to edit on the way.
            return [f.name for f in DepositaryAction._meta.concrete_fields if f.name != "id"]
        return super().get_readonly_fields(request, obj)

    def service_write(
        self,
        request: HttpRequest,
        form: "forms.ModelForm[Any]",
        existing: models.Model | None,
    ) -> DepositaryAction:
        version = self._reverting_to(request)
        facts = submitted(form, services.EDITABLE_FIELDS)
        if existing is None:
            data = form.cleaned_data
            return services.depositary_action_record(
                country=data["country"],
                treaty=data["treaty"],
                kind=data["kind"],
                action_date=facts.pop("action_date"),
                user=request.user,
                **facts,
            )
        assert isinstance(existing, DepositaryAction)
        if version is not None:
            return services.depositary_action_revert(action=existing, history_id=version, user=request.user)
        return services.depositary_action_update(action=existing, user=request.user, **facts)

    def service_delete(self, request: HttpRequest, obj: DepositaryAction) -> None:
        services.depositary_action_delete(action=obj, user=request.user)

    def deletion_order(self, obj: DepositaryAction) -> int:
        return DELETION_ORDER.get(obj.kind, 2)


# The policy record (meetings, UN General Assembly votes, policy facts): its own module.
from states import policy_admin  # noqa: E402,F401
