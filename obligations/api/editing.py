"""Write API for the facts editors record about obligations: extensions, completions and
Art. 7 reports.

The record view set of ``mineban.api``: an input serializer checks the request, a service in
``obligations.services`` applies the treaty's rules and writes, an output serializer
answers. The services' ``ValidationError``s become 400s in ``mineban.api.exception_handler``.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import exceptions, serializers

from mineban import changes, clock
from mineban.api import (
    CitedInputMixin,
    EditorNameField,
    RecordViewSet,
    StrictInputSerializer,
    VersionField,
    citation_field,
    note_field,
    records_schema,
    source_urls_field,
    unverified_fields_field,
)
from obligations import services
from obligations.models import Article7Report, Completion, Extension, Obligation
from states.api.fields import StateCodeFilter, StateField, TreatyCodeFilter, TreatyField
from states.models import Country, Treaty

# The obligation a fact belongs to: to move a fact to another, delete it and record a new one.
IDENTITY_FIELDS = ("state", "treaty", "obligation")
IDENTITY_MESSAGE = "This cannot be changed: delete the record and record a new one."


class SourcedInputSerializer(StrictInputSerializer):
    source_citation = citation_field()
    source_urls = source_urls_field()
    notes = note_field()
    unverified_fields = unverified_fields_field()


class ObligationIdentityMixin(serializers.Serializer):  # type: ignore[type-arg]
    """``state`` + ``treaty`` + ``obligation`` code name one Obligation on record."""

    state = StateField(help_text="ISO 3166-1 alpha-3 code of the State.")
    treaty = TreatyField(help_text="Treaty code, e.g. APMBC.")
    obligation = serializers.CharField(help_text="The treaty's obligation code, e.g. art5.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        attrs["obligation"] = obligation_named(
            country=attrs.pop("state"), treaty=attrs.pop("treaty"), code=attrs["obligation"]
        )
        return attrs


def obligation_named(*, country: Country, treaty: Treaty, code: str) -> Obligation:
    found = (
        Obligation.objects.select_related("country", "treaty", "terms")
        .filter(country=country, treaty=treaty, terms__code__iexact=code.strip())
        .first()
    )
    if found is None:
        raise exceptions.ValidationError(
            {"obligation": [f"{country.name} owes no {code} obligation under {treaty.code} on record."]}
        )
    return found


class UpdateInputMixin(StrictInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        return IDENTITY_MESSAGE if name in IDENTITY_FIELDS else super().unknown_field_message(name)


# --- Extensions ---------------------------------------------------------------------------


class ExtensionFactsInputSerializer(SourcedInputSerializer):
    meeting = serializers.CharField(max_length=100, help_text='e.g. "12MSP" or "Fourth Review Conference".')
    granted_on = serializers.DateField(help_text="Decision day.")
    new_deadline = serializers.DateField()
    requested_on = serializers.DateField(required=False, allow_null=True)


class ExtensionCreateInputSerializer(CitedInputMixin, ObligationIdentityMixin, ExtensionFactsInputSerializer):
    pass


class ExtensionUpdateInputSerializer(UpdateInputMixin, ExtensionFactsInputSerializer):
    pass


class ObligationFactOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    version = VersionField()
    state = serializers.CharField(source="obligation.country.iso3")
    state_name = serializers.CharField(source="obligation.country.name")
    treaty = serializers.CharField(source="obligation.treaty.code")
    obligation = serializers.CharField(source="obligation.terms.code")
    source_citation = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()
    unverified_fields = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    created_by = EditorNameField(source="created_by.username", default=None)
    updated_by = EditorNameField(source="updated_by.username", default=None)


class ExtensionOutputSerializer(ObligationFactOutputSerializer):
    meeting = serializers.CharField()
    requested_on = serializers.DateField(allow_null=True)
    granted_on = serializers.DateField()
    new_deadline = serializers.DateField()


class ObligationFactFilter(django_filters.FilterSet):  # type: ignore[misc]
    treaty = TreatyCodeFilter(field_name="obligation__treaty__code", help_text="Treaty code, e.g. APMBC.")
    state = StateCodeFilter(
        field_name="obligation__country__iso3", help_text="ISO 3166-1 alpha-3 code of the State."
    )
    obligation = django_filters.CharFilter(
        field_name="obligation__terms__code", lookup_expr="iexact", help_text="e.g. art5"
    )


class ExtensionFilter(ObligationFactFilter):
    class Meta:
        model = Extension
        fields: list[str] = []


class CompletionFilter(ObligationFactFilter):
    kind = django_filters.ChoiceFilter(choices=Completion.Kind.choices)

    class Meta:
        model = Completion
        fields: list[str] = []


FACT_RELATIONS = (
    "obligation__country",
    "obligation__treaty",
    "obligation__terms",
    "created_by",
    "updated_by",
)


def _facts(model: type[Any]) -> QuerySet[Any]:
    return model.objects.select_related(*FACT_RELATIONS)  # type: ignore[no-any-return]


@records_schema(
    "extensions", ExtensionCreateInputSerializer, ExtensionUpdateInputSerializer, ExtensionOutputSerializer
)
class ExtensionViewSet(RecordViewSet):
    """Art. 5 extensions a Meeting of the States Parties granted: anyone reads; editors
    record, correct, delete, revert and restore them."""

    queryset = _facts(Extension).order_by(
        "obligation__country__name", "obligation__terms__position", "granted_on"
    )
    serializer_class = ExtensionOutputSerializer
    create_input_class = ExtensionCreateInputSerializer
    update_input_class = ExtensionUpdateInputSerializer
    filterset_class = ExtensionFilter
    change_source = changes.source_named("extension")

    def record_state_id(self, record: Any) -> Any:
        return record.obligation.country_id

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        return services.extension_grant(user=user, **facts)

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        return services.extension_update(extension=record, user=user, **facts)

    def record_delete(self, record: Any, user: Any) -> None:
        services.extension_delete(extension=record, user=user)

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        return services.extension_revert(extension=record, history_id=history_id, user=user)

    def record_restore(self, pk: int, user: Any) -> Any:
        return services.extension_restore(extension_id=pk, user=user)


# --- Completions --------------------------------------------------------------------------


class CompletionFactsInputSerializer(SourcedInputSerializer):
    kind = serializers.ChoiceField(choices=Completion.Kind.choices, required=False)
    completed_on = serializers.DateField(required=False, allow_null=True)
    known_from = serializers.DateField(required=False, allow_null=True)
    declared_late = serializers.BooleanField(required=False, allow_null=True)
    reopened_on = serializers.DateField(required=False, allow_null=True)
    status_note = citation_field()


class CompletionCreateInputSerializer(
    CitedInputMixin, ObligationIdentityMixin, CompletionFactsInputSerializer
):
    pass


class CompletionUpdateInputSerializer(UpdateInputMixin, CompletionFactsInputSerializer):
    pass


class CompletionOutputSerializer(ObligationFactOutputSerializer):
    kind = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    known_from = serializers.DateField(allow_null=True)
    declared_late = serializers.BooleanField(allow_null=True)
    reopened_on = serializers.DateField(allow_null=True)
    status_note = serializers.CharField()


@records_schema(
    "completions",
    CompletionCreateInputSerializer,
    CompletionUpdateInputSerializer,
    CompletionOutputSerializer,
)
class CompletionViewSet(RecordViewSet):
    """Completions (and "never applied" declarations) of obligations: anyone reads; editors
    record, correct, delete, revert and restore them."""

    queryset = _facts(Completion).order_by("obligation__country__name", "obligation__terms__position", "id")
    serializer_class = CompletionOutputSerializer
    create_input_class = CompletionCreateInputSerializer
    update_input_class = CompletionUpdateInputSerializer
    filterset_class = CompletionFilter
    change_source = changes.source_named("completion")

    def record_state_id(self, record: Any) -> Any:
        return record.obligation.country_id

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        return services.completion_record(user=user, **facts)

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        return services.completion_update(completion=record, user=user, **facts)

    def record_delete(self, record: Any, user: Any) -> None:
        services.completion_delete(completion=record, user=user)

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        return services.completion_revert(completion=record, history_id=history_id, user=user)

    def record_restore(self, pk: int, user: Any) -> Any:
        return services.completion_restore(completion_id=pk, user=user)


# --- Art. 7 reports -------------------------------------------------------------------------

REPORT_IDENTITY_FIELDS = ("state", "treaty")


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
        if name in REPORT_IDENTITY_FIELDS:
            return "This cannot be changed: delete the report and record a new one."
        return super().unknown_field_message(name)


class Article7ReportOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    version = VersionField()
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
    treaty = TreatyCodeFilter(field_name="treaty__code", help_text="Treaty code, e.g. APMBC.")
    state = StateCodeFilter(field_name="country__iso3", help_text="ISO 3166-1 alpha-3 code of the State.")
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
