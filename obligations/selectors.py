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
from mineban.rules.alerts import ObligationView, StateFacts, alert_conditions
from mineban.rules.deadlines import original_deadline
from mineban.rules.facts import CompletionFact, ExtensionFact, RequestFact, RequestOutcome
from mineban.rules.reporting import initial_report_due
from mineban.rules.standing import ReportDue, Standing, reporting_standing, reports_owed, standing_on
from mineban.rules.terms import ObligationKind
from obligations.models import Alert, Article7Report, Completion, Extension, ExtensionRequest, Obligation
from states.models import Country, Treaty, TreatyObligation
from states.selectors import Participation, participations_for

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
    unverified: tuple[str, ...] = ()
    # Why the status is what it is ("no completion or extension on record since ...").
    reason: str = ""
    first_completion: str = ""
    breach_confirmed: bool = False
    requests: tuple["ExtensionRequest", ...] = ()


@dataclass
class StateTreaty:
    """Everything on record about one State under one treaty."""

    participation: Participation
    terms: list[TreatyObligation]
    obligations: dict[int, Obligation] = field(default_factory=dict)  # by TreatyObligation id
    extensions: dict[int, list[Extension]] = field(default_factory=lambda: defaultdict(list))
    completions: dict[int, list[Completion]] = field(default_factory=lambda: defaultdict(list))
    requests: dict[int, list[ExtensionRequest]] = field(default_factory=lambda: defaultdict(list))
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
    return ExtensionFact(
        extension.granted_on,
        extension.new_deadline,
        extension.requested_on,
        meeting=extension.meeting,
        confirmed=not extension.unverified_fields,
    )


def completion_fact(completion: Completion) -> CompletionFact:
    return CompletionFact(
        not_applicable=completion.kind == Completion.Kind.NOT_APPLICABLE,
        completed_on=Completion.partial(completion.completed_on),
        reported_on=Completion.partial(completion.reported_on),
        reopened_on=Completion.partial(completion.reopened_on),
        second_completed_on=Completion.partial(completion.second_completed_on),
        confirmed=not completion.unverified_fields,
    )


def request_fact(request: ExtensionRequest) -> RequestFact:
    return RequestFact(
        outcome=RequestOutcome(request.outcome),
        meeting=request.meeting,
        made_on=request.submitted_on or request.meeting_opens_on,
        decided_on=request.meeting_closes_on,
        requested_deadline=request.requested_deadline,
        note=request.outcome_note,
        confirmed=not request.unverified_fields,
    )


def latest_completion(completions: Sequence[Completion]) -> Completion | None:
    """The declaration that governs the obligation: the one whose period ends last (the
    rules decide, for each day asked about, whether it had happened by then)."""

    def ends(completion: Completion) -> date:
        period = completion_fact(completion).period
        return period.end if period is not None else date.min

    return max(completions, key=ends, default=None)


def newest_source(
    stored: Obligation | None, extensions: Sequence[Extension], requests: Sequence[ExtensionRequest]
) -> str:
    """The source of the latest decision or request on record, else the obligation's own."""
    dated: list[tuple[date, Extension | ExtensionRequest]] = [(e.granted_on, e) for e in extensions]
    dated += [(r.meeting_closes_on or r.submitted_on or date.min, r) for r in requests]
    records: list[Obligation | Extension | ExtensionRequest] = [
        r for _, r in sorted(dated, key=lambda x: x[0])
    ]
    if stored is not None:
        records.insert(0, stored)
    for record in reversed(records):
        if record.source_urls:
            return str(record.source_urls[0])
        if record.source_citation:
            return record.source_citation
    return ""


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
    with_terms = [t for t in treaty_list if t.obligation_terms.all()]
    # One read of the actions under every treaty: the queries do not grow with the treaties.
    participations = participations_for(with_terms, countries=country_list, include_non_participants=False)
    for treaty in with_terms:
        terms = list(treaty.obligation_terms.all())
        for term in terms:
            term.treaty = treaty
        for participation in participations[treaty.pk]:
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
    for request in ExtensionRequest.objects.filter(obligation_id__in=list(by_id)):
        bundle, request.obligation = by_id[request.obligation_id]
        bundle.requests[request.obligation.terms_id].append(request)
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
                    newest_source=newest_source(row.state_obligation, row.extensions, row.requests),
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
        tracked_from = next(
            (
                o.reports_tracked_from
                for o in bundle.obligations.values()
                if o.terms.kind == ObligationKind.ANNUAL_REPORT and o.reports_tracked_from is not None
            ),
            None,
        )
        reports = tuple(
            reports_owed(
                initial_due=initial_report_due(eif, initial_terms.terms()),
                annual_due=annual_terms.terms().annual_due if annual_terms else None,
                submitted=submitted,
                as_of=as_of,
                withdrawal_effective=withdrawal_effective,
                tracked_from=tracked_from,
            )
        )
        for kind in ("initial", "annual"):
            standing = reporting_standing(reports, kind, as_of, withdrawal_effective, tracked_from)
            if standing is not None:
                report_standings[kind] = standing
    for terms in bundle.terms:
        stored = bundle.obligations.get(terms.pk)
        extensions = tuple(e for e in bundle.extensions.get(terms.pk, []) if e.granted_on <= as_of)
        requests = tuple(r for r in bundle.requests.get(terms.pk, []) if request_fact(r).made_by(as_of))
        completion = latest_completion(bundle.completions.get(terms.pk, []))
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
                requests=[request_fact(r) for r in requests],
                withdrawal_effective=withdrawal_effective,
                breach_confirmed=bool(stored.breach_confirmed_source),
            )
        unverified = [f"obligation.{f}" for f in (stored.unverified_fields if stored else [])]
        unverified += [f"extension[{e.meeting}].{f}" for e in extensions for f in e.unverified_fields]
        unverified += [f"request[{r.meeting}].{f}" for r in requests for f in r.unverified_fields]
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
                unverified=tuple(unverified),
                reason=standing.reason,
                first_completion=standing.first_completion.value if standing.first_completion else "",
                breach_confirmed=standing.breach_confirmed,
                requests=requests,
            )
        )
    return Evaluated(bundle, tuple(rows), tuple(standings), reports)


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
    if country is None:
        # Every list and page filters the one evaluation of all States (per version and date).
        rows = [r for r in every_deadline(as_of=as_of) if treaty is None or r.treaty.pk == treaty.pk]
    else:
        rows = _deadlines_of(as_of=as_of, treaty=treaty, country=country)
    return [r for r in rows if r.status == status] if status else rows


