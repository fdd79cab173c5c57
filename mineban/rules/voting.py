"""A State's votes on the annual UN General Assembly resolution supporting the Mine Ban Convention.

Every year since 1996 the General Assembly has voted on a resolution supporting the Convention
(51/45 S in 1996 was the forerunner; from 52/38 A in 1997 on, "Implementation of the
Convention ..."). For a State outside the treaty its vote is the clearest yearly sign of policy,
which is why a profile summarises the whole record in one sentence.

Caveats from the data (``unga_apmbc_votes.csv`` and its README) that shape this module:

- ``absent`` means a UN Member State that did not vote that day. A State that was not yet a
  member (or did not yet exist: Timor-Leste, Montenegro, South Sudan ...) has *no row*. The two
  must never be merged: "did not vote in 1996" is a statement about the State, "not a UN member
  until 2011" is a statement about its membership. :func:`voting_record` fills the missing rows
  with :attr:`Vote.NOT_MEMBER`, never with :attr:`Vote.ABSENT`.
- Serbia's seat was held as Yugoslavia (``YUG``, to 2003-02-04; absent 1996-2000 because the
  seat did not take part) and as Serbia and Montenegro (``SCG``, 2003-2006). The caller passes
  those votes in Serbia's list with ``seat_name`` set, and the sentence names the seat, so a
  reader does not think Serbia itself abstained from voting in the 1990s.
- Some rows are inferred (SCG's yes votes come from the totals, not from a named entry): such
  votes carry ``confirmed=False`` and the sentence lists their years.
- Published summaries sometimes differ from the record (the Monitor's 2011 Viet Nam profile says
  "abstained on all previous resolutions", but Viet Nam did not vote in 1996 or 1997). The
  sentence is therefore always computed from the record, never written by hand.

Pure standard library: no Django, nothing from the project, so it can be tested without a
database and reused by exports.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "CastVote",
    "Resolution",
    "Vote",
    "tally",
    "voting_record",
    "voting_sentence",
]


class Vote(StrEnum):
    """How a State stood on one resolution.

    ``ABSENT`` is a Member State that did not vote; ``NOT_MEMBER`` is a State that was not (yet)
    a UN member on that day and so could not vote at all. The source data has no row for the
    latter; the distinction matters because the Landmine Monitor counts an absence, but not
    non-membership, against a State's record.
    """

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    ABSENT = "absent"
    NOT_MEMBER = "not_member"


_SYMBOL = re.compile(r"^(?:A/RES/)?(?P<number>\d+/\d+)\s*(?P<suffix>[A-Z]*)$")


@dataclass(frozen=True)
class Resolution:
    """One annual resolution, as adopted in plenary."""

    symbol: str
    year: int
    adopted_on: date

    @property
    def short(self) -> str:
        """The symbol as people cite it: "A/RES/53/77N" becomes "53/77 N", "A/RES/65/48" "65/48".

        Several early resolutions were one lettered part of an omnibus disarmament resolution
        (53/77 N, 54/54 B ...); the letter identifies the part and must be kept.
        """
        match = _SYMBOL.match(self.symbol.strip())
        if match is None:
            return self.symbol.removeprefix("A/RES/")
        number, suffix = match["number"], match["suffix"]
        return f"{number} {suffix}" if suffix else number

    @property
    def label(self) -> str:
        """Short symbol with the year, e.g. "53/77 N (1998)": the year is what readers remember."""
        return f"{self.short} ({self.year})"


@dataclass(frozen=True)
class CastVote:
    """A State's position on one resolution.

    ``seat_name`` is set when the vote was cast under a former seat of the same State
    (Serbia: "Yugoslavia", "Serbia and Montenegro"). ``confirmed`` is False for votes inferred
    rather than read from a named entry (SCG's yes votes were inferred from the totals).
    """

    resolution: Resolution
    vote: Vote
    seat_name: str = ""
    confirmed: bool = True


def voting_record(
    votes: Sequence[CastVote], resolutions: Sequence[Resolution], *, as_of: date | None = None
) -> list[CastVote]:
    """One entry per resolution adopted on or before ``as_of`` (all when None), oldest first.

    A resolution without a vote from this State becomes :attr:`Vote.NOT_MEMBER`, never
    :attr:`Vote.ABSENT`: the data has a row (``absent`` included) for every UN Member State on
    the day, so a missing row means the State was not a member (or did not yet exist).

    Raises ValueError when two votes are given for the same resolution (e.g. a Yugoslavia and a
    Serbia vote both passed for one year) or a vote refers to a resolution not in
    ``resolutions``: either would silently distort the sentence.
    """
    known = {resolution.symbol for resolution in resolutions}
    by_symbol: dict[str, CastVote] = {}
    for cast in votes:
        symbol = cast.resolution.symbol
        if symbol not in known:
            raise ValueError(f"vote on {symbol}, which is not among the resolutions given")
        if symbol in by_symbol:
            raise ValueError(f"two votes given for {symbol}")
        by_symbol[symbol] = cast
    ordered = sorted(resolutions, key=lambda resolution: (resolution.adopted_on, resolution.symbol))
    return [
        by_symbol.get(resolution.symbol, CastVote(resolution, Vote.NOT_MEMBER))
        for resolution in ordered
        if as_of is None or resolution.adopted_on <= as_of
    ]


def tally(votes: Iterable[Vote]) -> dict[Vote, int]:
    """How many of each kind, with zero for kinds that do not occur (so callers can index freely)."""
    counts = Counter(votes)
    return {kind: counts.get(kind, 0) for kind in Vote}


# --- The sentence ---------------------------------------------------------------------------

_CAST = (Vote.YES, Vote.NO, Vote.ABSTAIN)
_FINITE = {Vote.YES: "voted in favour of", Vote.NO: "voted against", Vote.ABSTAIN: "abstained on"}
_PARTICIPLE = {Vote.YES: "voting in favour of", Vote.NO: "voting against", Vote.ABSTAIN: "abstaining on"}
# Runs of this many consecutive resolutions or more are written as a span, not one by one.
_SPAN_FROM = 3


def _join(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C" (no Oxford comma)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _runs(record: Sequence[CastVote], indexes: Sequence[int]) -> list[list[int]]:
    """Split ascending ``indexes`` into runs of consecutive entries under the same seat."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1 and record[index].seat_name == record[runs[-1][-1]].seat_name:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _items(
    record: Sequence[CastVote],
    indexes: Sequence[int],
    one: Callable[[CastVote], str],
    span: Callable[[CastVote, CastVote], str],
    *,
    seats: bool = True,
    span_from: int = _SPAN_FROM,
) -> list[str]:
    """Render entries run by run: a long run as one span, a short one entry by entry.

    A run under a former seat gets "(as Yugoslavia)" after its last item, so that Serbia's
    absences in 1996-2000 read as the Yugoslav seat's, not Serbia's own.
    """
    items: list[str] = []
    for run in _runs(record, indexes):
        first, last = record[run[0]], record[run[-1]]
        if len(run) >= span_from:
            items.append(span(first, last))
        else:
            items.extend(one(record[index]) for index in run)
        if seats and first.seat_name:
            items[-1] += f" (as {first.seat_name})"
    return items


