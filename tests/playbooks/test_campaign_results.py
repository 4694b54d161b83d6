"""Campaign monitoring: the status history, KPIs since launch, actual spend, test results
by hand, CSV and API, and the results in the page and the campaign plan PDF."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from kpis.models import Measurement
from playbooks.models import CampaignPlan, CampaignStatusChange, Document
from playbooks.results import campaign_results
from playbooks.services import campaign_save, document_render, document_request
from tests.playbooks.factories import CampaignFactory, activity_rows
from tests.playbooks.test_api import _active_plan_kpis

pytestmark = pytest.mark.django_db

TEST_PLAN = {
    "test_kind": "ab",
    "test_hypothesis": "A shorter form converts more.",
    "test_variants": ["Long form", "Short form"],
    "test_metric": "Sign-ups",
    "test_min_sample": 1000,
}


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


@pytest.fixture
def tested(acme_client):
    return CampaignFactory(client=acme_client, **TEST_PLAN)


def _url(campaign, name):
    return f"/api/v1/workspaces/{campaign.client.workspace_id}/campaigns/{campaign.id}/{name}/"


def _rows(*counts):
    names = TEST_PLAN["test_variants"]
    return [
        {"variant": n, "visitors": v, "conversions": c}
        for n, (v, c) in zip(names, counts, strict=True)
    ]


def test_each_status_change_is_kept_once_with_who_made_it(api, consultant, tested):
    assert list(tested.status_changes.values_list("status", flat=True)) == ["draft"]
    url = f"/api/v1/workspaces/{tested.client.workspace_id}/campaigns/{tested.id}/"
    for status in ["approved", "approved", "running"]:
        assert api.patch(url, {"status": status}, format="json").status_code == 200
    history = list(tested.status_changes.all())
    assert [h.status for h in history] == ["draft", "approved", "running"]
    assert history[-1].changed_by == consultant
    results = api.get(_url(tested, "results")).json()
    assert [h["status"] for h in results["history"]] == ["draft", "approved", "running"]
    assert results["launched"] == timezone.localdate().isoformat()


def test_kpis_are_read_from_their_value_at_launch(acme_client):
    first, second = _active_plan_kpis(acme_client)  # 1 → 2 over 2027, increasing
    campaign = CampaignFactory(client=acme_client, kpis=[first.id, second.id])
    for day, value in [
        (datetime.date(2027, 3, 1), "1.2"),
        (datetime.date(2027, 4, 1), "1.3"),
        (datetime.date(2027, 9, 1), "1.9"),
    ]:
        Measurement.objects.create(kpi=first, date=day, value=Decimal(value))
    assert all(r["status"] is None for r in campaign_results(campaign)["kpis"])  # not live yet
    CampaignStatusChange.objects.create(
        campaign=campaign,
        status="running",
        changed_at=datetime.datetime(2027, 4, 1, 12, tzinfo=datetime.UTC),
    )
    rows = {r["kpi"].name: r for r in campaign_results(campaign)["kpis"]}
    one = rows[first.name]
    assert one["at_launch"] == Decimal("1.3")  # on the launch day counts as at launch
    assert one["now"] == Decimal("1.9")
    assert not one["from_baseline"]
    # From 1.3 on 1 April to 2 at year end: by 1 September 0.6 of 0.7 is done, 5/9 due.
    assert one["status"] == "on_track"
    assert one["own"] == "on_track"
    assert one["spark"]
    assert "1.3, 1.9" in one["spark_label"]
    two = rows[second.name]
    assert two["at_launch"] == second.baseline
    assert two["from_baseline"]
    assert two["status"] == "no_data"


def test_a_kpi_past_its_target_at_launch_keeps_its_own_status(acme_client):
    (kpi,) = _active_plan_kpis(acme_client, n=1)
    campaign = CampaignFactory(client=acme_client, kpis=[kpi.id])
    Measurement.objects.create(kpi=kpi, date=datetime.date(2027, 2, 1), value=Decimal("2.5"))
    CampaignStatusChange.objects.create(
        campaign=campaign,
        status="running",
        changed_at=datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC),
    )
    (row,) = campaign_results(campaign)["kpis"]
    assert row["status"] == row["own"] == "met"
    assert row["since_own"]


def test_actual_spend_is_entered_per_activity_and_flagged_over_budget(api, acme_client):
    rows = activity_rows(3)
    rows[0]["actual_spend"] = "450"
    rows[1]["actual_spend"] = "620.50"
    campaign = CampaignFactory(client=acme_client, activities=rows, total_budget="1500")
    spend = campaign_results(campaign)["spend"]
    assert [r["over"] for r in spend["rows"]] == [False, True, False]
    assert spend["planned"] == Decimal("1500")
    assert spend["actual"] == Decimal("1070.50")
    assert not spend["over"]
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/campaigns/{campaign.id}/"
    body = {"activities": [{**a, "start": str(a["start"]), "end": str(a["end"])} for a in rows]}
    body["activities"][2]["actual_spend"] = "900"
    answer = api.patch(url, body, format="json")
    assert answer.status_code == 200
    assert [a["actual_spend"] for a in answer.json()["activities"]] == [
        "450.00",
        "620.50",
        "900.00",
    ]
    assert api.get(_url(campaign, "results")).json()["spend"]["over"] is True
    body["activities"][2]["actual_spend"] = "-1"
    refused = api.patch(url, body, format="json")
    assert refused.status_code == 400
    assert "actual_spend" in str(refused.json())


def test_actual_spend_goes_through_the_activity_form(client, consultant, acme_client):
    from tests.playbooks.test_pages import FORM

    client.force_login(consultant)
    form = {**FORM, "activity-0-actual_spend": "123.45"}
    assert (
        client.post(
            reverse("campaign_create", args=[acme_client.workspace_id, acme_client.id]), form
        ).status_code
        == 302
    )
    assert CampaignPlan.objects.get().activities.first().actual_spend == Decimal("123.45")


def test_test_results_through_the_api_give_lift_z_and_p(api, tested):
    answer = api.put(
        _url(tested, "test-results"), {"results": _rows((1000, 100), (1000, 130))}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    test = answer.json()["test"]
    control, variant = test["variants"]
    assert control["control"]
    assert variant["lift"] == 30.0
    assert variant["z"] == pytest.approx(2.103, abs=1e-3)
    assert variant["p"] == pytest.approx(0.0355, abs=1e-4)
    assert test["verdict"] == "winner"
    assert test["winner"] == "Short form"


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        (((100, 101), (100, 1)), "conversions"),
        (((-1, 0), (100, 1)), "visitors"),
        (((100, 1), (100, -5)), "conversions"),
    ],
)
def test_bad_counts_are_refused_naming_the_field_and_nothing_is_saved(api, tested, counts, field):
    answer = api.put(_url(tested, "test-results"), {"results": _rows(*counts)}, format="json")
    assert answer.status_code == 400
    assert field in str(answer.json())
    tested.refresh_from_db()
    assert tested.test_results == {}


def test_a_variant_the_campaign_does_not_test_is_refused(api, tested):
    rows = [{"variant": "Medium form", "visitors": 10, "conversions": 1}]
    answer = api.put(_url(tested, "test-results"), {"results": rows}, format="json")
    assert answer.status_code == 400
    assert "variant" in answer.json()


def test_no_winner_until_the_sample_and_no_difference_when_p_is_high(api, tested):
    url = _url(tested, "test-results")
    test = api.put(url, {"results": _rows((500, 50), (500, 90))}, format="json").json()["test"]
    assert test["verdict"] == "waiting"
    assert "No winner yet" in test["verdict_text"]
    test = api.put(url, {"results": _rows((1000, 100), (1000, 104))}, format="json").json()["test"]
    assert test["verdict"] == "no_difference"
    assert "No significant difference" in test["verdict_text"]
    test = api.put(url, {"results": _rows((1000, 0), (1000, 0))}, format="json").json()["test"]
    assert test["variants"][1]["z"] is None
    assert test["variants"][1]["lift"] is None


def test_test_results_by_hand_on_the_results_tab(client, consultant, viewer, tested):
    url = reverse("campaign_test_results", args=[tested.client.workspace_id, tested.id])
    client.force_login(consultant)
    form = {
        "variant": TEST_PLAN["test_variants"],
        "visitors": ["1000", "1,000"],
        "conversions": ["100", "130"],
    }
    saved = client.post(url, form)
    assert saved.status_code == 302
    page = client.get(saved.url).text
    assert "+30.0&nbsp;%" in page
    assert "2.103" in page
    bad = client.post(url, {**form, "conversions": ["100", "1300"]})
    assert bad.status_code == 400
    assert "conversions" in bad.text
    tested.refresh_from_db()
    assert tested.test_results["Short form"] == {"visitors": 1000, "conversions": 130}
    client.force_login(viewer)
    assert client.get(saved.url).status_code == 200
    assert client.post(url, form).status_code == 403


def test_test_results_from_a_csv_file_all_or_nothing(client, consultant, tested):
    url = reverse("campaign_test_results", args=[tested.client.workspace_id, tested.id])
    client.force_login(consultant)

    def upload(text):
        return client.post(url, {"file": SimpleUploadedFile("r.csv", text.encode())})

    bad = upload("variant,visitors,conversions\nLong form,1000,100\nShort form,1000,x\nNone,1,1\n")
    assert bad.status_code == 400
    assert "Row 3, conversions" in bad.text
    assert "Row 4, variant" in bad.text
    tested.refresh_from_db()
    assert tested.test_results == {}
    assert "header" in upload("name,visits\nA,1\n").text
    assert (
        upload(
            "variant,visitors,conversions\nLong form,1000,100\nShort form,1000,130\n"
        ).status_code
        == 302
    )
    tested.refresh_from_db()
    assert tested.test_results["Long form"] == {"visitors": 1000, "conversions": 100}


def test_the_campaign_plan_pdf_holds_the_results(acme_client, settings, tmp_path):
    rows = activity_rows(2)
    rows[0]["actual_spend"] = "600"
    campaign = CampaignFactory(client=acme_client, activities=rows, **TEST_PLAN)
    campaign = campaign_save(
        client=acme_client, campaign=campaign, fields={"status": "running"}, partial=True
    )
    from playbooks.services import variant_results_save

    variant_results_save(campaign=campaign, rows=_rows((1000, 100), (1000, 130)))
    document = document_request(
        client=acme_client, kind=Document.Kind.CAMPAIGN_PLAN, campaign=campaign, enqueue=False
    )
    document_render(document_id=document.id)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    with document.file.open("rb") as f:
        text = "\n".join(page.extract_text() for page in PdfReader(f).pages)
    for expected in [
        "Status history",
        "KPIs since launch",
        "Spend",
        "over budget",
        "Test results",
        "“Short form” wins",
        "+30.0",
        "2.103",
        "0.0355",
        "Live",
    ]:
        assert expected in text, expected
