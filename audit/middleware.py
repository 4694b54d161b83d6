from ipaddress import ip_address

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from .context import request_bound


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as sign-in lockout reads it: behind TRUSTED_PROXY_COUNT proxies,
    the one the nearest trusted proxy appended, so a forged X-Forwarded-For names nobody."""
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(request)
    try:
        return str(ip_address(address)) if address else None
    except ValueError:
        return None


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, reading the actor and address only when an entry is written:
    an API token's user is known only once DRF has authenticated the request, and most
    requests (respondents' autosaves) change nothing that is audited."""

    def get_extra_data(self, request: HttpRequest) -> dict:
        def user():
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else None

        return {
            "remote_addr": lambda: client_ip(request),
            "remote_port": None,
            # auditlog sets `actor` only from a user object; these are read at write time.
            "actor": None,
            "actor_id": lambda: user().pk if user() else None,
            "actor_email": lambda: user().email if user() else None,
        }

    def __call__(self, request: HttpRequest):
        with request_bound(request):
            return super().__call__(request)
