"""Load the APMBC Article 4 and Article 5 reference files.

Same contract as ``states.reference_data``: the whole file is read and checked before
anything is written, writes go through the services editors use, a second run changes
nothing, and a malformed file is reported with its name, line and field. Nothing here
"fixes" the data: completion dates are read from the structured columns (``completed_on``,
``completion_reported_on``, ``reopened_on``, ``second_completed_on``) at the precision they
give (``2006``, ``2002-04``, ``2005-11-21``), never from prose; ``confidence: unconfirmed``
and ``UNVERIFIED:`` notes become flags.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from mineban.rules.facts import RequestOutcome
from mineban.rules.precision import PartialDate
from obligations import services
from obligations.models import Completion, Extension, ExtensionRequest, Obligation
from states.models import Country, Treaty
from states.reference_data import LoadReport, ReferenceDataError, Row, csv_rows

OBLIGATION_COLUMNS = {
    "state",
    "iso3",
    "status_note",
    "notes",
    "sources",
    "completed_on",
    "completion_reported_on",
    "not_applicable",
    "reopened_on",
    "second_completed_on",
    "confidence",
    "structure_note",
}
EXTENSION_COLUMNS = {
    "state",
    "iso3",
    "meeting",
    "granted_date",
    "new_deadline",
    "granted_date_basis",
    "sources",
    "confidence",
    "evidence",
}
REQUEST_COLUMNS = {
    "state",
    "iso3",
    "submitted_date",
    "requested_deadline",
    "meeting_to_decide",
    "outcome",
    "sources",
    "evidence",
}
MEETING_COLUMNS = {"code", "start_date", "end_date"}
CONFIDENCE = {"confirmed", "unconfirmed", "none", ""}

_UNVERIFIED = re.compile(r"UNVERIFIED(?:\s*\([^)]*\))?:?\s*(?P<what>[^()]*?)(?=\(|\.\s|;|$)")


def unverified_phrases(notes: str) -> list[str]:
    return [m["what"].strip() for m in _UNVERIFIED.finditer(notes)]


def _partial(row: Row, column: str) -> str:
    """A reduced-precision ISO date (``2006``, ``2002-04``, ``2005-11-21``), as given."""
    raw = row.text(column)
    if raw:
        try:
            PartialDate.parse(raw)
        except ValueError as exc:
            raise ReferenceDataError(f"{row.where(column)}: {exc}") from None
    return raw


@dataclass
class PlannedObligation:
    row: Row
    iso3: str
    obligation: dict[str, Any]
    completion: dict[str, Any] | None
    extensions: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)
    requests: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)


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
        confidence = row.choice("confidence", CONFIDENCE)
        dates = {
            "completed_on": _partial(row, "completed_on"),
            "reported_on": _partial(row, "completion_reported_on"),
            "reopened_on": _partial(row, "reopened_on"),
            "second_completed_on": _partial(row, "second_completed_on"),
        }
        not_applicable = row.choice("not_applicable", {"yes", "no", ""}) == "yes"
        if not_applicable or dates["completed_on"] or dates["reported_on"]:
            structure = row.text("structure_note")
            completion = {
                **common,
                "kind": Completion.Kind.NOT_APPLICABLE if not_applicable else Completion.Kind.COMPLETED,
                **dates,
                "status_note": note,
                "notes": "\n\n".join(text for text in (structure, notes) if text),
                "unverified_fields": ["completed_on"] if confidence == "unconfirmed" else [],
            }
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
        flagged = set(_extension_flags(meeting, phrases))
        if row.choice("confidence", CONFIDENCE) == "unconfirmed":
            # One secondary source, or a meeting inferred from timing: the decision itself.
            flagged |= {"granted_on", "new_deadline"}
        basis, evidence = row.text("granted_date_basis"), row.text("evidence")
        planned.extensions.append((row, {
            "meeting": meeting, "granted_on": granted_on, "new_deadline": new_deadline,
            "source_citation": f"Reference data: {path.name} ({basis})",
            "source_urls": row.urls(),
            "notes": f"Granted date: {basis}." + (f"\n\nEvidence: {evidence}" if evidence else ""),
            "unverified_fields": sorted(flagged),
        }))  # fmt: skip


# The file's outcome wording -> (the record's outcome, whether the outcome is inferred).
OUTCOMES = {
    "granted": (RequestOutcome.GRANTED, False),
    "granted (inferred)": (RequestOutcome.GRANTED, True),
    "granted; new deadline not found": (RequestOutcome.GRANTED_DEADLINE_NOT_ON_RECORD, False),
    "granted (inferred); new deadline not found": (RequestOutcome.GRANTED_DEADLINE_NOT_ON_RECORD, True),
    "not found": (RequestOutcome.DECISION_NOT_ON_RECORD, False),
    "not submitted": (RequestOutcome.NOT_SUBMITTED, False),
    "not decided": (RequestOutcome.NOT_DECIDED, False),
}


def meetings_read(path: Path) -> dict[str, tuple[date, date]]:
    """Each meeting's first and last day, by the code the extension files use (12MSP, 4RC)."""
    found: dict[str, tuple[date, date]] = {}
    for row in csv_rows(path, MEETING_COLUMNS):
        opens, closes = row.date("start_date"), row.date("end_date")
        if opens is None or closes is None:
            raise ReferenceDataError(f"{row.where('start_date')}: both days of the meeting are required")
        found[row.text("code")] = (opens, closes)
    return found


