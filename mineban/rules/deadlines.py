"""Original deadlines of obligations whose clock starts at a State's entry into force.

Art. 4 (stockpiles, 4 years), Art. 5 (clearance, 10 years) and Art. 7(1) (initial report,
180 days) of the APMBC are all this one rule with different periods, read from the treaty's
terms.
"""

from datetime import date

from mineban.rules.dates import add_days, add_months
from mineban.rules.terms import ObligationTerms


def original_deadline(entry_into_force: date, terms: ObligationTerms) -> date:
    if terms.period_months is not None:
        return add_months(entry_into_force, terms.period_months)
    if terms.period_days is not None:
        return add_days(entry_into_force, terms.period_days)
    raise ValueError(f"obligation {terms.code!r} has no period; use the reporting rules")
