"""Geometry for the server-side SVG chart and map on the treaty page.

The templates draw the SVG; this module only turns participation into coordinates, so both
work without JavaScript and without any third-party drawing code.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from math import ceil

from mineban.rules.status import ParticipationStatus
from states.selectors import TreatyParticipation

STATUS_ORDER = list(ParticipationStatus)


# --- Chart: States Parties and instruments deposited over time ----------------------------


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    path: str
    value_at_cursor: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]
    cursor_x: float | None
    cursor_label: str
    undated: int = 0


def _step_counts(changes: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Running totals after each day with a change."""
    by_day: Counter[date] = Counter()
    for day, delta in changes:
        by_day[day] += delta
    total, points = 0, []
    for day in sorted(by_day):
        total += by_day[day]
        points.append((day, total))
    return points


def _value_on(points: list[tuple[date, int]], day: date) -> int:
    value = 0
    for when, total in points:
        if when > day:
            break
        value = total
    return value


def participation_chart(participation: TreatyParticipation, *, as_of: date, until: date) -> Chart:
    width, height, left, right, top, bottom = 760, 300, 52, 16, 16, 40
    treaty = participation.treaty
    # An instrument whose date is not on record has no place on a time axis: left out, and
    # counted for the template to say so (``undated``).
    # Every participation of a State that withdrew and joined again counts in its time.
    episodes = [ep for p in participation for ep in (*p.earlier, p)]
    deposits = [(ep.consent.action_date, 1) for ep in episodes if ep.consent and ep.consent.action_date]
    undated = sum(1 for ep in episodes if ep.consent and ep.consent.action_date is None)
    parties: list[tuple[date, int]] = []
    for ep in episodes:
        if ep.entry_into_force and ep.consent:
            parties.append((ep.entry_into_force, 1))
            if ep.withdrawal and ep.withdrawal.effective_date:
                parties.append((ep.withdrawal.effective_date, -1))
    deposit_points = _step_counts(deposits)
    party_points = _step_counts(parties)

    first = treaty.opened_for_signature_on or treaty.adopted_on
    start = date(first.year, 1, 1)
    end = date(max(until, as_of).year + 1, 1, 1)
    span = (end - start).days or 1
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([1] + [v for _, v in deposit_points] + [v for _, v in party_points])
    step = 20 if top_value <= 120 else 40 if top_value <= 240 else 100
    y_max = ceil(top_value / step) * step

    def x(day: date) -> float:
        return round(left + plot_w * (day - start).days / span, 1)

    def y(value: int) -> float:
        return round(top + plot_h * (1 - value / y_max), 1)

    def path(points: list[tuple[date, int]]) -> str:
        parts = [f"M{left},{y(0)}"]
        for day, value in points:
            parts.append(f"H{x(day)}V{y(value)}")
        parts.append(f"H{x(end)}")
        return "".join(parts)

    years = range(start.year, end.year + 1)
    every = 1 if len(years) <= 12 else 2 if len(years) <= 24 else 5
    x_ticks = [Tick(x(date(yr, 1, 1)), str(yr)) for yr in years if yr % every == 0]
    y_ticks = [Tick(y(v), str(v)) for v in range(0, y_max + 1, step)]
    cursor_x = x(as_of) if start <= as_of <= end else None
    return Chart(
        undated=undated,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        series=[
            Series(
                "Instruments deposited (cumulative)",
                "deposits",
                path(deposit_points),
                _value_on(deposit_points, as_of),
            ),
            Series(
                "States Parties (in force, not withdrawn)",
                "parties",
                path(party_points),
                _value_on(party_points, as_of),
            ),
        ],  # fmt: skip
        cursor_x=cursor_x,
        cursor_label=as_of.isoformat(),
    )


# --- Map: one dot per State, coloured by status -------------------------------------------


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    iso3: str
    name: str
    status: ParticipationStatus


@dataclass(frozen=True)
class LegendEntry:
    status: ParticipationStatus
    count: int


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    dots: list[Dot]
    meridians: list[float]
    parallels: list[float]
    legend: list[LegendEntry]
    unplaced: list[str]


# Equirectangular projection cropped to 60°S-85°N: no State lies further south.
_NORTH, _SOUTH = 85.0, -60.0
# Room at the edges so a dot at 180° longitude or 60°S is not cut in half.
_PAD = 10


def _x(lon: float, width: int) -> float:
    return round(_PAD + (lon + 180) / 360 * (width - 2 * _PAD), 1)


def _y(lat: float, height: int) -> float:
    return round(_PAD + (_NORTH - lat) / (_NORTH - _SOUTH) * (height - 2 * _PAD), 1)


def status_map(participation: TreatyParticipation, *, as_of: date) -> WorldMap:
    width = 1000
    height = round(width * (_NORTH - _SOUTH) / 360)
    dots, unplaced = [], []
    tally: Counter[ParticipationStatus] = Counter()
    for p in participation:
        status = p.status(as_of)
        tally[status] += 1
        c = p.country
        if c.latitude is None or c.longitude is None:
            unplaced.append(c.name)
            continue
        lat, lon = float(c.latitude), float(c.longitude)
        dots.append(
            Dot(
                x=_x(lon, width),
                y=_y(lat, height),
                iso3=c.iso3,
                name=c.name,
                status=status,
            )
        )
    # Draw States Parties last so they sit on top where dots overlap (small States).
    dots.sort(key=lambda d: STATUS_ORDER.index(d.status))
    return WorldMap(
        width=width,
        height=height,
        dots=dots,
        meridians=[_x(lon, width) for lon in range(-150, 180, 30)],
        parallels=[_y(lat, height) for lat in (-30, 0, 30, 60)],
        legend=[LegendEntry(s, tally[s]) for s in STATUS_ORDER if tally[s]],
        unplaced=unplaced,
    )
