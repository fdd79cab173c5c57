"""Server-rendered pages: home, States index, State profile, treaty page, deadlines (also
as CSV and an iCalendar subscription).

Thin views: read the query string, call ``reports.listings`` / ``obligations.selectors``,
render. Every page is "as of" the ``?as_of=`` date (today when absent).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from mineban import clock
from mineban.rules.status import ParticipationStatus
from mineban.web import csv_response, with_as_of
from obligations import selectors as obligation_selectors
from obligations.models import ObligationStatus
from reports import charts, exports, filters, listings, policy_charts, policy_profile, profile
from states import policy_selectors
from states.models import Treaty
from states.selectors import participation_for, treaty_get

HOME_LIST_LENGTH = 8


@with_as_of
def home(request: HttpRequest, *, as_of: date) -> HttpResponse:
    rows = obligation_selectors.deadlines(as_of=as_of)
    upcoming = sorted((r for r in rows if r.status == "pending"), key=lambda r: r.current_deadline)
    # Most recently missed first: the oldest breaches are the least news.
    overdue = sorted(
        (r for r in rows if r.status == "overdue"), key=lambda r: r.current_deadline, reverse=True
    )
    return render(
        request,
        "reports/home.html",
        {
            "as_of": as_of,
            "figures": listings.headline_figures(as_of=as_of),
            "upcoming": upcoming[:HOME_LIST_LENGTH],
            "upcoming_total": len(upcoming),
            "overdue": overdue[:HOME_LIST_LENGTH],
            "overdue_total": len(overdue),
            "recent": listings.recently_changed(as_of=as_of, limit=HOME_LIST_LENGTH),
        },
    )


@with_as_of
def states_index(request: HttpRequest, *, as_of: date, as_csv: bool = False) -> HttpResponse:
    given = filters.StatesIndexFilter.chosen(request.GET)
    chosen = listings.StatesFilter(**{**given, "q": given["q"].strip(), "sort": given["sort"] or "name"})
    table = listings.states_table(as_of=as_of, chosen=chosen)
    if as_csv or request.GET.get("format") == "csv":
        header, rows = exports.states_csv(table)
        return csv_response(f"mineban-states-{as_of.isoformat()}.csv", header, rows)
    return render(
        request,
        "reports/states_index.html",
        {
            "as_of": as_of,
            "table": table,
            "chosen": chosen,
            "all_treaties": listings.tracked_treaties(),
            "statuses": list(ParticipationStatus),
            "obligation_states": listings.OBLIGATION_STATES,
        },
    )


def states_csv(request: HttpRequest) -> HttpResponse:
    return states_index(request, as_csv=True)


@with_as_of
def country_profile(request: HttpRequest, code: str, *, as_of: date) -> HttpResponse:
    country = listings.country_get(code)
    if country is None:
        return render(
            request,
            "404.html",
            {
                "message": f"No State has the code “{code}”. Codes are ISO 3166-1 alpha-3, e.g. AFG or UKR.",
                "suggestions": listings.country_suggestions(code),
            },
            status=404,
        )
    profiles = listings.profile_treaties(country=country, as_of=as_of, today=clock.today())
    footnotes = profile.Footnotes()
    events = profile.timeline(profiles, as_of=as_of, footnotes=footnotes)
    sections = profile.narrative(country, profiles, as_of=as_of, footnotes=footnotes)
    actions = [a for prof in profiles for a in prof.participation.actions]
    # The policy record (overview box, UNGA votes, meetings, policy facts in the narrative).
    record, sections = policy_profile.policy_record(
        country, profiles, as_of=as_of, sections=sections, footnotes=footnotes
    )
    last_updated = max(
        [a.updated_at for a in actions] + ([record.changed_at] if record.changed_at else []), default=None
    )
    return render(
        request,
        "reports/profile.html",
        {
            "as_of": as_of,
            "country": country,
            "profiles": profiles,
            "timeline": events,
            "sections": sections,
            "footnotes": footnotes.urls,
            "actions": actions,
            "unconfirmed": [a for a in actions if a.unverified_fields] + record.unconfirmed,
            "last_updated": last_updated,
            "record": record,
            "has_deadlines": any(prof.deadlines for prof in profiles),
            "any_alerts": any(prof.alerts for prof in profiles),
            "alerts_computed": as_of != clock.today(),
            "any_reporting": any(prof.reporting for prof in profiles),
        },
    )


@with_as_of
def treaty_list(request: HttpRequest, *, as_of: date) -> HttpResponse:
    return render(
        request,
        "reports/treaty_list.html",
        {"as_of": as_of, "figures": listings.headline_figures(as_of=as_of)},
    )


@with_as_of
def treaty_detail(request: HttpRequest, code: str, *, as_of: date, as_csv: bool = False) -> HttpResponse:
    try:
        treaty = treaty_get(code)
    except Treaty.DoesNotExist:
        return render(
            request,
            "404.html",
            {
                "message": f"No treaty has the code “{code}”. Try "
                + " or ".join(t.code for t in listings.tracked_treaties())
                + ".",
                "suggestions": [],
            },
            status=404,
        )
    participation = participation_for(treaty, countries=listings.countries_all())
    sort = filters.ParticipantFilter.chosen(request.GET)["sort"] or "name"
    rows, sort = listings.participant_table(participation, as_of=as_of, sort=sort)
    if as_csv or request.GET.get("format") == "csv":
        header, body = exports.participants_csv(rows)
        filename = f"mineban-{treaty.code.lower()}-participants-{as_of.isoformat()}.csv"
        return csv_response(filename, header, body)
    # The General Assembly's votes on the treaty, year by year (none for most treaties).
    tallies = policy_selectors.tallies(participation, as_of=as_of)
    return render(
        request,
        "reports/treaty_detail.html",
        {
            "as_of": as_of,
            "treaty": treaty,
            "obligations": list(treaty.obligation_terms.all()),
            "counts": participation.counts(as_of=as_of),
            "chart": charts.participation_chart(participation, as_of=as_of, until=clock.today()),
            "map": charts.status_map(participation, as_of=as_of),
            "rows": rows,
            "sort": sort,
            "has_records": any(p.actions for p in participation),
            "tallies": tallies,
            "vote_chart": policy_charts.vote_chart(tallies),
        },
    )


def treaty_csv(request: HttpRequest, code: str) -> HttpResponse:
    return treaty_detail(request, code, as_csv=True)


def country_history(request: HttpRequest, code: str) -> HttpResponse:
    """Every recorded version of a State's depositary actions, newest first."""
    country = listings.country_get(code)
    if country is None:
        return render(request, "404.html", {"message": f"No State has the code “{code}”."}, status=404)
    return render(
        request,
        "reports/history.html",
        {"country": country, "versions": listings.action_history(country)},
    )


