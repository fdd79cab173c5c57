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
from mineban.filters import filterset_parameters
from states import selectors
from states.api.fields import unknown_state_message
from states.api.filters import ParticipationFilter
from states.api.serializers import (
    CountrySerializer,
    ParticipationSerializer,
    StatusCountsSerializer,
    TreatySerializer,
)
from states.models import Country, Treaty

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


class ParticipationList(APIView):
    """One object per State: signature, consent, entry into force, withdrawal, status on
    ``as_of`` and the original deadlines computed from entry into force."""

    @extend_schema(
        parameters=[*filterset_parameters(ParticipationFilter), AS_OF],
        responses=ParticipationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        as_of = parse_as_of(request.query_params.get("as_of"))
        query = request.query_params.copy()
        for name in ("status", "state"):  # ?status=a&status=b reads as status=a,b
            if len(query.getlist(name)) > 1:
                query[name] = ",".join(query.getlist(name))
        wanted = ParticipationFilter.validated(query)
        treaty = wanted["treaty"] or selectors.treaties().first()
        if treaty is None:
            raise Http404("No treaty is on record.")

        countries = Country.objects.all()
        if wanted["state"]:
            known = set(countries.filter(iso3__in=wanted["state"]).values_list("iso3", flat=True))
            unknown = sorted(set(wanted["state"]) - known)
            if unknown:
                raise serializers.ValidationError(
                    {"state": [unknown_state_message(code) for code in unknown]}
                )
            countries = countries.filter(iso3__in=wanted["state"])
        if wanted["region"]:
            region = wanted["region"][0]
            if not countries.filter(region__iexact=region).exists():
                regions = ", ".join(sorted(set(Country.objects.values_list("region", flat=True))))
                raise serializers.ValidationError(
                    {"region": [f"Unknown region {region!r}; use one of {regions}."]}
                )
            countries = countries.filter(region__iexact=region)
        rows = selectors.participation_for(
            treaty,
            countries=countries,
            include_non_participants=wanted["include_non_participants"] == "true",
        )
        # A State that withdrew and joined again: the participation that holds on ``as_of``.
        result = [p.on(as_of) for p in rows]
        if wanted["status"]:
            result = [p for p in result if p.status(as_of).value in wanted["status"]]
        if wanted["consent_type"]:
            result = [p for p in result if p.consent and p.consent.consent_type == wanted["consent_type"]]
        serializer = ParticipationSerializer(result, many=True, context={"as_of": as_of})
        return Response(serializer.data)
