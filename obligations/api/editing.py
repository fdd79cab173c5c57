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
    RecordViewSet,
    SourcedInputSerializer,
    SourcedOutputSerializer,
    StrictInputSerializer,
    VersionField,
    citation_field,
    records_schema,
)
from obligations import services
from obligations.models import Article7Report, Completion, Extension, ExtensionRequest, Obligation
from states.api.fields import StateCodeFilter, StateField, TreatyCodeFilter, TreatyField
from states.models import Country, Treaty

# The obligation a fact belongs to: to move a fact to another, delete it and record a new one.
IDENTITY_FIELDS = ("state", "treaty", "obligation")
IDENTITY_MESSAGE = "This cannot be changed: delete the record and record a new one."


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


class ObligationFactOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    version = VersionField()
    state = serializers.CharField(source="obligation.country.iso3")
    state_name = serializers.CharField(source="obligation.country.name")
    treaty = serializers.CharField(source="obligation.treaty.code")
    obligation = serializers.CharField(source="obligation.terms.code")


class MeetingRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class ExtensionOutputSerializer(ObligationFactOutputSerializer):
    meeting = serializers.CharField()
    decision_meeting = MeetingRefSerializer(
        allow_null=True, help_text="The meeting on record that the code names (null if none is)."
    )
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


def _facts(model: type[Any], *relations: str) -> QuerySet[Any]:
    return model.objects.select_related(*FACT_RELATIONS, *relations)  # type: ignore[no-any-return]


@records_schema(
    "extensions", ExtensionCreateInputSerializer, ExtensionUpdateInputSerializer, ExtensionOutputSerializer
)
class ExtensionViewSet(RecordViewSet):
    """Art. 5 extensions a Meeting of the States Parties granted: anyone reads; editors
    record, correct, delete, revert and restore them."""

    queryset = _facts(Extension, "decision_meeting").order_by(
        "obligation__country__name", "obligation__terms__position", "granted_on"
    )
    serializer_class = ExtensionOutputSerializer
    create_input_class = ExtensionCreateInputSerializer
    update_input_class = ExtensionUpdateInputSerializer
    filterset_class = ExtensionFilter
    change_source = changes.source_named("extension")

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


# YYYY, YYYY-MM or YYYY-MM-DD: the services check that it is a real date.
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def partial_date_input(help_text: str) -> serializers.RegexField:
    return serializers.RegexField(
        PARTIAL_DATE,
        required=False,
        allow_blank=True,
        max_length=10,
        help_text=help_text,
        error_messages={"invalid": "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."},
    )


class CompletionFactsInputSerializer(SourcedInputSerializer):
    kind = serializers.ChoiceField(choices=Completion.Kind.choices, required=False)
    completed_on = partial_date_input(
        "When the work ended, as precisely as the source says, e.g. 2006, 2002-04."
    )
    reported_on = partial_date_input("The report or declaration that announced it.")
    reopened_on = partial_date_input("Newly found stocks or mined areas re-opened the obligation.")
    second_completed_on = partial_date_input("The re-opened obligation was completed again.")
    status_note = citation_field()


class CompletionCreateInputSerializer(
    CitedInputMixin, ObligationIdentityMixin, CompletionFactsInputSerializer
):
    pass


class CompletionUpdateInputSerializer(UpdateInputMixin, CompletionFactsInputSerializer):
    pass


class CompletionOutputSerializer(ObligationFactOutputSerializer):
    kind = serializers.CharField()
    completed_on = serializers.CharField(help_text="YYYY, YYYY-MM or YYYY-MM-DD; empty when not on record.")
    reported_on = serializers.CharField()
    reopened_on = serializers.CharField()
    second_completed_on = serializers.CharField()
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


# --- Extension requests ----------------------------------------------------------------------


class ExtensionRequestFactsInputSerializer(SourcedInputSerializer):
    outcome = serializers.ChoiceField(choices=ExtensionRequest.Outcome.choices)
    submitted_on = serializers.DateField(required=False, allow_null=True)
    requested_deadline = serializers.DateField(required=False, allow_null=True)
    meeting = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text='The meeting due to decide, e.g. "22MSP".'
    )
    meeting_opens_on = serializers.DateField(required=False, allow_null=True)
    meeting_closes_on = serializers.DateField(required=False, allow_null=True)
    outcome_note = serializers.CharField(required=False, allow_blank=True)
    extension = serializers.PrimaryKeyRelatedField(
        queryset=Extension.objects.all(),
        required=False,
        allow_null=True,
        help_text="The extension the request produced (its id), when granted with its new deadline.",
    )


class ExtensionRequestCreateInputSerializer(
    CitedInputMixin, ObligationIdentityMixin, ExtensionRequestFactsInputSerializer
):
    pass


class ExtensionRequestUpdateInputSerializer(UpdateInputMixin, ExtensionRequestFactsInputSerializer):
    outcome = serializers.ChoiceField(choices=ExtensionRequest.Outcome.choices, required=False)


class ExtensionRequestOutputSerializer(ObligationFactOutputSerializer):
    outcome = serializers.CharField()
    decision_meeting = MeetingRefSerializer(
        allow_null=True, help_text="The meeting on record that the code names (null if none is)."
    )
    outcome_label = serializers.CharField(source="get_outcome_display")
    submitted_on = serializers.DateField(allow_null=True)
    requested_deadline = serializers.DateField(allow_null=True)
    meeting = serializers.CharField()
    meeting_opens_on = serializers.DateField(allow_null=True)
    meeting_closes_on = serializers.DateField(allow_null=True)
    outcome_note = serializers.CharField()
    extension = serializers.IntegerField(source="extension_id", allow_null=True)


class ExtensionRequestFilter(ObligationFactFilter):
    outcome = django_filters.ChoiceFilter(choices=ExtensionRequest.Outcome.choices)

    class Meta:
        model = ExtensionRequest
        fields: list[str] = []


@records_schema(
    "extension_requests",
    ExtensionRequestCreateInputSerializer,
    ExtensionRequestUpdateInputSerializer,
    ExtensionRequestOutputSerializer,
)
class ExtensionRequestViewSet(RecordViewSet):
    """Art. 5 extension requests and what became of them: anyone reads; editors record,
    correct, delete, revert and restore them."""

    queryset = _facts(ExtensionRequest, "decision_meeting").order_by(
        "obligation__country__name", "obligation__terms__position", "meeting_closes_on", "id"
    )
    serializer_class = ExtensionRequestOutputSerializer
    create_input_class = ExtensionRequestCreateInputSerializer
    update_input_class = ExtensionRequestUpdateInputSerializer
    filterset_class = ExtensionRequestFilter
    change_source = changes.source_named("extension_request")

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        return services.extension_request_record(user=user, **facts)

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        return services.extension_request_update(request=record, user=user, **facts)

    def record_delete(self, record: Any, user: Any) -> None:
        services.extension_request_delete(request=record, user=user)

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        return services.extension_request_revert(request=record, history_id=history_id, user=user)

    def record_restore(self, pk: int, user: Any) -> Any:
        return services.extension_request_restore(request_id=pk, user=user)


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


class Article7ReportOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    version = VersionField()
    state = serializers.CharField(source="country.iso3")
    state_name = serializers.CharField(source="country.name")
    treaty = serializers.CharField(source="treaty.code")
    kind = serializers.CharField()
    covered_year = serializers.IntegerField(allow_null=True)
    submitted_on = serializers.DateField()


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
