"""API for the policy record: meetings, attendance and statements, UN General Assembly
resolutions and votes, and policy facts.

Anyone lists (filtered, paginated) and reads them and their history; editors record,
correct, delete, revert, restore and confirm them, each through ``states.policy``. The
lists take ``as_of``: what was on record by that day (a vote on a resolution adopted later,
a fact dated later, a meeting that had not ended are left out).
"""

from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mineban import changes as change_feed
from mineban.api import (
    CitedInputMixin,
    RecordViewSet,
    SourcedInputSerializer,
    SourcedOutputSerializer,
    StrictInputSerializer,
    parse_as_of,
    record_routes,
    records_schema,
)
from mineban.filters import YearFilter
from states import policy, policy_selectors
from states.api.fields import StateField, TreatyField
from states.models import Country, Meeting, MeetingAttendance, PolicyFact, UNGAResolution, UNGAVote

IDENTITY_MESSAGE = "This cannot be changed: delete the record and record a new one."
AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Answer as things stood on this date (default: today)."
)


# --- Shared pieces --------------------------------------------------------------------------------


class ConfirmInputSerializer(CitedInputMixin, StrictInputSerializer):
    source_citation = serializers.CharField(required=False, allow_blank=True)
    source_urls = serializers.ListField(child=serializers.URLField(), required=False)


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


