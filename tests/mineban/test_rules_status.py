"""A State's status on a date when the State, the treaty or the consent's date is not there
(pure rules, no database). The dates are South Sudan's, the CCM's and CCW APII's."""

from datetime import date

from mineban.rules.participation import existence_errors, sequence_error
from mineban.rules.status import (
    ParticipationFacts,
    ParticipationStatus,
    count_statuses,
    participation_on,
    status_on,
    treaty_adopted,
)

SOUTH_SUDAN = date(2011, 7, 9)
CCM_ADOPTED = date(2008, 5, 30)
# South Sudan's APMBC succession: deposited 2011-11-11, effective from independence.
SUCCESSION = ParticipationFacts(
    consent=date(2011, 11, 11), entry_into_force=SOUTH_SUDAN, state_exists_from=SOUTH_SUDAN
)
# A CCW APII party on the roster without a consent date, seen on 2026-11-22.
UNDATED = ParticipationFacts(consent_known_by=date(2026, 11, 22))


def test_a_state_did_not_exist_the_day_before_its_independence():
    assert status_on(SUCCESSION, date(2011, 7, 8)) is ParticipationStatus.DID_NOT_EXIST
    assert status_on(SUCCESSION, SOUTH_SUDAN) is ParticipationStatus.STATE_PARTY


def test_a_state_with_no_action_is_not_signed_only_once_it_exists():
    facts = ParticipationFacts(state_exists_from=SOUTH_SUDAN)
    assert status_on(facts, date(2000, 7, 1)) is ParticipationStatus.DID_NOT_EXIST
    assert status_on(facts, date(2011, 7, 9)) is ParticipationStatus.NOT_SIGNED


def test_under_a_treaty_with_no_signature_stage_a_state_that_has_not_joined_is_not_a_party():
    facts = ParticipationFacts(state_exists_from=SOUTH_SUDAN, signature_stage=False)
    assert status_on(facts, date(2000, 7, 1)) is ParticipationStatus.DID_NOT_EXIST
    assert status_on(facts, SOUTH_SUDAN) is ParticipationStatus.NOT_A_PARTY
    assert ParticipationStatus.NOT_A_PARTY.label == "Not a party"
    joined = ParticipationFacts(
        consent=date(2012, 1, 1), entry_into_force=date(2012, 7, 1), signature_stage=False
    )
    assert status_on(joined, date(2011, 12, 31)) is ParticipationStatus.NOT_A_PARTY
    assert status_on(joined, date(2012, 1, 1)) is ParticipationStatus.CONSENTED
    counts = count_statuses([status_on(facts, SOUTH_SUDAN), status_on(joined, date(2012, 7, 1))])
    assert (counts.not_a_party, counts.not_signed, counts.states_parties) == (1, 0, 1)


def test_before_its_adoption_no_state_is_not_signed_to_a_treaty():
    facts = ParticipationFacts(treaty_adopted_on=CCM_ADOPTED, state_exists_from=SOUTH_SUDAN)
    assert status_on(facts, date(2000, 7, 1)) is ParticipationStatus.NOT_YET_ADOPTED
    assert status_on(facts, CCM_ADOPTED) is ParticipationStatus.DID_NOT_EXIST
    assert treaty_adopted(CCM_ADOPTED, date(2008, 5, 29)) is False
    assert treaty_adopted(None, date(1900, 1, 1)) is True


def test_a_consent_whose_date_is_not_on_record_is_unknown_before_it_was_seen_and_party_after():
    assert status_on(UNDATED, date(2000, 1, 1)) is ParticipationStatus.UNKNOWN
    assert status_on(UNDATED, date(2026, 11, 21)) is ParticipationStatus.UNKNOWN
    assert status_on(UNDATED, date(2026, 11, 22)) is ParticipationStatus.STATE_PARTY


def test_a_state_that_did_not_exist_is_not_unknown_either():
    facts = ParticipationFacts(consent_known_by=date(2026, 11, 22), state_exists_from=date(2006, 6, 3))
    assert status_on(facts, date(2000, 1, 1)) is ParticipationStatus.DID_NOT_EXIST


