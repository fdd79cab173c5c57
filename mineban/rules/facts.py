"""The facts editors record about an obligation, as the rules see them (no ORM)."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mineban.rules.precision import PartialDate, Period, completion_period


class ObligationStatus(StrEnum):
    PENDING = "pending"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    # Completed in a period (a year, a month, "by the report of ...") that straddles the
    # deadline: neither "on time" nor "late" can be claimed, and no breach is alleged.
    COMPLETED_TIMING_UNCERTAIN = "completed_timing_uncertain"
    # Completed again after a re-opening, with no deadline decided to judge it against.
    COMPLETED = "completed"
    # The deadline passed with no completion and no extension on record: what the record
    # shows, not a finding of breach (``Standing.breach_confirmed`` says when a source found one).
    OVERDUE = "overdue"
    # A completion on record falls in a period that may or may not have ended by the day
    # asked about, after the deadline: the record cannot say whether the State was done.
    TIMING_UNCERTAIN = "timing_uncertain"
    # Newly found stocks or mined areas re-opened a completed obligation; the deadline decided
    # for the re-opened work is not on record yet. Not a breach of the old deadline.
    REOPENED_AWAITING_DEADLINE = "reopened_awaiting_deadline"
    # The deadline passed while an extension request awaits a decision that is not on record.
    EXTENSION_DECISION_NOT_ON_RECORD = "extension_decision_not_on_record"
    # An extension was granted but the new deadline it set is not on record.
    EXTENDED_DEADLINE_NOT_ON_RECORD = "extended_deadline_not_on_record"
    # Declared by the State (never held stockpiles, never had mined areas).
    NOT_APPLICABLE = "not_applicable"
    # The State's withdrawal took effect before it completed (Art. 20); the record is kept.
    ENDED_BY_WITHDRAWAL = "ended_by_withdrawal"
    # A report fell due in a year the State's reporting record is not kept for: not knowing
    # of a report is not knowing that it is missing, so this is neither overdue nor an alert.
    NOT_TRACKED = "not_tracked"

    @property
    def is_completed(self) -> bool:
        return self in COMPLETED_STATUSES

    @property
    def record_incomplete(self) -> bool:
        """The record lacks a decision or a date an editor should look for."""
        return self in RECORD_GAP_STATUSES


COMPLETED_STATUSES = frozenset(
    {
        ObligationStatus.COMPLETED_ON_TIME,
        ObligationStatus.COMPLETED_LATE,
        ObligationStatus.COMPLETED_TIMING_UNCERTAIN,
        ObligationStatus.COMPLETED,
    }
)
RECORD_GAP_STATUSES = frozenset(
    {
        ObligationStatus.REOPENED_AWAITING_DEADLINE,
        ObligationStatus.EXTENSION_DECISION_NOT_ON_RECORD,
        ObligationStatus.EXTENDED_DEADLINE_NOT_ON_RECORD,
    }
)


@dataclass(frozen=True)
class ExtensionFact:
    """A granted extension (Art. 5(3)-(6)): decided on ``granted_on``, runs to ``new_deadline``."""

    granted_on: date
    new_deadline: date
    requested_on: date | None = None
    meeting: str = ""
    confirmed: bool = True


class RequestOutcome(StrEnum):
    """What became of an extension request (Art. 5(3)-(6))."""

    # Not yet decided: the meeting due to decide has not met, or met after the day asked about.
    PENDING = "pending"
    # Granted: the extension it produced is on record as an extension.
    GRANTED = "granted"
    # Granted, but the new deadline is not on record: the deadline is unknown, not passed.
    GRANTED_DEADLINE_NOT_ON_RECORD = "granted_deadline_not_on_record"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    # The meeting did not decide it (e.g. submitted late): the old deadline stands.
    NOT_DECIDED = "not_decided"
    # A decision was due but is not on record.
    DECISION_NOT_ON_RECORD = "decision_not_on_record"
    # Announced or needed, not submitted: no request is before the States Parties.
    NOT_SUBMITTED = "not_submitted"


@dataclass(frozen=True)
class RequestFact:
    """An extension request: ``made_on`` is the earliest day it is known to exist (submitted,
    or the meeting due to decide opened), ``decided_on`` the day the meeting ended."""

    outcome: RequestOutcome
    meeting: str = ""
    made_on: date | None = None
    decided_on: date | None = None
    requested_deadline: date | None = None
    note: str = ""
    confirmed: bool = True

    def made_by(self, day: date) -> bool:
        return self.outcome is not RequestOutcome.NOT_SUBMITTED and (
            self.made_on is None or self.made_on <= day
        )

    def decided_by(self, day: date) -> bool:
        return self.decided_on is not None and self.decided_on <= day


@dataclass(frozen=True)
class CompletionFact:
    """A State's declaration that it completed an obligation, or that it never applied.

    Dates keep the precision the source gives (``PartialDate``): the work ended in
    ``completed_on`` (a year, a month or a day), and the report or declaration that
    announced it is ``reported_on``. ``reopened_on``: newly found stocks or mined areas
    re-opened the obligation; ``second_completed_on``: the re-opened work was completed.
    """

    not_applicable: bool = False
    completed_on: PartialDate | None = None
    reported_on: PartialDate | None = None
    reopened_on: PartialDate | None = None
    second_completed_on: PartialDate | None = None
    confirmed: bool = True

    @property
    def period(self) -> Period | None:
        """When the work ended: the completion's period, cut at the report's last day."""
        return completion_period(self.completed_on, self.reported_on.last_day if self.reported_on else None)

    @property
    def reopening(self) -> date | None:
        """The day the obligation counts as open again: the first day of the re-opening's
        period (from then on the record can no longer call it complete)."""
        return self.reopened_on.first_day if self.reopened_on else None