def _resolutions(record: Sequence[CastVote], indexes: Sequence[int]) -> str:
    return _join(
        _items(
            record,
            indexes,
            lambda cast: cast.resolution.label,
            lambda first, last: f"every resolution from {first.resolution.label} to {last.resolution.label}",
        )
    )


def _years(
    record: Sequence[CastVote], indexes: Sequence[int], *, seats: bool = True, span_from: int = _SPAN_FROM
) -> str:
    return _join(
        _items(
            record,
            indexes,
            lambda cast: str(cast.resolution.year),
            lambda first, last: f"{first.resolution.year}–{last.resolution.year}",
            seats=seats,
            span_from=span_from,
        )
    )


def _dominant(record: Sequence[CastVote], cast: Sequence[int]) -> Vote:
    """The most frequent of yes / no / abstain; on a tie, the one used most recently.

    Absences never dominate: "did not vote" is not a position, and a State absent most years
    (South Sudan) is still described by the votes it did cast.
    """
    counts = Counter(record[index].vote for index in cast)
    latest = {record[index].vote: index for index in cast}
    return max(counts, key=lambda kind: (counts[kind], latest[kind]))


def _blocks(record: Sequence[CastVote], indexes: Sequence[int]) -> list[tuple[Vote, list[int]]]:
    """Group cast votes (absences already removed) into blocks of the same vote, in order."""
    blocks: list[tuple[Vote, list[int]]] = []
    for index in indexes:
        vote = record[index].vote
        if blocks and blocks[-1][0] == vote:
            blocks[-1][1].append(index)
        else:
            blocks.append((vote, [index]))
    return blocks


def _narrate(record: Sequence[CastVote], indexes: Sequence[int], *, last_with_and: bool) -> str:
    """Cast votes outside the dominant span, in time order: "voted in favour of X, abstained on Y".

    Before the headline the phrases lead into ", then <headline>" and are joined by commas only;
    after it they follow ", then" and the last one takes "and".
    """
    phrases = [f"{_FINITE[vote]} {_resolutions(record, block)}" for vote, block in _blocks(record, indexes)]
    return _join(phrases) if last_with_and else ", ".join(phrases)


