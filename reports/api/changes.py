"""The change feed: every change to the record, newest first, to follow with ``since``."""

import base64
import binascii
import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mineban import changes as change_feed
from mineban.api import EditingView, EditorNameField, parse_since
from mineban.asof import moment_parse
from states.api.fields import unknown_state_message, unknown_treaty_message
from states.models import Country, DepositaryAction, Treaty


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


class ChangeFeedView(EditingView):
    """Changes to the record, newest first. Follow `next` to page back in time.

    To follow changes, keep the newest `history_date` you have seen and ask again with
    `since=` that value: `since` is inclusive, so drop the ids you already have.
    """

    serializer_class = ChangeFeedOutputSerializer
    filter_backends: list[Any] = []
    queryset = DepositaryAction.objects.none()  # as above: the feed reads mineban.changes
    page_size = 50
    max_page_size = 200

    @extend_schema(
        operation_id="changes_list",
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATETIME, description="Only changes at or after this moment."
            ),
            OpenApiParameter("treaty", OpenApiTypes.STR, description="Treaty code, e.g. APMBC."),
            OpenApiParameter("state", OpenApiTypes.STR, description="ISO3 code of the State."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=f"At most {max_page_size}."),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From the `next` link."),
        ],
        responses=ChangeFeedOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        since = parse_since(params["since"]) if params.get("since") else None
        after = _decode_cursor(params["cursor"]) if params.get("cursor") else None
        treaty_id = country_id = None
        if params.get("treaty"):
            treaty = Treaty.objects.filter(code__iexact=params["treaty"]).first()
            if treaty is None:
                raise exceptions.ValidationError({"treaty": [unknown_treaty_message(params["treaty"])]})
            treaty_id = treaty.pk
        if params.get("state"):
            country = Country.objects.filter(iso3__iexact=params["state"]).first()
            if country is None:
                raise exceptions.ValidationError({"state": [unknown_state_message(params["state"])]})
            country_id = country.pk
        try:
            page_size = min(int(params.get("page_size") or self.page_size), self.max_page_size)
        except ValueError:
            raise exceptions.ValidationError({"page_size": ["Enter a whole number."]}) from None
        if page_size < 1:
            raise exceptions.ValidationError({"page_size": ["Enter a positive number."]})
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
