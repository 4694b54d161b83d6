import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from cxmaturity.leases import LeaseHeld
from kpis.inputs import KPIInput
from kpis.services import kpi_create, plan_activate, plan_create
from playbooks import pdf, services
from playbooks.charts import gantt
from playbooks.models import CampaignActivity, CampaignPlan, Document, document_upload_to
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Loyalty relaunch",
    "journey": "shopping",
    "lifecycle_stage": "post_purchase",
    "channels": ["email", "web"],
    "tactics": "Welcome series\n\nMember prices on the site\n",
    "total_budget": "10000",
    "currency": "gbp",
}
ACTIVITY = {
    "title": "Welcome emails",
    "channel": "email",
    "start": "2027-01-04",
    "end": "2027-02-28",
}


def _kpi(plan, name="Repeat purchase rate"):
    return kpi_create(
        plan=plan,
        data=KPIInput.from_values(
            dict(
                name=name,
                direction="increase",
                baseline=10,
                target=20,
                start=datetime.date(2027, 1, 1),
                due=datetime.date(2027, 12, 31),
            )
        ),
    )


def test_a_campaign_is_saved_with_its_timeline_links_and_clean_text(acme_client):
    plan = plan_activate(plan=plan_create(client=acme_client, title="Plan"))
    kpi = _kpi(plan)
    campaign = services.campaign_save(
        client=acme_client,
        fields={**FIELDS, "kpis": [kpi.id]},
        activities=[{**ACTIVITY, "budget": "2500"}],
    )
    assert campaign.strategy_plan == plan
    assert campaign.tactics == ["Welcome series", "Member prices on the site"]
    assert campaign.currency == "GBP"
    assert list(campaign.kpis.all()) == [kpi]
    assert campaign.activities.get().budget == Decimal("2500.00")
    services.campaign_save(client=acme_client, campaign=campaign, fields={**FIELDS, "name": "B"})
    assert campaign.activities.count() == 1  # activities=None keeps the timeline


@pytest.mark.parametrize(
    ("fields", "activities", "field"),
    [
        ({"name": " "}, [], "name"),
        ({"journey": "browsing"}, [], "journey"),
        ({"channels": ["fax"]}, [], "channels"),
        ({"currency": "€"}, [], "currency"),
        ({"total_budget": "-5"}, [], "total_budget"),
        ({"total_budget": "100"}, [{**ACTIVITY, "budget": "250"}], "total_budget"),
        ({}, [{**ACTIVITY, "end": "2026-12-01"}], "activities"),
        ({}, [{**ACTIVITY, "start": "next week"}], "activities"),
        (
            {"test_kind": "ab", "test_hypothesis": "H", "test_variants": "A\nB\nC"},
            [],
            "test_variants",
        ),
        ({"test_kind": "ab", "test_variants": "A\nB"}, [], "test_hypothesis"),
        (
            {
                "test_kind": "multivariate",
                "test_hypothesis": "H",
                "test_variants": "A\nB\nC",
                "test_metric": "V",
            },
            [],
            "test_min_sample",
        ),
    ],
)
def test_bad_campaign_input_names_the_field_and_saves_nothing(
    acme_client, fields, activities, field
):
    with pytest.raises(ValidationError) as caught:
        services.campaign_save(
            client=acme_client, fields={**FIELDS, **fields}, activities=activities
        )
    assert field in caught.value.message_dict
    assert not CampaignPlan.objects.exists()
    assert not CampaignActivity.objects.exists()


def test_links_must_come_from_the_clients_plan(acme_client):
    plan_activate(plan=plan_create(client=acme_client, title="Mine"))
    other = ClientFactory(workspace=acme_client.workspace)
    foreign = _kpi(plan_create(client=other, title="Theirs"))
    with pytest.raises(ValidationError) as caught:
        services.campaign_save(client=acme_client, fields={**FIELDS, "kpis": [foreign.id]})
    assert "kpis" in caught.value.message_dict
    assert not CampaignPlan.objects.exists()


