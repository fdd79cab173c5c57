"""The facts editors record about an obligation, as the rules see them (no ORM)."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ObligationStatus(StrEnum):
    PENDING = "pending"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    # The deadline passed without a completion: in breach from the day after the deadline.
    OVERDUE = "overdue"
    # Declared by the State (never held stockpiles, never had mined areas).
    NOT_APPLICABLE = "not_applicable"
    # The State's withdrawal took effect before it completed (Art. 20); the record is kept.
    ENDED_BY_WITHDRAWAL = "ended_by_withdrawal"
    # A report fell due, but no reports are kept on record for this State: not knowing of a
    # report is not knowing that it is missing, so this is neither overdue nor an alert.
    NOT_ON_RECORD = "not_on_record"

    @property
    def is_completed(self) -> bool:
        return self in (ObligationStatus.COMPLETED_ON_TIME, ObligationStatus.COMPLETED_LATE)


@dataclass(frozen=True)
class ExtensionFact:
    """A granted extension (Art. 5(3)-(6)): decided on ``granted_on``, runs to ``new_deadline``."""

    granted_on: date
    new_deadline: date
    requested_on: date | None = None


@dataclass(frozen=True)
class CompletionFact:
    """A State's declaration that it completed an obligation, or that it never applied.

    ``completed_on`` is ``None`` when the source gives only a month or a year; ``known_from``
    is then the last day that period allows (the day the completion is certainly on record),
    and ``declared_late`` carries the source's own verdict when it gives one.
    ``reopened_on``: newly found mined areas or stocks re-opened the obligation that day.
    """

    not_applicable: bool = False
    completed_on: date | None = None
    known_from: date | None = None
    declared_late: bool | None = None
    reopened_on: date | None = None

    @property
    def on_record_from(self) -> date | None:
        """From when the declaration counts; ``None``: always (no date at all on record)."""
        return self.completed_on or self.known_from
