"""Refuse oversized request bodies by their declared length, before anything reads them."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Django's upload handlers stream files of any size to disk, and the CSRF check reads
    the body of every POST; a 200 MB upload is refused here, before either happens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from .views import _error_page

            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return _error_page(
                request,
                413,
                _(
                    "The upload is larger than %(mb)d MB, so it was not read. Split the export "
                    "(for example by year) and upload the parts one at a time."
                )
                % {"mb": limit},
            )
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person reads the site in the language saved on their account (chosen
    in the header's menu), on any browser; without one LocaleMiddleware's choice (the
    language cookie, then Accept-Language) stands. Runs after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