# --- Deadlines ------------------------------------------------------------------------------

DEADLINE_STATUSES = dict(ObligationStatus.choices)
OPEN_STATUSES = {ObligationStatus.PENDING.value, ObligationStatus.OVERDUE.value}
# Rows on one page of /deadlines/: a reader's screenful or two, not all 600-odd.
DEADLINES_PAGE_SIZE = 100


@dataclass(frozen=True)
class DeadlineFilter:
    treaty: str = ""
    state: str = ""
    status: str = ""
    obligation: str = ""
    region: str = ""


def _filter_from(request: HttpRequest) -> DeadlineFilter:
    given = filters.DeadlineFilter.chosen(request.GET)
    return DeadlineFilter(**{**given, "state": given["state"].strip().upper()})


def _rows(chosen: DeadlineFilter, as_of: date) -> list[obligation_selectors.DeadlineRow]:
    treaty = next((t for t in listings.tracked_treaties() if t.code == chosen.treaty), None)
    country = listings.country_get(chosen.state) if chosen.state else None
    rows = obligation_selectors.deadlines(
        as_of=as_of, treaty=treaty, country=country, status=chosen.status or None
    )
    if chosen.state and country is None:
        return []
    if chosen.obligation:
        rows = [r for r in rows if r.obligation.kind == chosen.obligation]
    if chosen.region:
        rows = [r for r in rows if r.country.region == chosen.region]
    # Soonest first, whatever order the selector returns them in.
    return sorted(rows, key=lambda r: (r.current_deadline, r.country.name, r.treaty.position))


