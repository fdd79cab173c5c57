"""Write API for depositary actions: the record view set of ``mineban.api`` with the
services of ``states.services``."""

from typing import Any

import django_filters
from django.db.models import F
from rest_framework import serializers

from mineban import changes as change_feed
from mineban.api import (
    CitedInputMixin,
    RecordViewSet,
    SourcedOutputSerializer,
    StrictInputSerializer,
    VersionField,
    citation_field,
    note_field,
    records_schema,
    source_urls_field,
    unverified_fields_field,
)
from mineban.records import CITATION_MAX_LENGTH, TEXT_MAX_LENGTH
from states import services
from states.api.fields import StateCodeFilter, StateField, TreatyCodeFilter, TreatyField
from states.models import DepositaryAction

Kind = DepositaryAction.Kind
ConsentType = DepositaryAction.ConsentType
ACTION_SOURCE = change_feed.source_named("depositary_action")
# Facts that identify an action: to change them, delete the action and record a new one.
IDENTITY_FIELDS = ("state", "treaty", "kind")


class DepositaryActionFactsInputSerializer(StrictInputSerializer):
    """The facts of an action that editors may set and later change."""

    action_date = serializers.DateField(
        allow_null=True,
        help_text="Signature date, deposit date, or the day the depositary received the notice; "
        "null only for an instrument of consent whose date is not on record (then give known_by).",
    )
    known_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="An instrument of consent whose date is not on record: the date a source listed "
        "the State as bound.",
    )
    consent_type = serializers.ChoiceField(choices=ConsentType.choices, required=False, allow_blank=True)
    effective_date = serializers.DateField(required=False, allow_null=True)
    effective_date_pending_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=CITATION_MAX_LENGTH
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    depositary_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    source_citation = citation_field()
    source_urls = source_urls_field()
    notes = note_field()
    unverified_fields = unverified_fields_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        # Said here, before anything else, as for any other missing date; the service
        # checks the rest (only an instrument of consent may have no date).
        if "action_date" in attrs and attrs["action_date"] is None and not attrs.get("known_by"):
            raise serializers.ValidationError(
                {"action_date": ["A date is required, unless it is not on record: then give known_by."]}
            )
        return attrs


class DepositaryActionCreateInputSerializer(CitedInputMixin, DepositaryActionFactsInputSerializer):
    state = StateField(help_text="ISO 3166-1 alpha-3 code of the State.")
    treaty = TreatyField(help_text="Treaty code, e.g. APMBC.")
    kind = serializers.ChoiceField(choices=Kind.choices)


class DepositaryActionUpdateInputSerializer(DepositaryActionFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        if name in IDENTITY_FIELDS:
            return "This cannot be changed: delete the action and record a new one."
        return super().unknown_field_message(name)


class DepositaryActionOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    version = VersionField()
    state = serializers.CharField(source="country.iso3")
    state_name = serializers.CharField(source="country.name")
    treaty = serializers.CharField(source="treaty.code")
    kind = serializers.CharField()
    action_date = serializers.DateField(allow_null=True)
    known_by = serializers.DateField(allow_null=True)
    consent_type = serializers.CharField()
    effective_date = serializers.DateField(allow_null=True)
    effective_date_pending_reason = serializers.CharField()
    text = serializers.CharField()
    depositary_reference = serializers.CharField()


class DepositaryActionFilter(django_filters.FilterSet):  # type: ignore[misc]
    treaty = TreatyCodeFilter(field_name="treaty__code", help_text="Treaty code, e.g. APMBC.")
    state = StateCodeFilter(field_name="country__iso3", help_text="ISO 3166-1 alpha-3 code of the State.")
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    consent_type = django_filters.ChoiceFilter(choices=ConsentType.choices)
    action_date_from = django_filters.DateFilter(field_name="action_date", lookup_expr="gte")
    action_date_to = django_filters.DateFilter(field_name="action_date", lookup_expr="lte")

    class Meta:
        model = DepositaryAction
        fields: list[str] = []


@records_schema(
    "depositary_actions",
    DepositaryActionCreateInputSerializer,
    DepositaryActionUpdateInputSerializer,
    DepositaryActionOutputSerializer,
)
class DepositaryActionViewSet(RecordViewSet):
    """Depositary actions (signatures, consents, withdrawals, notifications): anyone reads;
    editors record, correct, delete, revert and restore them."""

    queryset = DepositaryAction.objects.select_related(
        "country", "treaty", "created_by", "updated_by"
    ).order_by("treaty__position", "country__name", F("action_date").asc(nulls_last=True), "id")
    serializer_class = DepositaryActionOutputSerializer
    create_input_class = DepositaryActionCreateInputSerializer
    update_input_class = DepositaryActionUpdateInputSerializer
    filterset_class = DepositaryActionFilter
    change_source = ACTION_SOURCE

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        return services.depositary_action_record(
            country=facts.pop("state"),
            treaty=facts.pop("treaty"),
            kind=facts.pop("kind"),
            action_date=facts.pop("action_date"),
            user=user,
            **facts,
        )

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        return services.depositary_action_update(action=record, user=user, **facts)

    def record_delete(self, record: Any, user: Any) -> None:
        services.depositary_action_delete(action=record, user=user)

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        return services.depositary_action_revert(action=record, history_id=history_id, user=user)

    def record_restore(self, pk: int, user: Any) -> Any:
        return services.depositary_action_restore(action_id=pk, user=user)
