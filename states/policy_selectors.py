"""Reads of the policy record, always "as of" a date the caller passes: a State's voting
record on the General Assembly's resolutions, its attendance at the treaty's meetings, its
policy facts, and each resolution's tally with how the States outside the treaty voted.

A few queries each, whatever the number of States; the sentences come from the pure rules
in ``mineban.rules.voting`` and ``mineban.rules.meetings``.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import FilteredRelation, Model, Q

from mineban.rules import meetings as meeting_rules
from mineban.rules import voting
from mineban.rules.precision import PartialDate
from states.models import Country, Meeting, MeetingAttendance, PolicyFact, Treaty, UNGAResolution, UNGAVote
from states.selectors import TreatyParticipation

# --- UN General Assembly votes -------------------------------------------------------------------


def resolution_rule(resolution: UNGAResolution) -> voting.Resolution:
    return voting.Resolution(resolution.symbol, resolution.year, resolution.adopted_on)


@dataclass(frozen=True)
class VoteEntry:
    """One line of a State's voting record: the resolution and the vote (``vote`` is None
    when the State was not a UN member that day)."""

    resolution: UNGAResolution
    cast: voting.CastVote
    vote: UNGAVote | None

    @property
    def confirmed(self) -> bool:
        return self.cast.confirmed

    @property
    def label(self) -> str:
        return {
            voting.Vote.YES: "In favour",
            voting.Vote.NO: "Against",
            voting.Vote.ABSTAIN: "Abstained",
            voting.Vote.ABSENT: "Did not vote",
            voting.Vote.NOT_MEMBER: "Not a UN member",
        }[self.cast.vote]


@dataclass(frozen=True)
class VotingRecord:
    entries: list[VoteEntry]
    sentence: str

    @property
    def unconfirmed(self) -> list[VoteEntry]:
        return [entry for entry in self.entries if not entry.confirmed]


def _cast(vote: UNGAVote, resolution: voting.Resolution) -> voting.CastVote:
    return voting.CastVote(
        resolution, voting.Vote(vote.vote), seat_name=vote.seat_name, confirmed=not vote.unverified_fields
    )


_VOTE_FIELDS = (
    "id",
    "vote",
    "seat_code",
    "seat_name",
    "notes",
    "source_urls",
    "unverified_fields",
    "updated_at",
)


def _joined(
    rows: Iterable[dict[str, Any]], model: type[Model], prefix: str, names: Sequence[str]
) -> list[Any]:
    """Instances of ``model`` from rows of ``values()`` whose ``prefix__name`` keys hold its
    fields (a LEFT JOIN through a ``FilteredRelation``): None where the join found nothing."""
    return [
        model(**{name: row[f"{prefix}__{name}"] for name in names})
        if row[f"{prefix}__id"] is not None
        else None
        for row in rows
    ]


def voting_record(country: Country, *, as_of: date, treaty: Treaty | None = None) -> VotingRecord:
    """The State's vote on every resolution adopted by ``as_of``, with the sentence that sums
    it up (one query: the resolutions, each joined to this State's vote). Votes cast under a
    former seat are on the record with it."""
    resolutions = UNGAResolution.objects.filter(adopted_on__lte=as_of)
    if treaty is not None:
        resolutions = resolutions.filter(treaty=treaty)
    own = (
        "id",
        "treaty_id",
        "symbol",
        "title",
        "adopted_on",
        "in_favour",
        "against",
        "abstaining",
        "source_urls",
    )
    rows = list(
        resolutions.annotate(mine=FilteredRelation("votes", condition=Q(votes__country=country)))
        .order_by("adopted_on", "symbol")
        .values(*own, *(f"mine__{name}" for name in _VOTE_FIELDS))
    )
    found = [UNGAResolution(**{name: row[name] for name in own}) for row in rows]
    votes = dict(zip([r.pk for r in found], _joined(rows, UNGAVote, "mine", _VOTE_FIELDS), strict=True))
    rules = {resolution.symbol: resolution_rule(resolution) for resolution in found}
    casts = [_cast(votes[r.pk], rules[r.symbol]) for r in found if votes[r.pk] is not None]
    record = voting.voting_record(casts, list(rules.values()), as_of=as_of)
    by_symbol = {resolution.symbol: resolution for resolution in found}
    entries = [
        VoteEntry(by_symbol[cast.resolution.symbol], cast, votes[by_symbol[cast.resolution.symbol].pk])
        for cast in record
    ]
    if not record:
        sentence = "No resolution had been adopted."
    elif not casts and not country.un_member:
        # The Holy See, the State of Palestine, the Cook Islands, Niue: observers at most.
        sentence = "Not a UN Member State: it has no vote in the General Assembly."
    else:
        sentence = voting.voting_sentence(record)
    return VotingRecord(entries, sentence)


# The four ways a Member State stood on a resolution (a non-member has no vote at all).
CAST_OR_ABSENT = (voting.Vote.YES, voting.Vote.NO, voting.Vote.ABSTAIN, voting.Vote.ABSENT)


@dataclass(frozen=True)
class Tally:
    """One resolution: how the Member States voted, and how the States outside the treaty
    (not States Parties on the day of the vote) voted."""

    resolution: UNGAResolution
    counts: dict[voting.Vote, int]
    outside: dict[voting.Vote, int]
    # The States outside the treaty and their votes, by name.
    outside_votes: list[tuple[Country, str, str]] = field(default_factory=list)

    @property
    def matches_record(self) -> bool:
        """The counted votes add up to the totals the UN record states."""
        r = self.resolution
        return (
            self.counts[voting.Vote.YES],
            self.counts[voting.Vote.NO],
            self.counts[voting.Vote.ABSTAIN],
        ) == (
            r.in_favour,
            r.against,
            r.abstaining,
        )

    @property
    def label(self) -> str:
        return resolution_rule(self.resolution).label


@dataclass(frozen=True)
class Tallies:
    """The tallies shown (resolutions adopted by ``as_of``) and the years of every resolution
    on record for the treaty (so a chart keeps its frame whatever the date)."""

    shown: list[Tally]
    first_year: int | None
    last_year: int | None

    def __bool__(self) -> bool:
        return self.first_year is not None


def tallies(participation: TreatyParticipation, *, as_of: date) -> Tallies:
    """Every resolution on the treaty adopted by ``as_of``, oldest first, counted from the
    votes (two queries). "Outside the treaty" is the State's status on the day of the vote."""
    every = list(UNGAResolution.objects.filter(treaty=participation.treaty).order_by("adopted_on", "symbol"))
    if not every:
        return Tallies([], None, None)
    resolutions = [r for r in every if r.adopted_on <= as_of]
    by_country = {p.country.pk: p for p in participation}
    votes: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    if resolutions:
        for resolution_id, country_id, vote, seat_name in UNGAVote.objects.filter(
            resolution__in=[r.pk for r in resolutions]
        ).values_list("resolution_id", "country_id", "vote", "seat_name"):
            votes[resolution_id].append((country_id, vote, seat_name))
    shown = []
    for resolution in resolutions:
        counts: Counter[voting.Vote] = Counter()
        outside: Counter[voting.Vote] = Counter()
        outside_votes: list[tuple[Country, str, str]] = []
        for country_id, vote, seat_name in votes[resolution.pk]:
            kind = voting.Vote(vote)
            counts[kind] += 1
            p = by_country.get(country_id)
            if p is not None and not p.status(resolution.adopted_on).is_party:
                outside[kind] += 1
                outside_votes.append((p.country, vote, seat_name))
        outside_votes.sort(key=lambda item: item[0].name)
        shown.append(
            Tally(
                resolution,
                {kind: counts[kind] for kind in CAST_OR_ABSENT},
                {kind: outside[kind] for kind in CAST_OR_ABSENT},
                outside_votes,
            )
        )
    return Tallies(shown, every[0].year, every[-1].year)


# --- Meetings -------------------------------------------------------------------------------------


def meeting_rule(meeting: Meeting) -> meeting_rules.Meeting:
    return meeting_rules.Meeting(meeting.code, meeting.name, meeting.start_date, meeting.end_date)


# The meetings the attendance sentence counts: the formal ones, held every year or five.
FORMAL_MEETINGS = (Meeting.Kind.MEETING_OF_STATES_PARTIES, Meeting.Kind.REVIEW_CONFERENCE)


@dataclass(frozen=True)
class AttendanceRecord:
    """A State's recorded attendance (and statements) at meetings that ended by ``as_of``."""

    records: list[MeetingAttendance]
    sentence: str
    meetings_held: int

    @property
    def statements(self) -> list[MeetingAttendance]:
        return [record for record in self.records if record.statement]


_MEETING_FIELDS = (
    "id",
    "treaty_id",
    "code",
    "name",
    "kind",
    "start_date",
    "end_date",
    "place",
    "unverified_fields",
)
_ATTENDANCE_FIELDS = (
    "id", "attendance", "statement_kind", "statement", "source_citation", "source_urls", "notes",
    "unverified_fields", "updated_at",
)  # fmt: skip


def attendance_record(country: Country, *, as_of: date) -> AttendanceRecord:
    """One query: every meeting that ended by ``as_of``, joined to this State's attendance."""
    rows = list(
        Meeting.objects.filter(end_date__lte=as_of)
        .annotate(mine=FilteredRelation("attendance", condition=Q(attendance__country=country)))
        .order_by("start_date", "code")
        .values(*_MEETING_FIELDS, *(f"mine__{name}" for name in _ATTENDANCE_FIELDS))
    )
    meetings = [Meeting(**{name: row[name] for name in _MEETING_FIELDS}) for row in rows]
    records: list[MeetingAttendance] = []
    for meeting, record in zip(
        meetings, _joined(rows, MeetingAttendance, "mine", _ATTENDANCE_FIELDS), strict=True
    ):
        if record is not None:
            record.meeting, record.country = meeting, country
            records.append(record)
    formal = {m.pk: meeting_rule(m) for m in meetings if m.kind in FORMAL_MEETINGS}
    attended = [
        meeting_rules.Attended(formal[r.meeting.pk], meeting_rules.Attendance(r.attendance))
        for r in records
        if r.meeting.pk in formal
    ]
    sentence = meeting_rules.attendance_sentence(list(formal.values()), attended, as_of=as_of)
    return AttendanceRecord(records, sentence, len(formal))


# --- Policy facts ---------------------------------------------------------------------------------


def fact_date(fact: PolicyFact) -> PartialDate:
    return PartialDate.parse(fact.dated)


def policy_facts(country: Country, *, as_of: date) -> list[PolicyFact]:
    """The State's facts on record by ``as_of`` (the last day their date allows), oldest first."""
    return list(
        PolicyFact.objects.filter(country=country, known_from__lte=as_of).order_by(
            "known_from", "dated", "id"
        )
    )


def newest(facts: Iterable[PolicyFact]) -> PolicyFact | None:
    """The fact with the latest date (the most precise one when two end on the same day)."""
    return max(facts, key=lambda f: (f.known_from, fact_date(f).first_day, f.pk), default=None)


def by_topic(facts: Sequence[PolicyFact]) -> dict[str, list[PolicyFact]]:
    grouped: dict[str, list[PolicyFact]] = {topic.value: [] for topic in PolicyFact.Topic}
    for fact in facts:
        grouped[fact.topic].append(fact)
    return grouped