def _headline(record: Sequence[CastVote], dominant: Vote, low: int, high: int, cast: Sequence[int]) -> str:
    """The dominant vote over its span, from its first to its last use.

    "every resolution from X to Y" is claimed only when it is literally true; otherwise the
    count is given ("22 of the 25 resolutions") and the other votes cast inside the span follow.
    Absences inside the span are left to the "did not vote in" clause, so no year is said twice.
    """
    verb = _FINITE[dominant]
    first, last = record[low].resolution.label, record[high].resolution.label
    same = [index for index in cast if record[index].vote == dominant]
    span = high - low + 1
    if len(same) == len(record):
        if span == 1:
            return f"{verb} {first}"
        if span == 2:
            return f"{verb} both resolutions, {first} and {last}"
        return f"{verb} all {span} resolutions, from {first} to {last}"
    if span == 1:
        return f"{verb} {first}"
    if len(same) == span:
        return f"{verb} every resolution from {first} to {last}"
    headline = f"{verb} {len(same)} of the {span} resolutions from {first} to {last}"
    others = [index for index in cast if low < index < high and record[index].vote != dominant]
    if not others:
        return headline
    kinds = list(dict.fromkeys(record[index].vote for index in others))
    phrases = [
        f"{_PARTICIPLE[kind]} {_resolutions(record, [i for i in others if record[i].vote == kind])}"
        for kind in kinds
    ]
    return f"{headline}, {_join(phrases)}"


def _seats(record: Sequence[CastVote], indexes: Sequence[int]) -> str:
    """ "Voted as Yugoslavia in 2001–2002 and as Serbia and Montenegro in 2003–2005."

    For the dominant span only: entries listed one by one already carry "(as ...)". Two years
    are already a span here, so that "and" is not repeated next to "Serbia and Montenegro".
    """
    former = [index for index in indexes if record[index].seat_name]
    if not former:
        return ""
    names = list(dict.fromkeys(record[index].seat_name for index in former))
    parts = []
    for name in names:
        seat = [index for index in former if record[index].seat_name == name]
        parts.append(f"as {name} in {_years(record, seat, seats=False, span_from=2)}")
    return f"Voted {_join(parts)}."


def voting_sentence(record: Sequence[CastVote]) -> str:
    """Summarise a record from :func:`voting_record` in one sentence (two with a former seat).

    The algorithm, deterministic so that a profile can be re-derived from the data:

    1. Leading ``NOT_MEMBER`` entries become "Not a UN member until YEAR"; any others are
       dropped (a State that was not a member neither voted nor failed to vote).
    2. The dominant vote is the most frequent of yes / no / abstain (ties: the latest). Its
       span runs from its first to its last use; it is the headline.
    3. Votes cast before the span are told first ("Voted in favour of 51/45 S (1996), then ...")
       and votes cast after it last (", then voted against ..."), so the most recent position
       is always said when it differs from the dominant one. Votes inside the span that differ
       are given with the headline ("..., abstaining on ...").
    4. Runs of three or more consecutive resolutions with the same vote are compressed to
       "every resolution from X to Y"; absences are one clause of years ("did not vote in 1996
       and 1997"), never mixed with non-membership.
    5. Former seats are named: "(as Yugoslavia)" after a listed run, or a short second sentence
       for the votes inside the headline span. Years with inferred votes close the sentence:
       "(unconfirmed: 2003–2005)".
    """
    members = [cast for cast in record if cast.vote != Vote.NOT_MEMBER]
    if not members:
        return "No recorded vote."
    prefix = ""
    if record[0].vote == Vote.NOT_MEMBER:
        prefix = f"Not a UN member until {members[0].resolution.year}; "

    cast = [index for index, entry in enumerate(members) if entry.vote in _CAST]
    absent = [index for index, entry in enumerate(members) if entry.vote == Vote.ABSENT]
    seats = ""
    if not cast:
        main = f"did not vote in {_years(members, absent)}"
    else:
        dominant = _dominant(members, cast)
        same = [index for index in cast if members[index].vote == dominant]
        low, high = same[0], same[-1]
        main = _headline(members, dominant, low, high, cast)
        before = [index for index in cast if index < low]
        after = [index for index in cast if index > high]
        if before:
            main = f"{_narrate(members, before, last_with_and=False)}, then {main}"
        if after:
            main = f"{main}, then {_narrate(members, after, last_with_and=True)}"
        if absent:
            main = f"{main}; did not vote in {_years(members, absent)}"
        seats = _seats(members, same)

    sentence = f"{prefix}{main}."
    sentence = sentence[0].upper() + sentence[1:]
    if seats:
        sentence = f"{sentence} {seats}"
    unconfirmed = [index for index, entry in enumerate(members) if not entry.confirmed]
    if unconfirmed:
        sentence = f"{sentence[:-1]} (unconfirmed: {_years(members, unconfirmed, seats=False)})."
    return sentence
