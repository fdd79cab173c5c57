"""Write API for Article 7 reports, shaped like ``states.api.editing`` (whose parts it reuses)."""

from typing import Any

import django_filters
from rest_framework import serializers

from mineban import changes, clock
from reports import services
from reports.models import Article7Report
from states.api.editing import (
    CitedInputMixin,
    EditorNameField,
    RecordViewSet,
    StateField,
    StrictInputSerializer,
    TreatyField,
    records_schema,
)

IDENTITY_FIELDS = ("state", "treaty")


class Article7ReportFactsInputSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=Article7Report.Kind.choices)
    covered_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1997, help_text="Annual updates: the year covered."
    )
    submitted_on = serializers.DateField()
    source_citation = serializers.CharField(required=False, allow_blank=True)
    source_urls = serializers.ListField(child=serializers.URLField(), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    unverified_fields = serializers.ListField(child=serializers.CharField(), required=False)


class Article7ReportCreateInputSerializer(CitedInputMixin, Article7ReportFactsInputSerializer):
    state = StateField(help_text="ISO 3166-1 alpha-3 code of the State.")
    treaty = TreatyField(help_text="Treaty code, e.g. APMBC.")


class Article7ReportUpdateInputSerializer(Article7ReportFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        if name in IDENTITY_FIELDS:
            return "This cannot be changed: delete the report and record a new one."
        return super().unknown_field_message(name)


class Article7ReportOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    state = serializers.CharField(source="country.iso3")
    state_name = serializers.CharField(source="country.name")
    treaty = serializers.CharField(source="treaty.code")
    kind = serializers.CharField()
    covered_year = serializers.IntegerField(allow_null=True)
    submitted_on = serializers.DateField()
    source_citation = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()
    unverified_fields = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    created_by = EditorNameField(source="created_by.username", default=None)
    updated_by = EditorNameField(source="updated_by.username", default=None)


class Article7ReportFilter(django_filters.FilterSet):  # type: ignore[misc]
    treaty = django_filters.CharFilter(
        field_name="treaty__code", lookup_expr="iexact", help_text="e.g. APMBC"
    )
    state = django_filters.CharFilter(field_name="country__iso3", lookup_expr="iexact", help_text="ISO3")
    kind = django_filters.ChoiceFilter(choices=Article7Report.Kind.choices)

    class Meta:
        model = Article7Report
        fields: list[str] = []


@records_schema(
    "article7_reports",
    Article7ReportCreateInputSerializer,
    Article7ReportUpdateInputSerializer,
    Article7ReportOutputSerializer,
)
class Article7ReportViewSet(RecordViewSet):
    """Art. 7 reports received (initial reports and annual updates): anyone reads; editors
    record, correct, delete, revert and restore them."""

    queryset = Article7Report.objects.select_related(
        "country", "treaty", "created_by", "updated_by"
    ).order_by("country__name", "treaty__position", "kind", "covered_year", "id")
    serializer_class = Article7ReportOutputSerializer
    create_input_class = Article7ReportCreateInputSerializer
    update_input_class = Article7ReportUpdateInputSerializer
    filterset_class = Article7ReportFilter
    change_source = changes.source_named("article7_report")

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        return services.article7_report_record(
            country=facts.pop("state"), treaty=facts.pop("treaty"), user=user, today=clock.today(), **facts
        )

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        return services.article7_report_update(report=record, user=user, today=clock.today(), **facts)

    def record_delete(self, record: Any, user: Any) -> None:
        services.article7_report_delete(report=record, user=user)

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        return services.article7_report_revert(
            report=record, history_id=history_id, user=user, today=clock.today()
        )

    def record_restore(self, pk: int, user: Any) -> Any:
        return services.article7_report_restore(report_id=pk, user=user, today=clock.today())
