"""Regressions from a review that tried to break customer insight and the playbooks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from insights import listening, rfm, services, streaming
from insights.models import ListeningMonth, SegmentAnalysis
from playbooks import pdf
from playbooks import services as playbook_services
from playbooks.models import Document
from tests.insights.test_listening import CSV as LISTENING
from tests.insights.test_segments import AS_OF, CSV
from workspaces.services import client_delete, client_purge

pytestmark = pytest.mark.django_db

HEADER = b"customer_id,date,amount\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (HEADER + b"c1,2025-01-01,1e308\n", "Row 2, amount: is too large"),
        (b"customer_id,Customer_ID,date,amount\nx,x,2026-01-01,1\n", "twice"),
        (HEADER + b"c1,0000-01-01,1\n", "Row 2, date"),
        (HEADER + b"Ann Smith <ann@example.com>,2026-01-01,1\n", "email"),
        (HEADER + b"a@b.co;c@d.co,2026-01-01,1\n", "email"),
    ],
)
def test_transactions_that_broke_the_analysis_are_refused_up_front(data, message):
    with pytest.raises(rfm.TransactionsError, match=message):
        rfm.read_transactions(data)


@pytest.mark.parametrize(
    ("data", "mapping", "message"),
    [
        (LISTENING.replace(b"2026-09-03", b"0000-09"), None, "Row 2, date"),
        (LISTENING.replace(b"date,brand", b"date,Brand,brand", 1), None, "twice"),
        (LISTENING.replace(b"100,40", b"99999999999,40"), None, "Row 2, mentions: is too large"),
    ],
)
def test_listening_exports_that_broke_the_page_are_refused(data, mapping, message):
    with pytest.raises(listening.ListeningError, match=message):
        listening.read_listening(data, mapping)


def test_a_mapping_onto_a_column_the_file_also_has_reads_the_mapped_one():
    data = LISTENING.replace(b"rating\n", b"rating,volume\n", 1)
    data = data.replace(b",4.0\n", b",4.0,500\n").replace(b",4.5\n", b",4.5,500\n")
    data = data.replace(b",3.5\n", b",3.5,500\n").replace(b",,\n", b",,,500\n")
    table = listening.read_listening(data, {"mentions": "volume"})
    assert table["mentions"].to_list() == [500, 500, 500, 500]


def test_a_month_nobody_was_mentioned_has_no_share_of_voice():
    data = (
        b"date,brand,mentions,positive,negative,shares,reviews\n"
        b"2026-09,A,0,0,0,0,0\n2026-09,B,0,0,0,0,0\n"
    )
    table = listening.monthly(listening.read_listening(data))
    assert table["share_of_voice"].to_list() == [None, None]
    rows = listening.compare(table, client_brand="A", month=datetime.date(2026, 9, 1))
    assert not any(r["competitors_lead"] for r in rows)


def test_long_and_differently_cased_brands_are_one_brand_and_replaced_on_upload(acme_client):
    long = b"X" * 150
    data = LISTENING.replace(b"Contoso", long).replace(b"2026-09,Fabrikam", b"2026-09,CONTOSO")
    data += b"2026-09-02,contoso,forums,10,1,1,1,0,\n"
    for _ in range(3):
        services.listening_upload(client=acme_client, data=data, client_brand="Northwind")
    brands = set(ListeningMonth.objects.values_list("brand", flat=True))
    assert brands == {"Northwind", "X" * 120, "CONTOSO"}
    assert ListeningMonth.objects.filter(brand="X" * 120).count() == 1


def test_an_activity_in_the_year_9999_is_refused(acme_client):
    with pytest.raises(ValidationError) as caught:
        playbook_services.campaign_save(
            client=acme_client,
            fields={"name": "Far", "journey": "shopping", "lifecycle_stage": "purchase"},
            activities=[{"title": "Later", "start": "9999-12-01", "end": "9999-12-31"}],
        )
    assert "1900 to 2199" in caught.value.message_dict["activities"][0]


def test_an_analysis_deleted_while_it_runs_stays_deleted_and_leaves_no_file(
    acme_client, monkeypatch, django_capture_on_commit_callbacks
):
    analysis = services.analysis_request(
        client=acme_client, data=CSV, name="T", as_of=AS_OF, enqueue=False
    )
    real = streaming.analyse_file
    storage = analysis.upload.storage

    def deleted_meanwhile(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            SegmentAnalysis.objects.filter(id=analysis.id).delete()
        return real(*args, **kwargs)

    monkeypatch.setattr(streaming, "analyse_file", deleted_meanwhile)
    assert services.analysis_run(analysis_id=analysis.id) is None
    assert not SegmentAnalysis.objects.exists()
    folder = f"insights/{acme_client.workspace_id}"
    assert not storage.exists(folder) or storage.listdir(folder)[1] == []
    assert not storage.exists(analysis.upload.name)


def test_a_document_deleted_while_it_renders_leaves_no_file(acme_client, monkeypatch):
    document = playbook_services.document_request(
        client=acme_client, kind="playbook", enqueue=False
    )
    real = pdf.html_to_pdf

    def deleted_meanwhile(*args, **kwargs):
        Document.objects.filter(id=document.id).delete()
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", deleted_meanwhile)
    assert playbook_services.document_render(document_id=document.id) is None
    name = f"documents/{acme_client.workspace_id}/{document.id}.pdf"
    assert not document.file.storage.exists(name)


def test_deleting_a_client_deletes_its_files(acme_client, django_capture_on_commit_callbacks):
    queued = services.analysis_request(
        client=acme_client, data=CSV, name="Q", as_of=AS_OF, enqueue=False
    )
    done = services.analysis_run(
        analysis_id=services.analysis_request(
            client=acme_client, data=CSV, name="D", as_of=AS_OF, enqueue=False
        ).id
    )
    document = playbook_services.document_request(
        client=acme_client, kind="playbook", enqueue=False
    )
    document = playbook_services.document_render(document_id=document.id)
    storage = document.file.storage
    names = [queued.upload.name, done.table.name, document.file.name]
    assert all(storage.exists(n) for n in names)
    acme_client.archived = True
    acme_client.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_purge(client=client_delete(client=acme_client))
    assert not any(storage.exists(n) for n in names)


def test_archived_clients_take_no_new_data(acme_client):
    acme_client.archived = True
    acme_client.save()
    for call in [
        lambda: services.analysis_request(client=acme_client, data=CSV, name="", as_of=AS_OF),
        lambda: services.listening_upload(
            client=acme_client, data=LISTENING, client_brand="Northwind"
        ),
        lambda: playbook_services.document_request(client=acme_client, kind="playbook"),
    ]:
        with pytest.raises(ValidationError, match="Restore the client"):
            call()


def test_k_is_computed_as_it_is_stored(acme_client):
    analysis = services.analysis_run(
        analysis_id=services.analysis_request(
            client=acme_client, data=CSV, name="T", as_of=AS_OF, enqueue=False
        ).id
    )
    services.analysis_update(analysis=analysis, fields={"k": "1.104"})
    analysis.refresh_from_db()
    assert str(analysis.k) == "1.10"
    before = analysis.summary["at_risk_count"]
    services.analysis_update(analysis=analysis, fields={"currency": "gbp"})
    analysis.refresh_from_db()
    assert (analysis.summary["at_risk_count"], analysis.currency) == (before, "GBP")


def test_a_31st_tactic_from_a_finding_is_a_message_not_a_500(client, consultant, acme_client):
    services.listening_upload(client=acme_client, data=LISTENING, client_brand="Northwind")
    campaign = playbook_services.campaign_save(
        client=acme_client,
        fields={
            "name": "Full",
            "journey": "sharing",
            "lifecycle_stage": "purchase",
            "tactics": [f"Tactic {n}" for n in range(30)],
        },
    )
    client.force_login(consultant)
    response = client.post(
        reverse("listening_tactic", args=[acme_client.workspace_id, acme_client.id]),
        {"campaign": str(campaign.id), "finding": "sharing:sharing_rate", "month": "2026-09"},
        follow=True,
    )
    assert response.status_code == 200
    assert "At most 30 tactics" in response.text