def _request_plan(
    path: Path,
    plan: dict[str, PlannedObligation],
    meetings: dict[str, tuple[date, date]],
    countries: dict[str, Country],
) -> None:
    for row in csv_rows(path, REQUEST_COLUMNS):
        iso3 = row.text("iso3")
        if iso3 not in countries:
            raise ReferenceDataError(f"{row.where('iso3')}: unknown State code {iso3!r}")
        planned = plan.get(iso3)
        if planned is None:
            # A State the clearance file does not list (Cameroon): the request's source puts
            # its Art. 5 obligation on record; nothing else is assumed about it.
            planned = plan[iso3] = PlannedObligation(row, iso3, {
                "source_citation": f"Reference data: {path.name}", "source_urls": row.urls(),
                "notes": row.text("evidence"), "status_note": "", "unverified_fields": [],
            }, None)  # fmt: skip
        wording, _, note = row.text("outcome").partition(":")
        if wording.strip() not in OUTCOMES:
            raise ReferenceDataError(
                f"{row.where('outcome')}: {row.text('outcome')!r} is not one of {', '.join(OUTCOMES)}"
            )
        outcome, inferred = OUTCOMES[wording.strip()]
        meeting = row.text("meeting_to_decide")
        if meeting and meeting not in meetings:
            raise ReferenceDataError(f"{row.where('meeting_to_decide')}: no meeting {meeting!r} on record")
        opens, closes = meetings.get(meeting, (None, None))
        evidence = row.text("evidence")
        planned.requests.append((row, {
            "meeting": meeting, "meeting_opens_on": opens, "meeting_closes_on": closes,
            "submitted_on": row.date("submitted_date"), "requested_deadline": row.date("requested_deadline"),
            "outcome": outcome.value, "outcome_note": note.strip(),
            "source_citation": f"Reference data: {path.name}", "source_urls": row.urls(),
            "notes": f"Evidence: {evidence}" if evidence else "",
            "unverified_fields": ["outcome"] if inferred else [],
        }))  # fmt: skip


def _where(row: Row, exc: ValidationError) -> ReferenceDataError:
    details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return ReferenceDataError(f"{row.path.name}, line {row.line} ({row.text('iso3')}): {details}")


def _sync(model_obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(model_obj, k) != v}


