"""The query strings of the analysts' lists, parsed by django-filter FilterSets.

The pages filter rows computed as of a date (statuses, deadlines), not querysets, so these
FilterSets are used for what they validate: a value a list does not know is dropped and the
list is shown unfiltered on that field, as a reader who edits a URL by hand would expect.
"""

from typing import Any

import django_filters

from mineban.filters import QueryFilterSet
from mineban.rules.status import ParticipationStatus
from obligations.models import ObligationStatus
from reports.listings import OBLIGATION_STATES
from states.models import Country


def _text(**kwargs: Any) -> django_filters.CharFilter:
    return django_filters.CharFilter(method="unapplied", **kwargs)


def _choice(choices: Any, **kwargs: Any) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(choices=choices, method="unapplied", **kwargs)


class StatesIndexFilter(QueryFilterSet):
    q = _text()
    treaty = _text()
    status = _choice([(s.value, s.label) for s in ParticipationStatus])
    region = _text()
    obligations = _choice(list(OBLIGATION_STATES.items()))
    sort = _text()

    class Meta:
        model = Country
        fields: list[str] = []


class DeadlineFilter(QueryFilterSet):
    treaty = _text()
    state = _text()
    status = _choice(ObligationStatus.choices)
    obligation = _text()
    region = _text()

    class Meta:
        model = Country
        fields: list[str] = []


class ParticipantFilter(QueryFilterSet):
    sort = _text()

    class Meta:
        model = Country
        fields: list[str] = []
