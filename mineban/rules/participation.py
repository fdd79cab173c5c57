"""Which depositary actions are admissible, given what is already on record.

Each check returns ``{field: message}``; an empty dict means admissible. The service layer
turns these into a ``ValidationError`` so forms and the API show them per field.
"""

from dataclasses import dataclass
from datetime import date

from mineban.rules.terms import TreatyTerms
from mineban.rules.withdrawal import withdrawal_effective

RATIFICATION_LIKE = frozenset({"ratification", "acceptance", "approval"})
ACCESSION = "accession"
SUCCESSION = "succession"
# A treaty with no signature stage (a CCW protocol) is consented to directly.
CONSENT_TO_BE_BOUND = "consent"


@dataclass(frozen=True)
class OnRecord:
    """What the log already holds for one State and treaty, seen from the participation the
    action belongs to. ``rejoining``: an instrument after a withdrawal took effect (the State
    joins again; its old signature is spent)."""

    signature: date | None = None
    consent: date | None = None
    consent_type: str | None = None
    withdrawal_notice: date | None = None
    rejoining: bool = False


def _fmt(day: date) -> str:
    return day.isoformat()


def existence_errors(exists_from: date | None, basis: str, acted_on: date) -> dict[str, str]:
    """Nothing is done in the name of a State before it existed (or could join treaties)."""
    if exists_from is None or acted_on >= exists_from:
        return {}
    because = f" ({basis})" if basis else ""
    return {
        "action_date": (
            f"The State did not exist on {_fmt(acted_on)}: it exists from {_fmt(exists_from)}{because}."
        )
    }


