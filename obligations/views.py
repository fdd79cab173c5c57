"""Deadlines across all States, as a page and as an iCalendar subscription."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from mineban.web import csv_response, with_as_of
from obligations import selectors as obligation_selectors
from obligations.models import ObligationStatus
from states import listings

DEADLINE_STATUSES = dict(ObligationStatus.choices)


@dataclass(frozen=True)
class DeadlineFilter:
    treaty: str = ""
    state: str = ""
    status: str = ""
    obligation: str = ""
    region: str = ""


def _filter_from(request: HttpRequest) -> DeadlineFilter:
    get = request.GET
    return DeadlineFilter(
        treaty=get.get("treaty", ""),
        state=get.get("state", "").strip().upper(),
        status=get.get("status", ""),
        obligation=get.get("obligation", ""),
        region=get.get("region", ""),
    )


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
    countries = listings.countries_all()
    tracked = listings.tracked_treaties()
    kinds: dict[str, str] = {}
    for t in tracked:
        for o in t.obligation_terms.all():
            kinds.setdefault(o.kind, o.title)
    return render(
        request,
        "obligations/deadlines.html",
        {
            "as_of": as_of,
            "rows": rows,
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
    profile_base = request.build_absolute_uri("/")[:-1]
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
        event.add("url", profile_base + reverse("states:profile", args=[r.country.iso3]))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mineban-deadlines.ics"'
    return response
