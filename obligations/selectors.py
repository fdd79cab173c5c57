"""Reads of obligations and alerts, always "as of" a date passed in by the caller.

``deadlines`` derives every status from the facts known on ``as_of`` (extensions granted,
completions declared and reports received by then), never from the stored snapshot, with a
bounded number of queries: the treaties, two per treaty for participation, and one each for
obligations, extensions, completions and reports.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet

from mineban.cache import per_version
from mineban.rules.alerts import ObligationView, StateFacts
from mineban.rules.deadlines import original_deadline
from mineban.rules.facts import CompletionFact, ExtensionFact
from mineban.rules.reporting import initial_report_due
from mineban.rules.standing import ReportDue, Standing, reporting_standing, reports_owed, standing_on
from mineban.rules.terms import ObligationKind
from obligations.models import Alert, Article7Report, Completion, Extension, Obligation
from states.models import Country, Treaty, TreatyObligation
from states.selectors import Participation, participation_for

REPORT_KINDS = {ObligationKind.INITIAL_REPORT.value: "initial", ObligationKind.ANNUAL_REPORT.value: "annual"}


@dataclass(frozen=True)
class DeadlineRow:
    """One obligation of one State, as it stood on ``as_of``."""

    country: Country
    treaty: Treaty
    obligation: TreatyObligation
    original_deadline: date
    current_deadline: date
    extensions: tuple[Extension, ...]
    completion: Completion | None
    status: str
    days_left: int | None
    # The stored obligation (None for a report obligation the pipeline has not stored yet).
    state_obligation: Obligation | None = None
    reopened: bool = False
    lateness_assumed: bool = False
    unverified: tuple[str, ...] = ()


@dataclass
class StateTreaty:
    """Everything on record about one State under one treaty."""

    participation: Participation
    terms: list[TreatyObligation]
    obligations: dict[int, Obligation] = field(default_factory=dict)  # by TreatyObligation id
    extensions: dict[int, list[Extension]] = field(default_factory=lambda: defaultdict(list))
    completions: dict[int, list[Completion]] = field(default_factory=lambda: defaultdict(list))
    reports: list[Article7Report] = field(default_factory=list)

    @property
    def country(self) -> Country:
        return self.participation.country

    @property
    def treaty(self) -> Treaty:
        return self.participation.treaty

    @property
    def withdrawal_effective(self) -> date | None:
        withdrawal = self.participation.withdrawal
        return withdrawal.effective_date if withdrawal else None


def extension_fact(extension: Extension) -> ExtensionFact:
    return ExtensionFact(extension.granted_on, extension.new_deadline, extension.requested_on)


def completion_fact(completion: Completion) -> CompletionFact:
    return CompletionFact(
        not_applicable=completion.kind == Completion.Kind.NOT_APPLICABLE,
        completed_on=completion.completed_on,
        known_from=completion.known_from,
        declared_late=completion.declared_late,
        reopened_on=completion.reopened_on,
    )


def latest_completion(completions: Sequence[Completion], as_of: date) -> Completion | None:
    """The declaration on record on ``as_of`` (undated ones always are); the latest wins."""
    known = [c for c in completions if (c.completed_on or c.known_from or date.min) <= as_of]
    return max(known, key=lambda c: c.completed_on or c.known_from or date.min, default=None)


def facts_for(
    *, treaties: Iterable[Treaty] | None = None, countries: Sequence[Country] | None = None
) -> list[StateTreaty]:
    """What is on record for every State (or ``countries``) that consented to each treaty."""
    treaty_list = (
        list(treaties)
        if treaties is not None
        else list(
            Treaty.objects.prefetch_related(
                Prefetch("obligation_terms", queryset=TreatyObligation.objects.order_by("position"))
            )
        )
    )
    country_list = list(countries) if countries is not None else list(Country.objects.all())
    result: dict[tuple[int, int], StateTreaty] = {}
    for treaty in treaty_list:
        terms = list(treaty.obligation_terms.all())
        for term in terms:
            term.treaty = treaty
        if not terms:
            continue
        for participation in participation_for(
            treaty, countries=country_list, include_non_participants=False
        ):
            if participation.consent is None or participation.entry_into_force is None:
                continue
            result[(participation.country.pk, treaty.pk)] = StateTreaty(participation, terms)
    if not result:
        return []
    country_ids = sorted({c for c, _ in result})
    treaty_ids = sorted({t for _, t in result})
    scope = {"country_id__in": country_ids} if countries is not None else {}
    obligations = Obligation.objects.filter(treaty_id__in=treaty_ids, **scope)
    by_id: dict[int, tuple[StateTreaty, Obligation]] = {}
    for obligation in obligations:
        bundle = result.get((obligation.country_id, obligation.treaty_id))
        if bundle is None:
            continue
        obligation.country = bundle.country
        obligation.treaty = bundle.treaty
        obligation.terms = next(t for t in bundle.terms if t.pk == obligation.terms_id)
        bundle.obligations[obligation.terms_id] = obligation
        by_id[obligation.pk] = (bundle, obligation)
    for extension in Extension.objects.filter(obligation_id__in=list(by_id)).order_by("granted_on"):
        bundle, extension.obligation = by_id[extension.obligation_id]
        bundle.extensions[extension.obligation.terms_id].append(extension)
    for completion in Completion.objects.filter(obligation_id__in=list(by_id)):
        bundle, completion.obligation = by_id[completion.obligation_id]
        bundle.completions[completion.obligation.terms_id].append(completion)
    for report in Article7Report.objects.filter(treaty_id__in=treaty_ids, **scope):
        bundle = result.get((report.country_id, report.treaty_id))
        if bundle is not None:
            bundle.reports.append(report)
    return list(result.values())


@dataclass(frozen=True)
class Evaluated:
    """One State under one treaty on ``as_of``: its deadline rows and reports owed."""

    bundle: StateTreaty
    rows: tuple[DeadlineRow, ...]
    standings: tuple[Standing, ...]
    reports: tuple[ReportDue, ...]

    def state_facts(self) -> StateFacts:
        participation = self.bundle.participation
        withdrawal = participation.withdrawal
        return StateFacts(
            treaty_code=self.bundle.treaty.code,
            state_name=self.bundle.country.name,
            entry_into_force=participation.entry_into_force,
            consent=participation.consent.action_date if participation.consent else None,
            withdrawal_notice=withdrawal.action_date if withdrawal else None,
            withdrawal_effective=withdrawal.effective_date if withdrawal else None,
            withdrawal_pending_reason=withdrawal.effective_date_pending_reason if withdrawal else "",
            obligations=tuple(
                ObligationView(
                    row.obligation.code,
                    f"{row.treaty.code} Art. {row.obligation.article} ({row.obligation.title})",
                    standing,
                )
                for row, standing in zip(self.rows, self.standings, strict=True)
            ),
            reports=self.reports,
        )


def evaluate(bundle: StateTreaty, as_of: date) -> Evaluated:
    participation = bundle.participation
    eif = participation.entry_into_force
    assert eif is not None
    withdrawal_effective = bundle.withdrawal_effective
    rows: list[DeadlineRow] = []
    standings: list[Standing] = []
    reports: tuple[ReportDue, ...] = ()
    report_standings: dict[str, Standing] = {}
    initial_terms = next((t for t in bundle.terms if t.kind == ObligationKind.INITIAL_REPORT), None)
    annual_terms = next((t for t in bundle.terms if t.kind == ObligationKind.ANNUAL_REPORT), None)
    if initial_terms is not None:
        submitted: dict[tuple[str, int | None], date] = {
            (r.kind, r.covered_year): r.submitted_on for r in bundle.reports if r.submitted_on <= as_of
        }
        reports = tuple(
            reports_owed(
                initial_due=initial_report_due(eif, initial_terms.terms()),
                annual_due=annual_terms.terms().annual_due if annual_terms else None,
                submitted=submitted,
                as_of=as_of,
                withdrawal_effective=withdrawal_effective,
                record_kept=bool(bundle.reports),
            )
        )
        for kind in ("initial", "annual"):
            standing = reporting_standing(reports, kind, as_of, withdrawal_effective)
            if standing is not None:
                report_standings[kind] = standing
    for terms in bundle.terms:
        stored = bundle.obligations.get(terms.pk)
        extensions = tuple(e for e in bundle.extensions.get(terms.pk, []) if e.granted_on <= as_of)
        completion = latest_completion(bundle.completions.get(terms.pk, []), as_of)
        if terms.kind in REPORT_KINDS:
            standing_or_none = report_standings.get(REPORT_KINDS[terms.kind])
            if standing_or_none is None:
                continue
            standing = standing_or_none
        elif stored is None:
            continue  # stockpile/clearance: owed only by States on record as concerned
        else:
            standing = standing_on(
                original=original_deadline(eif, terms.terms()),
                as_of=as_of,
                extensions=[extension_fact(e) for e in extensions],
                completion=completion_fact(completion) if completion else None,
                withdrawal_effective=withdrawal_effective,
            )
        unverified = [f"obligation.{f}" for f in (stored.unverified_fields if stored else [])]
        unverified += [f"extension[{e.meeting}].{f}" for e in extensions for f in e.unverified_fields]
        if completion is not None:
            unverified += [f"completion.{f}" for f in completion.unverified_fields]
        standings.append(standing)
        rows.append(
            DeadlineRow(
                country=bundle.country,
                treaty=bundle.treaty,
                obligation=terms,
                original_deadline=standing.original_deadline,
                current_deadline=standing.current_deadline,
                extensions=extensions,
                completion=completion,
                status=standing.status.value,
                days_left=standing.days_left(as_of),
                state_obligation=stored,
                reopened=standing.reopened,
                lateness_assumed=standing.lateness_assumed,
                unverified=tuple(unverified),
            )
        )
    return Evaluated(bundle, tuple(rows), tuple(standings), reports)


@per_version  # every page reads it; evaluated once per data version and as_of
def deadlines(
    *,
    as_of: date,
    treaty: Treaty | None = None,
    country: Country | None = None,
    status: str | None = None,
) -> list[DeadlineRow]:
    """Every obligation's deadline and status as it stood on ``as_of``.

    Rows for States whose instrument was deposited by ``as_of``; stockpile destruction and
    clearance only for States on record as concerned (an ``Obligation`` row exists).
    """
    treaties = None
    if treaty is not None:
        treaties = Treaty.objects.filter(pk=treaty.pk).prefetch_related(
            Prefetch("obligation_terms", queryset=TreatyObligation.objects.order_by("position"))
        )
    rows: list[DeadlineRow] = []
    for bundle in facts_for(treaties=treaties, countries=[country] if country is not None else None):
        consent = bundle.participation.consent
        if consent is None or consent.action_date > as_of:
            continue
        rows.extend(evaluate(bundle, as_of).rows)
    if status:
        rows = [r for r in rows if r.status == status]
    rows.sort(key=lambda r: (r.country.name, r.treaty.position, r.obligation.position))
    return rows


def alerts(
    *,
    open: bool | None = None,
    severity: str | None = None,
    kind: str | None = None,
    country: Country | None = None,
    treaty: Treaty | None = None,
    changed_since: datetime | None = None,
) -> QuerySet[Alert]:
    queryset = Alert.objects.select_related("country", "treaty", "obligation__terms")
    if open is not None:
        queryset = queryset.filter(resolved_at__isnull=open)
    if severity:
        queryset = queryset.filter(severity=severity)
    if kind:
        queryset = queryset.filter(kind=kind)
    if changed_since is not None:
        queryset = queryset.filter(Q(opened_at__gte=changed_since) | Q(resolved_at__gte=changed_since))
    if country is not None:
        queryset = queryset.filter(country=country)
    if treaty is not None:
        queryset = queryset.filter(treaty=treaty)
    return queryset.order_by("due_date", "country__name", "kind", "id")


@dataclass(frozen=True)
class ReportingRow:
    kind: str
    covered_year: int | None
    due: date
    submitted_on: date | None
    status: str


def reporting_record(*, country: Country, treaty: Treaty, as_of: date) -> list[ReportingRow]:
    """Each Art. 7 report owed by ``country`` up to the next one due, with its status."""
    treaties = Treaty.objects.filter(pk=treaty.pk).prefetch_related("obligation_terms")
    for bundle in facts_for(treaties=treaties, countries=[country]):
        return [
            ReportingRow(r.kind, r.covered_year, r.due, r.submitted_on, r.status.value)
            for r in evaluate(bundle, as_of).reports
        ]
    return []
