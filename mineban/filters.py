"""Query strings parsed by django-filter FilterSets, for lists whose rows are computed (as of a
date) rather than read from one queryset: the FilterSet validates, the selector filters."""

from typing import Any

import django_filters
from django import forms
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions


class QueryFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    """Filters declared with ``method="unapplied"`` only validate; read them with ``chosen``
    (pages: an invalid value is dropped) or ``validated`` (the API: an invalid value is a 400)."""

    def unapplied(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset

    @classmethod
    def _bound_form(cls, query: QueryDict) -> Any:
        filterset = cls(query, queryset=cls._meta.model._default_manager.none())
        filterset.form.is_valid()
        return filterset.form

    @classmethod
    def chosen(cls, query: QueryDict) -> dict[str, Any]:
        """The valid values of ``query``; "" for absent or invalid ones."""
        cleaned = getattr(cls._bound_form(query), "cleaned_data", {})
        return {name: cleaned.get(name) or "" for name in cls.base_filters}

    @classmethod
    def validated(cls, query: QueryDict) -> dict[str, Any]:
        """The values of ``query``, None when absent; an invalid value is a 400 naming it."""
        form = cls._bound_form(query)
        if form.errors:
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        cleaned = form.cleaned_data
        return {name: None if cleaned.get(name) in ("", None) else cleaned[name] for name in cls.base_filters}


def choice(choices: Any, **kwargs: Any) -> django_filters.ChoiceFilter:
    """A choice whose error reads like DRF's (``"late" is not a valid choice.``)."""
    return django_filters.ChoiceFilter(
        choices=choices,
        error_messages={"invalid_choice": '"%(value)s" is not a valid choice.'},
        **kwargs,
    )


def filterset_parameters(filterset: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """The OpenAPI query parameters of a FilterSet read by an ``APIView`` (which
    drf-spectacular does not inspect), so that the schema and the parsing are one definition."""
    parameters = []
    for name, found in filterset.base_filters.items():
        kind = OpenApiTypes.STR
        if isinstance(found, django_filters.NumberFilter):
            kind = OpenApiTypes.INT
        elif isinstance(found, django_filters.BooleanFilter):
            kind = OpenApiTypes.BOOL
        enum = [str(value) for value, _label in found.extra.get("choices", [])] or None
        parameters.append(
            OpenApiParameter(name, kind, description=found.extra.get("help_text", ""), enum=enum)
        )
    return parameters


class YearFilter(django_filters.NumberFilter):  # type: ignore[misc]
    """A calendar year in the treaties' era: a whole number from 1900 to 2100 (a larger one
    would overflow the database's date arithmetic; it is a 400 naming the parameter)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
