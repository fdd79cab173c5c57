"""Every write to participation records goes through here.

The admin, the API, the import command and the tests call the same functions: each
validates against the treaty's rules and what is already on record, saves inside a
transaction, attributes the change, and asks for the State's obligations to be recomputed.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from mineban import changes, clock
from mineban.cache import data_changed
from mineban.concurrency import state_lock
from mineban.recompute import recompute_request
from mineban.records import User, check_fields, record_delete, record_write, sources_touched
from mineban.rules.participation import (
    OnRecord,
    consent_errors,
    existence_errors,
    sequence_error,
    signature_errors,
    withdrawal_errors,
)
from mineban.rules.withdrawal import withdrawal_effective
from states.models import Country, DepositaryAction, Treaty
from states.selectors import treaty_terms

Kind = DepositaryAction.Kind

EDITABLE_FIELDS = (
    "action_date",
    "known_by",
    "consent_type",
    "effective_date",
    "effective_date_pending_reason",
    "text",
    "depositary_reference",
    "source_citation",
    "source_urls",
    "notes",
    "unverified_fields",
)


def _others(action: DepositaryAction) -> list[DepositaryAction]:
    """The State's other signatures, instruments and withdrawals under the same treaty."""
    actions = DepositaryAction.objects.filter(
        country_id=action.country_id,
        treaty_id=action.treaty_id,
        kind__in=[Kind.SIGNATURE, Kind.CONSENT, Kind.WITHDRAWAL],
    )
    if action.pk is not None:
        actions = actions.exclude(pk=action.pk)
    return sorted(actions, key=lambda a: (a.action_date or date.max, a.pk))


def _on_record(action: DepositaryAction, others: list[DepositaryAction]) -> OnRecord:
    """What is on record, seen from the participation ``action`` belongs to: a State that
    withdrew may join again, and each participation has its own instrument and withdrawal."""
    signature = next((a.action_date for a in others if a.kind == Kind.SIGNATURE), None)
    consents = [a for a in others if a.kind == Kind.CONSENT]
    notices = [a.action_date for a in others if a.kind == Kind.WITHDRAWAL and a.action_date is not None]
    when = action.action_date
    if action.kind == Kind.CONSENT and when is not None:
        if any(c.action_date is not None and c.action_date < when for c in consents):
            return OnRecord(rejoining=True)
        return OnRecord(signature=signature, withdrawal_notice=min(notices, default=None))
    consent = consents[0] if consents else None
    if action.kind == Kind.WITHDRAWAL and when is not None:
        # The instrument the notice withdraws: the latest deposited by then.
        consent = next((c for c in reversed(consents) if c.action_date and c.action_date <= when), consent)
    return OnRecord(
        signature=signature,
        consent=consent.action_date if consent else None,
        consent_type=consent.consent_type if consent else None,
        withdrawal_notice=min(notices, default=None),
    )


def _undated_consent_errors(action: DepositaryAction, today: date) -> dict[str, str]:
    """An instrument whose date is not on record: only what its ``known_by`` date can tell."""
    assert action.known_by is not None  # the model's constraint says so
    if action.known_by > today:
        return {"known_by": f"A source cannot have listed it in the future ({action.known_by.isoformat()})."}
    errors = existence_errors(action.country.exists_from, action.country.exists_from_basis, action.known_by)
    return {"known_by": errors["action_date"]} if errors else {}


def _rule_errors(action: DepositaryAction, today: date) -> dict[str, str]:
    if action.action_date is None:
        return _undated_consent_errors(action, today)
    existence = existence_errors(
        action.country.exists_from, action.country.exists_from_basis, action.action_date
    )
    if existence:
        return existence
    terms = treaty_terms(action.treaty)
    on_record = _on_record(action, _others(action))
    if action.kind == Kind.SIGNATURE:
        return signature_errors(terms, on_record, action.action_date, today)
    if action.kind == Kind.CONSENT:
        return consent_errors(
            terms, on_record, action.action_date, action.consent_type, action.effective_date, today
        )
    if action.kind == Kind.WITHDRAWAL:
        return withdrawal_errors(
            terms,
            on_record,
            action.action_date,
            action.effective_date,
            action.effective_date_pending_reason,
            today,
        )
    if action.action_date > today:
        return {"action_date": f"An action cannot be dated in the future ({action.action_date})."}
    return {}