def signature_errors(terms: TreatyTerms, on_record: OnRecord, signed_on: date, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if terms.signature_opens is None:
        return {"kind": f"{terms.code} has no signature stage: a State consents to be bound by it directly."}
    if signed_on > today:
        errors["action_date"] = f"A signature cannot be dated in the future ({_fmt(signed_on)})."
    elif terms.signature_opens and signed_on < terms.signature_opens:
        errors["action_date"] = (
            f"{terms.code} opened for signature on {_fmt(terms.signature_opens)}; "
            f"{_fmt(signed_on)} is before that."
        )
    elif terms.signature_closes and signed_on > terms.signature_closes:
        errors["action_date"] = (
            f"{terms.code} was open for signature until {_fmt(terms.signature_closes)}; "
            f"after that a State can only accede."
        )
    if on_record.consent and signed_on > on_record.consent:
        errors["action_date"] = (
            f"The signature ({_fmt(signed_on)}) cannot follow the instrument of consent "
            f"deposited on {_fmt(on_record.consent)}."
        )
    if on_record.consent_type == ACCESSION:
        errors["action_date"] = "This State acceded; a State that signed cannot accede."
    return errors


def consent_errors(
    terms: TreatyTerms,
    on_record: OnRecord,
    deposited_on: date,
    consent_type: str,
    effective_date: date | None,
    today: date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if deposited_on > today:
        errors["action_date"] = f"A deposit cannot be dated in the future ({_fmt(deposited_on)})."
    elif on_record.signature and deposited_on < on_record.signature:
        errors["action_date"] = (
            f"The instrument ({_fmt(deposited_on)}) cannot precede the signature "
            f"of {_fmt(on_record.signature)}."
        )
    elif on_record.withdrawal_notice and deposited_on > on_record.withdrawal_notice:
        errors["action_date"] = "The instrument cannot follow the State's notice of withdrawal."
    if on_record.rejoining:
        joins = CONSENT_TO_BE_BOUND if terms.signature_opens is None else ACCESSION
        if consent_type not in (joins, SUCCESSION):
            errors["consent_type"] = f"A State that withdrew joins {terms.code} again by {joins}."
        return errors
    if terms.signature_opens is None:
        if consent_type not in (CONSENT_TO_BE_BOUND, SUCCESSION):
            errors["consent_type"] = (
                f"{terms.code} has no signature stage: a State consents to be bound (type "
                f"{CONSENT_TO_BE_BOUND!r}) or succeeds."
            )
    elif consent_type == CONSENT_TO_BE_BOUND:
        errors["consent_type"] = (
            f"{terms.code} is signed, then ratified, accepted or approved, or acceded to; "
            f"{CONSENT_TO_BE_BOUND!r} is for a treaty with no signature stage."
        )
    elif consent_type in RATIFICATION_LIKE and on_record.signature is None:
        errors["consent_type"] = (
            f"A {consent_type} requires a prior signature; a State that did not sign accedes."
        )
    elif consent_type == ACCESSION and on_record.signature is not None:
        errors["consent_type"] = (
            f"This State signed on {_fmt(on_record.signature)}: its instrument is a "
            "ratification, acceptance or approval, not an accession."
        )
    if consent_type == SUCCESSION and on_record.signature is not None:
        errors["consent_type"] = "A successor State does not sign; record the succession alone."
    if effective_date is not None and consent_type != SUCCESSION:
        errors["effective_date"] = (
            "Only a succession carries its own effective date; entry into force is computed from the deposit."
        )
    if effective_date is not None and effective_date > deposited_on:
        errors["effective_date"] = (
            "A succession takes effect from the date treaty relations passed to the State, "
            "which cannot be after the notification was deposited."
        )
    return errors


def withdrawal_errors(
    terms: TreatyTerms,
    on_record: OnRecord,
    notice_received: date,
    effective_date: date | None,
    pending_reason: str,
    today: date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if notice_received > today:
        errors["action_date"] = (
            f"A notice of withdrawal cannot be dated in the future ({_fmt(notice_received)})."
        )
    elif on_record.consent is None:
        errors["action_date"] = "Only a State that has consented to be bound can withdraw."
    elif notice_received < on_record.consent:
        errors["action_date"] = (
            f"The notice ({_fmt(notice_received)}) cannot precede the instrument of consent "
            f"deposited on {_fmt(on_record.consent)}."
        )
    earliest = withdrawal_effective(notice_received, terms.withdrawal_notice_months)
    if effective_date is not None and effective_date < earliest:
        errors["effective_date"] = (
            f"A withdrawal takes effect {terms.withdrawal_notice_months} months after the "
            f"notice is received, on {_fmt(earliest)} at the earliest."
        )
    if effective_date is not None and pending_reason:
        errors["effective_date_pending_reason"] = (
            "Give either the effective date or the reason it is not yet determined, not both."
        )
    return errors


def sequence_error(consents: list[date], withdrawals: list[tuple[date, date | None]]) -> str:
    """A State may join again after its withdrawal took effect: each instrument of consent
    after the first needs the withdrawal of the participation before it, effective on or
    before the new deposit; each participation is withdrawn from at most once. ``withdrawals``
    are (notice received, effective date or ``None`` if not yet determined). Returns the
    first problem found, or ``""``."""
    consents = sorted(consents)
    for index, began in enumerate(consents):
        following = consents[index + 1] if index + 1 < len(consents) else None
        own = sorted(w for w in withdrawals if w[0] >= began and (following is None or w[0] < following))
        if len(own) > 1:
            return (
                f"The participation that began on {_fmt(began)} has two notices of withdrawal "
                f"({_fmt(own[0][0])} and {_fmt(own[1][0])})."
            )
        if following is None:
            continue
        if not own:
            return (
                f"The instrument of {_fmt(following)} would be a second participation, but the one "
                f"that began on {_fmt(began)} was not withdrawn from."
            )
        effective = own[0][1]
        if effective is None or effective > following:
            when = _fmt(effective) if effective else "a date not yet determined"
            return (
                f"A State joins again only once its withdrawal has taken effect ({when}); the "
                f"instrument is dated {_fmt(following)}."
            )
    return ""