@with_as_of
def deadlines(request: HttpRequest, *, as_of: date, as_csv: bool = False) -> HttpResponse:
    chosen = _filter_from(request)
    rows = _rows(chosen, as_of)
    if as_csv or request.GET.get("format") == "csv":
        return _deadlines_csv(rows, as_of)
    # What a reader acts on first: pending and overdue deadlines, soonest first (a stable sort
    # keeps that order), then the settled ones; a page at a time. CSV and iCalendar get all.
    ordered = sorted(rows, key=lambda r: r.status not in OPEN_STATUSES)
    page = Paginator(ordered, DEADLINES_PAGE_SIZE).get_page(request.GET.get("page"))
    countries = listings.countries_all()
    tracked = listings.tracked_treaties()
    kinds: dict[str, str] = {}
    for t in tracked:
        for o in t.obligation_terms.all():
            kinds.setdefault(o.kind, o.title)
    return render(
        request,
        "reports/deadlines.html",
        {
            "as_of": as_of,
            "rows": rows,
            "page": page,
            "chosen": chosen,
            "treaties": tracked,
            "countries": countries,
            "regions": sorted({c.region for c in countries if c.region}),
            "statuses": DEADLINE_STATUSES,
            "kinds": kinds,
            "ics_query": request.GET.urlencode(),
        },
    )


def deadlines_csv(request: HttpRequest) -> HttpResponse:
    return deadlines(request, as_csv=True)


def _deadlines_csv(rows: list[obligation_selectors.DeadlineRow], as_of: date) -> HttpResponse:
    header = ["iso3", "state", "treaty", "article", "obligation", "original deadline",
              "current deadline", "extensions", "status", "days left"]  # fmt: skip
    body = [
        [
            r.country.iso3, r.country.name, r.treaty.code, r.obligation.article, r.obligation.title,
            r.original_deadline.isoformat(), r.current_deadline.isoformat(), len(r.extensions),
            r.status, "" if r.days_left is None else r.days_left,
        ]
        for r in rows
    ]  # fmt: skip
    return csv_response(f"mineban-deadlines-{as_of.isoformat()}.csv", header, body)


@with_as_of
def deadlines_ics(request: HttpRequest, *, as_of: date) -> HttpResponse:
    """The same filter as the page, as all-day events a calendar can subscribe to."""
    rows = _rows(_filter_from(request), as_of)
    cal = Calendar()
    cal.add("prodid", "-//mineban//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "mineban deadlines")
    stamp = timezone.now()
    # The profile's address once, not a reverse() per row: /states/<iso3>/.
    profiles = request.build_absolute_uri(reverse("reports:index"))
    for r in rows:
        event = Event()
        event.add("uid", f"{r.treaty.code}-{r.obligation.code}-{r.country.iso3}@mineban")
        event.add(
            "summary", f"{r.country.name}: {r.treaty.code} Art. {r.obligation.article} {r.obligation.title}"
        )
        event.add("dtstart", r.current_deadline)
        event.add("dtend", r.current_deadline + timedelta(days=1))
        event.add("dtstamp", stamp)
        description = f"Status on {as_of.isoformat()}: {DEADLINE_STATUSES.get(r.status, r.status)}."
        if r.current_deadline != r.original_deadline:
            description += f" Original deadline {r.original_deadline.isoformat()}."
        event.add("description", description)
        event.add("url", f"{profiles}{r.country.iso3}/")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mineban-deadlines.ics"'
    return response
