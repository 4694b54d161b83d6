import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insights import listening
from insights.models import ListeningMonth
from insights.services import listening_upload
from playbooks.services import campaign_save

pytestmark = pytest.mark.django_db

CSV = b"""date,brand,source,mentions,positive,negative,shares,reviews,rating
2026-09-03,Northwind,twitter,100,40,10,8,5,4.0
2026-09-10,Northwind,reviews,50,20,5,2,20,4.5
2026-09-01,Contoso,twitter,200,60,40,40,10,3.5
2026-09,Fabrikam,forums,50,30,5,15,,
"""
SEPT = datetime.date(2026, 9, 1)


def _by(rows, key):
    return {r[key]: r for r in rows}


def test_listening_scores_per_brand_and_month_by_hand():
    table = _by(listening.monthly(listening.read_listening(CSV)).to_dicts(), "brand")
    northwind = table["Northwind"]
    assert northwind["mentions"] == 150
    assert northwind["share_of_voice"] == pytest.approx(150 / 400)
    assert northwind["net_sentiment"] == pytest.approx((60 - 15) / 150)
    assert northwind["sharing_rate"] == pytest.approx(10 / 150)
    assert northwind["review_rating"] == pytest.approx((4.0 * 5 + 4.5 * 20) / 25)
    assert table["Fabrikam"]["review_rating"] is None  # no reviews: no rating
    assert table["Fabrikam"]["month"] == SEPT  # "2026-09" is a month


def test_comparison_names_where_competitors_lead():
    table = listening.monthly(listening.read_listening(CSV))
    rows = {
        (r["journey"], r["metric"]): r
        for r in listening.compare(table, client_brand="Northwind", month=SEPT)
    }
    sharing = rows[("sharing", "sharing_rate")]
    assert (sharing["best_brand"], sharing["best"]) == ("Fabrikam", 0.3)
    assert sharing["average"] == pytest.approx(0.25)
    assert sharing["competitors_lead"] is True
    assert rows[("advocacy", "review_rating")]["competitors_lead"] is False


def test_another_tools_columns_are_mapped():
    other = CSV.replace(b"mentions", b"Volume").replace(b"shares", b"Reposts")
    table = listening.read_listening(other, {"mentions": "volume", "shares": "Reposts"})
    assert table["mentions"].sum() == 400
    with pytest.raises(listening.ListeningError, match="no column for mentions"):
        listening.read_listening(other)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (CSV.replace(b"2026-09-10", b"10/09/2026"), "Row 3, date"),
        (CSV.replace(b"200,60,40", b"200,160,60"), "Row 4, positive"),
        (CSV.replace(b"100,40", b"-100,40"), "Row 2, mentions"),
        (CSV.replace(b"4.5", b"9"), "Row 3, rating"),
    ],
)
def test_bad_exports_are_refused_naming_row_and_column(acme_client, data, message):
    with pytest.raises(ValidationError) as caught:
        listening_upload(client=acme_client, data=data, client_brand="Northwind")
    assert message in " ".join(caught.value.message_dict["file"])
    assert not ListeningMonth.objects.exists()


def test_uploads_replace_the_same_brand_and_month_and_mark_the_client(acme_client):
    assert listening_upload(client=acme_client, data=CSV, client_brand="northwind") == 4
    assert listening_upload(client=acme_client, data=CSV, client_brand="Northwind") == 4
    assert ListeningMonth.objects.count() == 4
    assert set(ListeningMonth.objects.filter(is_client=True).values_list("brand", flat=True)) == {
        "Northwind"
    }
    with pytest.raises(ValidationError) as caught:
        listening_upload(client=acme_client, data=CSV, client_brand="Nobody")
    assert "Contoso" in caught.value.message_dict["client_brand"][0]


def test_the_page_compares_and_turns_a_finding_into_a_campaign_tactic(
    client, consultant, acme_client
):
    client.force_login(consultant)
    ws = acme_client.workspace_id
    url = reverse("listening", args=[ws, acme_client.id])
    assert "No listening data yet" in client.get(url).text
    sent = client.post(url, {"file": SimpleUploadedFile("l.csv", CSV), "client_brand": "Northwind"})
    assert sent.status_code == 302
    page = client.get(url)
    assert "Competitors lead" in page.text
    assert "Fabrikam" in page.text
    campaign = campaign_save(
        client=acme_client,
        fields={"name": "Share more", "journey": "sharing", "lifecycle_stage": "post_purchase"},
    )
    added = client.post(
        reverse("listening_tactic", args=[ws, acme_client.id]),
        {"campaign": str(campaign.id), "finding": "sharing:sharing_rate", "month": "2026-09"},
    )
    assert added.status_code == 302
    campaign.refresh_from_db()
    # The tactic is stored as one plain line: the no-break spaces become spaces.
    tactic = "Sharing, sharing rate: Fabrikam 30.0 % against our 6.7 %"
    assert campaign.tactics[0].startswith(tactic)
    tampered = client.post(
        reverse("listening_tactic", args=[ws, acme_client.id]),
        {"campaign": "not-a-uuid", "finding": "sharing:sharing_rate"},
        follow=True,
    )
    assert "Choose one of the client" in tampered.text


def test_page_api_and_playbook_say_each_finding_in_the_same_words(client, consultant, acme_client):
    from django.utils.html import escape
    from rest_framework.test import APIClient

    from playbooks.display import playbook_context

    listening_upload(client=acme_client, data=CSV, client_brand="Northwind")
    sentence = "Sharing, sharing rate: Fabrikam 30.0\xa0% against our 6.7\xa0%."
    client.force_login(consultant)
    ws = acme_client.workspace_id
    page = client.get(reverse("listening", args=[ws, acme_client.id]), {"month": "2026-09"})
    api = APIClient()
    api.force_authenticate(consultant)
    found = api.get(f"/api/v1/workspaces/{ws}/clients/{acme_client.id}/listening/").json()
    api_texts = [f["text"] for f in found["findings"]]
    playbook = playbook_context(acme_client)["benchmarks"]["findings"]
    assert [f["text"] for f in playbook] == api_texts
    assert any(text.startswith(sentence) for text in api_texts)
    assert all(escape(text) in page.text for text in api_texts)