def _upsert(
    row: Row,
    current: Any,
    values: dict[str, Any],
    report: LoadReport,
    *,
    create: Callable[..., Any],
    update: Callable[..., Any] | None = None,
) -> Any:
    """Create the record (``create(**values)``), or change what differs (``update(current,
    **changes)``; without ``update``, ``create`` is a service that upserts and is given every
    value), or leave it; counted in ``report``. A refusal names the file's line."""
    try:
        if current is None:
            report.created += 1
            return create(**values)
        changes = _sync(current, values)
        if not changes:
            report.unchanged += 1
            return current
        report.updated += 1
        return create(**values) if update is None else update(current, **changes)
    except ValidationError as exc:
        raise _where(row, exc) from None


def obligations_load(
    treaty_code: str,
    code: str,
    path: Path,
    *,
    extensions: Path | None = None,
    requests: Path | None = None,
    meetings: Path | None = None,
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
    if requests is not None:
        if meetings is None:
            raise ReferenceDataError(f"{requests.name}: the meetings file is needed to date the decisions")
        _request_plan(requests, plan, meetings_read(meetings), countries)
    existing = {
        o.country.iso3: o
        for o in Obligation.objects.filter(treaty=treaty, terms__code=code).select_related("country")
    }
    completions: dict[int, list[Completion]] = {}
    for completion in Completion.objects.filter(obligation__in=list(existing.values())):
        completions.setdefault(completion.obligation_id, []).append(completion)
    requests_on_record: dict[tuple[int, str], ExtensionRequest] = {
        (r.obligation_id, r.meeting): r
        for r in ExtensionRequest.objects.filter(obligation__in=list(existing.values()))
    }
    extensions_on_record: dict[tuple[int, date], Extension] = {
        (e.obligation_id, e.granted_on): e
        for e in Extension.objects.filter(obligation__in=list(existing.values()))
    }
    report = LoadReport()
    for iso3, planned in plan.items():
        obligation = _upsert(
            planned.row, existing.get(iso3), planned.obligation, report,
            create=partial(services.obligation_record, country=countries[iso3], treaty=treaty, code=code),
        )  # fmt: skip
        for row, values in planned.extensions:
            extension = _upsert(
                row, extensions_on_record.get((obligation.pk, values["granted_on"])), values, report,
                create=partial(services.extension_grant, obligation=obligation),
                update=lambda current, **changes: services.extension_update(extension=current, **changes),
            )  # fmt: skip
            extensions_on_record[(obligation.pk, extension.granted_on)] = extension
        if planned.completion is not None:
            _upsert(
                planned.row, next(iter(completions.get(obligation.pk, [])), None), planned.completion, report,
                create=partial(services.completion_record, obligation=obligation),
                update=lambda current, **changes: services.completion_update(completion=current, **changes),
            )  # fmt: skip
        _requests_sync(obligation, planned, requests_on_record, extensions_on_record, report)
    for iso3 in sorted(set(existing) - set(plan)):
        report.messages.append(f"kept {iso3} {treaty_code} {code}: not in {path.name}")
    return report


def _requests_sync(
    obligation: Obligation,
    planned: PlannedObligation,
    on_record: dict[tuple[int, str], ExtensionRequest],
    extensions: dict[tuple[int, date], Extension],
    report: LoadReport,
) -> None:
    """Requests are matched by the meeting due to decide them (one per State and meeting).
    A granted one is linked to the extension that meeting decided, when it is on record."""
    for row, values in planned.requests:
        closes = values["meeting_closes_on"]
        granted = values["outcome"] == RequestOutcome.GRANTED.value
        decided = extensions.get((obligation.pk, closes)) if granted and closes else None
        _upsert(
            row, on_record.get((obligation.pk, values["meeting"])), {**values, "extension": decided}, report,
            create=partial(services.extension_request_record, obligation=obligation),
            update=lambda current, **changes: services.extension_request_update(request=current, **changes),
        )  # fmt: skip
