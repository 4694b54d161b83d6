"""The API's shared parts: one error shape, pagination, and the schema hook documenting both."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from cxmaturity.revisions import StaleRevision, revision_etag


def revision_field() -> serializers.IntegerField:
    """The revision a change starts from (optional; `If-Match` does the same)."""
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "The revision this change starts from; an older one than saved is refused "
            "with 409 and nothing is written."
        ),
    )


class RefuseUnknownFields:
    """For input serializers: a name that is no field here is refused (400 naming it)
    rather than silently dropped, as the typed inputs refuse it, so a misspelt field
    never looks saved."""

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Not a field here.")] for name in unknown}
                )
        return super().to_internal_value(data)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler plus Django's ValidationError from services, as `{"field": ["…"]}`.

    Every error body is an object: `detail` for a single message, otherwise field names
    (or `non_field_errors`) mapped to lists of messages.
    """
    if isinstance(exc, StaleRevision):
        # If-Match is HTTP's precondition (412); a `revision` in the body is a conflict.
        request = context.get("request")
        stale_status = 412 if request is not None and request.headers.get("If-Match") else 409
        return Response(
            {"detail": exc.messages[0]},
            status=stale_status,
            headers={"ETag": revision_etag(exc.current)},
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    if response is not None and isinstance(response.data, dict):
        response.data = {
            key: value if key == "detail" else _messages(value)
            for key, value in response.data.items()
        }
    return response


def _messages(errors: Any, prefix: str = "") -> list[str]:
    """Nested errors (a dict or list field) as flat messages that still name the part."""
    if isinstance(errors, dict):
        return [m for key, value in errors.items() for m in _messages(value, f"{prefix}{key}: ")]
    if isinstance(errors, list):
        if all(isinstance(e, str) for e in errors):
            return [f"{prefix}{e}" for e in errors]
        return [
            m for i, value in enumerate(errors) if value for m in _messages(value, f"{prefix}{i}: ")
        ]
    return [f"{prefix}{errors}"]


ERROR_SCHEMA = {
    "type": "object",
    "description": "A single `detail` message, or lists of messages keyed by field name.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

_ERROR_RESPONSES = {
    "400": "Invalid input: each bad field is named with its messages.",
    "401": "Not signed in.",
    "403": "Signed in, but your role may not do this.",
    "404": "No such object in your workspaces (or an invalid page).",
    "409": (
        "The object's state does not allow this now (e.g. a closed assessment), or the "
        "`revision` sent is older than the saved one: `detail` names who changed it and "
        "when, and `ETag` gives the current revision."
    ),
    "412": (
        "`If-Match` names an older revision than the saved one: nothing was written; "
        "`detail` names who changed it and when, and `ETag` gives the current revision."
    ),
    "413": "The request body is too large.",
}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: document the shared error shape on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in _ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": ref})
            if "requestBody" in operation:
                # A body whose Content-Type cannot be parsed (e.g. a broken multipart header).
                responses.setdefault(
                    "415", {"description": "The body's media type is not accepted.", "content": ref}
                )
    return result
