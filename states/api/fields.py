"""States and treaties named by their codes in API input."""

from typing import Any

from rest_framework import serializers

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
