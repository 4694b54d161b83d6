"""A measurements CSV past its row limit is refused by the page, naming the limit, with
nothing saved; the file is handed over as an upload, not read whole first."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis.inputs import KPIInput
from kpis.models import Measurement
from kpis.services import MAX_CSV_ROWS, kpi_create, plan_create

pytestmark = pytest.mark.django_db


def test_too_many_rows_are_refused_naming_the_limit_and_nothing_is_saved(
    client, consultant, acme_client
):
    plan = plan_create(client=acme_client, title="Plan")
    kpi_create(
        plan=plan,
        data=KPIInput.from_values(
            dict(
                name="Visits",
                direction="increase",
                baseline=1,
                target=2,
                start=date(2026, 1, 1),
                due=date(2026, 12, 31),
            )
        ),
    )
    rows = b"Visits,2026-02-01,5\n" * (MAX_CSV_ROWS + 1)
    upload = SimpleUploadedFile("m.csv", b"kpi,date,value\n" + rows, "text/csv")
    client.force_login(consultant)
    response = client.post(
        reverse("plan_measurements", args=[acme_client.workspace_id, plan.id]), {"file": upload}
    )
    assert response.status_code == 400
    assert f"At most {MAX_CSV_ROWS} rows" in response.context["form"].errors["file"][0]
    assert not Measurement.objects.exists()
    exact = SimpleUploadedFile(
        "m.csv", b"kpi,date,value\n" + b"Visits,2026-02-01,5\n" * MAX_CSV_ROWS, "text/csv"
    )
    response = client.post(
        reverse("plan_measurements", args=[acme_client.workspace_id, plan.id]), {"file": exact}
    )
    assert response.status_code == 302
    assert Measurement.objects.count() == MAX_CSV_ROWS
