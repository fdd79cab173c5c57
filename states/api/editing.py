"""Write API for depositary actions, their history, and the change feed.

Thin views: an input serializer checks the shape of the request, a service in
``states.services`` applies the treaty's rules and writes, an output serializer answers.
The services' ``ValidationError``s become 400s in ``mineban.api.exception_handler``.
"""

import base64
import binascii
import json
from datetime import datetime
from typing import Any

import django_filters
from django.core.exceptions import ObjectDoesNotExist
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from mineban import changes as change_feed
from mineban.api import RecordPagination, parse_since
from mineban.permissions import IsEditorOrReadOnly
from states import services
from states.models import SOURCE_REQUIRED, Country, DepositaryAction, Treaty, is_cited

Kind = DepositaryAction.Kind
ConsentType = DepositaryAction.ConsentType
ACTION_SOURCE = change_feed.source_named("depositary_action")
# Facts that identify an action: to change them, delete the action and record a new one.
IDENTITY_FIELDS = ("state", "treaty", "kind")
# Sent along by the browsable API's HTML forms; not part of the record.
TRANSPORT_FIELDS = frozenset({"csrfmiddlewaretoken"})


# --- Input ------------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Rejects fields it does not know instead of silently ignoring them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields) - TRANSPORT_FIELDS)
            if unknown:
                raise exceptions.ValidationError(
                    {name: [self.unknown_field_message(name)] for name in unknown}
                )
        return super().to_internal_value(data)

    def unknown_field_message(self, name: str) -> str:
        return "Unknown field."


class CitedInputMixin(serializers.Serializer):  # type: ignore[type-arg]
    """A new record says where its facts come from."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if not is_cited(attrs.get("source_citation"), attrs.get("source_urls")):
            raise exceptions.ValidationError({"source_citation": [SOURCE_REQUIRED]})
        return attrs


def require_source_kept(record: Any, facts: dict[str, Any]) -> None:
    """A change may replace a record's sources, not remove the last one."""
    if not {"source_citation", "source_urls"} & facts.keys():
        return
    citation = facts.get("source_citation", record.source_citation)
    urls = facts.get("source_urls", record.source_urls)
    if not is_cited(citation, urls):
        raise exceptions.ValidationError({"source_citation": [SOURCE_REQUIRED]})


