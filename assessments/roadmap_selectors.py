"""Reads for the roadmap's follow-through: what is overdue (one definition), percent done
per horizon, overdue counts per client, and the actions linked to a plan item, KPI or
campaign; each takes a scope."""

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from workspaces.scope import ClientScope

from .models import Action, Assessment
from .selectors import HORIZON_ORDER, released_to_client_team_ids, results_released


def roadmap_counted(*, scope: ClientScope, assessments: list[Assessment]) -> QuerySet[Action]:
    """The accepted actions of these assessments' roadmaps (a client's) this member may
    read, soonest due first: what the hub counts (percent done) and flags (overdue)."""
    readable = [a.id for a in assessments if results_released(assessment=a, scope=scope)]
    return (
        scope.filter(Action.objects.all(), "assessment__client")
        .filter(assessment_id__in=readable, accepted=True)
        .annotate(horizon_order=HORIZON_ORDER)
        .order_by(F("due_date").asc(nulls_last=True), "horizon_order", "position", "created_at")
    )


def linked_actions(*, item: Any, scope: ClientScope) -> list[Action]:
    """The actions linked to a plan item, KPI or campaign (its `roadmap_actions`), of the
    roadmaps this member may read, each flagged when overdue."""
    actions = list(
        scope.filter(
            item.roadmap_actions.select_related("assessment__client"), "assessment__client"
        )
    )
    readable: dict[UUID, bool] = {}
    shown = []
    today = roadmap_today()
    for action in actions:
        key = action.assessment_id
        if key not in readable:
            readable[key] = results_released(assessment=action.assessment, scope=scope)
        if readable[key]:
            action.overdue = action_is_overdue(action, today)
            shown.append(action)
    return shown


def roadmap_today() -> date:
    """Today in the site's time zone (settings.TIME_ZONE): the day against which due
    dates are read, so a page, the hub and the digest agree at midnight."""
    return timezone.localdate()


def overdue_q(today: date | None = None) -> Q:
    """The one definition of overdue: still to do (open or in progress) and due before
    today. An action without a due date is never overdue; a done or dropped one neither."""
    return Q(
        status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
        due_date__lt=today or roadmap_today(),
    )


def action_is_overdue(action: Action, today: date | None = None) -> bool:
    """overdue_q for one loaded action (the pages flag rows without another query)."""
    return (
        action.status in (Action.Status.OPEN, Action.Status.IN_PROGRESS)
        and action.due_date is not None
        and action.due_date < (today or roadmap_today())
    )


def horizon_progress(actions: list[Action]) -> dict[str, dict]:
    """Percent done per horizon: done ÷ (accepted actions minus dropped ones), so dropping an
    action neither helps nor hurts and a suggestion still to accept does not count. An
    action's own `progress` is the owner's estimate and is not averaged in: the figure
    says what is finished. Each horizon maps to {done, total, percent}; percent is None
    when nothing counts."""
    figures = {}
    for key, _label in Action.Horizon.choices:
        counted = [
            a
            for a in actions
            if a.horizon == key and a.accepted and a.status != Action.Status.DROPPED
        ]
        done = sum(1 for a in counted if a.status == Action.Status.DONE)
        total = len(counted)
        figures[key] = {
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else None,
        }
    return figures


def overdue_counts(*, scope: ClientScope, client_ids: list[UUID]) -> dict[UUID, int]:
    """Overdue accepted actions per client, counting only the roadmaps this member may
    read (results_released, as on the roadmap page): the dashboard's column."""
    rows = (
        scope.filter(Action.objects.all(), "assessment__client")
        .filter(overdue_q(), accepted=True, assessment__client_id__in=client_ids)
        .values("assessment_id", "assessment__client_id")
        .annotate(n=Count("id"))
    )
    rows = list(rows)
    if scope.is_client_member and rows:
        assessments = Assessment.objects.filter(id__in={r["assessment_id"] for r in rows})
        readable = released_to_client_team_ids(list(assessments))
        rows = [r for r in rows if r["assessment_id"] in readable]
    counts: dict[UUID, int] = {}
    for row in rows:
        client_id = row["assessment__client_id"]
        counts[client_id] = counts.get(client_id, 0) + row["n"]
    return counts


# How each kind of link reaches its client, and what groups its choices.
_LINK_CLIENT = {
    "strategic_objectives": ("plan__client", "plan"),
    "marketing_objectives": ("plan__client", "plan"),
    "digital_goals": ("plan__client", "plan"),
    "kpis": ("plan__client", "plan"),
    "campaigns": ("client", None),
}


def link_choices(*, client_id: UUID) -> dict[str, list]:
    """The client's plan items, KPIs and campaigns an action may serve, per kind, as
    grouped choices (by plan) for the action form; one query per kind."""
    from .inputs import ACTION_LINK_FIELDS

    choices: dict[str, list] = {}
    for name in ACTION_LINK_FIELDS:
        path, group = _LINK_CLIENT[name]
        model = Action._meta.get_field(name).related_model
        rows = model.objects.filter(**{path: client_id})
        if group is None:
            choices[name] = [(str(r.id), str(r)) for r in rows]
            continue
        grouped: dict[str, list] = {}
        for row in rows.select_related(group).order_by(f"{group}__title", "position"):
            grouped.setdefault(row.plan.title, []).append((str(row.id), str(row)))
        choices[name] = list(grouped.items())
    return choices
