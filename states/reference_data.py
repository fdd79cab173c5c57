"""Load the shipped reference data: countries, treaties and participation, and the policy
record (meetings and attendance, UN General Assembly resolutions and votes, policy facts).

Every loader is idempotent (a second run changes nothing; a changed CSV row changes only
its own records), checks a whole file before writing anything, and writes through the
same services editors use, inside the caller's transaction.
"""

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from mineban.rules.precision import PartialDate
from states import policy, services
from states.models import (
    Country,
    DepositaryAction,
    Meeting,
    MeetingAttendance,
    PolicyFact,
    Treaty,
    TreatyObligation,
    UNGAResolution,
    UNGAVote,
)

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


# --- The policy record: meetings, attendance, UN General Assembly votes, policy facts -------
#
# Same contract as above: each file is read and checked whole before anything is written,
# writes go through the services editors use (``states.policy``), and a second run changes
# nothing. A record an editor has changed since it was loaded is left as the editor left it
# (and named in the report's messages): the file does not silently undo a correction.

_SOURCE_ITEM = re.compile(r"(?P<url>https?://\S+)\s*(?P<rest>.*)")


def _sources(row: Row, column: str, *, base: str) -> tuple[str, list[str]]:
    """A ``sources`` cell that mixes URLs and citations ("Asia-Plus report of ... | https://...
    (15-19 November 2021, online)"): the URLs, and a citation naming the file and the rest."""
    urls: list[str] = []
    texts: list[str] = []
    for item in row.urls(column):
        match = _SOURCE_ITEM.fullmatch(item)
        if match is None:
            texts.append(item)
            continue
        urls.append(match["url"])
        if match["rest"]:
            texts.append(f"{match['url']} {match['rest']}")
    return "; ".join([base, *texts]), urls


def _integer(row: Row, column: str, *, required: bool = True) -> int | None:
    raw = row.text(column)
    if not raw and not required:
        return None
    if not raw.isdigit():
        raise ReferenceDataError(f"{row.where(column)}: {raw!r} is not a whole number")
    return int(raw)


def _required(row: Row, column: str) -> str:
    raw = row.text(column)
    if not raw:
        raise ReferenceDataError(f"{row.where(column)}: a value is required")
    return raw


