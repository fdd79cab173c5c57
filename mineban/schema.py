"""The OpenAPI schema says what the API really does: reads need no login, writes name the
version they read, and the error answers every operation can give are documented."""

from typing import Any

from drf_spectacular.authentication import BasicScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from mineban.permissions import IsEditorOrReadOnly


class MinebanBasicScheme(BasicScheme):  # type: ignore[no-untyped-call]
    """Our HTTP Basic (throttled by the login lockout) is documented as plain HTTP Basic."""

    target_class = "mineban.authentication.BasicAuthentication"


class ErrorOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField(help_text="What went wrong, in words.")


class PreconditionOutputSerializer(ErrorOutputSerializer):
    current_version = serializers.CharField(help_text="The record's version now (its ETag).")


# A refused input: per field (or "non_field_errors"), its messages; "detail" for a request
# refused as a whole (e.g. a control character in the address).
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": "Per field, the list of messages; or `detail` for the request as a whole.",
}

# Writes to an existing record (correct, delete, revert) must say which version they read.
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="The record's version as read (the ETag of GET on it). Stale: 412. Missing: 428.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description="The record's version: send it back in If-Match to change the record.",
)


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        auths: list[dict[str, Any]] = super().get_auth()
        permissions = [p.__class__ for p in self.view.get_permissions()]
        if IsEditorOrReadOnly in permissions and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})  # anyone reads
        return auths

    def _versioned_write(self) -> bool:
        action = getattr(self.view, "action", None)
        return action in ("partial_update", "destroy", "revert")

    def _versioned_read(self) -> bool:
        action = getattr(self.view, "action", None)
        return action in ("retrieve", "create", "partial_update", "revert", "restore")

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self._versioned_write():
            parameters.append(IF_MATCH)
        if self._versioned_read():
            parameters.append(ETAG)
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self._error_response
        responses.setdefault("400", error("The request was refused: see the messages.", VALIDATION_ERROR))
        responses.setdefault("401", error("Wrong or malformed credentials (HTTP Basic)."))
        responses.setdefault("429", error("Too many failed logins from this address for this username."))
        if self.method not in SAFE_METHODS:
            responses.setdefault(
                "403", error("Only editors may change the record (or the CSRF check failed).")
            )
            responses.setdefault("413", error("The request body is too large."))
        responses.setdefault("404", error("Nothing has this id or code, or no such page of the list."))
        if self._versioned_write():
            precondition = PreconditionOutputSerializer
            responses.setdefault("412", error("The record changed since it was read.", precondition))
            responses.setdefault("428", error("If-Match is missing.", precondition))
        if self.method == "POST" and getattr(self.view, "action", None) in ("create", "restore"):
            responses.setdefault("409", error("A concurrent write recorded the same thing first."))
        return responses

    def _error_response(self, description: str, schema: Any = ErrorOutputSerializer) -> dict[str, Any]:
        if isinstance(schema, dict):
            content = {"schema": schema}
        else:
            content = {"schema": self.resolve_serializer(schema, "response").ref}
        return {"description": description, "content": {"application/json": content}}
