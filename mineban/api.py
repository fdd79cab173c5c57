"""The API base every app builds on: domain errors to HTTP statuses, ``as_of`` and
``since`` parsing, paging, and the record view set (list, create, read, correct, delete,
history, revert, restore) that every kind of record written through services shares."""

from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.urls import URLPattern, path
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mineban import changes as change_feed
from mineban import clock
from mineban.permissions import IsEditorOrReadOnly
from mineban.records import SOURCE_REQUIRED, is_cited


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Someone else changed the record at the same moment. Reload and try again."
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Model/service ``ValidationError``s become 400s with field-level messages.

    An ``IntegrityError`` that escapes the services' validation can only come from a
    concurrent write (e.g. two editors recording the same signature at once): a 409.
    """
    if isinstance(exc, IntegrityError):
        exc = Conflict()
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        # Django's key for errors of no one field is "__all__"; DRF clients expect this one.
        if NON_FIELD_ERRORS in detail:
            detail["non_field_errors"] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


def parse_as_of(raw: str | None, *, field: str = "as_of") -> date:
    """``?as_of=YYYY-MM-DD``; today when absent. A malformed value is a 400, not a 500."""
    if raw is None or raw == "":
        return clock.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {field: [f"Enter a date as YYYY-MM-DD (e.g. 2005-07-01); got {raw!r}."]}
        ) from None


def parse_since(raw: str, *, field: str = "since") -> datetime:
    """An ISO 8601 timestamp (UTC when it has no offset) or a date (its midnight, UTC)."""
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise exceptions.ValidationError(
            {field: [f"Enter an ISO 8601 timestamp, e.g. 2026-11-22T09:30:00Z; got {raw!r}."]}
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class RecordPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` on every list of stored records."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# --- The record API: one shape for every kind of record written through services --------
#
# Thin views: an input serializer checks the shape of the request, a service applies the
# treaty's rules and writes, an output serializer answers. The services' ValidationErrors
# become 400s in ``exception_handler``.

# Sent along by the browsable API's HTML forms; not part of the record.
TRANSPORT_FIELDS = frozenset({"csrfmiddlewaretoken"})


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


class RevertInputSerializer(StrictInputSerializer):
    history_id = serializers.IntegerField(help_text="A version of this record, from its history.")


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
