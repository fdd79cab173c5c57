"""The API base every app builds on: domain errors to HTTP statuses, ``as_of`` and
``since`` parsing, paging, and the record view set (list, create, read, correct, delete,
history, revert, restore) that every kind of record written through services shares."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
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
from mineban.asof import DateInputError, as_of_parse, moment_parse
from mineban.concurrency import etag_versions, record_etag, record_version, state_lock
from mineban.permissions import IsEditorOrReadOnly
from mineban.records import (
    CITATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SOURCE_REQUIRED,
    SOURCE_URLS_MAX,
    URL_MAX_LENGTH,
    is_cited,
)


class PreconditionRequired(exceptions.APIException):
    """A write to an existing record that does not say which version it read (RFC 6585)."""

    status_code = 428
    default_code = "precondition_required"

    def __init__(self, record: Any) -> None:
        self.current_version = record_etag(record)
        super().__init__(
            "Send the version you read in an If-Match header (the ETag of GET on this record), "
            f"e.g. If-Match: {self.current_version}."
        )


class PreconditionFailed(exceptions.APIException):
    """The record changed since the client read it: writing would overwrite a change unseen."""

    status_code = 412
    default_code = "precondition_failed"

    def __init__(self, record: Any) -> None:
        self.current_version = record_etag(record)
        super().__init__(
            "Someone changed this record since you read it: nothing was written. Read it again "
            f"(it is now at version {self.current_version}), reapply your change and send that version "
            "in If-Match."
        )


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
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, PreconditionRequired | PreconditionFailed):
        response.data = {"detail": response.data["detail"], "current_version": exc.current_version}
        response["ETag"] = exc.current_version
    return response


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "payload_too_large"
    default_detail = "The request body is too large; no record is that big."


def parse_as_of(raw: str | None, *, field: str = "as_of") -> date:
    """``?as_of=YYYY-MM-DD``; today when absent. Malformed or out of the treaty era: a 400."""
    if raw is None or raw.strip() == "":
        return clock.today()
    try:
        return as_of_parse(raw)
    except DateInputError as exc:
        raise exceptions.ValidationError({field: [str(exc)]}) from None


def parse_since(raw: str, *, field: str = "since") -> datetime:
    """An ISO 8601 timestamp (UTC when it has no offset) or a date (its midnight, UTC)."""
    try:
        return moment_parse(raw)
    except DateInputError as exc:
        raise exceptions.ValidationError({field: [str(exc)]}) from None


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


# The sourcing fields every record's input shares, with their length limits (documented in
# the schema as maxLength / maxItems).


def citation_field() -> Any:
    return serializers.CharField(required=False, allow_blank=True, max_length=CITATION_MAX_LENGTH)


def note_field() -> Any:
    return serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)


def source_urls_field() -> Any:
    return serializers.ListField(
        child=serializers.URLField(max_length=URL_MAX_LENGTH), required=False, max_length=SOURCE_URLS_MAX
    )


def unverified_fields_field() -> Any:
    return serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=30)


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


@extend_schema_field(
    {"type": "string", "description": "The record's version (its ETag, unquoted): send it in If-Match."}
)
class VersionField(serializers.Field):  # type: ignore[type-arg]
    """The record's version in lists too, so that a record can be corrected from a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return record_version(value)


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


# Where the facts come from: every record's source fields, with their length limits.
class SourcedInputSerializer(StrictInputSerializer):
    source_citation = citation_field()
    source_urls = source_urls_field()
    notes = note_field()
    unverified_fields = unverified_fields_field()


# A record's sources and who wrote it (no docstring: the schema would give it to every subclass).
class SourcedOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    source_citation = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()
    unverified_fields = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    created_by = EditorNameField(source="created_by.username", default=None)
    updated_by = EditorNameField(source="updated_by.username", default=None)

    def get_fields(self) -> dict[str, Any]:
        """What the record is comes first; where it comes from and who wrote it, last."""
        fields = super().get_fields()
        tail = [name for name in SourcedOutputSerializer._declared_fields if name in fields]
        head = {name: value for name, value in fields.items() if name not in tail}
        return {**head, **{name: fields[name] for name in tail}}


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
        """The record as reads show it, fetched again with what the output needs, and its
        version in ``ETag``."""
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.shown(fresh), status=status_code, headers={"ETag": record_etag(fresh)})

    def record_state_id(self, record: Any) -> Any:
        """The State the record belongs to (its own, or its obligation's): its writers are
        serialised on that State. None for a record of no one State (a meeting, a resolution)."""
        if hasattr(record, "country_id"):
            return record.country_id
        obligation = getattr(record, "obligation", None)
        return obligation.country_id if obligation is not None else None

    @contextmanager
    def current(self, request: Request) -> Iterator[Any]:
        """The record named in the URL, for a write: the State locked, the record read again
        under the lock, and the client's ``If-Match`` checked against its version (428 when
        missing, 412 when stale). The block runs in the transaction that holds the lock."""
        with transaction.atomic():
            record = self.get_object()
            state = self.record_state_id(record)
            if state is not None:
                state_lock(country_id=state)
            record = self.get_object()
            if_match = request.headers.get("If-Match", "").strip()
            if not if_match:
                raise PreconditionRequired(record)
            versions = etag_versions(if_match)
            if "*" not in versions and record_version(record) not in versions:
                raise PreconditionFailed(record)
            yield record

    # --- actions ----------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.shown(page, many=True))

    def create(self, request: Request) -> Response:
        return self.answer(self.record_create(request.user, self.given(request)), status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: int) -> Response:
        record = self.get_object()
        return Response(self.shown(record), headers={"ETag": record_etag(record)})

    def partial_update(self, request: Request, pk: int) -> Response:
        facts = self.given(request, partial=True)
        with self.current(request) as record:
            require_source_kept(record, facts)
            return self.answer(self.record_update(record, request.user, facts))

    def destroy(self, request: Request, pk: int) -> Response:
        with self.current(request) as record:
            self.record_delete(record, request.user)
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
        history_id = self.given(request)["history_id"]
        with self.current(request) as record:
            return self.answer(self.record_revert(record, history_id, request.user))

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
