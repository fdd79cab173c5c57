"""Filters that name a State or a treaty by its code, for every list's query string."""

from typing import Any

import django_filters
from django import forms

from states.api.fields import unknown_state_message, unknown_treaty_message
from states.models import Country, Treaty


class TreatyCodeField(forms.CharField):
    """A treaty by its code, in any case (APMBC, ccm)."""

    def clean(self, value: Any) -> Treaty | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        treaty = Treaty.objects.filter(code__iexact=code).first()
        if treaty is None:
            raise forms.ValidationError(unknown_treaty_message(code))
        return treaty


class StateCodeField(forms.CharField):
    """A State by its ISO 3166-1 alpha-3 code, in any case."""

    def clean(self, value: Any) -> Country | None:
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        country = Country.objects.filter(iso3=code).first()
        if country is None:
            raise forms.ValidationError(unknown_state_message(code))
        return country


class TreatyCodeFilter(django_filters.Filter):  # type: ignore[misc]
    field_class = TreatyCodeField


class StateCodeFilter(django_filters.Filter):  # type: ignore[misc]
    field_class = StateCodeField


class CodeListField(forms.CharField):
    """Comma-separated values (``AFG,AGO``; ``state_party,withdrawal_pending``), each checked
    against ``allowed`` when given; repeated parameters are joined."""

    def __init__(self, *args: Any, allowed: list[str] | None = None, upper: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed, self.upper = allowed, upper

    def clean(self, value: Any) -> list[str] | None:
        raw = super().clean(value) or ""
        items = [v.strip().upper() if self.upper else v.strip() for v in raw.split(",") if v.strip()]
        if self.allowed is not None:
            unknown = [v for v in items if v not in self.allowed]
            if unknown:
                raise forms.ValidationError([f'"{v}" is not a valid choice.' for v in unknown])
        return items or None


class CodeListFilter(django_filters.Filter):  # type: ignore[misc]
    field_class = CodeListField
