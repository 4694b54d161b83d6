"""How the API reads requests: bounded JSON, and token keys checked before any query.

Kept apart from cxmaturity.api because DRF imports these while it loads its own views.
"""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, parsers


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


class TokenAuthentication(authentication.TokenAuthentication):
    """Token auth that answers 401 for a malformed key instead of querying with it."""

    def authenticate_credentials(self, key: str):
        if not re.fullmatch(r"[0-9a-f]{40}", key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)
