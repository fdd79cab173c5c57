"""Load the shipped reference data: countries, treaties and participation.

Every loader is idempotent (a second run changes nothing; a changed CSV row changes only
its own records), checks a whole file before writing anything, and writes through the
same services editors use, inside the caller's transaction.
"""

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from states import services
from states.models import Country, DepositaryAction, Treaty, TreatyObligation

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"
URL_SEPARATOR = " | "
Kind = DepositaryAction.Kind


class ReferenceDataError(Exception):
    """A reference file is malformed; the message names the file, row and field."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class Row:
    """A CSV row with its line number, for messages that point at the right place."""

    path: Path
    line: int
    values: dict[str, str]

    def where(self, column: str) -> str:
        return f"{self.path.name}, line {self.line}, field {column!r}"

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def date(self, column: str) -> date | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ReferenceDataError(f"{self.where(column)}: {raw!r} is not a date (YYYY-MM-DD)") from None

    def choice(self, column: str, allowed: set[str]) -> str:
        raw = self.text(column)
        if raw and raw not in allowed:
            raise ReferenceDataError(
                f"{self.where(column)}: {raw!r} is not one of {', '.join(sorted(allowed))}"
            )
        return raw

    def urls(self, column: str = "sources") -> list[str]:
        return [u.strip() for u in self.text(column).split(URL_SEPARATOR.strip()) if u.strip()]


def csv_rows(path: Path, required: set[str]) -> Iterator[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise ReferenceDataError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        for values in reader:
            if None in values:  # more cells than the header names
                raise ReferenceDataError(f"{path.name}, line {reader.line_num}: too many fields")
            yield Row(path=path, line=reader.line_num, values=values)


_UNVERIFIED = re.compile(r"UNVERIFIED:\s*(?P<what>[^(;.]*)")


def unverified_columns(notes: str, columns: set[str]) -> set[str]:
    """The columns a row's notes flag as ``UNVERIFIED:``; every column for "whole row"."""
    flagged: set[str] = set()
    for match in _UNVERIFIED.finditer(notes):
        what = match.group("what")
        if what.strip().startswith("whole row"):
            return set(columns)
        flagged |= {token for token in re.split(r"[\s,/]+", what) if token in columns}
    return flagged


# --- Countries --------------------------------------------------------------------------


