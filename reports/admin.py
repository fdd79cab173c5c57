"""Admin for Art. 7 reports, written only through ``reports.services``."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from mineban import clock
from mineban.admin_support import SOURCED_FIELDS, ServiceAdmin, ServiceForm, submitted
from reports import services
from reports.models import Article7Report

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
