"""Output serializers (one per endpoint) and the query-parameter serializers that validate input."""

from datetime import datetime

from rest_framework import serializers

from mineban.api import parse_since
from obligations.models import Alert, ObligationStatus
from states.api.fields import unknown_state_message, unknown_treaty_message
from states.models import Country, Treaty


class DeadlineQuery(serializers.Serializer):
    treaty = serializers.CharField(required=False)
    state = serializers.CharField(required=False)
    status = serializers.ChoiceField(choices=ObligationStatus.choices, required=False)

    def validate_treaty(self, value: str) -> Treaty:
        treaty = Treaty.objects.filter(code__iexact=value).first()
        if treaty is None:
            raise serializers.ValidationError(unknown_treaty_message(value))
        return treaty

    def validate_state(self, value: str) -> Country:
        country = Country.objects.filter(iso3=value.upper()).first()
        if country is None:
            raise serializers.ValidationError(unknown_state_message(value))
        return country


class AlertQuery(DeadlineQuery):
    status = None  # type: ignore[assignment]
    open = serializers.BooleanField(required=False, allow_null=True, default=None)
    severity = serializers.ChoiceField(choices=Alert.Severity.choices, required=False)
    kind = serializers.ChoiceField(choices=Alert.Kind.choices, required=False)
    changed_since = serializers.CharField(
        required=False,
        help_text="ISO 8601 timestamp or date: only alerts opened or resolved at or after it.",
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)

    def validate_changed_since(self, value: str) -> datetime:
        return parse_since(value, field="changed_since")


class CountryOut(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()


class ExtensionOut(serializers.Serializer):
    meeting = serializers.CharField()
    requested_on = serializers.DateField(allow_null=True)
    granted_on = serializers.DateField()
    new_deadline = serializers.DateField()
    source_citation = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    unverified_fields = serializers.ListField(child=serializers.CharField())


class CompletionOut(serializers.Serializer):
    kind = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    known_from = serializers.DateField(allow_null=True)
    declared_late = serializers.BooleanField(allow_null=True)
    reopened_on = serializers.DateField(allow_null=True)
    status_note = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    unverified_fields = serializers.ListField(child=serializers.CharField())


class DeadlineOut(serializers.Serializer):
    state = CountryOut(source="country")
    treaty = serializers.CharField(source="treaty.code")
    obligation = serializers.CharField(source="obligation.code")
    article = serializers.CharField(source="obligation.article")
    title = serializers.CharField(source="obligation.title")
    original_deadline = serializers.DateField()
    current_deadline = serializers.DateField()
    extensions = ExtensionOut(many=True)
    completion = CompletionOut(allow_null=True)
    status = serializers.CharField()
    days_left = serializers.IntegerField(allow_null=True)
    reopened = serializers.BooleanField()
    lateness_assumed = serializers.BooleanField()
    unverified = serializers.ListField(child=serializers.CharField())


class AlertOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = CountryOut(source="country")
    treaty = serializers.CharField(source="treaty.code")
    obligation = serializers.CharField(source="obligation.terms.code", default=None, allow_null=True)
    kind = serializers.CharField()
    severity = serializers.CharField()
    due_date = serializers.DateField()
    message = serializers.CharField()
    opened_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class DeadlinePage(serializers.Serializer):
    as_of = serializers.DateField()
    count = serializers.IntegerField()
    results = DeadlineOut(many=True)


class AlertPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AlertOut(many=True)
