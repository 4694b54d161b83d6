"""What the audit trail needs to know about the work in progress: the request being served
(its user and address name the actor of every change), and the rows a deletion is taking
with it (their own deletions are part of the one deletion that is recorded)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_deleting: ContextVar[set[tuple[str, str]] | None] = ContextVar("audit_deleting", default=None)


@contextmanager
def request_bound(request: HttpRequest) -> Iterator[None]:
    request_token = _request.set(request)
    deleting_token = _deleting.set(set())
    try:
        yield
    finally:
        _deleting.reset(deleting_token)
        _request.reset(request_token)


def current_request() -> HttpRequest | None:
    return _request.get()


def _deleting_set() -> set[tuple[str, str]]:
    keys = _deleting.get()
    if keys is None:  # outside a request: a task, a shell, a test
        keys = set()
        _deleting.set(keys)
    return keys


def deletion_started(key: tuple[str, str]) -> None:
    _deleting_set().add(key)


def deletion_finished(key: tuple[str, str]) -> None:
    _deleting_set().discard(key)


def being_deleted(key: tuple[str, str]) -> bool:
    return key in _deleting_set()


def acting_user():
    """The signed-in user of the request being served, or None (a task, a respondent)."""
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None