class PolicyRecordFilter(django_filters.FilterSet):  # type: ignore[misc]
    """``unconfirmed=true``: only records with fields still unconfirmed (to review)."""

    unconfirmed = django_filters.BooleanFilter(method="filter_unconfirmed")

    def filter_unconfirmed(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.exclude(unverified_fields=[]) if value else queryset.filter(unverified_fields=[])

    def filter_states(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(**{f"{name}__in": _codes(value)})


class PolicyRecordViewSet(RecordViewSet):
    """A ``RecordViewSet`` whose services are ``states.policy``'s, for one ``kind``; plus
    ``confirm``, and ``as_of`` on lists."""

    kind: policy.RecordKind

    def filter_queryset(self, queryset: Any) -> Any:
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self.request.query_params.get("as_of"):
            queryset = self.on_record_by(queryset, parse_as_of(self.request.query_params["as_of"]))
        return queryset

    def on_record_by(self, queryset: Any, as_of: Any) -> Any:
        return queryset

    def creation(self, facts: dict[str, Any]) -> dict[str, Any]:
        """The service's arguments from the create input: the API's ``state`` is the model's
        ``country``."""
        if "state" in facts:
            facts["country"] = facts.pop("state")
        return facts

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        return policy.record(self.kind, user=user, **self.creation(facts))

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        return policy.update(self.kind, record, user=user, **facts)

    def record_delete(self, record: Any, user: Any) -> None:
        policy.delete(self.kind, record, user=user)

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        return policy.revert(self.kind, record, history_id, user=user)

    def record_restore(self, pk: int, user: Any) -> Any:
        return policy.restore(self.kind, pk, user=user)

    @property
    def input_serializer_class(self) -> Any:  # type: ignore[override]
        if getattr(self, "action", None) == "confirm":
            return ConfirmInputSerializer
        return super().input_serializer_class

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: int) -> Response:
        """Confirm the record's unconfirmed fields with a source (editors): the source is
        added to the record's and the flags are cleared."""
        given = self.given(request)
        record = policy.confirm(
            self.kind,
            self.get_object(),
            source_citation=given.get("source_citation", ""),
            source_urls=given.get("source_urls", []),
            user=request.user,
        )
        return self.answer(record)


def policy_routes(url_prefix: str, name: str, views: type[PolicyRecordViewSet]) -> list[URLPattern]:
    return [
        *record_routes(url_prefix, name, views),
        path(f"{url_prefix}/<int:pk>/confirm/", views.as_view({"post": "confirm"}), name=f"{name}-confirm"),
    ]


def policy_schema(prefix: str, create_input: Any, update_input: Any, output: Any) -> Any:
    """``records_schema`` and the ``confirm`` operation."""
    records = records_schema(prefix, create_input, update_input, output)
    confirm = extend_schema_view(
        confirm=extend_schema(
            operation_id=f"{prefix}_confirm", request=ConfirmInputSerializer, responses=output
        )
    )
    return lambda views: confirm(records(views))


# --- Meetings -------------------------------------------------------------------------------------


class MeetingFactsInputSerializer(SourcedInputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    documents = serializers.ListField(child=serializers.CharField(), required=False)


class MeetingCreateInputSerializer(CitedInputMixin, MeetingFactsInputSerializer):
    treaty = TreatyField(help_text="Treaty code, e.g. APMBC.")
    code = serializers.CharField(max_length=32, help_text='e.g. "10MSP" or "2RC".')


class MeetingUpdateInputSerializer(MeetingFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        return IDENTITY_MESSAGE if name in ("treaty", "code") else super().unknown_field_message(name)


class MeetingOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    treaty = serializers.CharField(source="treaty.code")
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    place = serializers.CharField()
    documents = serializers.ListField(child=serializers.CharField())


class MeetingFilter(PolicyRecordFilter):
    treaty = django_filters.CharFilter(
        field_name="treaty__code", lookup_expr="iexact", help_text="e.g. APMBC"
    )
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    code = django_filters.CharFilter(lookup_expr="iexact")
    year_from = YearFilter(field_name="start_date__year", lookup_expr="gte")
    year_to = YearFilter(field_name="start_date__year", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields: list[str] = []


@policy_schema(
    "meetings", MeetingCreateInputSerializer, MeetingUpdateInputSerializer, MeetingOutputSerializer
)
class MeetingViewSet(PolicyRecordViewSet):
    """Meetings of the States Parties, Review Conferences and intersessional meetings.
    ``as_of``: meetings that had begun by then."""

    kind = policy.MEETING
    queryset = Meeting.objects.select_related("treaty", "created_by", "updated_by").order_by(
        "treaty__position", "start_date", "code"
    )
    serializer_class = MeetingOutputSerializer
    create_input_class = MeetingCreateInputSerializer
    update_input_class = MeetingUpdateInputSerializer
    filterset_class = MeetingFilter
    change_source = change_feed.source_named("meeting")

    def on_record_by(self, queryset: Any, as_of: Any) -> Any:
        return queryset.filter(start_date__lte=as_of)


# --- Attendance and statements ---------------------------------------------------------------------


@extend_schema_field({"type": "string", "description": "The meeting's id or code"})
class MeetingField(serializers.Field):  # type: ignore[type-arg]
    """A meeting by its id, or by its code ("10MSP") when only one treaty has a meeting so coded."""

    default_error_messages = {
        "does_not_exist": "No meeting has the id or code {value}.",
        "ambiguous": "Several treaties have a meeting coded {value}: give its id.",
    }

    def to_internal_value(self, data: Any) -> Meeting:
        text = str(data).strip()
        found = list(
            Meeting.objects.select_related("treaty").filter(
                Q(pk=int(text)) if text.isdigit() else Q(code__iexact=text)
            )[:2]
        )
        if not found:
            self.fail("does_not_exist", value=text)
        if len(found) > 1:
            self.fail("ambiguous", value=text)
        return found[0]

    def to_representation(self, value: Meeting) -> Any:
        return value.pk


class AttendanceFactsInputSerializer(SourcedInputSerializer):
    attendance = serializers.ChoiceField(choices=MeetingAttendance.Attendance.choices)
    statement_kind = serializers.ChoiceField(
        choices=MeetingAttendance.StatementKind.choices, required=False, allow_blank=True
    )
    statement = serializers.CharField(required=False, allow_blank=True)


class AttendanceCreateInputSerializer(CitedInputMixin, AttendanceFactsInputSerializer):
    state = StateField(help_text="ISO 3166-1 alpha-3 code of the State.")
    meeting = MeetingField(help_text='The meeting\'s id, or its code, e.g. "10MSP".')


class AttendanceUpdateInputSerializer(AttendanceFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        return IDENTITY_MESSAGE if name in ("state", "meeting") else super().unknown_field_message(name)


class AttendanceOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    state = serializers.CharField(source="country.iso3")
    state_name = serializers.CharField(source="country.name")
    treaty = serializers.CharField(source="meeting.treaty.code")
    meeting = serializers.IntegerField(source="meeting.pk")
    meeting_code = serializers.CharField(source="meeting.code")
    meeting_start_date = serializers.DateField(source="meeting.start_date")
    meeting_end_date = serializers.DateField(source="meeting.end_date")
    attendance = serializers.CharField()
    statement_kind = serializers.CharField()
    statement = serializers.CharField()


class AttendanceFilter(PolicyRecordFilter):
    state = django_filters.CharFilter(
        field_name="country__iso3", method="filter_states", help_text="ISO3 codes, comma-separated."
    )
    treaty = django_filters.CharFilter(field_name="meeting__treaty__code", lookup_expr="iexact")
    meeting = django_filters.CharFilter(
        field_name="meeting__code", lookup_expr="iexact", help_text="e.g. 10MSP"
    )
    attendance = django_filters.ChoiceFilter(choices=MeetingAttendance.Attendance.choices)
    with_statement = django_filters.BooleanFilter(method="filter_with_statement")

    class Meta:
        model = MeetingAttendance
        fields: list[str] = []

    def filter_with_statement(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.exclude(statement="") if value else queryset.filter(statement="")


@policy_schema(
    "meeting_attendance",
    AttendanceCreateInputSerializer,
    AttendanceUpdateInputSerializer,
    AttendanceOutputSerializer,
)
class AttendanceViewSet(PolicyRecordViewSet):
    """A State's attendance at a meeting (as a State Party, an observer, or not at all) and
    its statement there (text or summary) with the source. ``as_of``: meetings that had ended."""

    kind = policy.ATTENDANCE
    queryset = MeetingAttendance.objects.select_related(
        "country", "meeting", "meeting__treaty", "created_by", "updated_by"
    ).order_by("meeting__start_date", "country__name", "id")
    serializer_class = AttendanceOutputSerializer
    create_input_class = AttendanceCreateInputSerializer
    update_input_class = AttendanceUpdateInputSerializer
    filterset_class = AttendanceFilter
    change_source = change_feed.source_named("meeting_attendance")

    def on_record_by(self, queryset: Any, as_of: Any) -> Any:
        return queryset.filter(meeting__end_date__lte=as_of)


# --- UN General Assembly resolutions -----------------------------------------------------------------


class ResolutionFactsInputSerializer(SourcedInputSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    adopted_on = serializers.DateField()
    in_favour = serializers.IntegerField(min_value=0)
    against = serializers.IntegerField(min_value=0)
    abstaining = serializers.IntegerField(min_value=0)


class ResolutionCreateInputSerializer(CitedInputMixin, ResolutionFactsInputSerializer):
    treaty = TreatyField(help_text="The treaty the resolution supports, e.g. APMBC.")
    symbol = serializers.CharField(max_length=32, help_text="e.g. A/RES/65/48")


class ResolutionUpdateInputSerializer(ResolutionFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        return IDENTITY_MESSAGE if name in ("treaty", "symbol") else super().unknown_field_message(name)


class TallySerializer(serializers.Serializer):  # type: ignore[type-arg]
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    absent = serializers.IntegerField()


class ResolutionOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    treaty = serializers.CharField(source="treaty.code")
    symbol = serializers.CharField()
    short_symbol = serializers.SerializerMethodField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    adopted_on = serializers.DateField()
    in_favour = serializers.IntegerField(help_text="As the UN record states.")
    against = serializers.IntegerField(help_text="As the UN record states.")
    abstaining = serializers.IntegerField(help_text="As the UN record states.")
    votes_counted = serializers.SerializerMethodField(help_text="Counted from the votes on record.")

    def get_short_symbol(self, resolution: UNGAResolution) -> str:
        return policy_selectors.resolution_rule(resolution).short

    @extend_schema_field(TallySerializer)
    def get_votes_counted(self, resolution: UNGAResolution) -> dict[str, int]:
        return {
            kind: getattr(resolution, f"counted_{kind}", 0) for kind in ("yes", "no", "abstain", "absent")
        }


class ResolutionFilter(PolicyRecordFilter):
    treaty = django_filters.CharFilter(
        field_name="treaty__code", lookup_expr="iexact", help_text="e.g. APMBC"
    )
    year_from = YearFilter(field_name="adopted_on__year", lookup_expr="gte")
    year_to = YearFilter(field_name="adopted_on__year", lookup_expr="lte")

    class Meta:
        model = UNGAResolution
        fields: list[str] = []


@policy_schema(
    "unga_resolutions",
    ResolutionCreateInputSerializer,
    ResolutionUpdateInputSerializer,
    ResolutionOutputSerializer,
)
class ResolutionViewSet(PolicyRecordViewSet):
    """The General Assembly's annual resolutions supporting a treaty, with the totals the UN
    record states and the votes on record counted. ``as_of``: adopted by then."""

    kind = policy.RESOLUTION
    queryset = (
        UNGAResolution.objects.select_related("treaty", "created_by", "updated_by")
        .annotate(
            **{
                f"counted_{kind}": Count("votes", filter=Q(votes__vote=kind))
                for kind in ("yes", "no", "abstain", "absent")
            }
        )
        .order_by("adopted_on", "symbol")
    )
    serializer_class = ResolutionOutputSerializer
    create_input_class = ResolutionCreateInputSerializer
    update_input_class = ResolutionUpdateInputSerializer
    filterset_class = ResolutionFilter
    change_source = change_feed.source_named("unga_resolution")

    def on_record_by(self, queryset: Any, as_of: Any) -> Any:
        return queryset.filter(adopted_on__lte=as_of)


# --- UN General Assembly votes ------------------------------------------------------------------------


class ResolutionField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    default_error_messages = {"does_not_exist": "No resolution has the symbol {value}."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="symbol", queryset=UNGAResolution.objects.all(), **kwargs)


class VoteFactsInputSerializer(SourcedInputSerializer):
    vote = serializers.ChoiceField(choices=UNGAVote.Choice.choices)
    seat_code = serializers.CharField(required=False, allow_blank=True, max_length=3)
    seat_name = serializers.CharField(required=False, allow_blank=True, max_length=100)


class VoteCreateInputSerializer(CitedInputMixin, VoteFactsInputSerializer):
    resolution = ResolutionField(help_text="The resolution's symbol, e.g. A/RES/65/48.")
    state = StateField(help_text="ISO 3166-1 alpha-3 code of the State.")


class VoteUpdateInputSerializer(VoteFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        return IDENTITY_MESSAGE if name in ("resolution", "state") else super().unknown_field_message(name)


class VoteOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    resolution = serializers.CharField(source="resolution.symbol")
    treaty = serializers.CharField(source="resolution.treaty.code")
    year = serializers.IntegerField(source="resolution.year")
    adopted_on = serializers.DateField(source="resolution.adopted_on")
    state = serializers.CharField(source="country.iso3")
    state_name = serializers.CharField(source="country.name")
    vote = serializers.CharField()
    seat_code = serializers.CharField(help_text="A former seat's code (YUG, SCG); empty for the State's own.")
    seat_name = serializers.CharField()
    confirmed = serializers.BooleanField()


class VoteFilter(PolicyRecordFilter):
    state = django_filters.CharFilter(
        field_name="country__iso3", method="filter_states", help_text="ISO3 codes, comma-separated."
    )
    resolution = django_filters.CharFilter(field_name="resolution__symbol", lookup_expr="iexact")
    treaty = django_filters.CharFilter(field_name="resolution__treaty__code", lookup_expr="iexact")
    year_from = YearFilter(field_name="resolution__adopted_on__year", lookup_expr="gte")
    year_to = YearFilter(field_name="resolution__adopted_on__year", lookup_expr="lte")
    vote = django_filters.CharFilter(
        method="filter_vote", help_text="yes, no, abstain, absent; comma-separated."
    )
    seat = django_filters.CharFilter(field_name="seat_code", lookup_expr="iexact", help_text="e.g. YUG")

    class Meta:
        model = UNGAVote
        fields: list[str] = []

    def filter_vote(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        wanted = [v.strip().lower() for v in value.split(",") if v.strip()]
        unknown = sorted(set(wanted) - set(UNGAVote.Choice.values))
        if unknown:
            raise exceptions.ValidationError(
                {"vote": [f"Unknown vote {', '.join(unknown)}: use yes, no, abstain or absent."]}
            )
        return queryset.filter(vote__in=wanted)


@policy_schema("unga_votes", VoteCreateInputSerializer, VoteUpdateInputSerializer, VoteOutputSerializer)
class VoteViewSet(PolicyRecordViewSet):
    """Each UN Member State's vote on each resolution. A State that was not a member has no
    vote (not an absence); a vote under a former seat (Yugoslavia, Serbia and Montenegro) is
    on its successor's record with ``seat_code`` and ``seat_name``. ``as_of``: resolutions
    adopted by then."""

    kind = policy.VOTE
    queryset = UNGAVote.objects.select_related(
        "resolution", "resolution__treaty", "country", "created_by", "updated_by"
    ).order_by("resolution__adopted_on", "country__name", "id")
    serializer_class = VoteOutputSerializer
    create_input_class = VoteCreateInputSerializer
    update_input_class = VoteUpdateInputSerializer
    filterset_class = VoteFilter
    change_source = change_feed.source_named("unga_vote")

    def on_record_by(self, queryset: Any, as_of: Any) -> Any:
        return queryset.filter(resolution__adopted_on__lte=as_of)


# --- Policy facts ---------------------------------------------------------------------------------


class FactFactsInputSerializer(SourcedInputSerializer):
    topic = serializers.ChoiceField(choices=PolicyFact.Topic.choices)
    dated = serializers.CharField(
        max_length=10, help_text="When the fact held or was stated: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    statement = serializers.CharField()
    quantity = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=100)


class FactCreateInputSerializer(CitedInputMixin, FactFactsInputSerializer):
    state = StateField(help_text="ISO 3166-1 alpha-3 code of the State.")


class FactUpdateInputSerializer(FactFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        return IDENTITY_MESSAGE if name == "state" else super().unknown_field_message(name)


class FactOutputSerializer(SourcedOutputSerializer):
    id = serializers.IntegerField()
    state = serializers.CharField(source="country.iso3")
    state_name = serializers.CharField(source="country.name")
    topic = serializers.CharField()
    dated = serializers.CharField()
    known_from = serializers.DateField(help_text="The last day the date allows: on record from then.")
    statement = serializers.CharField()
    quantity = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()


class FactFilter(PolicyRecordFilter):
    state = django_filters.CharFilter(
        field_name="country__iso3", method="filter_states", help_text="ISO3 codes, comma-separated."
    )
    topic = django_filters.MultipleChoiceFilter(choices=PolicyFact.Topic.choices)
    known_from = django_filters.DateFilter(field_name="known_from", lookup_expr="gte")

    class Meta:
        model = PolicyFact
        fields: list[str] = []


@policy_schema("policy_facts", FactCreateInputSerializer, FactUpdateInputSerializer, FactOutputSerializer)
class PolicyFactViewSet(PolicyRecordViewSet):
    """Dated, sourced facts on a State's policy, production, stockpiles, transfers and use.
    ``as_of``: facts whose date had passed by then."""

    kind = policy.POLICY_FACT
    queryset = PolicyFact.objects.select_related("country", "created_by", "updated_by").order_by(
        "country__name", "topic", "known_from", "id"
    )
    serializer_class = FactOutputSerializer
    create_input_class = FactCreateInputSerializer
    update_input_class = FactUpdateInputSerializer
    filterset_class = FactFilter
    change_source = change_feed.source_named("policy_fact")

    def on_record_by(self, queryset: Any, as_of: Any) -> Any:
        return queryset.filter(known_from__lte=as_of)


# --- A State's voting record in one read ---------------------------------------------------------


class VotingRecordEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    resolution = serializers.CharField(source="resolution.symbol")
    short_symbol = serializers.CharField(source="cast.resolution.short")
    year = serializers.IntegerField(source="resolution.year")
    adopted_on = serializers.DateField(source="resolution.adopted_on")
    vote = serializers.CharField(source="cast.vote", help_text="yes, no, abstain, absent or not_member")
    seat_name = serializers.CharField(source="cast.seat_name")
    confirmed = serializers.BooleanField()


class VotingRecordSerializer(serializers.Serializer):  # type: ignore[type-arg]
    state = serializers.CharField()
    state_name = serializers.CharField()
    as_of = serializers.DateField()
    sentence = serializers.CharField(help_text="The record in one sentence, computed from the votes.")
    votes = VotingRecordEntrySerializer(many=True)


class VotingRecordView(APIView):
    """A State's vote on every resolution adopted by ``as_of`` (``not_member`` where it was
    not a UN member), and the sentence that sums it up."""

    @extend_schema(parameters=[AS_OF], responses=VotingRecordSerializer)
    def get(self, request: Request, iso3: str) -> Response:
        as_of = parse_as_of(request.query_params.get("as_of"))
        country = Country.objects.filter(iso3=iso3.upper()).first()
        if country is None:
            raise Http404(f"No State with ISO 3166 alpha-3 code {iso3!r}.")
        record = policy_selectors.voting_record(country, as_of=as_of)
        payload = {
            "state": country.iso3,
            "state_name": country.name,
            "as_of": as_of,
            "sentence": record.sentence,
            "votes": record.entries,
        }
        return Response(VotingRecordSerializer(payload).data, status=status.HTTP_200_OK)
