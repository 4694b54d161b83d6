from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down", and is reported as such
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


def _workers() -> int:
    try:
        return len(celery_app.control.ping(timeout=1.0, limit=1) or [])
    except Exception:  # noqa: BLE001
        return 0


@never_cache
def healthz_view(request: HttpRequest) -> JsonResponse:
    database, broker = _database_ok(), _broker_ok()
    workers = _workers() if broker else 0
    checks = {
        "database": "up" if database else "down",
        "broker": "up" if broker else "down",
        "worker": "up" if workers else "down",
    }
    healthy = database and broker and workers > 0
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks, "workers": workers},
        status=200 if healthy else 503,
    )


def livez_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


_ERROR_TITLES = {
    400: _lazy("Bad request"),
    403: _lazy("Not allowed"),
    404: _lazy("Page not found"),
    413: _lazy("File too large"),
}


def _error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    # The API speaks JSON even for URLs no route matches; pages get a readable page.
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    context = {"title": _ERROR_TITLES[status], "message": message}
    return render(request, "error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else _("You may not do this.")
    return _error_page(request, 403, message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _error_page(request, 404, _("Not found."))
    return _error_page(
        request,
        404,
        _(
            "We could not find this page. It may have moved, or it belongs to a workspace "
            "you are not a member of."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Something went wrong on our side.")}, status=500)
    # No context processors: the error may come from them.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
