"""Output serializers (one per endpoint) and the query-parameter serializers that validate input."""

from typing import Any

from rest_framework import serializers

from obligations.models import ObligationStatus


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
    completed_on = serializers.CharField(help_text="YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source.")
    reported_on = serializers.CharField()
    reopened_on = serializers.CharField()
    second_completed_on = serializers.CharField()
    status_note = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    unverified_fields = serializers.ListField(child=serializers.CharField())


class RequestOut(serializers.Serializer):
    meeting = serializers.CharField()
    submitted_on = serializers.DateField(allow_null=True)
    requested_deadline = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    outcome_note = serializers.CharField()
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
    status_label = serializers.SerializerMethodField()
    reason = serializers.CharField(help_text="Why the status is what it is, in the record's terms.")
    reopened = serializers.BooleanField()
    first_completion = serializers.CharField(help_text="The first completion's status, when re-opened.")
    breach_confirmed = serializers.BooleanField(help_text="A source on record finds the State in breach.")
    requests = RequestOut(many=True)
    unverified = serializers.ListField(child=serializers.CharField())

    def get_status_label(self, row: Any) -> str:
        return str(dict(ObligationStatus.choices).get(row.status, row.status))


class AlertOut(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="Null for a condition computed as of a past day."
    )
    state = CountryOut(source="country")
    treaty = serializers.CharField(source="treaty.code")
    obligation = serializers.SerializerMethodField()
    kind = serializers.CharField()
    severity = serializers.CharField()
    due_date = serializers.DateField()
    message = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)

    def get_obligation(self, alert: Any) -> str | None:
        if hasattr(alert, "obligation_code"):
            return alert.obligation_code  # type: ignore[no-any-return]
        return alert.obligation.terms.code if alert.obligation_id else None


class DeadlinePage(serializers.Serializer):
    as_of = serializers.DateField()
    count = serializers.IntegerField()
    results = DeadlineOut(many=True)


class AlertPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AlertOut(many=True)
