"""Reads behind the analyst web pages: the States table, a treaty's participant table, a
State's profile and the home page figures. Everything is "as of" a date the caller passes.

Query counts do not grow with the number of States: each treaty's participation is two
queries (``participation_for``), the rest is Python over those rows.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from mineban.rules.facts import COMPLETED_STATUSES, RECORD_GAP_STATUSES, ObligationStatus
from mineban.rules.status import ParticipationStatus, StatusCounts
from obligations import selectors as obligation_selectors
from states.models import Country, DepositaryAction, Treaty
from states.selectors import (
    Participation,
    TreatyParticipation,
    participation_for,
    participations_for,
    treaties,
)

# What the States table says about a State's obligations on the day, worst first.
OBLIGATION_STATES = {
    "overdue": "Deadline missed",
    "incomplete": "Record incomplete",
    "pending": "Deadline ahead",
    "completed": "All completed",
    "none": "No deadlines",
}
_COMPLETED = {
    *(s.value for s in COMPLETED_STATUSES),
    ObligationStatus.NOT_APPLICABLE.value,
    ObligationStatus.ENDED_BY_WITHDRAWAL.value,
}
# A decision or a date the record lacks: an editor's task, not a State's breach.
_INCOMPLETE = {*(s.value for s in RECORD_GAP_STATUSES), ObligationStatus.TIMING_UNCERTAIN.value}


def tracked_treaties() -> list[Treaty]:
    """The treaties with participation on record (a treaty with none would read "not signed"
    for every State, which is an absence of data, not a fact)."""
    has_actions = DepositaryAction.objects.filter(treaty=OuterRef("pk"))
    return list(treaties().filter(Exists(has_actions)))


def countries_all() -> list[Country]:
    return list(Country.objects.order_by("name"))


@dataclass(frozen=True)
class Known:
    """A State's participation as it stood on ``as_of``: actions taken later are left out,
    so a page turned to 2005 does not show a 2011 ratification."""

    country: Country
    signature: DepositaryAction | None
    consent: DepositaryAction | None
    entry_into_force: date | None
    entry_into_force_basis: str
    withdrawal: DepositaryAction | None
    # Consented by ``as_of``, but the treaty enters into force for the State later.
    entry_into_force_scheduled: bool


def known_on(p: Participation, as_of: date) -> Known:
    p = p.on(as_of)  # a State that withdrew and joined again: the participation of the day

    def by(action: DepositaryAction | None) -> DepositaryAction | None:
        # An instrument whose date is not on record counts from the day a source listed it.
        when = (action.action_date or action.known_by) if action is not None else None
        return action if when is not None and when <= as_of else None

    consent = by(p.consent)
    eif = p.entry_into_force if consent is not None else None
    return Known(
        country=p.country,
        signature=by(p.signature),
        consent=consent,
        entry_into_force=eif,
        entry_into_force_basis=p.entry_into_force_basis if eif else "",
        withdrawal=by(p.withdrawal),
        entry_into_force_scheduled=eif is not None and eif > as_of,
    )


@dataclass(frozen=True)
class TreatyCell:
    treaty: Treaty
    participation: Participation
    status: ParticipationStatus
    known: Known


@dataclass
class StateRow:
    country: Country
    cells: list[TreatyCell]
    obligation_state: str = "none"
    deadlines: list[Any] = field(default_factory=list)

    @property
    def obligation_label(self) -> str:
        return OBLIGATION_STATES[self.obligation_state]


def _obligation_state(rows: Sequence[Any]) -> str:
    # Reports in years not tracked say nothing either way about how the State stands.
    statuses = {r.status for r in rows} - {ObligationStatus.NOT_TRACKED.value}
    if "overdue" in statuses:
        return "overdue"
    if statuses & _INCOMPLETE:
        return "incomplete"
    if "pending" in statuses:
        return "pending"
    if statuses and statuses <= _COMPLETED:
        return "completed"
    return "none"


def _matches(country: Country, q: str) -> bool:
    q = q.strip().casefold()
    if not q:
        return True
    names = (country.name, country.formal_name, country.iso3, country.iso2)
    return any(q in (n or "").casefold() for n in names)


_STATUS_ORDER = {s: i for i, s in enumerate(ParticipationStatus)}


def _status_key(i: int) -> Callable[[StateRow], Any]:
    return lambda r: (_STATUS_ORDER[r.cells[i].status], r.country.name)


def _eif_key(i: int) -> Callable[[StateRow], Any]:
    return lambda r: (r.cells[i].known.entry_into_force or date.max, r.country.name)


def _sort_keys(treaty_list: Sequence[Treaty]) -> dict[str, Callable[[StateRow], Any]]:
    keys: dict[str, Callable[[StateRow], Any]] = {
        "name": lambda r: r.country.name.casefold(),
        "iso3": lambda r: r.country.iso3,
        "region": lambda r: (r.country.region, r.country.sub_region, r.country.name),
        "obligations": lambda r: (list(OBLIGATION_STATES).index(r.obligation_state), r.country.name),
    }
    for i, treaty in enumerate(treaty_list):
        code = treaty.code.lower()
        keys[f"{code}-status"] = _status_key(i)
        keys[f"{code}-eif"] = _eif_key(i)
    return keys


def sort_rows(rows: list[StateRow], sort: str, treaty_list: Sequence[Treaty]) -> tuple[list[StateRow], str]:
    """Sort by a column key; ``-key`` sorts descending. Unknown keys fall back to the name."""
    keys = _sort_keys(treaty_list)
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in keys:
        key, descending = "name", False
    rows = sorted(rows, key=keys[key], reverse=descending)
    return _missing_last(rows, keys[key]), ("-" if descending else "") + key


@dataclass(frozen=True)
class StatesFilter:
    q: str = ""
    treaty: str = ""
    status: str = ""
    region: str = ""
    obligations: str = ""
    sort: str = "name"


@dataclass
class StatesTable:
    treaties: list[Treaty]
    rows: list[StateRow]
    sort: str
    regions: list[str]
    total: int

    @property
    def column_count(self) -> int:
        return 4 + 2 * len(self.treaties)


def states_table(*, as_of: date, chosen: StatesFilter) -> StatesTable:
    """Every State with its status under each tracked treaty, filtered and sorted."""
    all_treaties = tracked_treaties()
    shown = [t for t in all_treaties if t.code.lower() == chosen.treaty.lower()] or all_treaties
    countries = countries_all()
    participation = {t.code: participation_for(t, countries=countries) for t in shown}
    shown_ids = {t.pk for t in shown}
    by_country: dict[int, list[Any]] = defaultdict(list)
    for row in obligation_selectors.deadlines(as_of=as_of):
        if row.treaty.pk in shown_ids:
            by_country[row.country.pk].append(row)

    rows = []
    for country in countries:
        cells = []
        for treaty in shown:
            p = participation[treaty.code].by_iso3[country.iso3]
            cells.append(
                TreatyCell(treaty=treaty, participation=p, status=p.status(as_of), known=known_on(p, as_of))
            )
        found = by_country.get(country.pk, [])
        rows.append(StateRow(country=country, cells=cells, obligation_state=_obligation_state(found)))

    regions = sorted({c.region for c in countries if c.region})
    total = len(rows)
    if chosen.q:
        rows = [r for r in rows if _matches(r.country, chosen.q)]
    if chosen.region:
        rows = [r for r in rows if r.country.region == chosen.region]
    if chosen.status:
        rows = [r for r in rows if any(c.status == chosen.status for c in r.cells)]
    if chosen.obligations:
        rows = [r for r in rows if r.obligation_state == chosen.obligations]
    rows, sort = sort_rows(rows, chosen.sort, shown)
    return StatesTable(treaties=shown, rows=rows, sort=sort, regions=regions, total=total)


# --- Home --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreatyFigures:
    treaty: Treaty
    counts: StatusCounts


def headline_figures(*, as_of: date) -> list[TreatyFigures]:
    countries = countries_all()
    return [
        TreatyFigures(treaty=t, counts=participation_for(t, countries=countries).counts(as_of=as_of))
        for t in tracked_treaties()
    ]


def recently_changed(*, as_of: date, limit: int = 8) -> QuerySet[DepositaryAction]:
    """The latest changes recorded by the end of ``as_of`` (none, for a day before the record)."""
    recorded_by = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)
    return (
        DepositaryAction.objects.select_related("country", "treaty")
        .filter(updated_at__lt=recorded_by)
        .order_by("-updated_at", "-id")[:limit]
    )


# --- Treaty page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    participation: Participation
    status: ParticipationStatus
    known: Known


def _action_date(action: DepositaryAction | None) -> date:
    return action.action_date if action is not None and action.action_date is not None else date.max


PARTICIPANT_SORTS: dict[str, Callable[[ParticipantRow], Any]] = {
    "name": lambda r: r.known.country.name.casefold(),
    "status": lambda r: (_STATUS_ORDER[r.status], r.known.country.name),
    "signature": lambda r: (_action_date(r.known.signature), r.known.country.name),
    "consent": lambda r: (_action_date(r.known.consent), r.known.country.name),
    "eif": lambda r: (r.known.entry_into_force or date.max, r.known.country.name),
    "withdrawal": lambda r: (_action_date(r.known.withdrawal), r.known.country.name),
}


def participant_table(
    participation: TreatyParticipation, *, as_of: date, sort: str = "name"
) -> tuple[list[ParticipantRow], str]:
    """Like the depositary's table: every State that signed or deposited an instrument by
    ``as_of`` (later actions are not shown, so the table reads as it stood then)."""
    rows = []
    for p in participation:
        status = p.status(as_of)
        if status.not_joined:
            continue
        rows.append(ParticipantRow(participation=p, status=status, known=known_on(p, as_of)))
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in PARTICIPANT_SORTS:
        key, descending = "name", False
    rows.sort(key=PARTICIPANT_SORTS[key], reverse=descending)
    return _missing_last(rows, PARTICIPANT_SORTS[key]), ("-" if descending else "") + key


def _missing_last(rows: list[Any], key: Callable[[Any], Any]) -> list[Any]:
    """Rows sorted on a date that is not on record (``date.max``) go last, in either order."""

    def missing(row: Any) -> bool:
        value = key(row)
        return isinstance(value, tuple) and value[0] == date.max

    return [r for r in rows if not missing(r)] + [r for r in rows if missing(r)]


# --- Profile ------------------------------------------------------------------------------


def country_get(code: str) -> Country | None:
    code = code.strip().upper()
    field_name = "iso3" if len(code) == 3 else "iso2"
    return Country.objects.filter(**{field_name: code}).first()


def country_suggestions(code: str, *, limit: int = 6) -> list[Country]:
    """States whose name or codes resemble what was typed, for the 404 page."""
    code = code.strip()
    if not code:
        return []
    return [c for c in countries_all() if _matches(c, code) or c.iso3.startswith(code[:1].upper())][:limit]


@dataclass
class TreatyProfile:
    treaty: Treaty
    participation: Participation
    status: ParticipationStatus
    known: Known
    deadlines: list[Any]
    alerts: list[Any]
    reporting: list[Any]


def profile_treaties(*, country: Country, as_of: date, today: date) -> list[TreatyProfile]:
    """Per tracked treaty: participation, deadlines, alerts and reporting record. One read
    of deadlines and of alerts for the State, split by treaty here.

    Alerts: today's are the stored ones, with when each opened and was resolved; on any other
    day, the conditions the rules give on that day (a stored alert opened in 2026 says nothing
    about 2000)."""
    thresholds = None if as_of == today else list(settings.ALERT_APPROACHING_DAYS)
    record = obligation_selectors.state_record(country=country, as_of=as_of, thresholds=thresholds)
    deadline_rows: dict[int, list[Any]] = defaultdict(list)
    for row in record.rows:
        deadline_rows[row.treaty.pk].append(row)
    alert_rows: dict[int, list[Any]] = defaultdict(list)
    if thresholds is None:
        for alert in obligation_selectors.alerts(country=country):
            alert_rows[alert.treaty_id].append(alert)
    for condition in record.conditions:
        alert_rows[condition.treaty.pk].append(condition)
    result = []
    tracked = tracked_treaties()
    participations = participations_for(tracked, countries=[country])
    for treaty in tracked:
        p = participations[treaty.pk].by_iso3[country.iso3]
        result.append(
            TreatyProfile(
                treaty=treaty,
                participation=p,
                status=p.status(as_of),
                known=known_on(p, as_of),
                deadlines=sorted(
                    deadline_rows[treaty.pk], key=lambda r: (r.original_deadline, r.obligation.position)
                ),
                alerts=alert_rows[treaty.pk],
                reporting=reporting_lines(record.reports.get(treaty.pk, [])),
            )
        )
    return result


@dataclass(frozen=True)
class UntrackedReports:
    """Consecutive reports due in years the record does not cover, shown as one line."""

    count: int
    first_due: date
    last_due: date
    untracked: bool = True


@dataclass(frozen=True)
class ReportLine:
    kind: str
    covered_year: int | None
    due: date
    submitted_on: date | None
    status: str
    next_due: bool = False
    untracked: bool = False


def reporting_lines(rows: Sequence[Any]) -> list[ReportLine | UntrackedReports]:
    """The reporting record for a page: runs of untracked years collapse into one line, so
    that not knowing a report never reads as many missing ones; the next report due is marked."""
    lines: list[ReportLine | UntrackedReports] = []
    run: list[Any] = []

    def close_run() -> None:
        if run:
            lines.append(UntrackedReports(len(run), run[0].due, run[-1].due))
            run.clear()

    next_marked = False
    for row in rows:
        if row.status == "not_tracked":
            run.append(row)
            continue
        close_run()
        is_next = row.status == "pending" and not next_marked
        next_marked = next_marked or is_next
        lines.append(
            ReportLine(row.kind, row.covered_year, row.due, row.submitted_on, row.status, next_due=is_next)
        )
    close_run()
    return lines


def action_history(country: Country) -> list[Any]:
    """The versions simple_history kept of the State's actions, newest first."""
    return list(
        DepositaryAction.history.filter(country_id=country.pk)
        .select_related("treaty", "history_user")
        .order_by("-history_date", "-history_id")
    )
