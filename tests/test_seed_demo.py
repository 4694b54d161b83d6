import pytest
from django.core.management import call_command

from kpis.models import Measurement
from workspaces.models import Client, ClientAccess, Membership, Role, User, Workspace

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_the_four_logins(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    workspace = Workspace.objects.get(name="Demo Consulting")
    roles = dict(Membership.objects.filter(workspace=workspace).values_list("user__email", "role"))
    assert roles == {
        "owner@demo.cxmaturity.local": Role.OWNER,
        "consultant@demo.cxmaturity.local": Role.CONSULTANT,
        "viewer@demo.cxmaturity.local": Role.CLIENT,
        "northwind@demo.cxmaturity.local": Role.CLIENT,
    }
    reach = {
        email: set(
            ClientAccess.objects.filter(membership__user__email=email).values_list(
                "client__name", "role"
            )
        )
        for email in ("viewer@demo.cxmaturity.local", "northwind@demo.cxmaturity.local")
    }
    assert reach["northwind@demo.cxmaturity.local"] == {("Northwind Retail", "viewer")}
    assert {name for name, _role in reach["viewer@demo.cxmaturity.local"]} == {
        "Northwind Retail",
        "Contoso Insurance",
        "Fabrikam Travel",
    }
    assert Workspace.objects.count() == 1
    assert Client.objects.filter(workspace=workspace).count() == 3
    assert User.objects.get(email="viewer@demo.cxmaturity.local").check_password("demo-cx-2026")
    for email in roles:
        assert email in out


def test_seed_demo_gives_northwind_a_closed_baseline_and_an_open_assessment():
    from assessments.models import Assessment

    call_command("seed_demo")
    call_command("seed_demo")
    northwind = Client.objects.get(name="Northwind Retail")
    baseline = Assessment.objects.get(client=northwind, status=Assessment.Status.CLOSED)
    submitted = baseline.respondents.filter(submitted_at__isnull=False)
    assert submitted.count() >= 6
    assert len(set(submitted.values_list("role", flat=True))) >= 5
    current = Assessment.objects.get(client=northwind, status=Assessment.Status.OPEN)
    assert current.previous_id == baseline.id
    states = {r.submitted_at is not None for r in current.respondents.all()}
    assert states == {True, False}
    # The IT lead and the head of service disagree about channels by at least two levels.
    it = baseline.respondents.get(role="it").answers.filter(question__dimension__key="channels")
    service = baseline.respondents.get(role="service").answers.filter(
        question__dimension__key="channels"
    )
    levels = [int(a.value) for a in it if a.value.isdigit()]
    others = [int(a.value) for a in service if a.value.isdigit()]
    assert sum(levels) / len(levels) - sum(others) / len(others) >= 2


def test_seed_demo_gives_northwind_an_active_plan_with_kpis_and_one_orphan():
    from kpis.models import StrategyPlan
    from kpis.selectors import coverage, engagement_scale, scorecard

    call_command("seed_demo")
    call_command("seed_demo")
    plan = StrategyPlan.objects.get(client__name="Northwind Retail", status="active")
    assert plan.themes.count() == 2
    kpis = list(plan.kpis.all())
    assert len(kpis) >= 12
    assert {k.involvement for k in kpis} == {"involvement", "interaction", "intimacy", "influence"}
    assert {k.journey for k in kpis} == {"shopping", "sharing", "advocacy"}
    typed = Measurement.objects.filter(source_analysis=None, from_listening=False)
    assert all(typed.filter(kpi=k).count() == 6 for k in kpis)
    # Insight-fed: the demo analysis records the repeat purchase rate, once however often
    # the demo is seeded.
    fed = plan.kpis.get(insight_metric="repeat_rate")
    assert fed.measurements.exclude(source_analysis=None).count() == 1
    checks = {c["key"]: c for c in coverage(plan=plan)}
    assert checks["orphans"]["orphans"] == ["Store appointment booked"]
    assert engagement_scale(plan=plan)["valid"]
    statuses = {row["status"] for row in scorecard(plan=plan)}
    assert {"on_track", "off_track"} <= statuses


def test_seed_demo_gives_northwind_a_live_campaign_with_its_results():
    from playbooks.models import CampaignPlan
    from playbooks.results import campaign_results

    call_command("seed_demo")
    call_command("seed_demo")
    live = CampaignPlan.objects.get(client__name="Northwind Retail", status="running")
    results = campaign_results(live)
    assert [h["status"] for h in results["history"]] == ["draft", "approved", "running"]
    assert results["launched"] is not None
    assert all(k["status"] is not None for k in results["kpis"])
    assert results["kpis"]
    assert any(row["over"] for row in results["spend"]["rows"])
    assert results["spend"]["actual"] > 0
    assert results["test"]["verdict"] == "winner"
    assert results["test"]["sample_reached"]


def test_seed_demo_gives_contoso_its_own_closed_assessment_plan_campaign_and_playbook():
    from assessments.models import Assessment
    from kpis.models import StrategyPlan
    from playbooks.models import Document

    call_command("seed_demo")
    contoso = Client.objects.get(name="Contoso Insurance")
    closed = Assessment.objects.get(client=contoso, status=Assessment.Status.CLOSED)
    assert closed.anonymity == Assessment.Anonymity.ROLES
    assert closed.respondents.filter(submitted_at__isnull=False).count() >= 3
    plan = StrategyPlan.objects.get(client=contoso, status=StrategyPlan.Status.ACTIVE)
    assert plan.kpis.count() >= 3
    assert contoso.campaigns.count() >= 1
    assert Document.objects.filter(client=contoso, kind=Document.Kind.PLAYBOOK).exists()