def _refused(row: Row, exc: ValidationError, what: str) -> ReferenceDataError:
    """A row the services refused, named by file, line, what it is and the field."""
    if hasattr(exc, "error_dict"):
        details = "; ".join(f"field {name!r}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    else:
        details = " ".join(exc.messages)
    return ReferenceDataError(f"{row.path.name}, line {row.line} ({what}): {details}")


def _write(
    kind: Any,
    row: Row,
    what: str,
    current: Any,
    identity: dict[str, Any],
    facts: dict[str, Any],
    report: LoadReport,
    today: date,
) -> Any:
    """Create, update or leave one record through ``states.policy``."""
    try:
        if current is None:
            report.created += 1
            return policy.record(kind, today=today, **identity, **facts)
        changed = {name: value for name, value in facts.items() if _differs(getattr(current, name), value)}
        if not changed:
            report.unchanged += 1
        elif current.updated_by_id is not None:
            report.unchanged += 1
            report.messages.append(
                f"kept {what} as an editor changed it ({', '.join(sorted(changed))} differ from "
                f"{row.path.name}, line {row.line})"
            )
        else:
            report.updated += 1
            return policy.update(kind, current, today=today, **changed)
        return current
    except ValidationError as exc:
        raise _refused(row, exc, what) from None


def _country(row: Row, countries: dict[str, Country], column: str = "iso3") -> Country:
    iso3 = row.text(column)
    if iso3 not in countries:
        raise ReferenceDataError(f"{row.where(column)}: unknown State code {iso3!r}")
    return countries[iso3]


MEETING_COLUMNS = {"code", "name", "start_date", "end_date", "place", "confidence", "sources"}
_CONFIDENCE = {"confirmed", "unconfirmed", "none"}


def _meeting_kind(code: str) -> str:
    if code.endswith("MSP"):
        return Meeting.Kind.MEETING_OF_STATES_PARTIES
    if code.endswith("RC"):
        return Meeting.Kind.REVIEW_CONFERENCE
    return Meeting.Kind.OTHER


def meetings_load(path: Path, *, treaty_code: str = "APMBC", today: date) -> LoadReport:
    """The Meetings of the States Parties and Review Conferences (``apmbc_meetings.csv``),
    matched by treaty and code. A row of confidence ``unconfirmed`` (dates from general
    knowledge, no source on file) has its dates and place flagged unconfirmed."""
    treaty = Treaty.objects.get(code=treaty_code)
    plan: list[tuple[Row, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for row in csv_rows(path, MEETING_COLUMNS):
        code = _required(row, "code")
        if code in seen:
            raise ReferenceDataError(f"{row.where('code')}: {code} appears twice")
        seen.add(code)
        start, end = row.date("start_date"), row.date("end_date")
        if start is None or end is None:
            raise ReferenceDataError(
                f"{row.where('start_date' if start is None else 'end_date')}: a date is required"
            )
        confidence = row.choice("confidence", _CONFIDENCE)
        citation, urls = _sources(row, "sources", base=f"Reference data: {path.name}")
        plan.append((row, code, {
            "name": _required(row, "name"), "kind": _meeting_kind(code), "start_date": start,
            "end_date": end, "place": row.text("place"), "documents": [],
            "source_citation": citation, "source_urls": urls, "notes": "",
            "unverified_fields": [] if confidence == "confirmed" else ["end_date", "place", "start_date"],
        }))  # fmt: skip

    existing = {m.code: m for m in Meeting.objects.filter(treaty=treaty)}
    report = LoadReport()
    for row, code, facts in plan:
        _write(policy.MEETING, row, code, existing.pop(code, None), {"treaty": treaty, "code": code},
               facts, report, today)  # fmt: skip
    for code in sorted(existing):
        report.messages.append(f"kept meeting {code}: not in {path.name}")
    return report


ATTENDANCE_COLUMNS = {
    "treaty", "meeting", "state", "iso3", "attendance", "statement_kind", "statement",
    "source_citation", "sources", "notes",
}  # fmt: skip


def attendance_load(path: Path, *, today: date) -> LoadReport:
    """States' attendance (and statements) at meetings (``apmbc_attendance.csv``), matched by
    meeting and State."""
    countries = {c.iso3: c for c in Country.objects.all()}
    meetings = {(m.treaty.code, m.code): m for m in Meeting.objects.select_related("treaty")}
    kinds = {k.value for k in MeetingAttendance.Attendance}
    statement_kinds = {k.value for k in MeetingAttendance.StatementKind if k.value}
    plan: list[tuple[Row, Meeting, Country, dict[str, Any]]] = []
    seen: set[tuple[int, str]] = set()
    for row in csv_rows(path, ATTENDANCE_COLUMNS):
        key = (row.text("treaty"), row.text("meeting"))
        if key not in meetings:
            raise ReferenceDataError(f"{row.where('meeting')}: no {key[0]} meeting has the code {key[1]!r}")
        meeting, country = meetings[key], _country(row, countries)
        if (meeting.pk, country.iso3) in seen:
            raise ReferenceDataError(f"{row.where('iso3')}: {country.iso3} at {meeting.code} appears twice")
        seen.add((meeting.pk, country.iso3))
        citation = _required(row, "source_citation")
        plan.append((row, meeting, country, {
            "attendance": _required(row, "attendance") and row.choice("attendance", kinds),
            "statement_kind": row.choice("statement_kind", statement_kinds),
            "statement": row.text("statement"), "source_citation": citation,
            "source_urls": row.urls(), "notes": row.text("notes"), "unverified_fields": [],
        }))  # fmt: skip

    existing = {(a.meeting_id, a.country_id): a for a in MeetingAttendance.objects.all()}
    report = LoadReport()
    for row, meeting, country, facts in plan:
        current = existing.get((meeting.pk, country.pk))
        what = f"{country.iso3} at {meeting.code}"
        _write(policy.ATTENDANCE, row, what, current, {"meeting": meeting, "country": country},
               facts, report, today)  # fmt: skip
    return report


RESOLUTION_COLUMNS = {
    "symbol", "year", "adopted_date", "in_favour", "against", "abstaining", "source_urls",
    "evidence", "confidence",
}  # fmt: skip
VOTE_COLUMNS = {"symbol", "state", "iso3", "vote"}
# Former seats of a State on the list (README_unga.md): their votes are on its record.
FORMER_SEATS = {"YUG": ("SRB", "Yugoslavia"), "SCG": ("SRB", "Serbia and Montenegro")}
# Votes README_unga.md says were inferred, not read from a named entry in the UN record.
INFERRED_VOTES = {
    (
        "A/RES/58/53",
        "SCG",
    ): "no named entry in the record: its yes total is one higher than the named yes votes",
    (
        "A/RES/59/84",
        "SCG",
    ): "no named entry in the record: its yes total is one higher than the named yes votes",
    (
        "A/RES/60/80",
        "SCG",
    ): "no named entry in the record: its yes total is one higher than the named yes votes",
    ("A/RES/80/35", "AFG"): "no entry in the record: absent, as only that makes the non-voting total add up",
    ("A/RES/80/35", "VEN"): "no entry in the record: absent, as only that makes the non-voting total add up",
}
_UN_RECORD = "digitallibrary.un.org"


def _resolution_plan(path: Path) -> dict[str, tuple[Row, dict[str, Any]]]:
    plan: dict[str, tuple[Row, dict[str, Any]]] = {}
    for row in csv_rows(path, RESOLUTION_COLUMNS):
        symbol = _required(row, "symbol")
        if symbol in plan:
            raise ReferenceDataError(f"{row.where('symbol')}: {symbol} appears twice")
        adopted = row.date("adopted_date")
        if adopted is None:
            raise ReferenceDataError(f"{row.where('adopted_date')}: a date is required")
        if _integer(row, "year") != adopted.year:
            raise ReferenceDataError(f"{row.where('year')}: {row.text('year')} is not the year of {adopted}")
        confidence = row.choice("confidence", _CONFIDENCE)
        plan[symbol] = (row, {
            "title": "", "adopted_on": adopted, "in_favour": _integer(row, "in_favour"),
            "against": _integer(row, "against"), "abstaining": _integer(row, "abstaining"),
            "source_citation": f"Reference data: {path.name}", "source_urls": row.urls("source_urls"),
            "notes": row.text("evidence"),
            "unverified_fields": [] if confidence == "confirmed" else ["abstaining", "against", "in_favour"],
        })  # fmt: skip
    return plan


def _vote_plan(
    path: Path, resolutions: dict[str, tuple[Row, dict[str, Any]]], countries: dict[str, Country]
) -> list[tuple[Row, str, Country, dict[str, Any]]]:
    choices = {"yes", "no", "abstain", "absent"}
    plan: list[tuple[Row, str, Country, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    counted: dict[str, Counter[str]] = {symbol: Counter() for symbol in resolutions}
    for row in csv_rows(path, VOTE_COLUMNS):
        symbol, iso3 = row.text("symbol"), row.text("iso3")
        if symbol not in resolutions:
            raise ReferenceDataError(f"{row.where('symbol')}: {symbol!r} is not in the resolutions file")
        seat_code, seat_name = "", ""
        if iso3 in FORMER_SEATS:
            seat_code, (iso3, seat_name) = iso3, FORMER_SEATS[iso3]
        if iso3 not in countries:
            raise ReferenceDataError(f"{row.where('iso3')}: unknown State code {iso3!r}")
        if (symbol, iso3) in seen:
            raise ReferenceDataError(f"{row.where('iso3')}: a second vote of {iso3} on {symbol}")
        seen.add((symbol, iso3))
        vote = _required(row, "vote") and row.choice("vote", choices)
        counted[symbol][vote] += 1
        resolution_values = resolutions[symbol][1]
        inferred = INFERRED_VOTES.get((symbol, seat_code or iso3))
        urls = [u for u in resolution_values["source_urls"] if _UN_RECORD in u] or resolution_values[
            "source_urls"
        ]
        plan.append((row, symbol, countries[iso3], {
            "vote": vote, "seat_code": seat_code, "seat_name": seat_name,
            "source_citation": f"Reference data: {path.name}", "source_urls": urls,
            "notes": f"Inferred ({inferred}; README_unga.md)." if inferred else "",
            "unverified_fields": ["vote"] if inferred or resolution_values["unverified_fields"] else [],
        }))  # fmt: skip
    for symbol, (row, values) in resolutions.items():
        for column, vote in (("in_favour", "yes"), ("against", "no"), ("abstaining", "abstain")):
            if counted[symbol][vote] != values[column]:
                raise ReferenceDataError(
                    f"{row.where(column)}: {symbol} states {values[column]}, but {path.name} has "
                    f"{counted[symbol][vote]} {vote} votes"
                )
    return plan


def unga_load(
    resolutions_path: Path, votes_path: Path, *, treaty_code: str = "APMBC", today: date
) -> LoadReport:
    """The General Assembly's annual resolutions (matched by symbol) and every Member State's
    vote on each (matched by resolution and State; new votes are written in bulk). Votes
    cast under a former seat go on its successor's record with the seat named (Yugoslavia
    and Serbia and Montenegro on Serbia's); the votes the README calls inferred are flagged
    unconfirmed, as are all votes on a resolution not confirmed against the UN record. The
    yes / no / abstain votes must add up to each resolution's stated totals."""
    treaty = Treaty.objects.get(code=treaty_code)
    countries = {c.iso3: c for c in Country.objects.all()}
    resolution_plan = _resolution_plan(resolutions_path)
    vote_plan = _vote_plan(votes_path, resolution_plan, countries)

    report = LoadReport()
    existing = {r.symbol: r for r in UNGAResolution.objects.all()}
    resolutions: dict[str, UNGAResolution] = {}
    for symbol, (row, facts) in resolution_plan.items():
        current = existing.pop(symbol, None)
        if current is not None and current.treaty_id != treaty.pk:
            raise ReferenceDataError(f"{row.where('symbol')}: {symbol} is on record for another treaty")
        resolutions[symbol] = _write(policy.RESOLUTION, row, symbol, current,
                                     {"treaty": treaty, "symbol": symbol}, facts, report, today)  # fmt: skip

    votes = {(v.resolution_id, v.country_id): v for v in UNGAVote.objects.all()}
    new: list[tuple[Row, dict[str, Any]]] = []
    for row, symbol, country, facts in vote_plan:
        resolution = resolutions[symbol]
        current = votes.get((resolution.pk, country.pk))
        if current is None:
            new.append((row, {"resolution": resolution, "country": country, **facts}))
        else:
            _write(policy.VOTE, row, f"{country.iso3} on {symbol}", current, {}, facts, report, today)
    try:
        policy.votes_record_many(
            [values for _, values in new], today=today, reason=f"Reference data: {votes_path.name}"
        )
    except policy.BulkError as exc:
        row, values = new[exc.index]
        raise _refused(row, exc, f"{values['country'].iso3} on {values['resolution'].symbol}") from None
    report.created += len(new)
    for symbol in sorted(existing):
        report.messages.append(f"kept resolution {symbol}: not in {resolutions_path.name}")
    return report


POLICY_FACT_COLUMNS = {"state", "iso3", "topic", "as_of", "statement", "quantity", "unit", "source_citation"}


def _facts_sync(path: Path, plan: list[tuple[Row, str, Country, dict[str, Any]]], today: date) -> LoadReport:
    """Write planned policy facts, matched by the key the loader gives each (``reference_key``)."""
    existing = {
        f.reference_key: f for f in PolicyFact.objects.filter(reference_key__startswith=f"{path.name}:")
    }
    report = LoadReport()
    for row, key, country, facts in plan:
        _write(policy.POLICY_FACT, row, key, existing.pop(key, None),
               {"country": country, "reference_key": key}, facts, report, today)  # fmt: skip
    for key in sorted(existing):
        report.messages.append(f"kept policy fact {key}: not in {path.name}")
    return report


def policy_facts_load(path: Path, *, today: date) -> LoadReport:
    """Dated, sourced policy facts (``policy_facts.csv``), each with the citation its source
    gives. A fact's key is its State, topic, date and place among the rows sharing them."""
    countries = {c.iso3: c for c in Country.objects.all()}
    topics = {t.value for t in PolicyFact.Topic}
    plan: list[tuple[Row, str, Country, dict[str, Any]]] = []
    ordinal: Counter[tuple[str, str, str]] = Counter()
    for row in csv_rows(path, POLICY_FACT_COLUMNS):
        country = _country(row, countries)
        topic = _required(row, "topic") and row.choice("topic", topics)
        dated = _required(row, "as_of")
        try:
            PartialDate.parse(dated)
        except ValueError:
            raise ReferenceDataError(
                f"{row.where('as_of')}: {dated!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            ) from None
        quantity = _integer(row, "quantity", required=False)
        if quantity is not None and not row.text("unit"):
            raise ReferenceDataError(f"{row.where('unit')}: a figure says what it counts")
        ordinal[(country.iso3, topic, dated)] += 1
        key = f"{path.name}:{country.iso3}:{topic}:{dated}:{ordinal[(country.iso3, topic, dated)]}"
        plan.append((row, key, country, {
            "topic": topic, "dated": dated, "statement": _required(row, "statement"),
            "quantity": quantity, "unit": row.text("unit"),
            "source_citation": _required(row, "source_citation"), "source_urls": [], "notes": "",
            "unverified_fields": [],
        }))  # fmt: skip
    return _facts_sync(path, plan, today)


# Only explicit figures: "(486,226 mines)" or "destruction of 1,683,860 mines".
_STOCKPILE_FIGURE = re.compile(
    r"\((?P<a>\d{1,3}(?:,\d{3})+|\d+) mines\)|destruction of (?P<b>\d{1,3}(?:,\d{3})+|\d+) mines"
)
_MONTH_NUMBERS = {
    name.lower(): number
    for number, names in enumerate(
        [(), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for name in names
}  # fmt: skip
_NAMED_DATE = re.compile(
    r"(?:(?P<day>\d{1,2})\s+)?(?:(?P<month>[A-Za-z]{3,9})\.?\s+)?(?P<year>(?:19|20)\d\d)\b"
)


def latest_named_date(text: str) -> PartialDate | None:
    """The latest date ``text`` names, as precisely as it names it: "reported 1 May 2003" is
    2003-05-01, "completed April 2002" 2002-04, "reported in 2007" 2007."""
    found: list[PartialDate] = []
    for match in _NAMED_DATE.finditer(text):
        month = _MONTH_NUMBERS.get((match["month"] or "").lower())
        day = int(match["day"]) if match["day"] and month else None
        try:
            found.append(PartialDate(int(match["year"]), month, day))
        except ValueError:
            continue
    return max(found, key=lambda d: (d.last_day, d.first_day), default=None)


def stockpile_facts_load(path: Path, *, today: date) -> LoadReport:
    """The stockpile figures the Art. 4 file's notes state explicitly ("(486,226 mines)",
    "destruction of 1,683,860 mines"), as stockpile facts with the row's sources: the note is
    the statement, word for word, and the figure is as the note gives it. A fact is dated by
    the row's completion date, or else by the latest date its status note names (the report
    that announced completion). Nothing is inferred from other wordings."""
    countries = {c.iso3: c for c in Country.objects.all()}
    plan: list[tuple[Row, str, Country, dict[str, Any]]] = []
    for row in csv_rows(path, {"iso3", "completed_date", "status_note", "notes", "sources"}):
        notes = row.text("notes")
        figures = [int((m["a"] or m["b"]).replace(",", "")) for m in _STOCKPILE_FIGURE.finditer(notes)]
        if not figures:
            continue
        country = _country(row, countries)
        completed = row.date("completed_date")
        dated = PartialDate.from_date(completed) if completed else latest_named_date(row.text("status_note"))
        if dated is None:
            raise ReferenceDataError(f"{row.where('status_note')}: no date to place the figure at")
        for index, figure in enumerate(figures, start=1):
            plan.append((row, f"{path.name}:{country.iso3}:{index}", country, {
                "topic": PolicyFact.Topic.STOCKPILE, "dated": dated.iso, "statement": notes,
                "quantity": figure, "unit": "mines",
                "source_citation": f"Reference data: {path.name} (notes)", "source_urls": row.urls(),
                "notes": f"Status: {row.text('status_note')}." if row.text("status_note") else "",
                "unverified_fields": ["dated"] if "UNVERIFIED" in notes else [],
            }))  # fmt: skip
    return _facts_sync(path, plan, today)
