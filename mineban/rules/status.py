"""A State's participation status in a treaty on a given date."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ParticipationStatus(StrEnum):
    NOT_SIGNED = "not_signed"
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
    def is_party(self) -> bool:
        """In force for the State and not withdrawn."""
        return self in (ParticipationStatus.STATE_PARTY, ParticipationStatus.WITHDRAWAL_PENDING)

    @property
    def has_consented(self) -> bool:
        """Instrument deposited and not withdrawn: the press's usual count of "parties"."""
        return self.is_party or self is ParticipationStatus.CONSENTED


_LABELS = {
    ParticipationStatus.NOT_SIGNED: "Not signed",
    ParticipationStatus.SIGNATORY: "Signatory",
    ParticipationStatus.CONSENTED: "Consented, not yet in force",
    ParticipationStatus.STATE_PARTY: "State Party",
    ParticipationStatus.WITHDRAWAL_PENDING: "State Party, withdrawal pending",
    ParticipationStatus.WITHDRAWN: "Withdrawn",
}


@dataclass(frozen=True)
class ParticipationFacts:
    """The dates that decide a State's status. ``withdrawal_effective`` is ``None`` both
    when there is no withdrawal and when its effective date is not yet determined."""

    signature: date | None = None
    consent: date | None = None
    entry_into_force: date | None = None
    withdrawal_notice: date | None = None
    withdrawal_effective: date | None = None


def status_on(facts: ParticipationFacts, as_of: date) -> ParticipationStatus:
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
    return ParticipationStatus.NOT_SIGNED


@dataclass(frozen=True)
class StatusCounts:
    states_parties: int
    consented: int
    signatories_not_consented: int
    not_signed: int
    withdrawn: int
    withdrawal_pending: int
    waiting_for_entry_into_force: int


def count_statuses(statuses: Iterable[ParticipationStatus]) -> StatusCounts:
    tally = Counter(statuses)
    return StatusCounts(
        states_parties=sum(n for s, n in tally.items() if s.is_party),
        consented=sum(n for s, n in tally.items() if s.has_consented),
        signatories_not_consented=tally[ParticipationStatus.SIGNATORY],
        not_signed=tally[ParticipationStatus.NOT_SIGNED],
        withdrawn=tally[ParticipationStatus.WITHDRAWN],
        withdrawal_pending=tally[ParticipationStatus.WITHDRAWAL_PENDING],
        waiting_for_entry_into_force=tally[ParticipationStatus.CONSENTED],
    )
