"""Deadlines that can be extended (APMBC Art. 5, CCM Arts. 3-4) and their validation.

Art. 5(3): a State that will not finish in time may request an extension of "up to ten
years"; a Meeting of the States Parties or Review Conference decides (Art. 5(5)); requests
may be repeated (Art. 5(6)). Each grant gives a new deadline; the current deadline is the
latest granted one.
"""

from collections.abc import Sequence
from datetime import date

from mineban.rules.dates import add_months
from mineban.rules.facts import ExtensionFact
from mineban.rules.terms import ObligationTerms


def _fmt(day: date) -> str:
    return day.isoformat()


def granted_by(extensions: Sequence[ExtensionFact], as_of: date) -> list[ExtensionFact]:
    """The extensions decided on or before ``as_of``, oldest decision first."""
    return sorted((e for e in extensions if e.granted_on <= as_of), key=lambda e: e.granted_on)


def current_deadline(original: date, extensions: Sequence[ExtensionFact], as_of: date) -> date:
    """The deadline in force on ``as_of``: the latest decision's new deadline, else the original."""
    granted = granted_by(extensions, as_of)
    return granted[-1].new_deadline if granted else original


def extension_errors(
    terms: ObligationTerms,
    original: date,
    on_record: Sequence[ExtensionFact],
    proposed: ExtensionFact,
) -> dict[str, str]:
    """Whether ``proposed`` may be granted, given the extensions already on record.

    The deadline it extends is the one in force the day before its decision. The limit
    (``max_extension_months``, 120 for APMBC Art. 5) counts from that deadline, or from the
    decision itself when the decision comes after it: a State that missed its deadline, or
    whose obligation re-opened after a completion (newly found mined areas, the 7MSP
    procedure), is granted up to ten years from the decision, not from a deadline long past.
    """
    errors: dict[str, str] = {}
    if not terms.extendable or terms.max_extension_months is None:
        return {"new_deadline": f"The Art. {terms.article} deadline cannot be extended."}
    if proposed.requested_on is not None and proposed.granted_on < proposed.requested_on:
        errors["granted_on"] = (
            f"The decision ({_fmt(proposed.granted_on)}) cannot precede the request "
            f"({_fmt(proposed.requested_on)})."
        )
    others = [e for e in on_record if e != proposed]
    extended = current_deadline(
        original, [e for e in others if e.granted_on < proposed.granted_on], proposed.granted_on
    )
    if proposed.new_deadline <= extended:
        errors["new_deadline"] = (
            f"The new deadline ({_fmt(proposed.new_deadline)}) must be later than the deadline "
            f"it extends ({_fmt(extended)})."
        )
        return errors
    base = max(extended, proposed.granted_on)
    limit = add_months(base, terms.max_extension_months)
    if proposed.new_deadline > limit:
        errors["new_deadline"] = (
            f"An extension runs at most {terms.max_extension_months} months beyond "
            f"{_fmt(base)}: {_fmt(limit)} at the latest, not {_fmt(proposed.new_deadline)}."
        )
    return errors
