"""The participations list's query string, parsed by a FilterSet (the rows are computed as of
a date, so it validates and the view filters)."""

from mineban.filters import QueryFilterSet, choice
from mineban.rules.status import ParticipationStatus
from states.filters import CodeListFilter, TreatyCodeFilter
from states.models import Country, DepositaryAction


class ParticipationFilter(QueryFilterSet):
    treaty = TreatyCodeFilter(
        method="unapplied", help_text="Treaty code; the first treaty (APMBC) when absent."
    )
    status = CodeListFilter(
        method="unapplied",
        allowed=[s.value for s in ParticipationStatus],
        help_text="Statuses on as_of, comma-separated.",
    )
    state = CodeListFilter(method="unapplied", upper=True, help_text="ISO3 codes, comma-separated.")
    region = CodeListFilter(method="unapplied", help_text="M49 region, e.g. Africa.")
    consent_type = choice(DepositaryAction.ConsentType.choices, method="unapplied")
    include_non_participants = choice(
        [("true", "yes"), ("false", "no")],
        method="unapplied",
        help_text="Also list States with no action under the treaty (not signed).",
    )

    class Meta:
        model = Country
        fields: list[str] = []
