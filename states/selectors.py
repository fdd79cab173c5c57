"""Reads of participation, always "as of" a date passed in by the caller.

The wide view of a State's participation (signature, consent, entry into force,
withdrawal) is derived here from the log of depositary actions: one query for a whole
treaty, then pure rules.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch, QuerySet

from mineban.rules.deadlines import original_deadline
from mineban.rules.entry_into_force import (
    state_entry_into_force,
    treaty_entry_into_force,
)
from mineban.rules.status import (
    ParticipationFacts,
    ParticipationStatus,
    StatusCounts,
    count_statuses,
    participation_on,
    status_on,
)
from mineban.rules.terms import TreatyTerms
from states.models import Country, DepositaryAction, Treaty, TreatyObligation

Kind = DepositaryAction.Kind


class EntryIntoForceBasis:
    TREATY = "with the treaty's own entry into force"
    RULE = "computed from the deposit date"
    SUCCESSION = "succession: date recorded by the depositary"
    SUCCESSION_BY_RULE = (
        "succession with no effective date on record: computed from the notification's "
        "deposit date by the rule for later States"
    )
    NOT_IN_FORCE = "the treaty is not yet in force"
    NOT_ON_RECORD = "not on record: the date of the instrument is not on record"


@dataclass(frozen=True)
class Participation:
    """One State's participation in one treaty, derived from its depositary actions."""

    country: Country
    treaty: Treaty
    terms: TreatyTerms
    signature: DepositaryAction | None = None
    consent: DepositaryAction | None = None
    withdrawal: DepositaryAction | None = None
    other_actions: tuple[DepositaryAction, ...] = ()
    entry_into_force: date | None = None
    entry_into_force_basis: str = ""
    # A State that withdrew may join again: its earlier participations, oldest first, each
    # with its own instrument, entry into force and withdrawal. This object is the latest.
    earlier: tuple["Participation", ...] = ()

    @property
    def facts(self) -> ParticipationFacts:
        return ParticipationFacts(
            signature=self.signature.action_date if self.signature else None,
            consent=self.consent.action_date if self.consent else None,
            entry_into_force=self.entry_into_force,
            withdrawal_notice=self.withdrawal.action_date if self.withdrawal else None,
            withdrawal_effective=self.withdrawal.effective_date if self.withdrawal else None,
            consent_known_by=self.consent.known_by if self.consent else None,
            state_exists_from=self.country.exists_from,
            treaty_adopted_on=self.treaty.adopted_on,
            signature_stage=self.treaty.signature_stage,
        )

    @property
    def consent_date_not_on_record(self) -> bool:
        return self.consent is not None and self.consent.action_date is None

    def on(self, as_of: date) -> "Participation":
        """The participation that holds on ``as_of`` (see ``participation_on``)."""
        if not self.earlier:
            return self
        every = [*self.earlier, self]
        facts = [p.facts for p in every]
        chosen = participation_on(facts, as_of)
        return next(p for p, f in zip(every, facts, strict=True) if f is chosen)

    def status(self, as_of: date) -> ParticipationStatus:
        return status_on(self.on(as_of).facts, as_of)

    def original_deadlines(self) -> dict[str, date]:
        """Original deadline of each dated obligation, by obligation code (e.g. ``art4``)."""
        if self.entry_into_force is None:
            return {}
        return {
            terms.code: original_deadline(self.entry_into_force, terms)
            for terms in self.terms.obligations
            if terms.period_months is not None or terms.period_days is not None
        }

    @property
    def actions(self) -> list[DepositaryAction]:
        """Every action of every participation, once each."""
        found: dict[int, DepositaryAction] = {}
        for p in (*self.earlier, self):
            for action in (p.signature, p.consent, p.withdrawal, *p.other_actions):
                if action is not None:
                    found.setdefault(id(action), action)
        # An action whose date is not on record comes last.
        return sorted(found.values(), key=lambda a: (a.action_date or date.max, a.pk or 0))

    @property
    def unverified(self) -> list[str]:
        return [f"{a.kind}.{f}" for a in self.actions for f in a.unverified_fields]


@dataclass
class TreatyParticipation:
    """Every State's participation in one treaty, plus the States that never took part."""

    treaty: Treaty
    terms: TreatyTerms
    entry_into_force: date | None
    by_iso3: dict[str, Participation] = field(default_factory=dict)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.by_iso3.values())

    def __len__(self) -> int:
        return len(self.by_iso3)

    def get(self, iso3: str) -> Participation | None:
        return self.by_iso3.get(iso3)

    def counts(self, *, as_of: date) -> StatusCounts:
        return count_statuses(p.status(as_of) for p in self)


def treaty_get(code: str) -> Treaty:
    return Treaty.objects.prefetch_related(
        Prefetch("obligation_terms", queryset=TreatyObligation.objects.order_by("position"))
    ).get(code__iexact=code)


def treaties() -> QuerySet[Treaty]:
    return Treaty.objects.prefetch_related(
        Prefetch("obligation_terms", queryset=TreatyObligation.objects.order_by("position"))
    )


def treaty_terms(treaty: Treaty) -> TreatyTerms:
    return treaty.terms(list(treaty.obligation_terms.all()))


