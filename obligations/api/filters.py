"""The query strings of the deadlines and alerts lists, parsed by FilterSets: the rows are
computed as of a date (deadlines) or read by a selector (alerts), so these validate and the
selectors filter. A value a list does not know is a 400 naming the parameter."""

from typing import Any

import django_filters
from django import forms

from mineban.api import parse_since
from mineban.filters import QueryFilterSet, choice
from obligations.models import Alert, Obligation, ObligationStatus
from states.filters import StateCodeFilter, TreatyCodeFilter


class DeadlineFilter(QueryFilterSet):
    treaty = TreatyCodeFilter(method="unapplied", help_text="Treaty code, e.g. APMBC.")
    state = StateCodeFilter(method="unapplied", help_text="ISO 3166-1 alpha-3 code of the State.")
    status = choice(ObligationStatus.choices, method="unapplied", help_text="Status on as_of.")

    class Meta:
        model = Obligation
        fields: list[str] = []


class TimestampField(forms.CharField):
    def clean(self, value: Any) -> Any:
        raw = super().clean(value)
        if not raw:
            return None
        try:
            return parse_since(raw, field="changed_since")
        except Exception as exc:  # parse_since raises DRF's ValidationError with its message
            detail = getattr(exc, "detail", {}).get("changed_since", [str(exc)])
            raise forms.ValidationError(detail) from None


class TimestampFilter(django_filters.Filter):  # type: ignore[misc]
    field_class = TimestampField


class AlertFilter(QueryFilterSet):
    treaty = TreatyCodeFilter(method="unapplied", help_text="Treaty code, e.g. APMBC.")
    state = StateCodeFilter(method="unapplied", help_text="ISO 3166-1 alpha-3 code of the State.")
    open = choice(
        [("true", "open"), ("false", "resolved")],
        method="unapplied",
        help_text="true: only alerts still open; false: only resolved ones.",
    )
    severity = choice(Alert.Severity.choices, method="unapplied")
    kind = choice(Alert.Kind.choices, method="unapplied")
    changed_since = TimestampFilter(
        method="unapplied",
        help_text="ISO 8601 timestamp or date: only alerts opened or resolved at or after it.",
    )
    page = django_filters.NumberFilter(method="unapplied", min_value=1)
    page_size = django_filters.NumberFilter(method="unapplied", min_value=1, max_value=200)

    class Meta:
        model = Alert
        fields: list[str] = []
