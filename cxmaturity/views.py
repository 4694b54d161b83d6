from django.db import connection
from django.http import HttpRequest, JsonResponse
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
