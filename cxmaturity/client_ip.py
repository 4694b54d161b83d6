"""The address a request came from, behind TRUSTED_PROXY_COUNT proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so with
N trusted proxies the client is the N-th entry from the right; everything to its left was
sent by the client and may be forged. Sign-in lockouts (django-axes) and rate limits use it.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Not through every proxy: only the connection's address can be trusted.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
