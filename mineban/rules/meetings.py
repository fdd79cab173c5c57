"""A State's attendance at the Meetings of the States Parties and Review Conferences.

The Mine Ban Convention's formal meetings (1MSP in Maputo, 1999, to 22MSP in 2025, with a Review
Conference every five years: 1RC Nairobi 2004 ... 5RC Siem Reap 2024) are listed in
``apmbc_meetings.csv``. States not party attend as observers, and whether they do is one of the
Landmine Monitor's signs of a State's engagement.

Caveats that shape this module:

- Attendance is known only where a participants' list was read. A meeting with no record for
  a State is *not on record*, not "did not attend": lists are incomplete, and claiming an
  absence from a missing record would be a false statement about the State.
  :func:`attendance_sentence` keeps the two apart.
- The meeting dates in the data are partly unconfirmed, and meetings are held late in the year
  (most in November or December), so a gap is described by the calendar period it covers
  only when no other meeting falls into that period; otherwise by the meetings themselves.

Pure standard library: no Django, nothing from the project.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["Attendance", "Attended", "Meeting", "attendance_sentence"]


class Attendance(StrEnum):
    """How a State took part in one meeting, as recorded in the participants' list."""

    STATE_PARTY = "state_party"
    OBSERVER = "observer"
    DID_NOT_ATTEND = "did_not_attend"


@dataclass(frozen=True)
class Meeting:
    """A Meeting of the States Parties ("10MSP") or a Review Conference ("2RC")."""

    code: str
    name: str
    start: date
    end: date

    @property
    def label(self) -> str:
        """ "10MSP (2010)": the code alone does not tell a reader when it was."""
        return f"{self.code} ({self.start.year})"


@dataclass(frozen=True)
class Attended:
    """One State's recorded attendance at one meeting."""

    meeting: Meeting
    attendance: Attendance


