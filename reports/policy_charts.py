"""Geometry for the server-side SVG chart of the General Assembly's votes on the treaty page:
one stacked bar per resolution (in favour, abstained, against, did not vote). The template
draws it; the tally table under it gives every figure, for readers and screen readers alike.
"""

from dataclasses import dataclass
from math import ceil

from mineban.rules.voting import Vote
from reports.charts import Tick
from states.policy_selectors import Tallies

# Bottom to top: the votes cast, then the Member States that did not vote.
STACK = (
    (Vote.YES, "yes", "In favour"),
    (Vote.ABSTAIN, "abstain", "Abstained"),
    (Vote.NO, "no", "Against"),
    (Vote.ABSENT, "absent", "Did not vote"),
)


@dataclass(frozen=True)
class Segment:
    css: str
    y: float
    height: float
    count: int


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    label: str
    segments: list[Segment]


@dataclass(frozen=True)
class LegendEntry:
    css: str
    name: str


@dataclass(frozen=True)
class VoteChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    bars: list[Bar]
    legend: list[LegendEntry]
    first_year: int
    last_year: int


def vote_chart(tallies: Tallies) -> VoteChart | None:
    """The bars of the resolutions shown, on a frame from the first to the last resolution on
    record (turned to an earlier date, the later years stay empty). None without resolutions."""
    if tallies.first_year is None or tallies.last_year is None:
        return None
    width, height, left, right, top, bottom = 760, 280, 48, 16, 16, 40
    first, last = tallies.first_year, tallies.last_year
    years = last - first + 1
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / years
    biggest = max((sum(t.counts.values()) for t in tallies.shown), default=0)
    step = 50
    y_max = max(step, ceil(biggest / step) * step)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / y_max), 1)

    bars = []
    for tally in tallies.shown:
        base = 0
        segments = []
        for vote, css, _name in STACK:
            count = tally.counts.get(vote, 0)
            if count:
                segments.append(Segment(css, y(base + count), round(y(base) - y(base + count), 1), count))
            base += count
        c = tally.counts
        label = (
            f"{tally.label}: {c[Vote.YES]} in favour, {c[Vote.NO]} against, "
            f"{c[Vote.ABSTAIN]} abstained, {c[Vote.ABSENT]} did not vote"
        )
        x = round(left + slot * (tally.resolution.year - first) + slot * 0.15, 1)
        bars.append(Bar(x, round(slot * 0.7, 1), label, segments))
    every = 1 if years <= 12 else 2 if years <= 24 else 5
    x_ticks = [
        Tick(round(left + slot * (year - first) + slot / 2, 1), str(year))
        for year in range(first, last + 1)
        if year % every == 0 or year in (first, last)
    ]
    y_ticks = [Tick(y(value), str(value)) for value in range(0, y_max + 1, step)]
    return VoteChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        bars=bars,
        legend=[LegendEntry(css, name) for _vote, css, name in STACK],
        first_year=first,
        last_year=last,
    )