def _before_treaty_error(action: DepositaryAction) -> str | None:
    """No action under a treaty precedes its opening for signature (Art. 15 APMBC, Art. 15
    CCM): an accession or succession dated earlier is a typo, and would make the State a
    party from the treaty's own entry into force."""
    treaty = action.treaty
    opened = treaty.opened_for_signature_on or treaty.adopted_on
    # A signature's window (opening and closing) is the rules' own check.
    if action.kind == Kind.SIGNATURE or action.action_date is None or action.action_date >= opened:
        return None
    return (
        f"{treaty.code} opened for signature on {opened.isoformat()}; no action under it can be dated "
        f"earlier ({action.action_date.isoformat()})."
    )


def _sequence_error(action: DepositaryAction) -> tuple[str, str] | None:
    """One signature per State and treaty; one instrument and one withdrawal per
    participation, and a new participation only after the withdrawal took effect. Returns
    the field and the message."""
    if action.kind not in (Kind.SIGNATURE, Kind.CONSENT, Kind.WITHDRAWAL) or not (
        action.country_id and action.treaty_id
    ):
        return None
    others = _others(action)
    same = [a for a in others if a.kind == action.kind]
    if not same:
        return None
    dated = same[0].action_date.isoformat() if same[0].action_date else "date not on record"
    duplicate = (
        "kind",
        f"{action.country.iso3} already has a {Kind(action.kind).label.lower()} for "
        f"{action.treaty.code} on record (dated {dated}).",
    )
    consents = [a for a in [*others, action] if a.kind == Kind.CONSENT]
    withdrawals = [a for a in [*others, action] if a.kind == Kind.WITHDRAWAL]
    if action.kind == Kind.SIGNATURE or any(c.action_date is None for c in consents):
        return duplicate
    problem = sequence_error(
        [c.action_date for c in consents if c.action_date is not None],
        [(w.action_date, w.effective_date) for w in withdrawals if w.action_date is not None],
    )
    if not problem:
        return None
    # No withdrawal to join again after, or more withdrawals than participations: a duplicate.
    if (action.kind == Kind.CONSENT and len(withdrawals) == 0) or (
        action.kind == Kind.WITHDRAWAL and len(withdrawals) > len(consents)
    ):
        return duplicate
    return "action_date", problem


def _validate(action: DepositaryAction, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if action.action_date is None and (action.kind != Kind.CONSENT or action.known_by is None):
        raise ValidationError(
            {
                "action_date": [
                    "A date is required. Only an instrument of consent whose date is not on record "
                    "may leave it empty, giving instead the date a source listed it (known_by)."
                ]
            }
        )
    if action.action_date is not None and action.known_by is not None:
        raise ValidationError({"known_by": ["Only an instrument whose date is not on record has known_by."]})
    sequence = _sequence_error(action)
    if sequence:
        raise ValidationError({sequence[0]: [sequence[1]]})
    try:
        action.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors:  # the rules need well-formed values to reason about
        before_treaty = _before_treaty_error(action)
        rule_errors = {"action_date": before_treaty} if before_treaty else _rule_errors(action, today)
        for name, message in rule_errors.items():
            errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _fill_withdrawal_effective(action: DepositaryAction) -> None:
    if (
        action.kind == Kind.WITHDRAWAL
        and action.action_date is not None
        and action.effective_date is None
        and not action.effective_date_pending_reason
        and action.treaty_id is not None
    ):
        action.effective_date = withdrawal_effective(
            action.action_date, action.treaty.withdrawal_notice_months
        )


@transaction.atomic
def depositary_action_record(
    *,
    country: Country,
    treaty: Treaty,
    kind: str,
    action_date: date | None,
    user: User = None,
    today: date | None = None,
    restoring: int | None = None,
    **fields: Any,
) -> DepositaryAction:
    """Record a signature, instrument of consent, withdrawal or other depositary action.

    A withdrawal with neither an effective date nor a reason for its absence takes effect
    on the date Art. 20(3) gives. ``restoring`` is the id of a deleted action brought back
    (see ``depositary_action_restore``), so that its history continues under one id.
    """
    check_fields(fields, EDITABLE_FIELDS)
    # One writer per State at a time: validated against what the previous one committed.
    state_lock(country_id=country.pk)
    action = DepositaryAction(
        id=restoring, country=country, treaty=treaty, kind=kind, action_date=action_date, **fields
    )
    _fill_withdrawal_effective(action)
    _validate(action, today or clock.today())
    record_write(action, user=user, cite=True, reason=fields.get("source_citation") or None)
    recompute_request(country_id=country.pk, treaty_id=treaty.pk)
    return action


@transaction.atomic
def depositary_action_update(
    *, action: DepositaryAction, user: User = None, today: date | None = None, **fields: Any
) -> DepositaryAction:
    """Change an action's facts; kind, State and treaty stay as they are."""
    check_fields(fields, EDITABLE_FIELDS)
    # Lock the State, then read the action again: two editors saving at once (this action,
    # or another of the State's, e.g. its signature and its consent) must not interleave
    # validation and write.
    state_lock(country_id=action.country_id)
    locked = DepositaryAction.objects.select_for_update().get(pk=action.pk)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, fields[name])
    _validate(locked, today or clock.today())
    record_write(locked, user=user, cite=sources_touched(changed))
    recompute_request(country_id=locked.country_id, treaty_id=locked.treaty_id)
    return locked


