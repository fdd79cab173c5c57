"""Extensions and requests refer to the meeting on record that their meeting code names, also
when the meeting is recorded after them, and lose the reference when it is deleted. The
meeting and the facts here are made up (``TEST_SOURCE``); the States and treaty are real."""

from datetime import date

import pytest
from django.utils import timezone

from mineban.models import RecomputeRequest
from obligations import services
from obligations.models import Extension, ExtensionRequest, Obligation
from states import policy
from states.models import Meeting, Treaty
from tests.conftest import TEST_SOURCE

TODAY = date(2026, 11, 30)
CODE = "TEST-MSP"
pytestmark = pytest.mark.django_db


def test_a_meeting_recorded_later_is_linked_and_lends_its_days_to_an_undated_request(editor):  # type: ignore[no-untyped-def]
    art5 = Obligation.objects.get(country__iso3="TJK", terms__code="art5")
    extension = services.extension_grant(
        obligation=art5, meeting=CODE.lower(), granted_on=date(2025, 12, 5), new_deadline=date(2027, 1, 31),
        source_citation=TEST_SOURCE,
    )  # fmt: skip
    request = services.extension_request_record(
        obligation=Obligation.objects.get(country__iso3="ZWE", terms__code="art5"),
        outcome="pending", meeting=CODE, submitted_on=date(2026, 3, 31), source_citation=TEST_SOURCE,
    )  # fmt: skip
    assert extension.decision_meeting is None
    assert (request.decision_meeting, request.meeting_closes_on) == (None, None)
    RecomputeRequest.objects.filter(country__iso3="ZWE").update(processed_at=timezone.now())

    meeting = policy.record(
        policy.MEETING, treaty=Treaty.objects.get(code="APMBC"), code=CODE, name="A made-up meeting",
        kind="msp", start_date=date(2026, 11, 16), end_date=date(2026, 11, 20), source_citation=TEST_SOURCE,
        today=TODAY, user=editor,
    )  # fmt: skip

    extension.refresh_from_db()
    request.refresh_from_db()
    assert extension.decision_meeting == meeting
    assert (request.decision_meeting, request.meeting_opens_on, request.meeting_closes_on) == (
        meeting, date(2026, 11, 16), date(2026, 11, 20)
    )  # fmt: skip
    # The request's decision day changed: Zimbabwe's deadlines are recomputed.
    assert RecomputeRequest.objects.filter(country__iso3="ZWE", processed_at__isnull=True).count() == 1

    policy.delete(policy.MEETING, meeting, user=editor)
    assert Extension.objects.get(pk=extension.pk).decision_meeting is None
    policy.restore(policy.MEETING, meeting.pk, user=editor, today=TODAY)
    assert Extension.objects.get(pk=extension.pk).decision_meeting_id == meeting.pk
    assert ExtensionRequest.objects.get(pk=request.pk).decision_meeting_id == meeting.pk


def test_a_meeting_saved_again_changes_nothing():
    meeting = Meeting.objects.get(treaty__code="APMBC", code="22MSP")
    linked = Extension.objects.filter(decision_meeting=meeting).count()
    assert linked > 0
    assert services.meeting_links_refresh(meeting=meeting) == 0
    assert Extension.objects.filter(decision_meeting=meeting).count() == linked
