"""Roadmap pages: list and board, add, edit, reorder, drop; consultants write, viewers read."""

import copy
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import form_error, form_status
from workspaces.models import Membership, Role
from workspaces.permissions import require_contribution, workspace_view

from . import roadmap_selectors, selectors, services
from .forms import ActionForm, ActionProgressForm
from .inputs import ACTION_LINK_FIELDS, ActionInput
from .models import Action, Assessment


def _assessment(membership: Membership, assessment_id: UUID):
    """The assessment whose roadmap this is. Its actions are drafted from the results, so
    the client team sees them when it may see the results."""
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    if not selectors.results_released(assessment=assessment, scope=membership.scope):
        raise PermissionDenied(
            _(
                "This assessment shows roles only: its results and roadmap reach the client "
                "team once it is closed with at least %(n)d submitted respondents."
            )
            % {"n": selectors.RELEASE_MINIMUM_RESPONDENTS}
        )
    return assessment


def _dimensions(assessment):
    return list(assessment.version.dimensions.order_by("position"))


@workspace_view()
def roadmap_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = _assessment(membership, assessment_id)
    actions = list(selectors.action_list(assessment=assessment))
    titles = {d.key: d.title for d in _dimensions(assessment)}
    today = roadmap_selectors.roadmap_today()
    for action in actions:
        action.dimension_title = titles.get(action.dimension_key, "")
        action.overdue = roadmap_selectors.action_is_overdue(action, today)
    progress = roadmap_selectors.horizon_progress(actions)
    overdue_count = sum(1 for a in actions if a.overdue)
    only_overdue = request.GET.get("filter") == "overdue"
    shown = [a for a in actions if a.overdue] if only_overdue else actions
    board = request.GET.get("view") == "board"
    columns = Action.Status.choices if board else Action.Horizon.choices
    field = "status" if board else "horizon"
    groups = [
        {
            "key": key,
            "label": label,
            "actions": [a for a in shown if getattr(a, field) == key],
            "progress": None if board else progress[key],
        }
        for key, label in columns
    ]
    return render(
        request,
        "assessments/roadmap.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "groups": groups,
            "board": board,
            "can_edit": membership.has_role(Role.CONSULTANT),
            "can_update": membership.scope.may_contribute(assessment.client_id),
            "empty": not actions,
            "overdue_count": overdue_count,
            "only_overdue": only_overdue,
        },
    )


@workspace_view(Role.CONSULTANT)
@require_POST
def roadmap_suggest_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = _assessment(membership, assessment_id)
    created = services.roadmap_suggest(assessment=assessment)
    if created:
        messages.success(
            request, _("%(n)d actions drafted from the priorities.") % {"n": len(created)}
        )
    else:
        messages.info(request, _("No new actions to suggest: every gap already has one."))
    return redirect("roadmap", membership.workspace_id, assessment.id)


def _action_saved(form: forms.ModelForm, assessment: Assessment, action: Action | None) -> bool:
    """Add the form's action, or change `action` by it; domain errors land on the form."""
    # An edit changes the fields its form shows (a contributor's form shows three).
    values = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
    links = {k: values.pop(k) for k in ACTION_LINK_FIELDS if k in values}
    try:
        given = ActionInput.from_values(values, partial=action is not None)
        if action is None:
            services.action_create(assessment=assessment, data=given, links=links)
        else:
            revision = form.cleaned_data.get("revision")
            services.action_update(action=action, data=given, revision=revision, links=links)
    except ValidationError as exc:
        form_error(form, exc)
        return False
    return True


@workspace_view()
def action_form_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, action_id: UUID | None = None
) -> HttpResponse:
    """Consultants add and edit actions; a client contributor updates an action's status,
    progress and notes."""
    assessment = _assessment(membership, assessment_id)
    action = selectors.action_get(assessment=assessment, action_id=action_id) if action_id else None
    if membership.has_role(Role.CONSULTANT):
        form = ActionForm(
            request.POST or None,
            instance=copy.copy(action) if action else None,
            dimensions=_dimensions(assessment),
            links=roadmap_selectors.link_choices(client_id=assessment.client_id),
        )
    else:
        if action is None:
            raise PermissionDenied(_("Only consultants add actions."))
        require_contribution(membership=membership, client_id=assessment.client_id)
        form = ActionProgressForm(request.POST or None, instance=copy.copy(action))
    if request.method == "POST" and form.is_valid() and _action_saved(form, assessment, action):
        messages.success(request, _("Action saved."))
        return redirect("roadmap", membership.workspace_id, assessment.id)
    return render(
        request,
        "assessments/action_form.html",
        {"form": form, "assessment": assessment, "action": action},
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def action_delete_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, action_id: UUID
) -> HttpResponse:
    assessment = _assessment(membership, assessment_id)
    action = selectors.action_get(assessment=assessment, action_id=action_id)
    if request.method == "POST":
        services.action_delete(action=action)
        messages.success(request, _("Action deleted."))
        return redirect("roadmap", membership.workspace_id, assessment.id)
    return render(
        request, "assessments/action_delete.html", {"action": action, "assessment": assessment}
    )


@workspace_view()
@require_POST
def action_quick_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, action_id: UUID
) -> HttpResponse:
    """Move up or down, or set the status, from the list or the board; client
    contributors set the status only."""
    assessment = _assessment(membership, assessment_id)
    action = selectors.action_get(assessment=assessment, action_id=action_id)
    require_contribution(membership=membership, client_id=assessment.client_id)
    if not membership.has_role(Role.CONSULTANT) and (
        "status" not in request.POST or "accept" in request.POST or "move" in request.POST
    ):
        raise PermissionDenied(_("Client contributors set an action's status only."))
    try:
        if request.POST.get("accept"):
            services.action_accept(action=action)
        elif request.POST.get("move") in ("-1", "1"):
            services.action_move(action=action, offset=int(request.POST["move"]))
        elif "status" in request.POST:
            status = ActionInput.from_values({"status": request.POST["status"]}, partial=True)
            services.action_update(action=action, data=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    view = "?view=board" if request.POST.get("board") else ""
    return redirect(reverse("roadmap", args=[membership.workspace_id, assessment.id]) + view)


@workspace_view(Role.OWNER)
@require_POST
def workspace_roadmap_digest_view(request: HttpRequest, membership: Membership):
    """The workspace settings page's weekly roadmap digest: on or off, and its day."""
    try:
        services.workspace_roadmap_digest_set(
            workspace=membership.workspace,
            enabled=request.POST.get("roadmap_digest") == "on",
            weekday=int(request.POST.get("roadmap_digest_weekday", "")),
            actor=request.user,
        )
    except (ValueError, ValidationError):
        messages.error(request, _("Choose the digest's day of the week."))
    else:
        messages.success(request, _("Roadmap digest setting saved."))
    return redirect(
        reverse("workspace_settings", args=[membership.workspace_id]) + "#roadmap-digest"
    )
