"""Overdue actions and percent done per horizon: the one definition (selector), and the
flags on the roadmap, the client hub and the dashboard."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.inputs import ActionInput
from assessments.models import Action, Assessment
from assessments.roadmap_selectors import (
    action_is_overdue,
    horizon_progress,
    overdue_q,
    roadmap_today,
)
from assessments.services import action_create
from tests.workspaces.test_client_hub import _closed

pytestmark = pytest.mark.django_db


def _action(assessment, title, *, due=None, status="open", horizon="now"):
    values = {"title": title, "horizon": horizon, "status": status}
    action = action_create(assessment=assessment, data=ActionInput.from_values(values))
    # A past due date is refused on entry; an action that ran late has one.
    Action.objects.filter(id=action.id).update(due_date=due)
    action.due_date = due
    return action


def _overdue_titles(assessment) -> set[str]:
    return set(
        Action.objects.filter(overdue_q(), assessment=assessment).values_list("title", flat=True)
    )


def test_overdue_is_open_or_in_progress_and_due_before_today(acme_client):
    assessment = _closed(acme_client)
    yesterday = roadmap_today() - datetime.timedelta(days=1)
    _action(assessment, "Late open", due=yesterday)
    _action(assessment, "Late started", due=yesterday, status="in_progress")
    _action(assessment, "Late but done", due=yesterday, status="done")
    _action(assessment, "Late but dropped", due=yesterday, status="dropped")
    _action(assessment, "Due today", due=roadmap_today())
    _action(assessment, "Undated")
    assert _overdue_titles(assessment) == {"Late open", "Late started"}
    # The per-row check the pages use agrees with the query.
    flagged = {a.title for a in assessment.actions.all() if action_is_overdue(a)}
    assert flagged == {"Late open", "Late started"}


def test_overdue_reads_today_in_the_site_time_zone(settings, monkeypatch, acme_client):
    assessment = _closed(acme_client)
    _action(assessment, "Due 10 March", due=datetime.date(2026, 3, 10))
    # 20:00 UTC on 10 March is already 11 March in Auckland (UTC+13).
    moment = datetime.datetime(2026, 3, 10, 20, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    settings.TIME_ZONE = "UTC"
    assert _overdue_titles(assessment) == set()
    settings.TIME_ZONE = "Pacific/Auckland"
    assert roadmap_today() == datetime.date(2026, 3, 11)
    assert _overdue_titles(assessment) == {"Due 10 March"}


def test_percent_done_counts_done_of_all_but_dropped_and_suggestions(acme_client):
    assessment = _closed(acme_client)
    for status in ("done", "done", "done", "open", "in_progress", "dropped"):
        _action(assessment, status, status=status, horizon="now")
    _action(assessment, "Later one", horizon="later", status="done")
    suggested = _action(assessment, "Proposal", horizon="later")
    Action.objects.filter(id=suggested.id).update(accepted=False)
    figures = horizon_progress(list(assessment.actions.all()))
    assert figures["now"] == {"done": 3, "total": 5, "percent": 60}
    assert figures["next"] == {"done": 0, "total": 0, "percent": None}
    assert figures["later"] == {"done": 1, "total": 1, "percent": 100}


@pytest.fixture
def late(acme_client):
    assessment = _closed(acme_client)
    yesterday = roadmap_today() - datetime.timedelta(days=1)
    _action(assessment, "Write the journey map", due=yesterday)
    _action(assessment, "Hire a CX lead", due=roadmap_today() + datetime.timedelta(days=9))
    _action(assessment, "Old and finished", due=yesterday, status="done")
    return assessment


def test_the_roadmap_flags_overdue_with_text_and_filters_them(client, consultant, late):
    client.force_login(consultant)
    url = reverse("roadmap", args=[late.client.workspace_id, late.id])
    html = client.get(url).text
    assert html.count('class="badge badge-overdue">Overdue<') == 1
    assert "Overdue (1)" in html
    assert "1 of 3 done · 33 %" in html
    only = client.get(url + "?filter=overdue").text
    assert "Write the journey map" in only
    assert "Hire a CX lead" not in only
    assert "Old and finished" not in only
    board = client.get(url + "?view=board&filter=overdue").text
    assert "Write the journey map" in board
    assert "Hire a CX lead" not in board


def test_the_hub_counts_and_lists_overdue_actions_and_done_per_horizon(
    client, viewer, acme_client, late
):
    client.force_login(viewer)
    args = [acme_client.workspace_id, acme_client.id]
    overview = client.get(reverse("client_detail", args=args))
    assert [a.title for a in overview.context["overdue"]] == ["Write the journey map"]
    assert "1 overdue action" in overview.text
    assert "1 of 3 done · 33 %" in overview.text
    tab = client.get(reverse("client_roadmap", args=args) + "?filter=overdue")
    assert [a.title for a in tab.context["actions"]] == ["Write the journey map"]
    assert "badge-overdue" in tab.text


def test_the_dashboard_counts_overdue_per_client_and_links_to_the_filtered_roadmap(
    client, consultant, acme_client, late
):
    client.force_login(consultant)
    html = client.get(reverse("workspace_dashboard", args=[acme_client.workspace_id])).text
    link = reverse("client_roadmap", args=[acme_client.workspace_id, acme_client.id])
    assert f'href="{link}?filter=overdue">1 overdue</a>' in html


def test_a_client_member_sees_no_overdue_count_of_a_roadmap_not_released(
    client, client_viewer, acme_client
):
    assessment = _closed(acme_client, anonymity=Assessment.Anonymity.ROLES)
    _action(assessment, "Confidential", due=roadmap_today() - datetime.timedelta(days=3))
    client.force_login(client_viewer)
    html = client.get(reverse("workspace_dashboard", args=[acme_client.workspace_id])).text
    assert "1 overdue" not in html
    overview = client.get(reverse("client_detail", args=[acme_client.workspace_id, acme_client.id]))
    assert overview.context["overdue"] == []


def test_a_client_members_dashboard_takes_the_same_queries_however_many_roadmaps_are_late(
    client, client_viewer, acme_client
):
    """Which late roadmaps a client member may see is decided for all of them at once,
    not one query per assessment."""
    url = reverse("workspace_dashboard", args=[acme_client.workspace_id])
    client.force_login(client_viewer)
    late = roadmap_today() - datetime.timedelta(days=3)

    def grow(n):
        for i in range(n):
            kind = [Assessment.Anonymity.ROLES, Assessment.Anonymity.NAMED][i % 2]
            _action(_closed(acme_client, anonymity=kind, title=f"A{i}"), f"Late {i}", due=late)

    grow(2)
    client.get(url)  # warms what a process caches once
    with CaptureQueriesContext(connection) as two:
        html = client.get(url).text
    assert ">1 overdue</a>" in html  # the named one; the roles-only one has one respondent
    grow(4)
    with CaptureQueriesContext(connection) as six:
        html = client.get(url).text
    assert ">3 overdue</a>" in html
    assert len(six.captured_queries) == len(two.captured_queries)