@per_version  # every page reads it; evaluated once per data version and as_of
def every_deadline(*, as_of: date) -> list[DeadlineRow]:
    return _deadlines_of(as_of=as_of)


def _deadlines_of(
    *, as_of: date, treaty: Treaty | None = None, country: Country | None = None
) -> list[DeadlineRow]:
    treaties = None
    if treaty is not None:
        treaties = Treaty.objects.filter(pk=treaty.pk).prefetch_related(
            Prefetch("obligation_terms", queryset=TreatyObligation.objects.order_by("position"))
        )
    rows: list[DeadlineRow] = []
    for bundle in facts_for(treaties=treaties, countries=[country] if country is not None else None):
        if not _consented_by(bundle, as_of):
            continue
        rows.extend(evaluate(bundle, as_of).rows)
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
class AlertOnDate:
    """An alert condition as the rules give it on a past day (computed, not a stored row)."""

    treaty: Treaty
    kind: str
    severity: str
    due_date: date
    message: str
    country: Country | None = None
    obligation_code: str | None = None
    # A computed condition has no stored row: no id, never opened or resolved as such.
    id: None = None
    opened_at: None = None
    resolved_at: None = None

    def get_kind_display(self) -> str:
        return str(dict(Alert.Kind.choices).get(self.kind, self.kind))


def _consented_by(bundle: StateTreaty, as_of: date) -> bool:
    """An instrument deposited by ``as_of`` (one whose date is not on record owes no dated
    obligation: its entry into force is unknown)."""
    consent = bundle.participation.consent
    return consent is not None and consent.action_date is not None and consent.action_date <= as_of


@dataclass(frozen=True)
class StateRecord:
    """One State's obligations on a day: deadline rows, the alert conditions the rules gave
    (when asked for), and the Art. 7 reports owed, by treaty id."""

    rows: list[DeadlineRow]
    conditions: list["AlertOnDate"]
    reports: dict[int, list["ReportingRow"]]


def state_record(*, country: Country, as_of: date, thresholds: Sequence[int] | None = None) -> StateRecord:
    """One State's deadline rows on ``as_of`` and, when ``thresholds`` are given, the alert
    conditions that held that day, from the facts known then (a profile "as of" a past day
    shows these instead of today's stored alerts), and its reporting record. One read of the
    record for all three, whatever the number of treaties."""
    reports: dict[int, list[ReportingRow]] = {}
    rows, found = _record(countries=[country], as_of=as_of, thresholds=thresholds, reports=reports)
    return StateRecord(rows, found, reports)


def alerts_on(
    *, as_of: date, thresholds: Sequence[int], country: Country | None = None, treaty: Treaty | None = None
) -> list[AlertOnDate]:
    """The alert conditions the rules give on ``as_of`` for every State (or ``country``)."""
    _rows, found = _record(
        countries=[country] if country is not None else None,
        as_of=as_of,
        thresholds=thresholds,
        treaty=treaty,
    )
    return found


def _record(
    *,
    countries: Sequence[Country] | None,
    as_of: date,
    thresholds: Sequence[int] | None,
    treaty: Treaty | None = None,
    reports: dict[int, list["ReportingRow"]] | None = None,
) -> tuple[list[DeadlineRow], list[AlertOnDate]]:
    treaties = None
    if treaty is not None:
        treaties = Treaty.objects.filter(pk=treaty.pk).prefetch_related(
            Prefetch("obligation_terms", queryset=TreatyObligation.objects.order_by("position"))
        )
    rows: list[DeadlineRow] = []
    found: list[AlertOnDate] = []
    for bundle in facts_for(treaties=treaties, countries=countries):
        if not _consented_by(bundle, as_of):
            continue
        evaluated = evaluate(bundle, as_of)
        rows.extend(evaluated.rows)
        if reports is not None:
            reports[bundle.treaty.pk] = [
                ReportingRow(r.kind, r.covered_year, r.due, r.submitted_on, r.status.value)
                for r in evaluated.reports
            ]
        if thresholds is None:
            continue
        for condition in alert_conditions(evaluated.state_facts(), as_of=as_of, thresholds=thresholds):
            found.append(
                AlertOnDate(
                    bundle.treaty,
                    condition.kind.value,
                    condition.severity.value,
                    condition.due_date,
                    condition.message,
                    country=bundle.country,
                    obligation_code=condition.obligation_code,
                )
            )
    rows.sort(key=lambda r: (r.country.name, r.treaty.position, r.obligation.position))
    found.sort(key=lambda a: (a.due_date, a.country.name if a.country else "", a.kind))
    return rows, found


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
        if not _consented_by(bundle, as_of):
            return []  # nothing was owed before the instrument was deposited
        return [
            ReportingRow(r.kind, r.covered_year, r.due, r.submitted_on, r.status.value)
            for r in evaluate(bundle, as_of).reports
        ]
    return []