class StateField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A State by its ISO 3166-1 alpha-3 code, in any case."""

    default_error_messages = {
        "does_not_exist": "No State has the ISO3 code {value}.",
        "invalid": "Give the State's ISO 3166-1 alpha-3 code, e.g. AFG.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="iso3", queryset=Country.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Country:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())  # type: ignore[no-any-return]


class TreatyField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A treaty by its code (APMBC, CCM), in any case."""

    default_error_messages = {
        "does_not_exist": "No treaty has the code {value}.",
        "invalid": "Give the treaty's code, e.g. APMBC.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Treaty.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Treaty:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())  # type: ignore[no-any-return]


class DepositaryActionFactsInputSerializer(StrictInputSerializer):
    """The facts of an action that editors may set and later change."""

    action_date = serializers.DateField(
        help_text="Signature date, deposit date, or the day the depositary received the notice."
    )
    consent_type = serializers.ChoiceField(choices=ConsentType.choices, required=False, allow_blank=True)
    effective_date = serializers.DateField(required=False, allow_null=True)
    effective_date_pending_reason = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    depositary_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    source_citation = serializers.CharField(required=False, allow_blank=True)
    source_urls = serializers.ListField(child=serializers.URLField(), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    unverified_fields = serializers.ListField(child=serializers.CharField(), required=False)


class DepositaryActionCreateInputSerializer(CitedInputMixin, DepositaryActionFactsInputSerializer):
    state = StateField(help_text="ISO 3166-1 alpha-3 code of the State.")
    treaty = TreatyField(help_text="Treaty code, e.g. APMBC.")
    kind = serializers.ChoiceField(choices=Kind.choices)


class DepositaryActionUpdateInputSerializer(DepositaryActionFactsInputSerializer):
    def unknown_field_message(self, name: str) -> str:
        if name in IDENTITY_FIELDS:
            return "This cannot be changed: delete the action and record a new one."
        return super().unknown_field_message(name)


class RevertInputSerializer(StrictInputSerializer):
    history_id = serializers.IntegerField(help_text="A version of this record, from its history.")


# --- Output -----------------------------------------------------------------------------


class EditorNameField(serializers.CharField):
    """Who made a change, for logged-in readers only: usernames are also login names."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "help_text",
            "Username of the editor. Null for anonymous readers, and for changes no user made "
            "(e.g. the reference data loader).",
        )
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return None
        return super().get_attribute(instance)


class DepositaryActionOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    state = serializers.CharField(source="country.iso3")
    state_name = serializers.CharField(source="country.name")
    treaty = serializers.CharField(source="treaty.code")
    kind = serializers.CharField()
    action_date = serializers.DateField()
    consent_type = serializers.CharField()
    effective_date = serializers.DateField(allow_null=True)
    effective_date_pending_reason = serializers.CharField()
    text = serializers.CharField()
    depositary_reference = serializers.CharField()
    source_citation = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()
    unverified_fields = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    created_by = EditorNameField(source="created_by.username", default=None)
    updated_by = EditorNameField(source="updated_by.username", default=None)


class VersionOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    change_type = serializers.ChoiceField(
        choices=list(change_feed.CHANGE_TYPES.items()), help_text="+ created, ~ changed, - deleted"
    )
    user = EditorNameField()
    change_reason = serializers.CharField(allow_null=True)
    changes = serializers.DictField(
        child=inline_serializer(
            "FieldChange", {"old": serializers.JSONField(), "new": serializers.JSONField()}
        ),
        help_text="Per field, the value before and after this version.",
    )


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


# --- Views ------------------------------------------------------------------------------


class DepositaryActionFilter(django_filters.FilterSet):  # type: ignore[misc]
    treaty = django_filters.CharFilter(
        field_name="treaty__code", lookup_expr="iexact", help_text="e.g. APMBC"
    )
    state = django_filters.CharFilter(field_name="country__iso3", lookup_expr="iexact", help_text="ISO3")
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    consent_type = django_filters.ChoiceFilter(choices=ConsentType.choices)
    action_date_from = django_filters.DateFilter(field_name="action_date", lookup_expr="gte")
    action_date_to = django_filters.DateFilter(field_name="action_date", lookup_expr="lte")

    class Meta:
        model = DepositaryAction
        fields: list[str] = []


class EditingView(GenericAPIView):  # type: ignore[type-arg]
    """Anyone reads, editors write. ``input_serializer_class`` is what writes accept; the
    browsable API renders its forms from it (``serializer_class`` is what reads return)."""

    permission_classes = [IsEditorOrReadOnly]
    input_serializer_class: type[serializers.Serializer] | None = None  # type: ignore[type-arg]

    def get_serializer_class(self) -> Any:
        request = getattr(self, "request", None)
        if self.input_serializer_class and request is not None and request.method not in SAFE_METHODS:
            return self.input_serializer_class
        return super().get_serializer_class()

    def shown(self, records: Any, *, many: bool = False) -> Any:
        """Records as reads show them, whatever the method (writes answer with the result)."""
        assert self.serializer_class is not None
        return self.serializer_class(records, many=many, context=self.get_serializer_context()).data


class RecordViewSet(EditingView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """One kind of record written through services: anyone lists (filtered, paginated) and
    reads the records and their history; editors record, correct (PATCH), delete, revert to
    a version and restore a deleted record, each through the record's services.

    Subclasses set the querysets and serializers and name the service calls in the
    ``record_*`` hooks; ``records_schema`` documents the operations; ``record_routes``
    gives the URLs.
    """

    pagination_class = RecordPagination
    create_input_class: type[serializers.Serializer]  # type: ignore[type-arg]
    update_input_class: type[serializers.Serializer]  # type: ignore[type-arg]
    change_source: change_feed.ChangeSource

    # --- hooks: the services ----------------------------------------------------------

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        raise NotImplementedError

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        raise NotImplementedError

    def record_delete(self, record: Any, user: Any) -> None:
        raise NotImplementedError

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        raise NotImplementedError

    def record_restore(self, pk: int, user: Any) -> Any:
        raise NotImplementedError

    # --- plumbing ---------------------------------------------------------------------

    @property
    def input_serializer_class(self) -> Any:  # type: ignore[override]
        # By route, not only by action: the browsable API renders the PATCH form of a
        # record from its read page.
        action = getattr(self, "action", None)
        if action in ("list", "create"):
            return self.create_input_class
        if action in ("retrieve", "partial_update", "destroy"):
            return self.update_input_class
        return RevertInputSerializer if action == "revert" else None

    def filter_queryset(self, queryset: Any) -> Any:
        # The filters select records in lists; a record named by its id is found regardless.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def given(self, request: Request, *, partial: bool = False) -> dict[str, Any]:
        given = self.input_serializer_class(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        return dict(given.validated_data)

    def answer(self, record: Any, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as reads show it, fetched again with what the output needs."""
        return Response(self.shown(self.get_queryset().get(pk=record.pk)), status=status_code)

    # --- actions ----------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.shown(page, many=True))

    def create(self, request: Request) -> Response:
        return self.answer(self.record_create(request.user, self.given(request)), status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(self.shown(self.get_object()))

    def partial_update(self, request: Request, pk: int) -> Response:
        record = self.get_object()
        facts = self.given(request, partial=True)
        require_source_kept(record, facts)
        return self.answer(self.record_update(record, request.user, facts))

    def destroy(self, request: Request, pk: int) -> Response:
        self.record_delete(self.get_object(), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: int) -> Response:
        """Every version, newest first: who, when, what changed (also once deleted)."""
        found = change_feed.versions(self.change_source, pk)
        if not found:
            noun = self.change_source.model._meta.verbose_name
            raise exceptions.NotFound(f"No {noun} has ever had this id.")
        return Response(VersionOutputSerializer(found, many=True, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"])
    def revert(self, request: Request, pk: int) -> Response:
        """Put the facts back as they were in one of the versions (a new version)."""
        record = self.get_object()
        return self.answer(self.record_revert(record, self.given(request)["history_id"], request.user))

    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: int) -> Response:
        """Bring back a deleted record as it was when deleted, under its id, if the treaty's
        rules still allow it (what was recorded meanwhile may not)."""
        try:
            restored = self.record_restore(pk, request.user)
        except ObjectDoesNotExist as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return self.answer(restored, status.HTTP_201_CREATED)


def records_schema(prefix: str, create_input: Any, update_input: Any, output: Any) -> Any:
    """OpenAPI for a ``RecordViewSet``: stable operation ids named after the resource."""
    return extend_schema_view(
        list=extend_schema(
            operation_id=f"{prefix}_list",
            description="The records (anyone), filtered and paginated.",
            responses=output(many=True),
        ),
        create=extend_schema(
            operation_id=f"{prefix}_create",
            description="Record one (editors): the treaty's rules apply; a source is required.",
            request=create_input,
            responses={201: output},
        ),
        retrieve=extend_schema(
            operation_id=f"{prefix}_retrieve", description="One record (anyone).", responses=output
        ),
        partial_update=extend_schema(
            operation_id=f"{prefix}_partial_update",
            description="Correct a record (editors); its sources may be replaced, not removed.",
            request=update_input,
            responses=output,
        ),
        destroy=extend_schema(
            operation_id=f"{prefix}_destroy",
            description="Delete a record made in error (editors); its history keeps it.",
            responses={204: None},
        ),
        history=extend_schema(
            operation_id=f"{prefix}_history", responses=VersionOutputSerializer(many=True), filters=False
        ),
        revert=extend_schema(
            operation_id=f"{prefix}_revert", request=RevertInputSerializer, responses=output
        ),
        restore=extend_schema(operation_id=f"{prefix}_restore", request=None, responses={201: output}),
    )


def record_routes(url_prefix: str, name: str, views: type[RecordViewSet]) -> list[URLPattern]:
    """The routes of one kind of record, under ``url_prefix`` (no PUT: changes are PATCHes)."""
    return [
        path(f"{url_prefix}/", views.as_view({"get": "list", "post": "create"}), name=f"{name}-list"),
        path(
            f"{url_prefix}/<int:pk>/",
            views.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
            name=f"{name}-detail",
        ),
        path(
            f"{url_prefix}/<int:pk>/history/",
            views.as_view({"get": "history"}, pagination_class=None),
            name=f"{name}-history",
        ),
        path(f"{url_prefix}/<int:pk>/revert/", views.as_view({"post": "revert"}), name=f"{name}-revert"),
        path(f"{url_prefix}/<int:pk>/restore/", views.as_view({"post": "restore"}), name=f"{name}-restore"),
    ]


@records_schema(
    "depositary_actions",
    DepositaryActionCreateInputSerializer,
    DepositaryActionUpdateInputSerializer,
    DepositaryActionOutputSerializer,
)
class DepositaryActionViewSet(RecordViewSet):
    """Depositary actions (signatures, consents, withdrawals, notifications): anyone reads;
    editors record, correct, delete, revert and restore them."""

    queryset = DepositaryAction.objects.select_related(
        "country", "treaty", "created_by", "updated_by"
    ).order_by("treaty__position", "country__name", "action_date", "id")
    serializer_class = DepositaryActionOutputSerializer
    create_input_class = DepositaryActionCreateInputSerializer
    update_input_class = DepositaryActionUpdateInputSerializer
    filterset_class = DepositaryActionFilter
    change_source = ACTION_SOURCE

    def record_create(self, user: Any, facts: dict[str, Any]) -> Any:
        return services.depositary_action_record(
            country=facts.pop("state"),
            treaty=facts.pop("treaty"),
            kind=facts.pop("kind"),
            action_date=facts.pop("action_date"),
            user=user,
            **facts,
        )

    def record_update(self, record: Any, user: Any, facts: dict[str, Any]) -> Any:
        return services.depositary_action_update(action=record, user=user, **facts)

    def record_delete(self, record: Any, user: Any) -> None:
        services.depositary_action_delete(action=record, user=user)

    def record_revert(self, record: Any, history_id: int, user: Any) -> Any:
        return services.depositary_action_revert(action=record, history_id=history_id, user=user)

    def record_restore(self, pk: int, user: Any) -> Any:
        return services.depositary_action_restore(action_id=pk, user=user)


# --- Change feed ------------------------------------------------------------------------


def _encode_cursor(position: change_feed.Position) -> str:
    raw = json.dumps([position.history_date.isoformat(), position.source, position.history_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> change_feed.Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, source, history_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return change_feed.Position(datetime.fromisoformat(moment), str(source), int(history_id))
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
                raise exceptions.ValidationError({"treaty": [f"No treaty has the code {params['treaty']}."]})
            treaty_id = treaty.pk
        if params.get("state"):
            country = Country.objects.filter(iso3__iexact=params["state"]).first()
            if country is None:
                raise exceptions.ValidationError(
                    {"state": [f"No State has the ISO3 code {params['state']}."]}
                )
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
