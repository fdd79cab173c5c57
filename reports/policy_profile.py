"""The policy record on a State's profile: the overview box at the top (treaty status per
treaty, UN General Assembly voting record, meeting participation, key developments), the
UNGA votes and meetings sections, and the policy facts told topic by topic in the profile's
narrative, with numbered footnotes and a "last updated" date per section that is the date of
the newest fact in it.

Everything is "as of" the page's date: votes on resolutions adopted later, meetings that had
not ended, and facts dated later are left out. Five queries, whatever the State.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.formats import date_format

from mineban.rules.precision import PartialDate
from mineban.rules.status import ParticipationStatus
from reports.listings import TreatyProfile
from reports.profile import Footnotes, NarrativeSection, Sentence
from states import policy_selectors
from states.models import Country, PolicyFact

# How many of the newest facts the overview box shows.
KEY_DEVELOPMENTS = 3
# The narrative section each topic is told in (the profile's own sections, plus transfers).
TOPIC_SECTIONS = {
    PolicyFact.Topic.POLICY: "policy",
    PolicyFact.Topic.PRODUCTION: "production",
    PolicyFact.Topic.STOCKPILE: "stockpiles",
    PolicyFact.Topic.TRANSFER: "transfers",
    PolicyFact.Topic.USE: "use",
}


@dataclass(frozen=True)
class StatusLine:
    treaty: str
    text: str
    party: bool


@dataclass(frozen=True)
class Development:
    fact: PolicyFact
    when: PartialDate
    section: str

    @property
    def topic(self) -> str:
        return PolicyFact.Topic(self.fact.topic).label


@dataclass(frozen=True)
class PolicyRecord:
    statuses: list[StatusLine]
    voting: policy_selectors.VotingRecord
    attendance: policy_selectors.AttendanceRecord
    developments: list[Development]
    # When any of these records last changed (for the page's "Last updated").
    changed_at: datetime | None
    facts: list[PolicyFact]

    @property
    def unconfirmed(self) -> list[object]:
        """Votes, attendance records and facts with a field still unconfirmed."""
        return [
            *(entry.vote for entry in self.voting.entries if entry.vote is not None and not entry.confirmed),
            *(record for record in self.attendance.records if record.unverified_fields),
            *(fact for fact in self.facts if fact.unverified_fields),
        ]


def _d(value: date) -> str:
    return date_format(value, "j F Y")


def status_line(prof: TreatyProfile) -> StatusLine:
    """The treaty status the overview box gives: party or not, in the Monitor's words."""
    status, known, name = prof.status, prof.known, prof.treaty.short_name
    eif = known.entry_into_force
    if status is ParticipationStatus.STATE_PARTY:
        text = f"State Party since {_d(eif)}" if eif else "State Party"
    elif status is ParticipationStatus.WITHDRAWAL_PENDING:
        effective = known.withdrawal.effective_date if known.withdrawal else None
        text = "State Party, withdrawal pending" + (f" (takes effect {_d(effective)})" if effective else "")
    elif status is ParticipationStatus.CONSENTED:
        text = "Not yet a State Party: instrument deposited" + (
            f", in force for it from {_d(eif)}" if eif else ""
        )
    elif status is ParticipationStatus.WITHDRAWN:
        effective = known.withdrawal.effective_date if known.withdrawal else None
        text = "Not a State Party: withdrew" + (f" (effective {_d(effective)})" if effective else "")
    elif status is ParticipationStatus.SIGNATORY:
        text = "Not a State Party (signatory)"
    elif status is ParticipationStatus.NOT_SIGNED:
        text = "Not a State Party (not signed)"
    elif status is ParticipationStatus.NOT_A_PARTY:
        text = "Not a State Party"
    else:
        # Unknown, did not exist, treaty not yet adopted: never shown as "not signed".
        text = status.label
    return StatusLine(name, text, status.is_party)


def _fact_sentence(fact: PolicyFact, footnotes: Footnotes) -> Sentence:
    when = policy_selectors.fact_date(fact)
    text = fact.statement.strip()
    if text and text[-1] not in ".!?":
        text += "."
    if fact.quantity is not None and f"{fact.quantity:,}" not in text and str(fact.quantity) not in text:
        text += f" Figure: {fact.quantity:,} {fact.unit}."
    return Sentence(
        f"{when.label}: {text}",
        footnotes.cite_source(fact.source_urls, fact.source_citation),
        bool(fact.unverified_fields),
    )


def tell_facts(
    sections: list[NarrativeSection], facts: list[PolicyFact], footnotes: Footnotes
) -> list[NarrativeSection]:
    """Add each topic's facts, oldest first, to its section of the narrative (a transfers
    section is added after stockpiles) and date each section by its newest fact. A fact the
    section already tells word for word (an Art. 4 note quoted by the obligation's sentence)
    is not told twice, but still dates the section."""
    by_slug = {section.slug: section for section in sections}
    if "transfers" not in by_slug:
        transfers = NarrativeSection("transfers", "Transfers")
        after = next((i + 1 for i, s in enumerate(sections) if s.slug == "stockpiles"), len(sections))
        sections = [*sections[:after], transfers, *sections[after:]]
        by_slug["transfers"] = transfers
    for topic, facts_of_topic in policy_selectors.by_topic(facts).items():
        section = by_slug.get(TOPIC_SECTIONS[PolicyFact.Topic(topic)])
        if section is None or not facts_of_topic:
            continue
        told = " ".join(sentence.text for sentence in section.sentences)
        for fact in facts_of_topic:
            if fact.statement.strip() and fact.statement.strip() in told:
                continue
            section.sentences.append(_fact_sentence(fact, footnotes))
        newest = policy_selectors.newest(facts_of_topic)
        section.last_updated = policy_selectors.fact_date(newest) if newest else None
    return sections


def policy_record(
    country: Country,
    profiles: list[TreatyProfile],
    *,
    as_of: date,
    sections: list[NarrativeSection],
    footnotes: Footnotes,
) -> tuple[PolicyRecord, list[NarrativeSection]]:
    """The overview box's lines and the UNGA and meetings sections, and the narrative with
    the policy facts told in it."""
    voting = policy_selectors.voting_record(country, as_of=as_of)
    attendance = policy_selectors.attendance_record(country, as_of=as_of)
    facts = policy_selectors.policy_facts(country, as_of=as_of)
    sections = tell_facts(sections, facts, footnotes)
    newest_first = sorted(
        facts, key=lambda f: (f.known_from, policy_selectors.fact_date(f).first_day, f.pk), reverse=True
    )
    developments = [
        Development(fact, policy_selectors.fact_date(fact), TOPIC_SECTIONS[PolicyFact.Topic(fact.topic)])
        for fact in newest_first[:KEY_DEVELOPMENTS]
    ]
    changed = [
        *(entry.vote.updated_at for entry in voting.entries if entry.vote is not None),
        *(record.updated_at for record in attendance.records),
        *(fact.updated_at for fact in facts),
    ]
    record = PolicyRecord(
        statuses=[status_line(prof) for prof in profiles],
        voting=voting,
        attendance=attendance,
        developments=developments,
        changed_at=max(changed, default=None),
        facts=facts,
    )
    return record, sections
