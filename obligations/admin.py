"""Admin for obligations and the facts editors record about them.

Extensions, completions and notes on obligations are written only through
``obligations.services`` (see ``mineban.admin_support``). Status and deadlines are the
recompute pipeline's snapshot: shown, never edited. Alerts and recompute requests are the
pipeline's own records: operators inspect them read-only.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from mineban import clock
from mineban.admin_support import SOURCED_FIELDS, ReadOnlyAdmin, ServiceAdmin, ServiceForm, submitted
from mineban.models import RecomputeRequest
from obligations import services
from obligations.models import Alert, Article7Report, Completion, Extension, ExtensionRequest, Obligation

EXTENSION_FIELDS = ("meeting", "requested_on", "granted_on", "new_deadline", *SOURCED_FIELDS)
COMPLETION_FIELDS = (*services.COMPLETION_FIELDS, *SOURCED_FIELDS)
OBLIGATION_FIELDS = services.OBLIGATION_FIELDS
REQUEST_FIELDS = services.REQUEST_FIELDS
SNAPSHOT_FIELDS = ("status", "original_deadline", "current_deadline")


class FactInline(admin.TabularInline):  # type: ignore[type-arg]
    """An obligation's facts, listed with a link to their own (service-backed) page."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExtensionInline(FactInline):
    model = Extension
    fields = ["meeting", "requested_on", "granted_on", "new_deadline"]
    readonly_fields = fields


class CompletionInline(FactInline):
    model = Completion
    fields = ["kind", "completed_on", "reported_on", "reopened_on", "second_completed_on", "status_note"]
    readonly_fields = fields


class ExtensionRequestInline(FactInline):
    model = ExtensionRequest
    fields = ["meeting", "submitted_on", "requested_deadline", "outcome", "outcome_note", "extension"]
    readonly_fields = fields


class ObligationForm(ServiceForm):
    class Meta:
        model = Obligation
        fields = ["country", "terms", *OBLIGATION_FIELDS]


@admin.register(Obligation)
class ObligationAdmin(ServiceAdmin):
    """Read-mostly: the pipeline creates report obligations; editors record that a State
    owes stockpile destruction or clearance, and keep its notes."""

    form = ObligationForm
    list_display = ["country", "treaty", "terms", "status", "original_deadline", "current_deadline"]
    list_filter = ["treaty", "status", "terms__kind"]
    search_fields = ["country__name", "country__iso3"]
    list_select_related = ["country", "treaty", "terms__treaty"]
    autocomplete_fields = ["country"]
    inlines = [ExtensionInline, ExtensionRequestInline, CompletionInline]
    identity_fields = ("country", "treaty", "terms")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*super().get_readonly_fields(request, obj), *SNAPSHOT_FIELDS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # extensions, completions and alerts rest on it; no service deletes it

    def service_write(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        existing: models.Model | None,  # type: ignore[type-arg]
    ) -> Obligation:
        subject = existing if isinstance(existing, Obligation) else None
        country = subject.country if subject else form.cleaned_data["country"]
        terms = subject.terms if subject else form.cleaned_data["terms"]
        return services.obligation_record(
            country=country,
            treaty=terms.treaty,
            code=terms.code,
            user=request.user,
            **submitted(form, OBLIGATION_FIELDS),
        )


class ExtensionForm(ServiceForm):
    class Meta:
        model = Extension
        fields = ["obligation", *EXTENSION_FIELDS]


@admin.register(Extension)
class ExtensionAdmin(ServiceAdmin):
    form = ExtensionForm
    list_display = ["obligation", "meeting", "requested_on", "granted_on", "new_deadline"]
    list_filter = ["obligation__treaty", "obligation__terms__code", "meeting"]
    search_fields = ["obligation__country__name", "obligation__country__iso3", "meeting"]
    list_select_related = ["obligation__country", "obligation__treaty", "obligation__terms"]
    autocomplete_fields = ["obligation"]
    date_hierarchy = "granted_on"
    history_list_display = ["granted_on", "new_deadline"]
    identity_fields = ("obligation",)

    def service_write(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        existing: models.Model | None,  # type: ignore[type-arg]
    ) -> Extension:
        facts = submitted(form, EXTENSION_FIELDS)
        if isinstance(existing, Extension):
            return services.extension_update(extension=existing, user=request.user, **facts)
        return services.extension_grant(
            obligation=form.cleaned_data["obligation"], user=request.user, **facts
        )

    def service_delete(self, request: HttpRequest, obj: Extension) -> None:
        services.extension_delete(extension=obj, user=request.user)


