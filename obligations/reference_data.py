"""Load the APMBC Article 4 and Article 5 reference files.

Same contract as ``states.reference_data``: the whole file is read and checked before
anything is written, writes go through the services editors use, a second run changes
nothing, and a malformed file is reported with its name, line and field. Nothing here
"fixes" the data: a date the source gives only as a month or a year is stored as such
(``known_from`` = the period's last day), and ``UNVERIFIED:`` notes become flags.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from obligations import services
from obligations.models import Completion, Extension, Obligation
from states.models import Country, Treaty
from states.reference_data import LoadReport, ReferenceDataError, Row, csv_rows

OBLIGATION_COLUMNS = {"state", "iso3", "completed_date", "status_note", "notes", "sources"}
EXTENSION_COLUMNS = {
    "state",
    "iso3",
    "meeting",
    "granted_date",
    "new_deadline",
    "granted_date_basis",
    "sources",
}

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_PERIOD = re.compile(
    r"(?:(?P<day>\d{1,2})\s+)?(?:(?P<month>[A-Z][a-z]{2,8})\.?\s+)?(?P<year>(?:19|20)\d\d)(?!-\d\d-)"
)
_ISO = re.compile(r"\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b")
_UNVERIFIED = re.compile(r"UNVERIFIED(?:\s*\([^)]*\))?:?\s*(?P<what>[^()]*?)(?=\(|\.\s|;|$)")


def period_end(text: str) -> date | None:
    """The last day of the latest day, month or year ``text`` names ("April 2002" ->
    2002-04-30, "2006" -> 2006-12-31, "1 May 2003" -> 2003-05-01)."""
    found: list[date] = []
    for match in _ISO.finditer(text):
        found.append(date.fromisoformat(match["iso"]))
    for match in _PERIOD.finditer(_ISO.sub("", text)):
        year = int(match["year"])
        month = _MONTHS.get((match["month"] or "").lower())
        if month is None:
            found.append(date(year, 12, 31))
        elif match["day"]:
            found.append(date(year, month, int(match["day"])))
        else:
            found.append(date(year, month, calendar.monthrange(year, month)[1]))
    return max(found, default=None)


def unverified_phrases(notes: str) -> list[str]:
    return [m["what"].strip() for m in _UNVERIFIED.finditer(notes)]


def _is_completion(note: str) -> bool:
    lowered = note.lower()
    if "not completed" in lowered or "completion not confirmed" in lowered:
        return False
    return "completed" in lowered and not lowered.startswith("ongoing")


def _declared_late(note: str) -> bool | None:
    lowered = note.lower()
    if "missed" in lowered or re.search(r"\blate\b", lowered):
        return True
    if "on time" in lowered or "before deadline" in lowered or "on the deadline" in lowered:
        return False
    return None


@dataclass
class PlannedObligation:
    row: Row
    iso3: str
    obligation: dict[str, Any]
    completion: dict[str, Any] | None
    extensions: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)


def _flags(phrases: list[str], mapping: dict[str, list[str]]) -> list[str]:
    """Fields flagged by the UNVERIFIED phrases: ``mapping`` from a word to the fields."""
    flagged: set[str] = set()
    for phrase in phrases:
        if phrase.startswith("whole row"):
            return sorted({f for fields in mapping.values() for f in fields})
        for word, fields in mapping.items():
            if word in phrase:
                flagged.update(fields)
    return sorted(flagged)


def _obligation_plan(
    path: Path, countries: dict[str, Country], *, clearance: bool
) -> dict[str, PlannedObligation]:
    plan: dict[str, PlannedObligation] = {}
    for row in csv_rows(path, OBLIGATION_COLUMNS):
        iso3 = row.text("iso3")
        if iso3 not in countries:
            raise ReferenceDataError(f"{row.where('iso3')}: unknown State code {iso3!r}")
        if iso3 in plan:
            raise ReferenceDataError(f"{row.where('iso3')}: {iso3} appears twice")
        note, notes = row.text("status_note"), row.text("notes")
        phrases = unverified_phrases(notes) + unverified_phrases(note)
        common = {
            "source_citation": f"Reference data: {path.name}",
            "source_urls": row.urls(),
            "notes": notes,
        }
        obligation = {
            **common,
            "status_note": note,
            "unverified_fields": _flags(phrases, {"current_art5_deadline": ["current_deadline"]}),
        }
        completion = None
        completed_on = row.date("completed_date")
        if completed_on or _is_completion(note):
            reopened_on = None
            head, _, tail = note.partition(" new ")
            if note.startswith("re-opened") and tail:
                reopened_on = period_end(tail.split(";")[0])
                if reopened_on is None:
                    raise ReferenceDataError(f"{row.where('status_note')}: re-opening without a date")
            known_from = None
            if completed_on is None:
                known_from = period_end(head) or period_end(notes.split("UNVERIFIED")[-1])
            completion = {
                **common,
                "kind": Completion.Kind.COMPLETED,
                "completed_on": completed_on,
                "known_from": known_from,
                "declared_late": None if completed_on else _declared_late(note),
                "reopened_on": reopened_on,
                "status_note": note,
                "unverified_fields": _flags(
                    phrases,
                    {"completed_date": ["completed_on", "known_from"], "date": ["completed_on", "known_from"]}
                    if "whole row" not in " ".join(phrases)
                    else {"whole row": ["completed_on", "known_from", "declared_late"]},
                ),
            }
            if "whole row" in " ".join(phrases):
                completion["unverified_fields"] = ["completed_on", "declared_late", "known_from"]
            if completion["unverified_fields"] == [] and note.endswith("(UNVERIFIED)"):
                completion["unverified_fields"] = ["completed_on", "declared_late", "known_from"]
        plan[iso3] = PlannedObligation(row, iso3, obligation, completion)
    return plan


def _extension_flags(meeting: str, phrases: list[str]) -> list[str]:
    flagged: set[str] = set()
    for phrase in phrases:
        if phrase.startswith("whole row"):
            return ["granted_on", "meeting", "new_deadline"]
        if re.search(rf"(?<![0-9A-Za-z]){re.escape(meeting)}(?![0-9A-Za-z])", phrase):
            if "new deadline" in phrase:
                flagged.add("new_deadline")
            elif "meeting" in phrase:
                flagged.add("meeting")
            else:
                flagged.update({"granted_on", "new_deadline"})
        if "extensions dates" in phrase:
            flagged.add("granted_on")
        if "every new deadline in extensions" in phrase or "intermediate deadlines" in phrase:
            flagged.add("new_deadline")
        if "grant meetings" in phrase:
            flagged.add("meeting")
    return sorted(flagged)


def _extension_plan(path: Path, plan: dict[str, PlannedObligation], countries: dict[str, Country]) -> None:
    seen: set[tuple[str, date]] = set()
    for row in csv_rows(path, EXTENSION_COLUMNS):
        iso3 = row.text("iso3")
        if iso3 not in countries:
            raise ReferenceDataError(f"{row.where('iso3')}: unknown State code {iso3!r}")
        planned = plan.get(iso3)
        if planned is None:
            raise ReferenceDataError(f"{row.where('iso3')}: {iso3} has no row in the Article 5 file")
        meeting = row.text("meeting")
        if not meeting:
            raise ReferenceDataError(f"{row.where('meeting')}: the meeting that decided is required")
        granted_on, new_deadline = row.date("granted_date"), row.date("new_deadline")
        if granted_on is None:
            raise ReferenceDataError(f"{row.where('granted_date')}: a date is required")
        if new_deadline is None:
            raise ReferenceDataError(f"{row.where('new_deadline')}: a date is required")
        if (iso3, granted_on) in seen:
            raise ReferenceDataError(f"{row.where('granted_date')}: {iso3} has two decisions that day")
        seen.add((iso3, granted_on))
        phrases = unverified_phrases(planned.row.text("notes"))
        planned.extensions.append((row, {
            "meeting": meeting, "granted_on": granted_on, "new_deadline": new_deadline,
            "source_citation": f"Reference data: {path.name} ({row.text('granted_date_basis')})",
            "source_urls": row.urls(), "notes": f"Granted date: {row.text('granted_date_basis')}.",
            "unverified_fields": _extension_flags(meeting, phrases),
        }))  # fmt: skip


def _where(row: Row, exc: ValidationError) -> ReferenceDataError:
    details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return ReferenceDataError(f"{row.path.name}, line {row.line} ({row.text('iso3')}): {details}")


def _sync(model_obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(model_obj, k) != v}


def obligations_load(
    treaty_code: str, code: str, path: Path, *, extensions: Path | None = None
) -> LoadReport:
    """Upsert the obligations a file lists, their completion declaration and extensions.

    Extensions are matched by decision day, completions by obligation (the file has one per
    State). Facts on record but absent from the file (an editor's newer facts) are kept.
    """
    treaty = Treaty.objects.get(code=treaty_code)
    countries = {c.iso3: c for c in Country.objects.all()}
    plan = _obligation_plan(path, countries, clearance=extensions is not None)
    if extensions is not None:
        _extension_plan(extensions, plan, countries)
    existing = {
        o.country.iso3: o
        for o in Obligation.objects.filter(treaty=treaty, terms__code=code).select_related("country")
    }
    completions: dict[int, list[Completion]] = {}
    for completion in Completion.objects.filter(obligation__in=list(existing.values())):
        completions.setdefault(completion.obligation_id, []).append(completion)
    extensions_on_record: dict[tuple[int, date], Extension] = {
        (e.obligation_id, e.granted_on): e
        for e in Extension.objects.filter(obligation__in=list(existing.values()))
    }
    report = LoadReport()
    for iso3, planned in plan.items():
        try:
            obligation = existing.get(iso3)
            if obligation is None:
                obligation = services.obligation_record(
                    country=countries[iso3], treaty=treaty, code=code, **planned.obligation
                )
                report.created += 1
            elif _sync(obligation, planned.obligation):
                services.obligation_record(
                    country=countries[iso3], treaty=treaty, code=code, **planned.obligation
                )
                report.updated += 1
            else:
                report.unchanged += 1
        except ValidationError as exc:
            raise _where(planned.row, exc) from None
        for row, values in planned.extensions:
            try:
                current = extensions_on_record.get((obligation.pk, values["granted_on"]))
                if current is None:
                    services.extension_grant(obligation=obligation, **values)
                    report.created += 1
                elif changes := _sync(current, values):
                    services.extension_update(extension=current, **changes)
                    report.updated += 1
                else:
                    report.unchanged += 1
            except ValidationError as exc:
                raise _where(row, exc) from None
        if planned.completion is not None:
            try:
                on_record = completions.get(obligation.pk, [])
                if not on_record:
                    services.completion_record(obligation=obligation, **planned.completion)
                    report.created += 1
                elif changes := _sync(on_record[0], planned.completion):
                    services.completion_update(completion=on_record[0], **changes)
                    report.updated += 1
                else:
                    report.unchanged += 1
            except ValidationError as exc:
                raise _where(planned.row, exc) from None
    for iso3 in sorted(set(existing) - set(plan)):
        report.messages.append(f"kept {iso3} {treaty_code} {code}: not in {path.name}")
    return report
