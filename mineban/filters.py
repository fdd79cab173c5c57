"""Query strings parsed by django-filter FilterSets, for lists whose rows are computed (as of a
date) rather than read from one queryset: the FilterSet validates, the selector filters."""

from typing import Any

import django_filters
from django.http import QueryDict
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
        return {name: form.cleaned_data.get(name) for name in cls.base_filters}
