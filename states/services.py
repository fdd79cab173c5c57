"""Every write to participation records goes through here.

The admin, the API, the import command and the tests call the same functions: each
validates against the treaty's rules and what is already on record, saves inside a
transaction, attributes the change, and asks for the State's obligations to be recomputed.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mineban import changes, clock
from mineban.concurrency import state_lock
from mineban.recompute import recompute_request
from mineban.records import User, attributed, check_fields
from mineban.rules.participation import (
    OnRecord,
    consent_errors,
    signature_errors,
    withdrawal_errors,
)
from mineban.rules.withdrawal import withdrawal_effective
from states.models import Country, DepositaryAction, Treaty
from states.selectors import treaty_terms

Kind = DepositaryAction.Kind

EDITABLE_FIELDS = (
    "action_date",
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


def _on_record(country: Country, treaty: Treaty, *, excluding: int | None = None) -> OnRecord:
    actions = DepositaryAction.objects.filter(
        country=country, treaty=treaty, kind__in=[Kind.SIGNATURE, Kind.CONSENT, Kind.WITHDRAWAL]
    )
    if excluding is not None:
        actions = actions.exclude(pk=excluding)
    found = {a.kind: a for a in actions}
    consent = found.get(Kind.CONSENT)
    return OnRecord(
        signature=found[Kind.SIGNATURE].action_date if Kind.SIGNATURE in found else None,
        consent=consent.action_date if consent else None,
        consent_type=consent.consent_type if consent else None,
        withdrawal_notice=found[Kind.WITHDRAWAL].action_date if Kind.WITHDRAWAL in found else None,
    )


def _rule_errors(action: DepositaryAction, today: date) -> dict[str, str]:
    terms = treaty_terms(action.treaty)
    on_record = _on_record(action.country, action.treaty, excluding=action.pk)
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


def _duplicate_error(action: DepositaryAction) -> str | None:
    """One signature, consent and withdrawal per State and treaty: say so on ``kind``."""
    if action.kind not in (Kind.SIGNATURE, Kind.CONSENT, Kind.WITHDRAWAL) or not (
        action.country_id and action.treaty_id
    ):
        return None
    same = DepositaryAction.objects.filter(
        country_id=action.country_id, treaty_id=action.treaty_id, kind=action.kind
    )
    existing = same.exclude(pk=action.pk).first()
    if existing is None:
        return None
    return (
        f"{action.country.iso3} already has a {Kind(action.kind).label.lower()} for "
        f"{action.treaty.code} on record (dated {existing.action_date.isoformat()})."
    )


def _validate(action: DepositaryAction, today: date) -> None:
    duplicate = _duplicate_error(action)
    if duplicate:
        raise ValidationError({"kind": [duplicate]})
    errors: dict[str, list[str]] = {}
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
    action_date: date,
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
    action.created_by = action.updated_by = attributed(user)
    # simple-history only sees request.user inside a request; commands and tasks name theirs.
    action._history_user = action.updated_by  # type: ignore[attr-defined]
    action._change_reason = fields.get("source_citation") or None  # type: ignore[attr-defined]
    action.save()
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
    locked.updated_by = attributed(user)
    locked._history_user = locked.updated_by  # type: ignore[attr-defined]
    locked.save()
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
    if (
        dependants
        and DepositaryAction.objects.filter(
            country_id=locked.country_id, treaty_id=locked.treaty_id, kind__in=dependants
        ).exists()
    ):
        raise ValidationError(
            {"kind": f"Delete the {' and '.join(dependants)} first: it rests on this {locked.kind}."}
        )
    locked._history_user = attributed(user)  # type: ignore[attr-defined]
    country_id, treaty_id = locked.country_id, locked.treaty_id
    locked.delete()
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
    return len(country_ids)
