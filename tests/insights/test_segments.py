import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insights import services
from insights.models import SegmentAnalysis

pytestmark = pytest.mark.django_db

CSV = (
    b"customer_id,date,amount\n"
    b"a,2026-01-01,10\na,2026-01-11,20\na,2026-01-31,30\nb,2026-03-01,100\n"
    b"c,2026-02-01,5\nc,2026-02-15,5\nd,2025-06-01,50\ne,2026-03-20,7\n"
)
AS_OF = datetime.date(2026, 3, 31)


def test_an_analysis_runs_keeps_only_pseudonymous_scores_and_deletes_the_upload(acme_client):
    analysis = services.analysis_request(
        client=acme_client, data=CSV, name="Q1", as_of=AS_OF, enqueue=False
    )
    upload = analysis.upload.name
    assert analysis.upload.storage.exists(upload)
    done = services.analysis_run(analysis_id=analysis.id)
    assert done.status == SegmentAnalysis.Status.DONE
    assert (done.rows, done.customers, done.window_days) == (8, 5, 304)
    assert not done.upload
    assert not analysis.upload.storage.exists(upload)  # the raw file is gone
    table = services.analysis_table(done)
    assert set(table["customer_id"]) == {"a", "b", "c", "d", "e"}
    assert "amount" not in table.columns  # per customer, not the transactions
    summary = done.summary
    assert summary["customers"] == 5
    assert sum(cell["customers"] for cell in summary["grid"]) == 5
    assert summary["at_risk"][0]["customer_id"] == "b"
    assert services.analysis_run(analysis_id=analysis.id) is None  # already done


def test_changing_k_and_the_lifetime_inputs_recomputes_the_summary(acme_client):
    analysis = services.analysis_request(
        client=acme_client, data=CSV, name="Q1", as_of=AS_OF, enqueue=False
    )
    done = services.analysis_run(analysis_id=analysis.id)
    before = done.summary["at_risk_count"]
    services.analysis_update(analysis=done, fields={"k": 5, "margin": "0.5", "cost": 10})
    done.refresh_from_db()
    assert done.summary["at_risk_count"] < before
    new = next(s for s in done.summary["segments"] if s["segment"] == "new")
    assert new["lifetime_value"] == pytest.approx(53.5 * 365 / 304 * 3 * 0.5 - 10)
    with pytest.raises(ValidationError) as caught:
        services.analysis_update(analysis=done, fields={"margin": "1.5"})
    assert "margin" in caught.value.message_dict


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"customer_id,date,amount\nx,2026-01-01,-3\n", "Row 2, amount"),
        (b"customer_id,date,amount\nx,2026-01-01,1\ny,2026-01-01,1\nz,March 3,1\n", "Row 4, date"),
        (b"customer_id,email,date,amount\nx,x@y.co,2026-01-01,1\n", "email"),
    ],
)
def test_a_bad_file_is_refused_with_its_message_and_nothing_is_saved(acme_client, data, message):
    with pytest.raises(ValidationError) as caught:
        services.analysis_request(client=acme_client, data=data, name="", as_of=AS_OF)
    assert message in " ".join(caught.value.message_dict["file"])
    assert not SegmentAnalysis.objects.exists()


def test_the_page_uploads_shows_progress_then_the_grid(client, consultant, acme_client):
    client.force_login(consultant)
    url = reverse("insights", args=[acme_client.workspace_id, acme_client.id])
    bad = client.post(
        url,
        {
            "file": SimpleUploadedFile("t.csv", b"customer_id,date,amount\nx,soon,1\n"),
            "as_of": "2026-03-31",
            "k": "2",
        },
    )
    assert bad.status_code == 400
    assert "Row 2, date" in bad.text
    assert not SegmentAnalysis.objects.exists()
    made = client.post(
        url, {"file": SimpleUploadedFile("t.csv", CSV), "as_of": "2026-03-31", "k": "2"}
    )
    assert made.status_code == 302
    analysis = SegmentAnalysis.objects.get()
    waiting = client.get(made.url)
    assert "<progress" in waiting.text
    assert "data-refresh-when-done" in waiting.text
    services.analysis_run(analysis_id=analysis.id)
    page = client.get(made.url)
    # The page's script reloads once when its marker is gone.
    assert "data-refresh-when-done" not in page.text
    assert 'class="rf-grid"' in page.text
    assert "Champions" in page.text or "New" in page.text
    assert "Lifetime value = average order value" in page.text


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    client, consultant, acme_client, settings
):
    settings.MAX_REQUEST_BYTES = 1000
    client.force_login(consultant)
    url = reverse("insights", args=[acme_client.workspace_id, acme_client.id])
    big = SimpleUploadedFile("t.csv", CSV + b"z,2026-01-01,1\n" * 200)
    response = client.post(url, {"file": big, "as_of": "2026-03-31", "k": "2"})
    assert response.status_code == 413
    assert "not read" in response.text
    assert not SegmentAnalysis.objects.exists()


def test_a_viewer_reads_but_cannot_upload_or_delete(client, viewer, acme_client):
    analysis = services.analysis_request(
        client=acme_client, data=CSV, name="Q1", as_of=AS_OF, enqueue=False
    )
    services.analysis_run(analysis_id=analysis.id)
    client.force_login(viewer)
    ws = acme_client.workspace_id
    assert client.get(reverse("segment_analysis", args=[ws, analysis.id])).status_code == 200
    assert client.post(reverse("insights", args=[ws, acme_client.id])).status_code == 403
    assert (
        client.post(reverse("segment_analysis_delete", args=[ws, analysis.id])).status_code == 403
    )
    assert SegmentAnalysis.objects.exists()


def test_segments_are_offered_as_a_campaigns_target_segment(client, consultant, acme_client):
    analysis = services.analysis_request(
        client=acme_client, data=CSV, name="Q1", as_of=AS_OF, enqueue=False
    )
    services.analysis_run(analysis_id=analysis.id)
    client.force_login(consultant)
    page = client.get(reverse("campaign_create", args=[acme_client.workspace_id, acme_client.id]))
    assert '<datalist id="segment-choices">' in page.text
    assert "New customers (2, RFM analysis of 2026-03-31)" in page.text


def test_every_stored_segment_label_is_listed_for_translation():
    from django.utils import translation

    from insights import rfm
    from insights.segment_names import NAMES

    with translation.override("en"):
        assert {str(name) for name in NAMES} == set(rfm.SEGMENT_LABELS.values())
