import pytest
from django.urls import reverse

from cxmaturity.celery import app as celery_app


def test_livez_is_a_constant_200_that_touches_no_database(client):
    # No django_db mark: any query here would raise "Database access not allowed".
    response = client.get(reverse("livez"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_naming_what_is_down(client, monkeypatch):
    # A broker address where nothing listens: the broker and so the worker are down.
    # (Celery reads CELERY_BROKER_URL from the environment before its own settings.)
    nowhere = "redis://127.0.0.1:9/0"
    monkeypatch.setenv("CELERY_BROKER_URL", nowhere)
    monkeypatch.setitem(celery_app.conf, "broker_url", nowhere)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "up"
    assert body["checks"]["broker"] == "down"
    assert body["checks"]["worker"] == "down"