class ExtensionRequestForm(ServiceForm):
    class Meta:
        model = ExtensionRequest
        fields = ["obligation", *REQUEST_FIELDS]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ServiceAdmin):
    form = ExtensionRequestForm
    list_display = ["obligation", "meeting", "submitted_on", "requested_deadline", "outcome"]
    list_filter = ["obligation__treaty", "outcome", "meeting"]
    search_fields = ["obligation__country__name", "obligation__country__iso3", "meeting"]
    list_select_related = ["obligation__country", "obligation__treaty", "obligation__terms"]
    autocomplete_fields = ["obligation", "extension"]
    history_list_display = ["meeting", "outcome"]
    identity_fields = ("obligation",)

    def service_write(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        existing: models.Model | None,  # type: ignore[type-arg]
    ) -> ExtensionRequest:
        facts = submitted(form, REQUEST_FIELDS)
        if isinstance(existing, ExtensionRequest):
            return services.extension_request_update(request=existing, user=request.user, **facts)
        return services.extension_request_record(
            obligation=form.cleaned_data["obligation"], user=request.user, **facts
        )

    def service_delete(self, request: HttpRequest, obj: ExtensionRequest) -> None:
        services.extension_request_delete(request=obj, user=request.user)


class CompletionForm(ServiceForm):
    class Meta:
        model = Completion
        fields = ["obligation", *COMPLETION_FIELDS]


@admin.register(Completion)
class CompletionAdmin(ServiceAdmin):
    form = CompletionForm
    list_display = ["obligation", "kind", "completed_on", "reported_on", "reopened_on", "second_completed_on"]
    list_filter = ["obligation__treaty", "obligation__terms__code", "kind"]
    search_fields = ["obligation__country__name", "obligation__country__iso3", "status_note"]
    list_select_related = ["obligation__country", "obligation__treaty", "obligation__terms"]
    autocomplete_fields = ["obligation"]
    history_list_display = ["kind", "completed_on", "reopened_on"]
    identity_fields = ("obligation",)

    def service_write(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        existing: models.Model | None,  # type: ignore[type-arg]
    ) -> Completion:
        facts = submitted(form, COMPLETION_FIELDS)
        if isinstance(existing, Completion):
            return services.completion_update(completion=existing, user=request.user, **facts)
        return services.completion_record(
            obligation=form.cleaned_data["obligation"], user=request.user, **facts
        )

    def service_delete(self, request: HttpRequest, obj: Completion) -> None:
        services.completion_delete(completion=obj, user=request.user)


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = [
        "country",
        "treaty",
        "obligation",
        "kind",
        "severity",
        "due_date",
        "opened_at",
        "resolved_at",
    ]
    list_filter = ["treaty", "kind", "severity", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["country__name", "country__iso3", "message"]
    list_select_related = [
        "country",
        "treaty",
        "obligation__country",
        "obligation__treaty",
        "obligation__terms",
    ]
    date_hierarchy = "due_date"


@admin.register(RecomputeRequest)
class RecomputeRequestAdmin(ReadOnlyAdmin):
    """The outbox; a row with "given up" set is an operator alert: that State's recompute
    failed RECOMPUTE_MAX_FAILURES times in a row (the error is on the row)."""

    list_display = [
        "country",
        "requested_at",
        "processed_at",
        "attempts",
        "failures",
        "next_attempt_at",
        "gave_up_at",
        "last_error",
    ]
    list_filter = [
        ("processed_at", admin.EmptyFieldListFilter),
        ("gave_up_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["country__name", "country__iso3"]
    list_select_related = ["country"]


REPORT_FIELDS = ("kind", "covered_year", "submitted_on", *SOURCED_FIELDS)


class Article7ReportForm(ServiceForm):
    class Meta:
        model = Article7Report
        fields = ["country", "treaty", *REPORT_FIELDS]


@admin.register(Article7Report)
class Article7ReportAdmin(ServiceAdmin):
    form = Article7ReportForm
    list_display = ["country", "treaty", "kind", "covered_year", "submitted_on"]
    list_filter = ["treaty", "kind", "covered_year"]
    search_fields = ["country__name", "country__iso3"]
    list_select_related = ["country", "treaty"]
    autocomplete_fields = ["country"]
    date_hierarchy = "submitted_on"
    history_list_display = ["kind", "covered_year", "submitted_on"]
    identity_fields = ("country", "treaty")

    def service_write(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        existing: models.Model | None,  # type: ignore[type-arg]
    ) -> Article7Report:
        facts: dict[str, Any] = submitted(form, REPORT_FIELDS)
        today = clock.today()
        if isinstance(existing, Article7Report):
            return services.article7_report_update(report=existing, user=request.user, today=today, **facts)
        return services.article7_report_record(
            country=form.cleaned_data["country"],
            treaty=form.cleaned_data["treaty"],
            kind=facts.pop("kind"),
            submitted_on=facts.pop("submitted_on"),
            user=request.user,
            today=today,
            **facts,
        )

    def service_delete(self, request: HttpRequest, obj: Article7Report) -> None:
        services.article7_report_delete(report=obj, user=request.user)
