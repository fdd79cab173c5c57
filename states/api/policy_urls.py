"""Routes of the policy record API, under /api/v1/."""

from django.urls import path

from states.api import policy

urlpatterns = [
    *policy.policy_routes("meetings", "meeting", policy.MeetingViewSet),
    *policy.policy_routes("meeting-attendance", "meeting-attendance", policy.AttendanceViewSet),
    *policy.policy_routes("unga-resolutions", "unga-resolution", policy.ResolutionViewSet),
    *policy.policy_routes("unga-votes", "unga-vote", policy.VoteViewSet),
    *policy.policy_routes("policy-facts", "policy-fact", policy.PolicyFactViewSet),
    path("unga-voting-records/<str:iso3>/", policy.VotingRecordView.as_view(), name="api-unga-voting-record"),
]
