"""Which depositary actions are admissible (pure rules, no database)."""

from datetime import date

from mineban.rules.participation import OnRecord, consent_errors, signature_errors, withdrawal_errors
from mineban.rules.terms import EntryIntoForceRule, EntryIntoForceTerms, TreatyTerms

APMBC = TreatyTerms(
    code="APMBC",
    entry_into_force=EntryIntoForceTerms(40, EntryIntoForceRule.FIRST_DAY_OF_MONTH, 6),
    signature_opens=date(1997, 12, 3),
    signature_closes=date(1999, 2, 28),
)
TODAY = date(2026, 11, 22)
SIGNED = OnRecord(signature=date(1997, 12, 3))


def test_signature_inside_the_window_is_admissible():
    assert signature_errors(APMBC, OnRecord(), date(1999, 2, 28), TODAY) == {}


def test_signature_after_the_window_is_rejected():
    errors = signature_errors(APMBC, OnRecord(), date(1999, 3, 1), TODAY)
    assert errors == {
        "action_date": "APMBC was open for signature until 1999-02-28; after that a State can only accede."
    }


def test_signature_before_the_window_is_rejected():
    errors = signature_errors(APMBC, OnRecord(), date(1997, 12, 2), TODAY)
    assert errors["action_date"].startswith("APMBC opened for signature on 1997-12-03")


def test_ratification_without_signature_is_rejected():
    errors = consent_errors(APMBC, OnRecord(), date(2000, 1, 5), "ratification", None, TODAY)
    assert errors == {
        "consent_type": "A ratification requires a prior signature; a State that did not sign accedes."
    }


def test_accession_by_signatory_is_rejected():
    errors = consent_errors(APMBC, SIGNED, date(2000, 1, 5), "accession", None, TODAY)
    assert "This State signed on 1997-12-03" in errors["consent_type"]


def test_consent_before_signature_is_rejected():
    errors = consent_errors(APMBC, SIGNED, date(1997, 12, 2), "ratification", None, TODAY)
    assert errors["action_date"] == (
        "The instrument (1997-12-02) cannot precede the signature of 1997-12-03."
    )


def test_deposit_in_the_future_is_rejected():
    errors = consent_errors(APMBC, OnRecord(), date(2026, 11, 23), "accession", None, TODAY)
    assert errors == {"action_date": "A deposit cannot be dated in the future (2026-11-23)."}


def test_effective_date_only_for_succession():
    errors = consent_errors(APMBC, OnRecord(), date(2011, 11, 11), "accession", date(2011, 7, 9), TODAY)
    assert "Only a succession" in errors["effective_date"]
    assert consent_errors(APMBC, OnRecord(), date(2011, 11, 11), "succession", date(2011, 7, 9), TODAY) == {}


def test_withdrawal_by_a_state_that_never_consented_is_rejected():
    errors = withdrawal_errors(APMBC, SIGNED, date(2025, 6, 27), None, "", TODAY)
    assert errors == {"action_date": "Only a State that has consented to be bound can withdraw."}


def test_withdrawal_before_consent_is_rejected():
    on_record = OnRecord(consent=date(2004, 5, 12), consent_type="accession")
    errors = withdrawal_errors(APMBC, on_record, date(2004, 5, 1), None, "", TODAY)
    assert errors["action_date"].startswith("The notice (2004-05-01) cannot precede")


def test_withdrawal_effective_earlier_than_six_months_is_rejected():
    on_record = OnRecord(consent=date(2004, 5, 12), consent_type="accession")
    errors = withdrawal_errors(APMBC, on_record, date(2025, 6, 27), date(2025, 12, 26), "", TODAY)
    assert errors["effective_date"].endswith("on 2025-12-27 at the earliest.")


def test_withdrawal_postponed_by_armed_conflict_is_admissible_without_date():
    on_record = OnRecord(consent=date(2005, 12, 27), consent_type="ratification")
    assert (
        withdrawal_errors(APMBC, on_record, date(2025, 7, 18), None, "Art. 20(3): armed conflict", TODAY)
        == {}
    )


# A protocol with no signature stage (CCW Amended Protocol II): consented to directly.
APII = TreatyTerms(code="CCW-APII", entry_into_force=EntryIntoForceTerms(20, EntryIntoForceRule.SAME_DAY, 6))


def test_a_treaty_with_no_signature_stage_cannot_be_signed():
    assert signature_errors(APII, OnRecord(), date(1998, 1, 5), TODAY) == {
        "kind": "CCW-APII has no signature stage: a State consents to be bound by it directly."
    }


def test_a_treaty_with_no_signature_stage_takes_a_consent_to_be_bound_not_an_accession():
    assert consent_errors(APII, OnRecord(), date(1998, 1, 5), "consent", None, TODAY) == {}
    assert (
        "no signature stage"
        in consent_errors(APII, OnRecord(), date(1998, 1, 5), "accession", None, TODAY)["consent_type"]
    )
    assert (
        "no signature stage"
        in consent_errors(APMBC, SIGNED, date(1998, 1, 5), "consent", None, TODAY)["consent_type"]
    )
