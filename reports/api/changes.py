"""The change feed: every change to the record, newest first, to follow with ``since``."""

import base64
import binascii
import json
from datetime import datetime
from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mineban import changes as change_feed
from mineban.api import EditingView, EditorNameField, parse_since
from mineban.asof import moment_parse
from mineban.filters import QueryFilterSet, filterset_parameters
from states.filters import StateCodeFilter, TreatyCodeFilter
from states.models import DepositaryAction

MAX_PAGE_SIZE = 200


class ChangeOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="history_id", help_text="The history record's id within its model.")
    model = serializers.CharField(source="source")
    object_id = serializers.IntegerField()
    state = serializers.CharField(allow_null=True, help_text="ISO3 code of the State.")
    treaty = serializers.CharField(allow_null=True)
    change_type = serializers.ChoiceField(
        choices=list(change_feed.CHANGE_TYPES.items()), help_text="+ created, ~ changed, - deleted"
    )
    changed_fields = serializers.ListField(child=serializers.CharField())
    history_date = serializers.DateTimeField()
    user = EditorNameField()
    change_reason = serializers.CharField(allow_null=True)


class ChangeFeedOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    next = serializers.URLField(allow_null=True, help_text="The next (older) page; null on the last.")
    results = ChangeOutputSerializer(many=True)


def _encode_cursor(position: change_feed.Position) -> str:
    raw = json.dumps([position.history_date.isoformat(), position.source, position.history_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> change_feed.Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, source, history_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return change_feed.Position(moment_parse(str(moment)), str(source), int(history_id))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise exceptions.ValidationError(
            {"cursor": ["Invalid cursor: use the `next` link as given."]}
        ) from None


class SinceField(forms.CharField):
    def clean(self, value: Any) -> datetime | None:
        raw = super().clean(value)
        if not raw:
            return None
        try:
            return parse_since(raw)
        except exceptions.ValidationError as exc:
            raise forms.ValidationError(exc.detail["since"]) from None  # type: ignore[call-overload]


class CursorField(forms.CharField):
    def clean(self, value: Any) -> change_feed.Position | None:
        raw = super().clean(value)
        if not raw:
            return None
        try:
            return _decode_cursor(raw)
        except exceptions.ValidationError as exc:
            raise forms.ValidationError(exc.detail["cursor"]) from None  # type: ignore[call-overload]


class SinceFilter(django_filters.Filter):  # type: ignore[misc]
    field_class = SinceField


class CursorFilter(django_filters.Filter):  # type: ignore[misc]
    field_class = CursorField


class ChangeFeedFilter(QueryFilterSet):
    since = SinceFilter(method="unapplied", help_text="Only changes at or after this moment (ISO 8601).")
    treaty = TreatyCodeFilter(method="unapplied", help_text="Treaty code, e.g. APMBC.")
    state = StateCodeFilter(method="unapplied", help_text="ISO3 code of the State.")
    page_size = django_filters.NumberFilter(
        method="unapplied", min_value=1, help_text=f"At most {MAX_PAGE_SIZE}."
    )
    cursor = CursorFilter(method="unapplied", help_text="From the `next` link.")

    class Meta:
        model = DepositaryAction
        fields: list[str] = []


class ChangeFeedView(EditingView):
    """Changes to the record, newest first. Follow `next` to page back in time.

    To follow changes, keep the newest `history_date` you have seen and ask again with
    `since=` that value: `since` is inclusive, so drop the ids you already have.
    """

    serializer_class = ChangeFeedOutputSerializer
    filter_backends: list[Any] = []
    queryset = DepositaryAction.objects.none()  # as above: the feed reads mineban.changes
    page_size = 50
    max_page_size = MAX_PAGE_SIZE

    @extend_schema(
        operation_id="changes_list",
        parameters=filterset_parameters(ChangeFeedFilter),
        responses=ChangeFeedOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        wanted = ChangeFeedFilter.validated(params)
        since, after = wanted["since"], wanted["cursor"]
        treaty_id = wanted["treaty"].pk if wanted["treaty"] else None
        country_id = wanted["state"].pk if wanted["state"] else None
        page_size = min(int(wanted["page_size"] or self.page_size), self.max_page_size)
        found = change_feed.changes(
            since=since, treaty_id=treaty_id, country_id=country_id, after=after, limit=page_size + 1
        )
        next_url = None
        if len(found) > page_size:
            found = found[:page_size]
            query = params.copy()
            query["cursor"] = _encode_cursor(found[-1].position)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(
            {
                "next": next_url,
                "results": ChangeOutputSerializer(
                    found, many=True, context=self.get_serializer_context()
                ).data,
            }
        )
