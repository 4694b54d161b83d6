"""Respondent link tokens.

The token is an HMAC of a 128-bit random nonce under the site's secret key: the server can
rebuild a respondent's link for the invitation, reminders and "copy link", while the
database keeps only the nonce and the token's SHA-256, so a copy of it opens nothing.
Re-issuing draws a new nonce, which kills the old link.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for(nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"cxmaturity.respondent:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
