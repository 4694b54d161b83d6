"""The weekly roadmap digest: each action owner's open and overdue actions, by email,
once per ISO week on the workspace's chosen day."""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import AuditAction, audit_record
from workspaces.digest_opt_out import digest_unsubscribe_token
from workspaces.models import DigestOptOut, Membership, Workspace
from workspaces.scope import ClientScope

from ..models import Action, DigestSent
from ..roadmap_selectors import action_is_overdue
from ..selectors import HORIZON_ORDER, results_released


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def workspace_roadmap_digest_set(
    *, workspace: Workspace, enabled: bool, weekday: int, actor: Any
) -> Workspace:
    """Turn the weekly digest on or off and choose its day (ISO weekday, Monday 1): an
    owner's choice (the caller checked), recorded in the audit trail."""
    if weekday not in Workspace.Weekday.values:
        raise ValidationError({"roadmap_digest_weekday": _("Choose a day from 1 (Monday) to 7.")})
    changes = {
        field: [str(getattr(workspace, field)), str(value)]
        for field, value in (("roadmap_digest", enabled), ("roadmap_digest_weekday", weekday))
        if getattr(workspace, field) != value
    }
    if not changes:
        return workspace
    workspace.roadmap_digest = enabled
    workspace.roadmap_digest_weekday = weekday
    workspace.save(update_fields=["roadmap_digest", "roadmap_digest_weekday"])
    audit_record(
        actor=actor, workspace=workspace, action=AuditAction.CHANGED, obj=workspace, changes=changes
    )
    return workspace


def _owners_actions(workspace: Workspace) -> dict[str, list[Action]]:
    """The workspace's accepted actions still to do that name an owner's address, by
    address (lower case), clients in the trash left out."""
    actions = (
        ClientScope.whole_workspace(workspace)
        .filter(Action.objects.select_related("assessment__client"), "assessment__client")
        .filter(accepted=True, status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])
        .exclude(owner_email="")
        .annotate(horizon_order=HORIZON_ORDER)
        .order_by("assessment__client__name", "assessment__title", "horizon_order", "position")
    )
    by_owner: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        by_owner[action.owner_email.strip().lower()].append(action)
    return by_owner


def _visible(actions: list[Action], membership: Membership | None) -> list[Action]:
    """A member hears only of the roadmaps they may open; an owner who is no member is
    an address the consultants gave the action, and hears of those actions only."""
    if membership is None:
        return actions
    scope = membership.scope
    readable: dict = {}
    shown = []
    for action in actions:
        assessment = action.assessment
        if not scope.reaches(assessment.client_id):
            continue
        if assessment.id not in readable:
            readable[assessment.id] = results_released(assessment=assessment, scope=scope)
        if readable[assessment.id]:
            shown.append(action)
    return shown


def _digest_text(
    *, workspace: Workspace, email: str, actions: list[Action], member: bool, today: date
) -> tuple[str, str]:
    groups: dict = {}
    for action in actions:
        action.overdue = action_is_overdue(action, today)
        groups.setdefault(action.assessment_id, {"assessment": action.assessment, "actions": []})
        groups[action.assessment_id]["actions"].append(action)
    for group in groups.values():
        assessment = group["assessment"]
        group["url"] = (
            settings.SITE_URL + reverse("roadmap", args=[workspace.id, assessment.id])
            if member
            else ""
        )
    overdue = sum(1 for a in actions if a.overdue)
    subject = _("Your roadmap actions: %(open)d open, %(overdue)d overdue") % {
        "open": len(actions),
        "overdue": overdue,
    }
    body = render_to_string(
        "assessments/email/roadmap_digest.txt",
        {
            "workspace": workspace,
            "groups": list(groups.values()),
            "open": len(actions),
            "overdue": overdue,
            "unsubscribe_url": settings.SITE_URL
            + reverse("digest_unsubscribe", args=[digest_unsubscribe_token(email)]),
        },
    )
    return subject, body


def _workspace_digests(workspace: Workspace, today: date, week: str) -> int:
    by_owner = _owners_actions(workspace)
    if not by_owner:
        return 0
    opted_out = set(
        DigestOptOut.objects.filter(email__in=list(by_owner)).values_list("email", flat=True)
    )
    memberships = {
        m.user.email.lower(): m
        for m in Membership.objects.filter(
            workspace=workspace, user__is_active=True, user__email__in=list(by_owner)
        ).select_related("user", "workspace")
    }
    sent = 0
    for email, actions in by_owner.items():
        membership = memberships.get(email)
        actions = _visible(actions, membership)
        if email in opted_out or not actions:
            continue
        subject, body = _digest_text(
            workspace=workspace,
            email=email,
            actions=actions,
            member=membership is not None,
            today=today,
        )
        try:
            # The week's row first: a second run, or a second worker, fails on its unique
            # constraint and sends nothing; a failed send rolls the row back for next hour.
            with transaction.atomic():
                DigestSent.objects.create(workspace=workspace, email=email, week=week)
                send_mail(subject, body, None, [email])
        except IntegrityError:
            continue
        sent += 1
    return sent


def roadmap_digests_send(*, now: datetime | None = None) -> int:
    """Send this week's digests of the workspaces whose digest day is today (site time
    zone); run hourly by the periodic task, it sends each owner one per week."""
    today = timezone.localdate(now or timezone.now())
    week = iso_week(today)
    workspaces = Workspace.objects.filter(
        roadmap_digest=True, roadmap_digest_weekday=today.isoweekday()
    )
    return sum(_workspace_digests(workspace, today, week) for workspace in workspaces)