@transaction.atomic
def depositary_action_delete(*, action: DepositaryAction, user: User = None) -> None:
    """Delete an action (history keeps it, so it can be restored).

    A signature or consent that later actions rest on cannot go first; the State is locked
    so that an instrument recorded meanwhile is seen.
    """
    state_lock(country_id=action.country_id)
    locked = DepositaryAction.objects.select_for_update().get(pk=action.pk)
    dependants = {
        Kind.SIGNATURE: [Kind.CONSENT],
        Kind.CONSENT: [Kind.WITHDRAWAL],
    }.get(Kind(locked.kind), [])
    resting = DepositaryAction.objects.filter(
        country_id=locked.country_id, treaty_id=locked.treaty_id, kind__in=dependants
    )
    if locked.kind == Kind.CONSENT and locked.action_date is not None:
        # Only the withdrawal from this participation rests on it, not one from an earlier one.
        resting = resting.filter(action_date__gte=locked.action_date)
    if dependants and resting.exists():
        raise ValidationError(
            {"kind": f"Delete the {' and '.join(dependants)} first: it rests on this {locked.kind}."}
        )
    country_id, treaty_id = locked.country_id, locked.treaty_id
    record_delete(locked, user=user)
    recompute_request(country_id=country_id, treaty_id=treaty_id)


@transaction.atomic
def depositary_action_revert(
    *, action: DepositaryAction, history_id: int, user: User = None, today: date | None = None
) -> DepositaryAction:
    """Put an action's facts back as they were in one of its earlier versions."""
    facts = changes.version_facts(DepositaryAction, action.pk, history_id, EDITABLE_FIELDS, "action")
    return depositary_action_update(action=action, user=user, today=today, **facts)


@transaction.atomic
def depositary_action_restore(
    *, action_id: int, user: User = None, today: date | None = None
) -> DepositaryAction:
    """Bring back a deleted action as it was when deleted, under its id, if the rules allow."""
    deleted = changes.last_version_before_deletion(DepositaryAction, action_id, "depositary action")
    facts = {name: getattr(deleted, name) for name in EDITABLE_FIELDS if name != "action_date"}
    return depositary_action_record(
        country=deleted.country,
        treaty=deleted.treaty,
        kind=deleted.kind,
        action_date=deleted.action_date,
        user=user,
        today=today,
        restoring=action_id,
        **facts,
    )


@transaction.atomic
def country_existence_set(*, country: Country, exists_from: date | None, basis: str, source: str) -> bool:
    """Say from which day a State existed (or could join treaties). Refused if an action on
    record is dated before it. Returns whether anything changed."""
    values = {"exists_from": exists_from, "exists_from_basis": basis, "exists_from_source": source}
    state_lock(country_id=country.pk)
    locked = Country.objects.select_for_update().get(pk=country.pk)
    if all(getattr(locked, name) == value for name, value in values.items()):
        return False
    if exists_from is not None:
        before = Q(action_date__lt=exists_from) | Q(action_date__isnull=True, known_by__lt=exists_from)
        earlier = DepositaryAction.objects.filter(before, country=locked).select_related("treaty").first()
        if earlier is not None:
            dated = earlier.action_date or earlier.known_by
            raise ValidationError(
                {
                    "exists_from": (
                        f"{locked.iso3}'s {earlier.treaty.code} {earlier.kind} on record is dated "
                        f"{dated}, before {exists_from.isoformat()}."
                    )
                }
            )
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    for name, value in values.items():
        setattr(country, name, value)
    return True


def treaty_terms_changed(*, treaty: Treaty) -> int:
    """A treaty's parameters changed (entry-into-force rule, an obligation's period, the
    reporting day...): every State with a record under it is recomputed after commit.
    Returns how many States were asked for. (An obligation is owed only by a State with an
    instrument on record, so the depositary record names them all.)"""
    country_ids = sorted(
        set(DepositaryAction.objects.filter(treaty=treaty).values_list("country_id", flat=True))
    )
    for country_id in country_ids:
        recompute_request(country_id=country_id, treaty_id=treaty.pk)
    # The treaty page shows the terms themselves, whichever States they affect.
    data_changed()
    return len(country_ids)
