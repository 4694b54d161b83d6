"""How the API reads requests: bounded JSON (tokens: workspaces.tokens).

Kept apart from cxmaturity.api because DRF imports these while it loads its own views.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, bounded: bodies over DATA_UPLOAD_MAX_MEMORY_SIZE and documents
    nested deeper than Python can parse answer 4xx instead of failing."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and length.isdigit() and int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise PayloadTooLarge
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("The JSON document is nested too deeply.")) from exc
