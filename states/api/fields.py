"""States and treaties named by their codes in API input."""

from typing import Any

import django_filters
from rest_framework import exceptions, serializers

from states.models import Country, Treaty


class StateField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A State by its ISO 3166-1 alpha-3 code, in any case."""

    default_error_messages = {
        "does_not_exist": "No State has the ISO3 code {value}.",
        "invalid": "Give the State's ISO 3166-1 alpha-3 code, e.g. AFG.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="iso3", queryset=Country.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Country:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())  # type: ignore[no-any-return]


class TreatyField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A treaty by its code (APMBC, CCM), in any case."""

    default_error_messages = {
        "does_not_exist": "No treaty has the code {value}.",
        "invalid": "Give the treaty's code, e.g. APMBC.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Treaty.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Treaty:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())  # type: ignore[no-any-return]


# --- Filters: an unknown code is a 400 on every list, as in the query serializers -------------


def unknown_state_message(value: str) -> str:
    return f"Unknown State {value!r}; use an ISO 3166-1 alpha-3 code."


def unknown_treaty_message(value: str) -> str:
    codes = ", ".join(Treaty.objects.values_list("code", flat=True))
    return f"Unknown treaty {value!r}; use one of {codes}."


class StateCodeFilter(django_filters.CharFilter):  # type: ignore[misc]
    """``?state=AFG``: one State by its ISO3 code, in any case; an unknown code is a 400 (an
    empty list would read as "nothing on record" for a typo)."""

    def filter(self, qs: Any, value: Any) -> Any:
        if not value:
            return qs
        code = value.strip()
        if not Country.objects.filter(iso3__iexact=code).exists():
            raise exceptions.ValidationError({"state": [unknown_state_message(value)]})
        return qs.filter(**{f"{self.field_name}__iexact": code})


class TreatyCodeFilter(django_filters.CharFilter):  # type: ignore[misc]
    """``?treaty=APMBC``: one treaty by its code, in any case; an unknown code is a 400."""

    def filter(self, qs: Any, value: Any) -> Any:
        if not value:
            return qs
        code = value.strip()
        if not Treaty.objects.filter(code__iexact=code).exists():
            raise exceptions.ValidationError({"treaty": [unknown_treaty_message(value)]})
        return qs.filter(**{f"{self.field_name}__iexact": code})