def test_a_draft_from_the_roadmap_fits_the_stage_and_links_the_plans_kpis(acme_client):
    plan = plan_activate(plan=plan_create(client=acme_client, title="Plan"))
    visits = _kpi(plan, "Visits")
    early = services.campaign_from_library(client=acme_client, dimension_key="strategy", stage=2)
    later = services.campaign_from_library(client=acme_client, dimension_key="strategy", stage=5)
    assert early.name != later.name
    assert early.tactics
    assert early.activities.exists()
    assert early.status == CampaignPlan.Status.DRAFT
    assert early.dimension_key == "strategy"
    assert visits in early.kpis.all()
    assert later.test_kind  # the later stages are ready to test
    total = sum(a.budget or 0 for a in early.activities.all())
    assert early.total_budget == total
    with pytest.raises(ValidationError):
        services.campaign_from_library(
            client=acme_client, dimension_key="no-such-dimension", stage=2
        )


def test_versions_count_up_per_client_and_per_campaign(
    acme_client, django_capture_on_commit_callbacks
):
    campaign = services.campaign_save(client=acme_client, fields=FIELDS)
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.document_request(client=acme_client, kind="playbook")
    assert len(callbacks) == 1  # the task is sent once the row is committed
    second = services.document_request(client=acme_client, kind="playbook", page_size="letter")
    plan_pdf = services.document_request(
        client=acme_client, kind="campaign_plan", campaign=campaign
    )
    assert (first.version, second.version, plan_pdf.version) == (1, 2, 1)
    assert second.page_size == "letter"
    assert first.status == Document.Status.QUEUED
    other = ClientFactory(workspace=acme_client.workspace)
    with pytest.raises(ValidationError) as caught:
        services.document_request(client=other, kind="campaign_plan", campaign=campaign)
    assert "campaign" in caught.value.message_dict


def test_rendering_is_idempotent_by_document_id(acme_client):
    services.campaign_save(client=acme_client, fields=FIELDS, activities=[ACTIVITY])
    document = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    done = services.document_render(document_id=document.id)
    assert done.status == Document.Status.DONE
    assert done.progress == 100
    assert done.file.read(5) == b"%PDF-"
    assert done.size == done.file.size
    assert len(done.sha256) == 64
    assert done.pages >= 3
    assert services.document_render(document_id=document.id) is None  # already done
    assert Document.objects.count() == 1


def test_a_claimed_render_is_left_to_its_worker_until_the_lease_ends(acme_client):
    document = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    now = datetime.datetime.now(datetime.UTC)
    lease = datetime.timedelta(seconds=settings.DOCUMENT_RENDER_LEASE)
    Document.objects.filter(id=document.id).update(
        status="rendering", started_at=now, lease_until=now + lease, attempts=1
    )
    with pytest.raises(LeaseHeld) as held:
        services.document_render(document_id=document.id)
    assert 0 < held.value.seconds_left <= lease.total_seconds()
    Document.objects.filter(id=document.id).update(lease_until=now - datetime.timedelta(seconds=1))
    done = services.document_render(document_id=document.id)
    assert done.status == Document.Status.DONE
    assert (done.attempts, done.lease_until) == (2, None)


def test_stuck_documents_are_sent_again_and_fail_after_three_attempts(acme_client, monkeypatch):
    sent = []
    monkeypatch.setattr("playbooks.tasks.document_render_task.delay", lambda i: sent.append(i))
    lost = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    tired = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    fresh = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    Document.objects.filter(id=lost.id).update(
        status="rendering", started_at=long_ago, lease_until=long_ago, attempts=1
    )
    Document.objects.filter(id=tired.id).update(
        status="rendering", started_at=long_ago, lease_until=long_ago, attempts=3
    )
    assert services.documents_requeue_stuck() == 1
    assert sent == [str(lost.id)]
    tired.refresh_from_db()
    fresh.refresh_from_db()
    assert tired.status == Document.Status.FAILED
    assert "3 times" in tired.error
    assert fresh.status == Document.Status.QUEUED


