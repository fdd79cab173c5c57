"""A State's profile as prose: a timeline and narrative sections built from recorded facts,
with numbered footnotes pointing at each fact's sources (the way Landmine Monitor country
profiles cite theirs). Pure Python over what ``reports.listings.profile_treaties`` read.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format

from mineban.rules.precision import PartialDate, Precision
from mineban.rules.status import ParticipationStatus
from mineban.rules.terms import ObligationKind
from obligations.models import ObligationStatus
from obligations.selectors import completion_fact
from reports.listings import TreatyProfile
from states.models import Country, DepositaryAction

STATUS_LABELS = dict(ObligationStatus.choices)

ConsentType = DepositaryAction.ConsentType


@dataclass
class Footnotes:
    """Numbers sources in order of first citation; a URL cited twice keeps its number."""

    urls: list[str] = field(default_factory=list)

    def cite(self, urls: list[str] | tuple[str, ...] | None) -> list[int]:
        numbers = []
        for url in urls or []:
            if url not in self.urls:
                self.urls.append(url)
            number = self.urls.index(url) + 1
            if number not in numbers:
                numbers.append(number)
        return numbers

    def cite_source(self, urls: list[str] | tuple[str, ...] | None, citation: str = "") -> list[int]:
        """A record's URLs; when it has none, its citation as written (a printed report, a
        statement at a meeting): the footnote then gives the text."""
        if urls:
            return self.cite(urls)
        return self.cite([citation.strip()]) if citation.strip() else []


@dataclass(frozen=True)
class TimelineEvent:
    when: date
    treaty_code: str
    title: str
    detail: str = ""
    notes: list[int] = field(default_factory=list)
    unconfirmed: bool = False
    action: DepositaryAction | None = None
    upcoming: bool = False
    # The date as precisely as the source gives it ("2006", "2002-04"), where it is not a day:
    # ``when`` (the last day the period allows) only places the event in order.
    when_iso: str = ""


@dataclass(frozen=True)
class Sentence:
    text: str
    notes: list[int] = field(default_factory=list)
    unconfirmed: bool = False


@dataclass
class NarrativeSection:
    slug: str
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    # The date of the newest policy fact told in the section (``reports.policy_profile``).
    last_updated: PartialDate | None = None


def _d(value: date | None) -> str:
    return date_format(value, "j F Y") if value is not None else "a date not on record"


def _by(value: date | None, as_of: date) -> bool:
    """On record by ``as_of``: a date not on record is never "by" a given day."""
    return value is not None and value <= as_of


_CONSENT_VERB: dict[str, str] = {
    ConsentType.RATIFICATION: "ratified",
    ConsentType.ACCEPTANCE: "accepted",
    ConsentType.APPROVAL: "approved",
    ConsentType.ACCESSION: "acceded to",
    ConsentType.SUCCESSION: "succeeded to",
}


def timeline(profiles: list[TreatyProfile], *, as_of: date, footnotes: Footnotes) -> list[TimelineEvent]:
    """Signature, consent, entry into force, extensions, completions, notifications and
    withdrawal, in date order, as they stood on ``as_of``."""
    events: list[TimelineEvent] = []
    for prof in profiles:
        p, code = prof.participation, prof.treaty.code
        # A CSV row's notes land on each of its actions: tell them once, on the last one.
        # An instrument whose date is not on record has no place in a dated timeline; the
        # policy section says so.
        shown = [a for a in p.actions if a.action_date is not None and a.action_date <= as_of]
        last_with = {a.notes: a.pk for a in shown if a.notes}
        for action in shown:
            notes = footnotes.cite(action.source_urls)
            unconfirmed = bool(action.unverified_fields)
            if action.kind == DepositaryAction.Kind.CONSENT:
                title = f"Instrument of {action.get_consent_type_display().lower()} deposited"
            elif action.kind == DepositaryAction.Kind.WITHDRAWAL:
                title = "Notice of withdrawal received"
            else:
                title = action.get_kind_display()
            detail = action.text or (action.notes if last_with.get(action.notes) == action.pk else "")
            if action.kind == DepositaryAction.Kind.WITHDRAWAL:
                if action.effective_date:
                    detail = f"Takes effect {_d(action.effective_date)}. {detail}".strip()
                elif action.effective_date_pending_reason:
                    detail = f"Effective date not yet determined: {action.effective_date_pending_reason}"
            assert action.action_date is not None  # ``shown`` holds dated actions only
            events.append(TimelineEvent(action.action_date, code, title, detail, notes, unconfirmed, action))
        for ep in (*p.earlier, p):  # each participation, if the State withdrew and joined again
            deposited = ep.consent.action_date if ep.consent else None
            if ep.entry_into_force and deposited and deposited <= as_of:
                events.append(
                    TimelineEvent(
                        ep.entry_into_force,
                        code,
                        "Entry into force",
                        f"Basis: {ep.entry_into_force_basis}.",
                        upcoming=ep.entry_into_force > as_of,
                    )
                )
            w = ep.withdrawal
            if w and w.effective_date and w.action_date and w.action_date <= as_of:
                event = TimelineEvent(
                    w.effective_date, code, "Withdrawal takes effect", upcoming=w.effective_date > as_of
                )
                events.append(event)
        for row in prof.deadlines:
            for ext in row.extensions:
                if ext.granted_on <= as_of:
                    events.append(
                        TimelineEvent(
                            ext.granted_on,
                            code,
                            f"Art. {row.obligation.article} deadline extended",
                            f"New deadline {_d(ext.new_deadline)} ({ext.meeting}). {ext.notes}".strip(),
                            footnotes.cite(ext.source_urls),
                        )
                    )
            done = row.completion
            if done is not None:
                events.extend(_completion_events(done, row, code, as_of, footnotes))
    events.sort(key=lambda e: (e.when, e.treaty_code))
    return events


def _completion_events(
    done: Any, row: Any, code: str, as_of: date, footnotes: "Footnotes"
) -> list[TimelineEvent]:
    """A completion's events, each on the last day its period allows (the day it is certainly
    done), labelled with the precision the source gives: "completed in 2006", never a day."""
    article = f"Art. {row.obligation.article}"
    cited = footnotes.cite(done.source_urls)
    note = " ".join(filter(None, [done.status_note, done.notes]))
    unconfirmed = bool(done.unverified_fields)
    if done.kind == "not_applicable":
        when = PartialDate.parse(done.reported_on).last_day if done.reported_on else None
        if when is None or when > as_of:
            return []
        return [
            TimelineEvent(
                when,
                code,
                f"{article} declared not applicable",
                note,
                cited,
                unconfirmed,
                when_iso=done.reported_on,
            )
        ]
    events = []
    fact = completion_fact(done)
    period = fact.period
    if period is not None and period.end <= as_of:
        if done.completed_on:
            what = f"completed {_words(done.completed_on)}"
            if done.reported_on:
                what += f" (reported {_words(done.reported_on)})"
        else:
            what = (
                f"completion reported {_words(done.reported_on)}; the day it was completed is not on record"
            )
        shown = done.completed_on or done.reported_on
        events.append(
            TimelineEvent(period.end, code, f"{article} {what}", note, cited, unconfirmed, when_iso=shown)
        )
    if fact.reopened_on is not None and fact.reopened_on.first_day <= as_of:
        events.append(
            TimelineEvent(
                fact.reopened_on.first_day,
                code,
                f"{article} re-opened {_words(done.reopened_on)}",
                "Newly found stocks or mined areas re-opened the obligation.",
                cited,
                unconfirmed,
                when_iso=done.reopened_on,
            )
        )
    if fact.second_completed_on is not None and fact.second_completed_on.last_day <= as_of:
        events.append(
            TimelineEvent(
                fact.second_completed_on.last_day,
                code,
                f"{article} completed again {_words(done.second_completed_on)}",
                "",
                cited,
                unconfirmed,
                when_iso=done.second_completed_on,
            )
        )
    return events


def _words(value: str) -> str:
    partial = PartialDate.parse(value)
    return f"{'on' if partial.precision is Precision.DAY else 'in'} {partial.label}"


def _policy(country: Country, prof: TreatyProfile, as_of: date, footnotes: Footnotes) -> list[Sentence]:
    # A State that withdrew and joined again: the participation that holds on the day.
    p, name, treaty = prof.participation.on(as_of), country.name, prof.treaty.short_name
    out: list[Sentence] = []
    if prof.status is ParticipationStatus.NOT_YET_ADOPTED:
        adopted = _d(prof.treaty.adopted_on)
        return [Sentence(f"The {treaty} did not yet exist on {_d(as_of)}: it was adopted on {adopted}.")]
    if prof.status is ParticipationStatus.DID_NOT_EXIST and country.exists_from is not None:
        text = f"{name} did not exist on {_d(as_of)}; it exists from {_d(country.exists_from)}"
        text += f" ({country.exists_from_basis})." if country.exists_from_basis else "."
        if country.exists_from_source:
            text += f" Source: {country.exists_from_source}."
        return [Sentence(text)]
    sig = p.signature if p.signature and _by(p.signature.action_date, as_of) else None
    consent = p.consent if p.consent and p.consent.action_date and p.consent.action_date <= as_of else None
    undated = p.consent if p.consent and p.consent.action_date is None else None
    if undated is not None and undated.known_by is not None:
        listed = _d(undated.known_by)
        if prof.status is ParticipationStatus.UNKNOWN:
            text = (
                f"Whether {name} was bound by the {treaty} on {_d(as_of)} is unknown: its consent to "
                f"be bound is on record, its date is not (a source lists it as bound on {listed})."
            )
        else:
            text = (
                f"{name} is bound by the {treaty}; the date of its consent is not on record (a source "
                f"lists it as bound on {listed}), so its entry into force is not on record either."
            )
        out.append(Sentence(text, footnotes.cite(undated.source_urls), bool(undated.unverified_fields)))
    elif consent:
        verb = _CONSENT_VERB.get(consent.consent_type, "consented to")
        text = f"{name} {verb} the {treaty} on {_d(consent.action_date)}"
        if sig:
            text = f"{name} signed the {treaty} on {_d(sig.action_date)}"
            text += f" and {verb} it on {_d(consent.action_date)}"
        if p.entry_into_force:
            tense = "entered" if p.entry_into_force <= as_of else "enters"
            text += f"; the Convention {tense} into force for it on {_d(p.entry_into_force)}"
        cited = [*(sig.source_urls if sig else []), *consent.source_urls]
        out.append(Sentence(text + ".", footnotes.cite(cited), bool(consent.unverified_fields)))
    elif sig:
        out.append(
            Sentence(
                f"{name} signed the {treaty} on {_d(sig.action_date)} but has not consented to be bound.",
                footnotes.cite(sig.source_urls),
                bool(sig.unverified_fields),
            )
        )
    elif prof.status.not_joined:
        out.append(Sentence(f"{name} has not joined the {treaty}."))
    for action in p.other_actions:
        if _by(action.action_date, as_of) and (action.text or action.notes):
            out.append(
                Sentence(
                    f"{action.get_kind_display()} of {_d(action.action_date)}: {action.text or action.notes}",
                    footnotes.cite(action.source_urls),
                    bool(action.unverified_fields),
                )
            )
    w = p.withdrawal
    if w and _by(w.action_date, as_of):
        text = f"{name} notified its withdrawal on {_d(w.action_date)}"
        if w.effective_date:
            tense = "took" if w.effective_date <= as_of else "takes"
            text += f"; it {tense} effect on {_d(w.effective_date)}"
        elif w.effective_date_pending_reason:
            text += f"; the effective date is not yet determined ({w.effective_date_pending_reason})"
        if w.notes:
            text += f". {w.notes}"
        out.append(Sentence(text.rstrip(".") + ".", footnotes.cite(w.source_urls), bool(w.unverified_fields)))
    return out


def _obligation_sentences(prof: TreatyProfile, kind: ObligationKind, footnotes: Footnotes) -> list[Sentence]:
    out = []
    for row in prof.deadlines:
        if row.obligation.kind != kind:
            continue
        text = (
            f"{prof.treaty.short_name}, Art. {row.obligation.article} ({row.obligation.title.lower()}): "
            f"deadline {_d(row.original_deadline)}"
        )
        if row.current_deadline != row.original_deadline:
            text += f", extended to {_d(row.current_deadline)}"
        text += f"; status: {STATUS_LABELS.get(row.status, row.status.replace('_', ' ')).lower()}."
        cited: list[str] = []
        for ext in row.extensions:
            cited += list(ext.source_urls or [])
        if row.completion is not None:
            if row.completion.notes:
                text += f" {row.completion.notes}"
            cited += list(row.completion.source_urls or [])
        out.append(Sentence(text, footnotes.cite(cited)))
    return out


def narrative(
    country: Country, profiles: list[TreatyProfile], *, as_of: date, footnotes: Footnotes
) -> list[NarrativeSection]:
    policy = NarrativeSection("policy", "Policy")
    production = NarrativeSection("production", "Production")
    stockpiles = NarrativeSection("stockpiles", "Stockpiles")
    use = NarrativeSection("use", "Use")
    contamination = NarrativeSection("contamination", "Contamination and clearance")
    for prof in profiles:
        policy.sentences += _policy(country, prof, as_of, footnotes)
        stockpiles.sentences += _obligation_sentences(prof, ObligationKind.STOCKPILE_DESTRUCTION, footnotes)
        contamination.sentences += _obligation_sentences(prof, ObligationKind.CLEARANCE, footnotes)
        if prof.status is ParticipationStatus.WITHDRAWN:
            use.sentences.append(
                Sentence(f"No longer bound by the {prof.treaty.short_name}'s prohibition on use.")
            )
    return [policy, production, stockpiles, use, contamination]