def test_counts_set_apart_the_states_that_did_not_exist_and_the_unknown():
    counts = count_statuses(
        [
            ParticipationStatus.DID_NOT_EXIST,
            ParticipationStatus.UNKNOWN,
            ParticipationStatus.UNKNOWN,
            ParticipationStatus.NOT_SIGNED,
            ParticipationStatus.STATE_PARTY,
        ]
    )
    assert (counts.not_signed, counts.states_parties, counts.consented) == (1, 1, 1)
    assert (counts.did_not_exist, counts.unknown, counts.treaty_adopted) == (1, 2, True)


def test_counts_before_adoption_are_zero_and_say_the_treaty_did_not_exist():
    counts = count_statuses([ParticipationStatus.NOT_YET_ADOPTED] * 3)
    assert counts.treaty_adopted is False
    assert (counts.not_signed, counts.did_not_exist, counts.unknown, counts.states_parties) == (0, 0, 0, 0)


def test_an_action_before_the_state_existed_is_refused_on_its_date():
    assert existence_errors(SOUTH_SUDAN, "independence", date(2011, 7, 8)) == {
        "action_date": "The State did not exist on 2011-07-08: it exists from 2011-07-09 (independence)."
    }
    assert existence_errors(SOUTH_SUDAN, "independence", SOUTH_SUDAN) == {}
    assert existence_errors(None, "", date(1900, 1, 1)) == {}


# --- Joining again after a withdrawal (made-up dates: no State has done it yet) -------------

FIRST = ParticipationFacts(
    consent=date(2004, 5, 12),
    entry_into_force=date(2004, 11, 1),
    withdrawal_notice=date(2025, 6, 27),
    withdrawal_effective=date(2025, 12, 27),
)
AGAIN = ParticipationFacts(consent=date(2026, 3, 2), entry_into_force=date(2026, 9, 1))


def test_the_participation_of_the_day_is_the_latest_deposited_by_then():
    assert participation_on([FIRST, AGAIN], date(2020, 1, 1)) is FIRST
    assert participation_on([FIRST, AGAIN], date(2026, 3, 1)) is FIRST
    assert participation_on([FIRST, AGAIN], date(2026, 3, 2)) is AGAIN
    assert participation_on([FIRST], date(2030, 1, 1)) is FIRST


def test_a_state_that_joins_again_is_withdrawn_then_waits_then_is_a_party_again():
    def status(day: date) -> ParticipationStatus:
        return status_on(participation_on([FIRST, AGAIN], day), day)

    assert status(date(2025, 7, 1)) is ParticipationStatus.WITHDRAWAL_PENDING
    assert status(date(2026, 1, 1)) is ParticipationStatus.WITHDRAWN
    assert status(date(2026, 3, 2)) is ParticipationStatus.CONSENTED
    assert status(date(2026, 9, 1)) is ParticipationStatus.STATE_PARTY


def test_a_new_instrument_needs_the_withdrawal_to_have_taken_effect():
    withdrawal = [(date(2025, 6, 27), date(2025, 12, 27))]
    assert sequence_error([date(2004, 5, 12), date(2026, 3, 2)], withdrawal) == ""
    assert sequence_error([date(2004, 5, 12), date(2025, 12, 27)], withdrawal) == ""
    assert sequence_error([date(2004, 5, 12), date(2025, 12, 1)], withdrawal) == (
        "A State joins again only once its withdrawal has taken effect (2025-12-27); "
        "the instrument is dated 2025-12-01."
    )
    assert sequence_error([date(2004, 5, 12), date(2026, 3, 2)], []) == (
        "The instrument of 2026-03-02 would be a second participation, but the one that began on "
        "2004-05-12 was not withdrawn from."
    )
    pending = [(date(2025, 6, 27), None)]
    assert "a date not yet determined" in sequence_error([date(2004, 5, 12), date(2026, 3, 2)], pending)


def test_a_participation_is_withdrawn_from_once():
    twice = [(date(2025, 6, 27), date(2025, 12, 27)), (date(2025, 7, 1), date(2026, 1, 1))]
    assert sequence_error([date(2004, 5, 12)], twice) == (
        "The participation that began on 2004-05-12 has two notices of withdrawal "
        "(2025-06-27 and 2025-07-01)."
    )
