"""Writes of Article 7 reports; each asks for the State's obligations to be recomputed."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mineban import changes
from mineban.writes import User, attributed, check_fields
from obligations import services as obligation_services
from obligations.rules.reporting import initial_report_due
from obligations.rules.terms import ObligationKind
from reports.models import Article7Report
from states.models import Country, Treaty
from states.selectors import participation_of

SOURCED_FIELDS = ("source_citation", "source_urls", "notes", "unverified_fields")
REPORT_FIELDS = ("kind", "covered_year", "submitted_on", *SOURCED_FIELDS)


def _rule_errors(report: Article7Report, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if report.submitted_on > today:
        errors["submitted_on"] = (
            f"A report cannot be dated in the future ({report.submitted_on.isoformat()})."
        )
    participation = participation_of(report.country, report.treaty)
    if participation.consent is None:
        errors["country"] = f"{report.country} has not consented to be bound by {report.treaty.code}."
        return errors
    if participation.entry_into_force is not None and report.kind == Article7Report.Kind.ANNUAL:
        terms = next(
            (t for t in participation.terms.obligations if t.kind is ObligationKind.INITIAL_REPORT), None
        )
        if terms is not None and report.covered_year is not None:
            first_year = initial_report_due(participation.entry_into_force, terms).year
            if report.covered_year < first_year:
                errors["covered_year"] = (
                    f"Annual updates start with {first_year}, the year the initial report fell due."
                )
    return errors


@transaction.atomic
def article7_report_record(
    *,
    country: Country,
    treaty: Treaty,
    kind: str,
    submitted_on: date,
    covered_year: int | None = None,
    user: User = None,
    today: date,
    restoring: int | None = None,
    **fields: Any,
) -> Article7Report:
    """Record an Art. 7 report received: the initial report or an annual update.

    ``restoring`` is the id of a deleted report brought back (``article7_report_restore``).
    """
    check_fields(fields, SOURCED_FIELDS)
    report = Article7Report(
        id=restoring,
        country=country,
        treaty=treaty,
        kind=kind,
        covered_year=covered_year,
        submitted_on=submitted_on,
        **fields,
    )
    report.full_clean()
    errors = _rule_errors(report, today)
    if errors:
        raise ValidationError(errors)
    report.created_by = report.updated_by = attributed(user)
    report._history_user = report.updated_by  # type: ignore[attr-defined]
    report.save()
    obligation_services.recompute_request(country_id=country.pk, treaty_id=treaty.pk)
    return report


@transaction.atomic
def article7_report_update(
    *, report: Article7Report, user: User = None, today: date, **fields: Any
) -> Article7Report:
    """Correct a report's facts (kind, covered year, submission day, sources)."""
    check_fields(fields, REPORT_FIELDS)
    locked = Article7Report.objects.select_for_update().get(pk=report.pk)
    changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
    if not changed:
        return locked
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean()
    errors = _rule_errors(locked, today)
    if errors:
        raise ValidationError(errors)
    locked.updated_by = attributed(user)
    locked._history_user = locked.updated_by  # type: ignore[attr-defined]
    locked.save()
    obligation_services.recompute_request(country_id=locked.country_id, treaty_id=locked.treaty_id)
    return locked


@transaction.atomic
def article7_report_delete(*, report: Article7Report, user: User = None) -> None:
    """Delete a report recorded in error (history keeps it); the obligation is owed again."""
    locked = Article7Report.objects.select_for_update().get(pk=report.pk)
    locked._history_user = attributed(user)  # type: ignore[attr-defined]
    country_id, treaty_id = locked.country_id, locked.treaty_id
    locked.delete()
    obligation_services.recompute_request(country_id=country_id, treaty_id=treaty_id)


@transaction.atomic
def article7_report_revert(
    *, report: Article7Report, history_id: int, user: User = None, today: date
) -> Article7Report:
    """Put a report's facts back as they were in one of its earlier versions."""
    facts = changes.version_facts(Article7Report, report.pk, history_id, REPORT_FIELDS, "report")
    return article7_report_update(report=report, user=user, today=today, **facts)


@transaction.atomic
def article7_report_restore(*, report_id: int, user: User = None, today: date) -> Article7Report:
    """Bring back a deleted report as it was when deleted, under its id."""
    deleted = changes.last_version_before_deletion(Article7Report, report_id, "report")
    facts = {name: getattr(deleted, name) for name in REPORT_FIELDS}
    return article7_report_record(
        country=deleted.country, treaty=deleted.treaty, user=user, today=today, restoring=report_id, **facts
    )
