"""Read API for countries, treaties and participation. Thin: parse, select, serialize."""

from typing import Any

import django_filters
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mineban.api import parse_as_of
from mineban.rules.status import ParticipationStatus
from states import selectors
from states.api.fields import unknown_state_message
from states.api.serializers import (
    CountrySerializer,
    ParticipationSerializer,
    StatusCountsSerializer,
    TreatySerializer,
)
from states.models import Country, DepositaryAction, Treaty

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Answer as things stood on this date (default: today)."
)


def _treaty(code: str) -> Treaty:
    try:
        return selectors.treaty_get(code)
    except Treaty.DoesNotExist:
        known = ", ".join(Treaty.objects.values_list("code", flat=True))
        raise Http404(f"No treaty with code {code!r}. Known treaties: {known}.") from None


class KnownValueFilter(django_filters.CharFilter):  # type: ignore[misc]
    """A filter on a column with a known set of values: an unknown value is a 400 naming the
    values that exist, not an empty list."""

    def filter(self, qs: Any, value: Any) -> Any:
        if not value:
            return qs
        known = sorted(set(Country.objects.values_list(self.field_name, flat=True)) - {""})
        match = next((k for k in known if k.lower() == value.strip().lower()), None)
        if match is None:
            raise serializers.ValidationError(
                {self.field_name: [f"Unknown {self.label.lower()} {value!r}; use one of {', '.join(known)}."]}
            )
        return qs.filter(**{self.field_name: match})


class CountryFilter(django_filters.FilterSet):  # type: ignore[misc]
    region = KnownValueFilter(field_name="region", label="Region", help_text="M49 region, e.g. Africa.")
    sub_region = KnownValueFilter(field_name="sub_region", label="Sub-region", help_text="M49 sub-region.")

    class Meta:
        model = Country
        fields = ["un_member"]


class CountryList(generics.ListAPIView[Country]):
    """Every State the treaty world counts (UN M49 codes, region and sub-region)."""

    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    pagination_class = None


class CountryDetail(generics.RetrieveAPIView[Country]):
    serializer_class = CountrySerializer
    lookup_field = "iso3"

    def get_object(self) -> Country:
        try:
            return Country.objects.get(iso3=self.kwargs["iso3"].upper())
        except Country.DoesNotExist:
            raise Http404(f"No State with ISO 3166 alpha-3 code {self.kwargs['iso3']!r}.") from None


class TreatyList(generics.ListAPIView[Treaty]):
    queryset = selectors.treaties()
    serializer_class = TreatySerializer
    pagination_class = None
    filter_backends: list[Any] = []


class TreatyDetail(APIView):
    @extend_schema(responses=TreatySerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(TreatySerializer(_treaty(code)).data)


class TreatyStatus(APIView):
    """How many States stood where on a date: States Parties, consented (incl. the waiting
    period), signatories, not signed, withdrawn, withdrawal pending."""

    @extend_schema(parameters=[AS_OF], responses=StatusCountsSerializer)
    def get(self, request: Request, code: str) -> Response:
        as_of = parse_as_of(request.query_params.get("as_of"))
        treaty = _treaty(code)
        counts = selectors.participation_for(treaty).counts(as_of=as_of)
        payload = {"treaty": treaty.code, "as_of": as_of, **vars(counts)}
        return Response(StatusCountsSerializer(payload).data)


class ParticipationFilters(serializers.Serializer[Any]):
    treaty = serializers.CharField(default="APMBC")
    status = serializers.MultipleChoiceField(choices=[s.value for s in ParticipationStatus], required=False)
    state = serializers.CharField(required=False, help_text="ISO3 codes, comma-separated.")
    region = serializers.CharField(required=False)
    consent_type = serializers.ChoiceField(choices=DepositaryAction.ConsentType.choices, required=False)
    include_non_participants = serializers.BooleanField(
        default=False, help_text="Also list States with no action under the treaty (not signed)."
    )


class ParticipationList(APIView):
    """One object per State: signature, consent, entry into force, withdrawal, status on
    ``as_of`` and the original deadlines computed from entry into force."""

    @extend_schema(
        parameters=[ParticipationFilters, AS_OF],
        responses=ParticipationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        as_of = parse_as_of(request.query_params.get("as_of"))
        params = request.query_params.copy()
        if "status" in params:
            params.setlist("status", [v for raw in params.getlist("status") for v in raw.split(",")])
        filters = ParticipationFilters(data=params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        treaty = _treaty(wanted["treaty"])

        countries = Country.objects.all()
        if wanted.get("state"):
            codes = [c.strip().upper() for c in wanted["state"].split(",") if c.strip()]
            unknown = sorted(
                set(codes) - set(countries.filter(iso3__in=codes).values_list("iso3", flat=True))
            )
            if unknown:
                raise serializers.ValidationError(
                    {"state": [unknown_state_message(code) for code in unknown]}
                )
            countries = countries.filter(iso3__in=codes)
        if wanted.get("region"):
            if not countries.filter(region__iexact=wanted["region"]).exists():
                regions = ", ".join(sorted(set(Country.objects.values_list("region", flat=True))))
                raise serializers.ValidationError(
                    {"region": [f"Unknown region {wanted['region']!r}; use one of {regions}."]}
                )
            countries = countries.filter(region__iexact=wanted["region"])
        rows = selectors.participation_for(
            treaty,
            countries=countries,
            include_non_participants=wanted["include_non_participants"],
        )
        result = list(rows)
        if wanted.get("status"):
            result = [p for p in result if p.status(as_of).value in wanted["status"]]
        if wanted.get("consent_type"):
            result = [p for p in result if p.consent and p.consent.consent_type == wanted["consent_type"]]
        serializer = ParticipationSerializer(result, many=True, context={"as_of": as_of})
        return Response(serializer.data)