def countries_load(path: Path | None = None) -> LoadReport:
    """The 193 UN Member States plus the Holy See, the State of Palestine, the Cook Islands
    and Niue, from ``countries_m49.csv``: the UN terminology list (UNTERM) entries of the UN
    M49 table, extracted once from hdx-python-country 4.2.5's offline copy of the OCHA
    Countries & Territories Taxonomy (see ``PROVENANCE.md``). Upserted by ISO3 code. Every
    row's format is checked before anything is written; a row the model then rejects (e.g. a
    duplicate ISO2 code) is reported the same way, and the caller's transaction undoes the
    rows written before it."""
    path = path or REFERENCE_DIR / "countries_m49.csv"
    required = {"iso3", "iso2", "m49_code", "name", "region", "sub_region", "un_member"}
    optional = {"formal_name", "intermediate_region", "latitude", "longitude"}
    patterns = {"iso3": "[A-Z]{3}", "iso2": "[A-Z]{2}", "m49_code": "[0-9]{3}"}

    def text(row: Row, column: str) -> str:
        raw = row.text(column)
        if not raw and column in required:
            raise ReferenceDataError(f"{row.where(column)}: a value is required")
        if raw and column in patterns and not re.fullmatch(patterns[column], raw):
            raise ReferenceDataError(f"{row.where(column)}: {raw!r} does not match {patterns[column]}")
        return raw

    def coordinate(row: Row, column: str) -> Decimal | None:
        raw = row.text(column)
        try:
            value = _coordinate(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if value is not None and not value.is_finite():
            raise ReferenceDataError(f"{row.where(column)}: {raw!r} is not a decimal number")
        return value

    plan: list[tuple[Row, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for row in csv_rows(path, required | optional):
        iso3 = text(row, "iso3")
        if iso3 in seen:
            raise ReferenceDataError(f"{row.where('iso3')}: {iso3} appears twice")
        seen.add(iso3)
        text(row, "un_member")  # required
        un_member = row.choice("un_member", {"yes", "no"})
        values: dict[str, Any] = {
            **{name: text(row, name) for name in (
                "iso2", "m49_code", "name", "formal_name", "region", "sub_region", "intermediate_region",
            )},
            "un_member": un_member == "yes",
            "latitude": coordinate(row, "latitude"),
            "longitude": coordinate(row, "longitude"),
        }  # fmt: skip
        plan.append((row, iso3, values))

    report = LoadReport()
    for row, iso3, values in plan:
        try:
            _upsert(Country, {"iso3": iso3}, values, report)
        except ValidationError as exc:
            details = "; ".join(
                f"field {name!r}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()
            )
            raise ReferenceDataError(f"{path.name}, line {row.line} ({iso3}): {details}") from None
    return report


def _coordinate(raw: str | None) -> Decimal | None:
    return Decimal(raw).quantize(Decimal("0.00001")) if raw else None


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any], report: LoadReport) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        report.created += 1
        return obj
    changed = [name for name, value in values.items() if _differs(getattr(obj, name), value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()
        report.updated += 1
    else:
        report.unchanged += 1
    return obj


def _differs(current: Any, new: Any) -> bool:
    if current is None or new is None:
        return current is not new
    return bool(current != new)


# --- Treaties ---------------------------------------------------------------------------

_TREATY_FIELDS = (
    "short_name", "name", "adopted_on", "opened_for_signature_on", "signature_closed_on",
    "entry_into_force", "eif_threshold", "eif_rule", "eif_months", "withdrawal_notice_months",
    "withdrawal_armed_conflict_clause", "depositary", "text_url", "notes", "position",
)  # fmt: skip
_OBLIGATION_FIELDS = (
    "article", "title", "kind", "period_months", "period_days", "extendable",
    "max_extension_months", "annual_due_month", "annual_due_day", "description",
)  # fmt: skip
_DATE_FIELDS = {"adopted_on", "opened_for_signature_on", "signature_closed_on", "entry_into_force"}


def treaties_load(path: Path | None = None) -> LoadReport:
    path = path or REFERENCE_DIR / "treaties.json"
    report = LoadReport()
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(f"{path.name}: not valid JSON ({exc})") from None
    for index, record in enumerate(records, start=1):
        try:
            values = {
                name: date.fromisoformat(record[name])
                if name in _DATE_FIELDS and record.get(name)
                else record.get(name)
                for name in _TREATY_FIELDS
            }
            values = {
                k: ("" if v is None and k in {"depositary", "text_url", "notes"} else v)
                for k, v in values.items()
            }
            unchanged_before = report.unchanged
            treaty = _upsert(Treaty, {"code": record["code"]}, values, report)
            obligations = record.get("obligations", [])
            for position, obligation in enumerate(obligations, start=1):
                ob_values = {name: obligation.get(name) for name in _OBLIGATION_FIELDS}
                ob_values["extendable"] = bool(ob_values["extendable"])
                ob_values["description"] = ob_values["description"] or ""
                ob_values["position"] = position
                _upsert(TreatyObligation, {"treaty": treaty, "code": obligation["code"]}, ob_values, report)
            if report.unchanged - unchanged_before < 1 + len(obligations):
                services.treaty_terms_changed(treaty=treaty)
        except (KeyError, ValueError, ValidationError) as exc:
            raise ReferenceDataError(f"{path.name}, treaty #{index}: {exc}") from None
    return report


# --- Participation ------------------------------------------------------------------------

PARTICIPATION_COLUMNS = {
    "state", "iso3", "signature_date", "consent_date", "consent_type",
    "withdrawal_notice_date", "withdrawal_effective_date", "notes", "sources",
}  # fmt: skip
# Which action and which of its fields each CSV column feeds (for UNVERIFIED flags).
_COLUMN_TARGET = {
    "signature_date": (Kind.SIGNATURE, "action_date"),
    "consent_date": (Kind.CONSENT, "action_date"),
    "consent_type": (Kind.CONSENT, "consent_type"),
    "succession_effective_date": (Kind.CONSENT, "effective_date"),
    "withdrawal_notice_date": (Kind.WITHDRAWAL, "action_date"),
    "withdrawal_effective_date": (Kind.WITHDRAWAL, "effective_date"),
}


@dataclass(frozen=True)
class PlannedAction:
    row: Row
    kind: str
    values: dict[str, Any]


def _participation_plan(
    path: Path, countries: dict[str, Country], columns: set[str], undated_known_by: date | None
) -> list[PlannedAction]:
    """Read and check the whole file before anything is written."""
    consent_types = {c.value for c in DepositaryAction.ConsentType}
    plan: list[PlannedAction] = []
    seen: set[str] = set()
    for row in csv_rows(path, columns):
        iso3 = row.text("iso3")
        if iso3 not in countries:
            raise ReferenceDataError(f"{row.where('iso3')}: unknown State code {iso3!r}")
        if iso3 in seen:
            raise ReferenceDataError(f"{row.where('iso3')}: {iso3} appears twice")
        seen.add(iso3)
        signature = row.date("signature_date")
        consent = row.date("consent_date")
        consent_type = row.choice("consent_type", consent_types)
        succession_effective = row.date("succession_effective_date")
        notice = row.date("withdrawal_notice_date")
        effective = row.date("withdrawal_effective_date")
        if bool(consent) != bool(consent_type):
            column = "consent_type" if consent else "consent_date"
            raise ReferenceDataError(f"{row.where(column)}: consent date and type go together")
        if effective and not notice:
            raise ReferenceDataError(
                f"{row.where('withdrawal_notice_date')}: effective date without a notice"
            )
        flagged = unverified_columns(row.text("notes"), set(_COLUMN_TARGET))
        common = {
            "source_citation": f"Reference data: {path.name}",
            "source_urls": row.urls(),
            "notes": row.text("notes"),
        }

        def unverified(kind: str, flagged: set[str] = flagged) -> list[str]:
            return sorted({f for col, (k, f) in _COLUMN_TARGET.items() if k == kind and col in flagged})

        if signature:
            plan.append(PlannedAction(row, Kind.SIGNATURE, {
                "action_date": signature, "unverified_fields": unverified(Kind.SIGNATURE), **common,
            }))  # fmt: skip
        if consent:
            plan.append(PlannedAction(row, Kind.CONSENT, {
                "action_date": consent, "known_by": None, "consent_type": consent_type,
                "effective_date": succession_effective,
                "unverified_fields": unverified(Kind.CONSENT), **common,
            }))  # fmt: skip
        elif undated_known_by is not None and not (signature or notice):
            # On the roster without a date: bound by the day the roster was seen, and no
            # date is guessed (see ``undated_known_by`` in ``participation_load``).
            plan.append(PlannedAction(row, Kind.CONSENT, {
                "action_date": None, "known_by": undated_known_by, "consent_type": consent_type,
                "effective_date": None, "unverified_fields": unverified(Kind.CONSENT), **common,
            }))  # fmt: skip
        if notice:
            plan.append(PlannedAction(row, Kind.WITHDRAWAL, {
                "action_date": notice, "effective_date": effective,
                "unverified_fields": unverified(Kind.WITHDRAWAL), **common,
            }))  # fmt: skip
    return plan


def _notification_plan(path: Path, treaty: Treaty, countries: dict[str, Country]) -> list[PlannedAction]:
    plan: list[PlannedAction] = []
    columns = {"treaty", "iso3", "kind", "action_date", "text", "notes", "sources"}
    for row in csv_rows(path, columns):
        if row.text("treaty") != treaty.code:
            continue
        if row.text("iso3") not in countries:
            raise ReferenceDataError(f"{row.where('iso3')}: unknown State code {row.text('iso3')!r}")
        kind = row.choice("kind", {Kind.NOTIFICATION, Kind.DECLARATION, Kind.PROVISIONAL_APPLICATION})
        when = row.date("action_date")
        if when is None:
            raise ReferenceDataError(f"{row.where('action_date')}: a date is required")
        plan.append(PlannedAction(row, kind, {
            "action_date": when, "text": row.text("text"), "notes": row.text("notes"),
            "source_citation": f"Reference data: {path.name}", "source_urls": row.urls(),
            "unverified_fields": sorted(unverified_columns(row.text("notes"), {"action_date"})),
        }))  # fmt: skip
    return plan


def participation_load(
    treaty_code: str,
    path: Path,
    *,
    today: date,
    notifications: Path | None = None,
    columns: set[str] = PARTICIPATION_COLUMNS,
    undated_known_by: date | None = None,
) -> LoadReport:
    """Upsert the depositary actions a participation CSV describes.

    Signature, consent and withdrawal are matched by State and kind; other notifications by
    State, kind and date. Actions on record but absent from the file (an editor's newer
    facts) are kept and counted in the report's messages. ``columns``: those the file must
    have (a roster of consents alone has no signature or withdrawal columns).
    ``undated_known_by``: the file is a roster of parties, and a row without a consent date
    is a consent whose date is not on record, known to have been given by that date.
    """
    treaty = Treaty.objects.get(code=treaty_code)
    countries = {c.iso3: c for c in Country.objects.all()}
    plan = _participation_plan(path, countries, columns, undated_known_by)
    if notifications is not None and notifications.exists():
        plan += _notification_plan(notifications, treaty, countries)

    existing: dict[tuple[str, str, date | None], DepositaryAction] = {}
    # A State that withdrew and joined again (an editor's record): the file describes its
    # first participation; the later instruments and withdrawals are kept as they are.
    later: list[DepositaryAction] = []
    for action in DepositaryAction.objects.filter(treaty=treaty).select_related("country"):
        single = action.kind in (Kind.SIGNATURE, Kind.CONSENT, Kind.WITHDRAWAL)
        key = (action.country.iso3, action.kind, None if single else action.action_date)
        if key in existing:  # ordered by date: the first participation's comes first
            later.append(action)
            continue
        existing[key] = action

    planned_consent_types = {
        p.row.text("iso3"): p.values["consent_type"] for p in plan if p.kind == Kind.CONSENT
    }
    # Instruments taken off the record for a moment, by State: see below.
    set_aside: dict[str, DepositaryAction] = {}
    report = LoadReport()
    for planned in plan:
        iso3 = planned.row.text("iso3")
        single = planned.kind in (Kind.SIGNATURE, Kind.CONSENT, Kind.WITHDRAWAL)
        key = (iso3, planned.kind, None if single else planned.values["action_date"])
        action = existing.pop(key, None)
        try:
            if planned.kind == Kind.SIGNATURE and action is None:
                # A State first recorded as acceding and now known to have signed and
                # ratified (CCM: Iraq, Tunisia): the rules refuse a signature while an
                # accession is on record, and a ratification without a signature. So the
                # accession leaves the record first (its history keeps it), the signature
                # goes in, and the instrument comes back under its own id with its new type.
                consent = existing.get((iso3, Kind.CONSENT, None))
                if (
                    consent is not None
                    and consent.consent_type == DepositaryAction.ConsentType.ACCESSION
                    and planned_consent_types.get(iso3) not in (None, DepositaryAction.ConsentType.ACCESSION)
                ):
                    services.depositary_action_delete(action=consent)
                    set_aside[iso3] = consent
            if planned.kind == Kind.CONSENT and iso3 in set_aside:
                services.depositary_action_record(
                    country=countries[iso3], treaty=treaty, kind=planned.kind, today=today,
                    restoring=set_aside.pop(iso3).pk, **planned.values,
                )  # fmt: skip
                report.updated += 1
                report.messages.append(
                    f"updated {iso3} consent: accession became {planned.values['consent_type']}, "
                    "after the signature now on record"
                )
                continue
            if action is None:
                services.depositary_action_record(
                    country=countries[iso3], treaty=treaty, kind=planned.kind, today=today, **planned.values
                )
                report.created += 1
                continue
            changes = {k: v for k, v in planned.values.items() if getattr(action, k) != v}
            if not changes:
                report.unchanged += 1
                continue
            services.depositary_action_update(action=action, today=today, **changes)
            report.updated += 1
            report.messages.append(f"updated {iso3} {planned.kind}: {', '.join(sorted(changes))}")
        except ValidationError as exc:
            details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
            raise ReferenceDataError(
                f"{planned.row.path.name}, line {planned.row.line} ({iso3} {planned.kind}): {details}"
            ) from None
    for (iso3, kind, _), action in sorted(existing.items(), key=lambda item: item[0][:2]):
        when = action.action_date or "a date not on record"
        report.messages.append(f"kept {iso3} {kind} of {when}: not in {path.name}")
    for action in later:
        report.messages.append(
            f"kept {action.country.iso3} {action.kind} of {action.action_date}: a later participation"
        )
    return report


# CCW Amended Protocol II: the roster of High Contracting Parties. Its README gives no date
# for the UN status copy the roster agrees with, so a party listed without a consent date is
# known to have been bound by the day the file was compiled (PROVENANCE.md says so).
CCW_APII_COLUMNS = {"state", "iso3", "consent_date", "consent_type", "notes", "sources"}
CCW_APII_ROSTER_KNOWN_BY = date(2026, 11, 22)


def ccw_apii_participation_load(path: Path, *, today: date) -> LoadReport:
    return participation_load(
        "CCW-APII", path, today=today, columns=CCW_APII_COLUMNS, undated_known_by=CCW_APII_ROSTER_KNOWN_BY
    )


# --- State existence ----------------------------------------------------------------------


def state_existence_load(path: Path | None = None) -> LoadReport:
    """The day each State listed came into being (or gained treaty capacity), with its basis
    and source, from ``state_existence.csv``. Checked whole before anything is written; a
    State with an action on record before the date is refused (by the service)."""
    path = path or REFERENCE_DIR / "state_existence.csv"
    countries = {c.iso3: c for c in Country.objects.all()}
    plan: list[tuple[Row, Country, date, str, str]] = []
    for row in csv_rows(path, {"state", "iso3", "exists_from", "basis", "sources"}):
        iso3 = row.text("iso3")
        if iso3 not in countries:
            raise ReferenceDataError(f"{row.where('iso3')}: unknown State code {iso3!r}")
        exists_from = row.date("exists_from")
        if exists_from is None:
            raise ReferenceDataError(f"{row.where('exists_from')}: a date is required")
        plan.append((row, countries[iso3], exists_from, row.text("basis"), row.text("sources")))
    report = LoadReport()
    for row, country, exists_from, basis, source in plan:
        try:
            changed = services.country_existence_set(
                country=country, exists_from=exists_from, basis=basis, source=source
            )
        except ValidationError as exc:
            details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
            raise ReferenceDataError(f"{path.name}, line {row.line} ({country.iso3}): {details}") from None
        if changed:
            report.updated += 1
            report.messages.append(f"updated {country.iso3}: exists from {exists_from.isoformat()}")
        else:
            report.unchanged += 1
    return report
