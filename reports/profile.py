"""A State's profile as prose: a timeline and narrative sections built from recorded facts,
with numbered footnotes pointing at each fact's sources (the way Landmine Monitor country
profiles cite theirs). Pure Python over what ``reports.listings.profile_treaties`` read.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format

from mineban.rules.precision import PartialDate
from mineban.rules.status import ParticipationStatus
from mineban.rules.terms import ObligationKind
from reports.listings import TreatyProfile
from states.models import Country, DepositaryAction

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


def _d(value: date) -> str:
    return date_format(value, "j F Y")


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
        shown = [a for a in p.actions if a.action_date <= as_of]
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
            events.append(TimelineEvent(action.action_date, code, title, detail, notes, unconfirmed, action))
        if p.entry_into_force and p.consent and p.consent.action_date <= as_of:
            events.append(
                TimelineEvent(
                    p.entry_into_force,
                    code,
                    "Entry into force",
                    f"Basis: {p.entry_into_force_basis}.",
                    upcoming=p.entry_into_force > as_of,
                )
            )
        if p.withdrawal and p.withdrawal.effective_date and p.withdrawal.action_date <= as_of:
            events.append(
                TimelineEvent(
                    p.withdrawal.effective_date,
                    code,
                    "Withdrawal takes effect",
                    upcoming=p.withdrawal.effective_date > as_of,
                )
            )
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
            # A completion known only by month or year is placed on the last day it allows.
            done_on = (done.completed_on or done.known_from) if done is not None else None
            if done is not None and done_on and done_on <= as_of:
                if done.kind == "not_applicable":
                    what = "declared not applicable"
                elif done.completed_on is None:
                    what = "completion on record by this date (the source gives no day)"
                else:
                    what = "completed"
                events.append(
                    TimelineEvent(
                        done_on,
                        code,
                        f"Art. {row.obligation.article} {what}",
                        " ".join(filter(None, [done.status_note, done.notes])),
                        footnotes.cite(done.source_urls),
                        bool(done.unverified_fields),
                    )
                )
    events.sort(key=lambda e: (e.when, e.treaty_code))
    return events


def _policy(country: Country, prof: TreatyProfile, as_of: date, footnotes: Footnotes) -> list[Sentence]:
    p, name, treaty = prof.participation, country.name, prof.treaty.short_name
    out: list[Sentence] = []
    sig = p.signature if p.signature and p.signature.action_date <= as_of else None
    consent = p.consent if p.consent and p.consent.action_date <= as_of else None
    if consent:
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
    else:
        out.append(Sentence(f"{name} has not joined the {treaty}."))
    for action in p.other_actions:
        if action.action_date <= as_of and (action.text or action.notes):
            out.append(
                Sentence(
                    f"{action.get_kind_display()} of {_d(action.action_date)}: {action.text or action.notes}",
                    footnotes.cite(action.source_urls),
                    bool(action.unverified_fields),
                )
            )
    w = p.withdrawal
    if w and w.action_date <= as_of:
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
        text += f"; status: {row.status.replace('_', ' ')}."
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
