"""STAND-IN, to be replaced by the ``obligations`` branch.

The web interface (issue #4) is written against the contract of the real module:
``deadlines(...)`` returning ``DeadlineRow``s, ``alerts(...)`` and ``reporting_record(...)``.
Until that branch is merged, this module computes *original* deadlines only, from the
treaties' obligation terms and each State's entry into force: no extensions, no
completions, status ``pending`` or ``overdue`` by date alone (``ended_by_withdrawal`` once a
withdrawal has taken effect). Annual reports are skipped. ``alerts`` and
``reporting_record`` return nothing. The integrator drops the real module in its place.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from obligations.rules.deadlines import original_deadline
from obligations.rules.terms import ObligationKind
from states.models import Country, Treaty, TreatyObligation
from states.selectors import participation_for, treaties


@dataclass(frozen=True)
class DeadlineRow:
    country: Country
    treaty: Treaty
    obligation: TreatyObligation
    original_deadline: date
    current_deadline: date
    extensions: tuple[Any, ...]
    completion: Any
    status: str
    days_left: int | None


def deadlines(
    *,
    as_of: date,
    treaty: Treaty | None = None,
    country: Country | None = None,
    status: str | None = None,
) -> list[DeadlineRow]:
    """Every deadline of every State that had consented by ``as_of``, soonest first."""
    chosen: Iterable[Treaty] = [treaty] if treaty is not None else treaties()
    rows: list[DeadlineRow] = []
    for one in chosen:
        obligations = [o for o in one.obligation_terms.all() if o.kind != ObligationKind.ANNUAL_REPORT]
        if not obligations:
            continue
        countries = [country] if country is not None else None
        for participation in participation_for(one, countries=countries, include_non_participants=False):
            eif = participation.entry_into_force
            consent = participation.consent
            if eif is None or consent is None or consent.action_date > as_of:
                continue
            withdrawal = participation.withdrawal
            withdrawn_on = withdrawal.effective_date if withdrawal else None
            for obligation in obligations:
                due = original_deadline(eif, obligation.terms())
                if withdrawn_on is not None and withdrawn_on <= as_of and withdrawn_on <= due:
                    row_status = "ended_by_withdrawal"
                elif due < as_of:
                    row_status = "overdue"
                else:
                    row_status = "pending"
                rows.append(
                    DeadlineRow(
                        country=participation.country,
                        treaty=one,
                        obligation=obligation,
                        original_deadline=due,
                        current_deadline=due,
                        extensions=(),
                        completion=None,
                        status=row_status,
                        days_left=(due - as_of).days if row_status in ("pending", "overdue") else None,
                    )
                )
    if status:
        rows = [r for r in rows if r.status == status]
    rows.sort(key=lambda r: (r.current_deadline, r.country.name, r.treaty.position, r.obligation.position))
    return rows


def alerts(
    *,
    open: bool | None = None,
    severity: str | None = None,
    country: Country | None = None,
    treaty: Treaty | None = None,
) -> list[Any]:
    return []


def reporting_record(*, country: Country, treaty: Treaty, as_of: date) -> list[Any]:
    return []
