"""A treaty's final clauses as data: the parameters the date rules read.

Adding a treaty means adding rows of these parameters, never new date code.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class EntryIntoForceRule(StrEnum):
    # APMBC Art. 17, CCM Art. 17: "the first day of the sixth month after the month in which..."
    FIRST_DAY_OF_MONTH = "first_day_of_month"
    # CCW Art. 5: "six months after the date of deposit" (same day number).
    SAME_DAY = "same_day"


class ObligationKind(StrEnum):
    STOCKPILE_DESTRUCTION = "stockpile_destruction"
    CLEARANCE = "clearance"
    INITIAL_REPORT = "initial_report"
    ANNUAL_REPORT = "annual_report"


@dataclass(frozen=True)
class EntryIntoForceTerms:
    threshold: int
    rule: EntryIntoForceRule
    months: int


@dataclass(frozen=True)
class ObligationTerms:
    """One obligation whose clock starts at a State's entry into force.

    ``period_months`` counts whole months (4 years = 48) and keeps the day number;
    ``period_days`` counts calendar days. Annual reports have neither: they fall due on
    ``annual_due`` (month, day) of each year after the initial report fell due.
    """

    code: str
    article: str
    kind: ObligationKind
    period_months: int | None = None
    period_days: int | None = None
    extendable: bool = False
    max_extension_months: int | None = None
    annual_due: tuple[int, int] | None = None


@dataclass(frozen=True)
class TreatyTerms:
    code: str
    entry_into_force: EntryIntoForceTerms
    signature_opens: date | None = None
    signature_closes: date | None = None
    withdrawal_notice_months: int = 6
    obligations: tuple[ObligationTerms, ...] = field(default_factory=tuple)

    def obligation(self, code: str) -> ObligationTerms:
        for terms in self.obligations:
            if terms.code == code:
                return terms
        raise KeyError(f"{self.code} has no obligation {code!r}")
