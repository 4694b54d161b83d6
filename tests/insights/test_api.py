import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from insights import services
from insights.models import ListeningMonth, SegmentAnalysis
from tests.factories import ClientFactory
from tests.insights.test_listening import CSV as LISTENING
from tests.insights.test_segments import AS_OF, CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


def test_an_analysis_is_uploaded_read_recomputed_and_deleted(api, workspace, acme_client):
    base = f"/api/v1/workspaces/{workspace.id}/segment-analyses/"
    made = api.post(
        base,
        {
            "client": str(acme_client.id),
            "file": SimpleUploadedFile("t.csv", CSV),
            "as_of": "2026-03-31",
        },
        format="multipart",
    )
    assert made.status_code == 202, made.json()
    assert made.json()["status"] == "queued"
    services.analysis_run(analysis_id=made.json()["id"])  # what the worker does
    one = api.get(f"{base}{made.json()['id']}/").json()
    assert (one["status"], one["customers"]) == ("done", 5)
    assert len(one["summary"]["grid"]) == 25
    changed = api.patch(f"{base}{one['id']}/", {"k": "5"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["summary"]["at_risk_count"] < one["summary"]["at_risk_count"]
    bad = api.patch(f"{base}{one['id']}/", {"margin": "2"}, format="json")
    assert bad.status_code == 400
    assert "margin" in bad.json()
    listed = api.get(base, {"client": str(acme_client.id)}).json()
    assert [a["id"] for a in listed["results"]] == [one["id"]]
    assert api.get(base, {"client": "nope"}).status_code == 400
    assert api.delete(f"{base}{one['id']}/").status_code == 204
    assert not SegmentAnalysis.objects.exists()


def test_a_bad_transactions_file_answers_400_naming_the_row(api, workspace, acme_client):
    base = f"/api/v1/workspaces/{workspace.id}/segment-analyses/"
    bad = api.post(
        base,
        {
            "client": str(acme_client.id),
            "file": SimpleUploadedFile("t.csv", b"customer_id,date,amount\nx,2026-01-01,-1\n"),
            "as_of": "2026-03-31",
        },
        format="multipart",
    )
    assert bad.status_code == 400
    assert "Row 2, amount" in bad.json()["file"][0]
    assert not SegmentAnalysis.objects.exists()


def test_listening_is_uploaded_and_compared(api, workspace, acme_client):
    url = f"/api/v1/workspaces/{workspace.id}/clients/{acme_client.id}/listening/"
    assert api.get(url).json()["rows"] == []
    sent = api.post(
        url,
        {"file": SimpleUploadedFile("l.csv", LISTENING), "client_brand": "Northwind"},
        format="multipart",
    )
    assert sent.status_code == 201
    assert sent.json()["rows"] == 4
    assert (sent.json()["import"]["status"], sent.json()["import"]["months"]) == ("done", 1)
    comparison = api.get(url, {"month": "2026-09"}).json()
    assert comparison["client_brand"] == "Northwind"
    assert {f["metric"] for f in comparison["findings"]} >= {"sharing_rate"}
    refused = api.post(
        url,
        {"file": SimpleUploadedFile("l.csv", LISTENING), "client_brand": "Nobody"},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "client_brand" in refused.json()
    assert ListeningMonth.objects.count() == 4


def test_another_workspaces_analysis_and_client_are_404(api, workspace):
    other = ClientFactory()
    analysis = services.analysis_request(
        client=other, data=CSV, name="T", as_of=AS_OF, enqueue=False
    )
    assert (
        api.get(f"/api/v1/workspaces/{workspace.id}/segment-analyses/{analysis.id}/").status_code
        == 404
    )
    listening = f"/api/v1/workspaces/{workspace.id}/clients/{other.id}/listening/"
    assert api.get(listening).status_code == 404