def _entry_into_force(
    consent: DepositaryAction | None, treaty_eif: date | None, terms: TreatyTerms
) -> tuple[date | None, str]:
    if consent is None:
        return None, ""
    if consent.action_date is None:
        return None, EntryIntoForceBasis.NOT_ON_RECORD
    if consent.consent_type == DepositaryAction.ConsentType.SUCCESSION:
        if consent.effective_date is not None:
            return consent.effective_date, EntryIntoForceBasis.SUCCESSION
        eif = state_entry_into_force(consent.action_date, treaty_eif, terms.entry_into_force)
        return eif, EntryIntoForceBasis.SUCCESSION_BY_RULE
    eif = state_entry_into_force(consent.action_date, treaty_eif, terms.entry_into_force)
    if eif is None:
        return None, EntryIntoForceBasis.NOT_IN_FORCE
    if eif == treaty_eif:
        return eif, EntryIntoForceBasis.TREATY
    return eif, EntryIntoForceBasis.RULE


def participation_for(
    treaty: Treaty,
    *,
    countries: Iterable[Country] | None = None,
    include_non_participants: bool = True,
) -> TreatyParticipation:
    """The participation of every State (or of ``countries``) in ``treaty``.

    Two queries whatever the number of States: the countries and the actions.
    """
    return participations_for(
        [treaty], countries=countries, include_non_participants=include_non_participants
    )[treaty.pk]


def participations_for(
    treaties: Sequence[Treaty],
    *,
    countries: Iterable[Country] | None = None,
    include_non_participants: bool = True,
) -> dict[int, TreatyParticipation]:
    """``participation_for`` for several treaties at once, by treaty id: one query for the
    actions of them all, so a page's queries do not grow with the number of treaties."""
    country_list = list(countries) if countries is not None else list(Country.objects.all())
    actions = DepositaryAction.objects.filter(treaty__in=[t.pk for t in treaties]).order_by(
        F("action_date").asc(nulls_last=True), "id"
    )
    if countries is not None:
        actions = actions.filter(country__in=[c.pk for c in country_list])
    by_treaty: dict[int, dict[int, list[DepositaryAction]]] = defaultdict(lambda: defaultdict(list))
    for action in actions:
        by_treaty[action.treaty_id][action.country_id].append(action)
    return {
        treaty.pk: _treaty_participation(
            treaty,
            country_list,
            by_treaty[treaty.pk],
            include_non_participants=include_non_participants,
            all_countries=countries is None,
        )
        for treaty in treaties
    }


def _treaty_participation(
    treaty: Treaty,
    country_list: list[Country],
    by_country: dict[int, list[DepositaryAction]],
    *,
    include_non_participants: bool,
    all_countries: bool,
) -> TreatyParticipation:
    terms = treaty_terms(treaty)
    # The recorded date wins; the rule fills in for a treaty whose record lacks it.
    treaty_eif = treaty.entry_into_force
    if treaty_eif is None and all_countries:
        # Each State's first instrument: joining again does not count twice.
        firsts = ([a.action_date for a in acts if a.kind == Kind.CONSENT] for acts in by_country.values())
        deposits = [min(d for d in dated if d is not None) for dated in firsts if any(dated)]
        treaty_eif = treaty_entry_into_force(deposits, terms.entry_into_force)

    result = TreatyParticipation(treaty=treaty, terms=terms, entry_into_force=treaty_eif)
    for country in country_list:
        acts = by_country.get(country.pk, [])
        if not acts and not include_non_participants:
            continue
        for action in acts:
            action.country = country  # already loaded: spare a query per row
            action.treaty = treaty
        signature = next((a for a in acts if a.kind == Kind.SIGNATURE), None)
        others = tuple(a for a in acts if a.kind not in (Kind.SIGNATURE, Kind.CONSENT, Kind.WITHDRAWAL))
        episodes: list[Participation] = []
        for consent, withdrawal in _participations(acts):
            eif, basis = _entry_into_force(consent, treaty_eif, terms)
            episodes.append(
                Participation(
                    country=country,
                    treaty=treaty,
                    terms=terms,
                    signature=signature,
                    consent=consent,
                    withdrawal=withdrawal,
                    other_actions=others,
                    entry_into_force=eif,
                    entry_into_force_basis=basis,
                    earlier=tuple(episodes),
                )
            )
        result.by_iso3[country.iso3] = episodes[-1]
    return result


def _participations(
    acts: list[DepositaryAction],
) -> list[tuple[DepositaryAction | None, DepositaryAction | None]]:
    """Pair each instrument of consent with the withdrawal from it (the notice received
    before the next instrument), oldest first; at least one pair, maybe empty."""
    consents = [a for a in acts if a.kind == Kind.CONSENT]  # ordered by date, undated last
    withdrawals = [
        (a.action_date, a) for a in acts if a.kind == Kind.WITHDRAWAL and a.action_date is not None
    ]
    if not consents:
        return [(None, withdrawals[0][1] if withdrawals else None)]
    pairs: list[tuple[DepositaryAction | None, DepositaryAction | None]] = []
    for index, consent in enumerate(consents):
        began = consent.action_date
        following = consents[index + 1].action_date if index + 1 < len(consents) else None
        withdrawal = None
        if began is not None:
            until = following or date.max
            own = [w for notice, w in withdrawals if began <= notice < until]
            withdrawal = own[0] if own else None
        pairs.append((consent, withdrawal))
    return pairs


def participation_of(country: Country, treaty: Treaty) -> Participation:
    return participation_for(treaty, countries=[country]).by_iso3[country.iso3]