def test_a_full_disk_mid_save_leaves_no_partial_pdf_and_the_render_is_retried(
    acme_client, monkeypatch, settings, tmp_path
):
    import errno

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    document = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kwargs: (b"%PDF-" + b"x" * 99, 1))

    def chunks(self, chunk_size=None):
        yield b"%PDF-"
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ContentFile, "chunks", chunks)
    with pytest.raises(services.TransientRenderError):
        services.document_render(document_id=document.id)
    assert not default_storage.exists(document_upload_to(document, ""))
    document.refresh_from_db()
    assert (document.status, document.attempts, document.lease_until) == ("queued", 1, None)
    assert "No space left" in document.error


def test_an_outcome_the_database_refuses_fails_the_document_with_a_message(
    acme_client, monkeypatch
):
    from django.core.files.storage import default_storage

    document = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    monkeypatch.setattr(
        services.documents, "document_html", lambda d: ("<p>x</p>", {"x": object()})
    )
    assert services.document_render(document_id=document.id) is None
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert "could not be stored" in document.error
    assert not document.file
    assert not default_storage.exists(document_upload_to(document, ""))


def test_a_failed_render_says_why(acme_client, monkeypatch):
    document = services.document_request(client=acme_client, kind="playbook", enqueue=False)

    def broken(*args, **kwargs):
        raise ValueError("layout exploded")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    services.document_render(document_id=document.id)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert "layout exploded" in document.error
    assert not document.file


def test_the_fetcher_serves_our_static_files_and_this_workspaces_logo_only(acme_client):
    fetch = pdf.url_fetcher_for(acme_client.workspace_id)
    assert b".radar-ring" in fetch(pdf.static_url("css/charts.css"))["string"]
    for url in [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://cxmaturity.invalid/static/../../settings.py",
        "https://cxmaturity.invalid/media/logos/00000000-0000-4000-8000-000000000000/a.png",
        "https://cxmaturity.invalid/media/documents/x.pdf",
        "data:text/html,<b>x</b>",
    ]:
        with pytest.raises(pdf.RefusedURL, match="Not fetched"):
            fetch(url)


def test_urls_and_html_in_client_text_are_shown_escaped_and_never_fetched(acme_client, monkeypatch):
    from pypdf import PdfReader

    acme_client.name = 'Evil <img src="file:///etc/passwd"> Co'
    acme_client.save()
    services.campaign_save(
        client=acme_client,
        fields={
            **FIELDS,
            "name": '<link rel="stylesheet" href="http://example.com/x.css">',
            "tactics": '<img src="https://example.com/track.png">\nurl(file:///etc/shadow)',
        },
    )
    seen: list[str] = []
    real = pdf.url_fetcher_for
    monkeypatch.setattr(pdf, "url_fetcher_for", lambda ws, seen_=seen: real(ws, seen=seen_))
    document = services.document_request(client=acme_client, kind="playbook", enqueue=False)
    done = services.document_render(document_id=document.id)
    assert done.status == Document.Status.DONE, done.error
    assert all(url.startswith(pdf.BASE_URL) for url in seen), seen
    assert not any("example.com" in url or "etc/" in url for url in seen)
    text = "".join(page.extract_text() for page in PdfReader(done.file.path).pages)
    assert '<img src="file:///etc/passwd">' in text
    assert "http://example.com/x.css" in text


def test_the_gantt_chart_puts_bars_on_one_time_axis():
    chart = gantt(
        [
            {
                "title": "A",
                "start": datetime.date(2027, 1, 1),
                "end": datetime.date(2027, 1, 31),
                "channel": "",
            },
            {
                "title": "Brief the agency on the spring loyalty relaunch and its landing pages",
                "start": datetime.date(2027, 2, 1),
                "end": datetime.date(2027, 2, 1),
                "channel": "email",
            },
        ],
        width=720,
        label_width=220,
    )
    first, second = chart["bars"]
    assert first["x"] == 220
    assert second["x"] > first["x"] + first["w"] - 0.5
    assert second["w"] >= 3  # a one-day activity still shows
    # A long title wraps onto lines in a taller row, every word kept.
    assert len(second["lines"]) > 1
    assert " ".join(line["text"] for line in second["lines"]) == second["full"]
    assert chart["axis_y"] > 24 + 2 * 26
    assert [t["label"] for t in chart["ticks"] if t["show"]] == ["1 Jan 2027", "Feb 2027"]
    assert gantt([])["bars"] == []
