"""A State's participation status in a treaty on a given date."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ParticipationStatus(StrEnum):
    # Before the treaty was adopted nobody could sign or join it: no State is "not signed".
    NOT_YET_ADOPTED = "not_yet_adopted"
    # Before the State came into being (or gained treaty capacity): not a potential participant.
    DID_NOT_EXIST = "did_not_exist"
    # A consent is on record without its date, and this day is before the source listed it:
    # the record cannot say whether the State had consented yet.
    UNKNOWN = "unknown"
    NOT_SIGNED = "not_signed"
    # The same for a treaty with no signature stage (a CCW protocol is joined by a notice of
    # consent alone): "not signed" would suggest a step that does not exist.
    NOT_A_PARTY = "not_a_party"
    SIGNATORY = "signatory"
    # Instrument deposited, treaty not yet in force for the State (the "waiting period").
    CONSENTED = "consented"
    STATE_PARTY = "state_party"
    # Still a State Party: the notice is in, the withdrawal has not taken effect.
    WITHDRAWAL_PENDING = "withdrawal_pending"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def not_joined(self) -> bool:
        """Neither signed nor consented (under a treaty with or without a signature stage)."""
        return self in (ParticipationStatus.NOT_SIGNED, ParticipationStatus.NOT_A_PARTY)

    @property
    def is_party(self) -> bool:
        """In force for the State and not withdrawn."""
        return self in (ParticipationStatus.STATE_PARTY, ParticipationStatus.WITHDRAWAL_PENDING)

    @property
    def has_consented(self) -> bool:
        """Instrument deposited and not withdrawn: the press's usual count of "parties"."""
        return self.is_party or self is ParticipationStatus.CONSENTED


_LABELS = {
    ParticipationStatus.NOT_YET_ADOPTED: "Treaty not yet adopted",
    ParticipationStatus.DID_NOT_EXIST: "Did not exist",
    ParticipationStatus.UNKNOWN: "Unknown (consent date not on record)",
    ParticipationStatus.NOT_SIGNED: "Not signed",
    ParticipationStatus.NOT_A_PARTY: "Not a party",
    ParticipationStatus.SIGNATORY: "Signatory",
    ParticipationStatus.CONSENTED: "Consented, not yet in force",
    ParticipationStatus.STATE_PARTY: "State Party",
    ParticipationStatus.WITHDRAWAL_PENDING: "State Party, withdrawal pending",
    ParticipationStatus.WITHDRAWN: "Withdrawn",
}


@dataclass(frozen=True)
class ParticipationFacts:
    """The dates that decide a State's status. ``withdrawal_effective`` is ``None`` both
    when there is no withdrawal and when its effective date is not yet determined.

    ``consent_known_by``: a consent is on record but not its date; a source listed the State
    as bound on this date. ``state_exists_from`` and ``treaty_adopted_on``: before them the
    State, or the treaty, did not exist (``None``: as far back as the record goes)."""

    signature: date | None = None
    consent: date | None = None
    entry_into_force: date | None = None
    withdrawal_notice: date | None = None
    withdrawal_effective: date | None = None
    consent_known_by: date | None = None
    state_exists_from: date | None = None
    treaty_adopted_on: date | None = None
    signature_stage: bool = True


def participation_on(participations: Sequence[ParticipationFacts], as_of: date) -> ParticipationFacts:
    """Which of a State's participations (oldest first; a State that withdrew may join again)
    holds on ``as_of``: the latest whose instrument was deposited by then, else the first (a
    signatory, or not yet anything). Between a withdrawal and a new instrument the earlier
    one holds, and reads "withdrawn"."""
    chosen = participations[0]
    for facts in participations[1:]:
        if facts.consent is not None and facts.consent <= as_of:
            chosen = facts
    return chosen


def treaty_adopted(adopted_on: date | None, as_of: date) -> bool:
    return adopted_on is None or as_of >= adopted_on


def status_on(facts: ParticipationFacts, as_of: date) -> ParticipationStatus:
    if not treaty_adopted(facts.treaty_adopted_on, as_of):
        return ParticipationStatus.NOT_YET_ADOPTED
    if facts.state_exists_from is not None and as_of < facts.state_exists_from:
        return ParticipationStatus.DID_NOT_EXIST
    if facts.consent is None and facts.consent_known_by is not None:
        # Bound by the day the source listed it; before that the record cannot say, and a
        # signature on record does not settle it either way. Never a guessed date.
        return (
            ParticipationStatus.STATE_PARTY
            if as_of >= facts.consent_known_by
            else ParticipationStatus.UNKNOWN
        )
    if facts.withdrawal_effective is not None and as_of >= facts.withdrawal_effective:
        return ParticipationStatus.WITHDRAWN
    if facts.entry_into_force is not None and as_of >= facts.entry_into_force:
        if facts.withdrawal_notice is not None and as_of >= facts.withdrawal_notice:
            return ParticipationStatus.WITHDRAWAL_PENDING
        return ParticipationStatus.STATE_PARTY
    if facts.consent is not None and as_of >= facts.consent:
        return ParticipationStatus.CONSENTED
    if facts.signature is not None and as_of >= facts.signature:
        return ParticipationStatus.SIGNATORY
    return ParticipationStatus.NOT_SIGNED if facts.signature_stage else ParticipationStatus.NOT_A_PARTY


@dataclass(frozen=True)
class StatusCounts:
    """How many States stood where. States that did not exist yet, and States whose status
    the record cannot tell (``unknown``), are counted apart, never as "not signed"; before the
    treaty was adopted every count is zero and ``treaty_adopted`` is false."""

    states_parties: int
    consented: int
    signatories_not_consented: int
    not_signed: int
    withdrawn: int
    withdrawal_pending: int
    waiting_for_entry_into_force: int
    did_not_exist: int = 0
    unknown: int = 0
    treaty_adopted: bool = True
    # Under a treaty with no signature stage, the States that have not joined it.
    not_a_party: int = 0


def count_statuses(statuses: Iterable[ParticipationStatus]) -> StatusCounts:
    tally = Counter(statuses)
    return StatusCounts(
        treaty_adopted=not tally[ParticipationStatus.NOT_YET_ADOPTED],
        did_not_exist=tally[ParticipationStatus.DID_NOT_EXIST],
        unknown=tally[ParticipationStatus.UNKNOWN],
        states_parties=sum(n for s, n in tally.items() if s.is_party),
        consented=sum(n for s, n in tally.items() if s.has_consented),
        signatories_not_consented=tally[ParticipationStatus.SIGNATORY],
        not_signed=tally[ParticipationStatus.NOT_SIGNED],
        not_a_party=tally[ParticipationStatus.NOT_A_PARTY],
        withdrawn=tally[ParticipationStatus.WITHDRAWN],
        withdrawal_pending=tally[ParticipationStatus.WITHDRAWAL_PENDING],
        waiting_for_entry_into_force=tally[ParticipationStatus.CONSENTED],
    )