def _join(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C" (no Oxford comma)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class _Period:
    """A calendar year (half = 0) or half-year (half = 1 for January–June, 2 for July–December)."""

    year: int
    half: int

    @property
    def first_day(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def text(self) -> str:
        if self.half == 0:
            return str(self.year)
        return f"the {'first' if self.half == 1 else 'second'} half of {self.year}"

    def followed_by(self, other: "_Period") -> bool:
        """True when ``other`` begins the day after this period ends (so "X or Y" reads right)."""
        return (other.first_day - self.last_day).days == 1


def _periods(day: date) -> tuple[_Period, _Period]:
    """The year and the half-year containing ``day``, coarsest first."""
    return _Period(day.year, 0), _Period(day.year, 1 if day.month <= 6 else 2)


def _calendar(
    gap: Sequence[Meeting], all_meetings: Sequence[Meeting], as_of: date | None
) -> tuple[_Period, _Period] | None:
    """The coarsest calendar span that contains the gap's meetings and no other meeting.

    "did not attend any meeting in 2010" is a claim about every meeting held in 2010, so it is
    made only if no meeting outside the gap overlaps the span, and only for a span that ended
    by ``as_of`` (meetings later in the year are not known yet). None when no such span exists.
    """
    codes = {meeting.code for meeting in gap}
    for start in _periods(gap[0].start):
        for end in _periods(gap[-1].start):
            if end.last_day < start.first_day or (as_of is not None and end.last_day > as_of):
                continue
            overlapping = [
                meeting
                for meeting in all_meetings
                if meeting.start <= end.last_day and meeting.end >= start.first_day
            ]
            if all(meeting.code in codes for meeting in overlapping):
                return start, end
    return None


def _gap_phrase(
    gap: Sequence[Meeting], all_meetings: Sequence[Meeting], as_of: date | None, *, every: bool
) -> str:
    """The longest gap: "any meeting in 2010 or the first half of 2011" (``every``: "every
    meeting in 2010 and ..."), or by meeting codes when no calendar span fits."""
    quantifier = "every" if every else "any"
    if len(gap) == 1:
        return gap[0].label
    span = _calendar(gap, all_meetings, as_of)
    if span is None:
        return f"{quantifier} meeting from {gap[0].label} to {gap[-1].label}"
    start, end = span
    if start == end:
        return f"{quantifier} meeting in {start.text}"
    if start.followed_by(end):
        return f"{quantifier} meeting in {start.text} {'and' if every else 'or'} {end.text}"
    return f"{quantifier} meeting from {start.text} to {end.text}"


def _longest_gap(held: Sequence[Meeting], missed: set[str]) -> list[Meeting]:
    """The longest run of consecutive meetings recorded as not attended (ties: the latest).

    A meeting without a record breaks the run: it may have been attended.
    """
    best: list[Meeting] = []
    current: list[Meeting] = []
    for meeting in held:
        if meeting.code in missed:
            current.append(meeting)
            if len(current) >= len(best):
                best = list(current)
        else:
            current = []
    return best


def attendance_sentence(
    meetings: Sequence[Meeting],
    attended: Sequence[Attended],
    *,
    since: date | None = None,
    as_of: date | None = None,
) -> str:
    """One sentence on attendance at the meetings that ended by ``as_of`` and began on or after
    ``since`` (e.g. the State's entry into force), such as "Attended 14 of 27 meetings since
    1999 (12 as an observer); did not attend any meeting in 2010 or the first half of 2011."

    - A meeting counts as attended when any record for it says State Party or observer (a State
      that joined between two sessions may be listed both ways; it counts once, as a State Party).
    - A meeting with no record is "not on record", never "did not attend"; so a State with no
      attendance on record, but some meetings not on record, is not said to have attended
      "none of" them: "Did not attend 10MSP (2010); attendance not on record for 26."
    - Of the meetings recorded as not attended, the longest unbroken run is described: by the
      calendar period it covers when that is exact, else by its first and last meeting. Other
      misses are counted, so the sentence never claims more than the records show.
    """
    held = sorted(
        (
            meeting
            for meeting in meetings
            if (as_of is None or meeting.end <= as_of) and (since is None or meeting.start >= since)
        ),
        key=lambda meeting: (meeting.start, meeting.code),
    )
    if not held:
        return "No meeting of the States Parties had taken place."

    kinds: dict[str, set[Attendance]] = {}
    for record in attended:
        kinds.setdefault(record.meeting.code, set()).add(record.attendance)
    present = {
        meeting.code
        for meeting in held
        if kinds.get(meeting.code, set()) & {Attendance.STATE_PARTY, Attendance.OBSERVER}
    }
    observer = {
        code
        for code in present
        if Attendance.STATE_PARTY not in kinds[code] and Attendance.OBSERVER in kinds[code]
    }
    missed = {meeting.code for meeting in held if meeting.code not in present and meeting.code in kinds}
    unknown = [meeting for meeting in held if meeting.code not in kinds]

    total = len(held)
    if len(unknown) == total:
        if total == 1:
            return f"Attendance at {held[0].label} is not on record."
        return f"Attendance at the {total} meetings is not on record."
    if total == 1:
        meeting = held[0]
        if meeting.code in missed:
            return f"Did not attend {meeting.label}."
        role = "an observer" if meeting.code in observer else "a State Party"
        return f"Attended {meeting.label} as {role}."

    since_year = since.year if since is not None else held[0].start.year
    if not present and unknown:
        # "Attended none of the 27" would claim the meetings not on record as missed too.
        clauses = []
    elif not present:
        none = "neither meeting" if total == 2 else f"none of the {total} meetings"
        clauses = [f"Attended {none} since {since_year}"]
    elif len(present) == total:
        every = "both meetings" if total == 2 else f"all {total} meetings"
        clauses = [f"Attended {every} since {since_year}"]
    else:
        clauses = [f"Attended {len(present)} of {total} meetings since {since_year}"]
    if observer:
        as_observer = "all" if len(observer) == len(present) else str(len(observer))
        clauses[0] += f" ({as_observer} as an observer)"

    if missed:
        gap = _longest_gap(held, missed)
        if len(gap) == len(missed):
            clauses.append(f"did not attend {_gap_phrase(gap, meetings, as_of, every=False)}")
        elif len(gap) == 1:
            clauses.append(f"did not attend {_join([m.label for m in held if m.code in missed])}")
        else:
            clauses.append(
                f"did not attend {len(missed)}, including {_gap_phrase(gap, meetings, as_of, every=True)}"
            )
    if unknown:
        clauses.append(f"attendance not on record for {len(unknown)}")
    sentence = "; ".join(clauses) + "."
    return sentence[0].upper() + sentence[1:]
