"""Transparency reporting (APMBC Art. 7)."""

from datetime import date

from mineban.rules.deadlines import original_deadline
from mineban.rules.terms import ObligationTerms


def initial_report_due(entry_into_force: date, terms: ObligationTerms) -> date:
    """Art. 7(1): as soon as practicable, and in any event within 180 days of EIF."""
    return original_deadline(entry_into_force, terms)


def annual_report_due(initial_due: date, covered_year: int, terms: ObligationTerms) -> date:
    """Art. 7(2): the update covering ``covered_year`` is due on 30 April of the next year."""
    if terms.annual_due is None:
        raise ValueError(f"obligation {terms.code!r} has no annual due date")
    if covered_year < initial_due.year:
        raise ValueError("annual updates start with the year in which the initial report fell due")
    month, day = terms.annual_due
    return date(covered_year + 1, month, day)


def first_annual_report_due(initial_due: date, terms: ObligationTerms) -> date:
    """The first update falls due in the year after the year the initial report fell due."""
    return annual_report_due(initial_due, initial_due.year, terms)


def annual_reports_due(initial_due: date, terms: ObligationTerms, *, until: date) -> list[tuple[int, date]]:
    """(covered year, due date) of every annual update due on or before ``until``."""
    due: list[tuple[int, date]] = []
    year = initial_due.year
    while (when := annual_report_due(initial_due, year, terms)) <= until:
        due.append((year, when))
        year += 1
    return due
