"""Consultant pages that manage an assessment's respondents and their links."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import form_error, form_status
from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view

from . import selectors, services
from .forms import RespondentForm, RespondentImportForm
from .views import assessment_page, link_host_mismatch


def _assessment(membership: Membership, assessment_id: UUID):
    return selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)


def _respondent(membership: Membership, assessment_id: UUID, respondent_id: UUID):
    assessment = _assessment(membership, assessment_id)
    return selectors.respondent_get(assessment=assessment, respondent_id=respondent_id)


@workspace_view(Role.CONSULTANT)
def respondent_add_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = _assessment(membership, assessment_id)
    form = RespondentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            respondent = services.respondent_add(assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": respondent.name})
            return redirect(assessment)
    if request.method == "POST" and request.POST.get("from") == "board":
        # Sent from the progress board's inline form: back there, the errors in place.
        return assessment_page(request, membership, assessment, respondent_form=form)
    return render(
        request,
        "assessments/respondent_form.html",
        {"form": form, "assessment": assessment},
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def respondent_import_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = _assessment(membership, assessment_id)
    form = RespondentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.respondents_import_csv(assessment=assessment, data=form.csv_data())
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(n)d respondents added.") % {"n": len(added)})
            return redirect(assessment)
    if request.method == "POST" and request.POST.get("from") == "board":
        return assessment_page(request, membership, assessment, import_form=form)
    return render(
        request,
        "assessments/respondent_import.html",
        {"form": form, "assessment": assessment},
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def respondent_edit_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, respondent_id: UUID
) -> HttpResponse:
    respondent = _respondent(membership, assessment_id, respondent_id)
    form = RespondentForm(request.POST or None, instance=respondent)
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_update(respondent=respondent, **form.cleaned_data)
        except ValidationError as exc:
            respondent.refresh_from_db()
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(respondent.assessment)
    return render(
        request,
        "assessments/respondent_form.html",
        {"form": form, "assessment": respondent.assessment, "respondent": respondent},
    )


@workspace_view(Role.CONSULTANT)
def respondent_remove_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, respondent_id: UUID
) -> HttpResponse:
    respondent = _respondent(membership, assessment_id, respondent_id)
    error = None
    if request.method == "POST":
        try:
            services.respondent_remove(respondent=respondent)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("%(name)s removed.") % {"name": respondent.name})
            return redirect(respondent.assessment)
    return render(
        request,
        "assessments/respondent_confirm.html",
        {"respondent": respondent, "action": "remove", "error": error},
    )


@workspace_view(Role.CONSULTANT)
def respondent_erase_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, respondent_id: UUID
) -> HttpResponse:
    """Erase a respondent's personal data at their request, after a confirmation."""
    respondent = _respondent(membership, assessment_id, respondent_id)
    error = None
    if request.method == "POST":
        try:
            services.respondent_erase(
                respondent=respondent,
                comments=bool(request.POST.get("comments")),
                erased_by=request.user,
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("Personal data erased; the answers stay, under the role only.")
            )
            return redirect(respondent.assessment)
    return render(
        request,
        "assessments/respondent_confirm.html",
        {"respondent": respondent, "action": "erase", "error": error},
        status=400 if error else 200,
    )


@workspace_view(Role.CONSULTANT)
def personal_data_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Everything this workspace holds about one email address, as JSON: the request for
    access data protection law gives people. A consultant limited to some clients gets
    what those clients hold."""
    email = (request.GET.get("email") or "").strip()
    error = None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error = _("Enter a valid email address.")
        else:
            found = selectors.personal_data_for_email(membership=membership, email=email)
            response = JsonResponse(found, json_dumps_params={"indent": 2})
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            return response
    return render(
        request,
        "assessments/personal_data.html",
        {"email": email, "error": error},
        status=400 if error else 200,
    )


@workspace_view(Role.CONSULTANT)
def respondent_reissue_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, respondent_id: UUID
) -> HttpResponse:
    """A new link, after saying that the one they were sent stops working."""
    respondent = _respondent(membership, assessment_id, respondent_id)
    error = None
    if request.method == "POST":
        try:
            services.respondent_reissue(respondent=respondent)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("New link issued for %(name)s; the old one no longer works.")
                % {"name": respondent.name},
            )
            return redirect(respondent.assessment)
    return render(
        request,
        "assessments/respondent_confirm.html",
        {"respondent": respondent, "action": "reissue", "error": error},
        status=400 if error else 200,
    )


@workspace_view(Role.CONSULTANT)
def respondent_revoke_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, respondent_id: UUID
) -> HttpResponse:
    respondent = _respondent(membership, assessment_id, respondent_id)
    if request.method == "POST":
        services.respondent_revoke(respondent=respondent)
        messages.success(request, _("%(name)s's link no longer works.") % {"name": respondent.name})
        return redirect(respondent.assessment)
    return render(
        request,
        "assessments/respondent_confirm.html",
        {"respondent": respondent, "action": "revoke"},
    )


_ACTIONS = {
    "invite": (services.respondent_invite, _("Invitation sent to %(name)s.")),
    "remind": (services.respondent_remind, _("Reminder sent to %(name)s.")),
}


@workspace_view(Role.CONSULTANT)
@require_POST
def respondent_action_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, respondent_id: UUID
) -> HttpResponse:
    respondent = _respondent(membership, assessment_id, respondent_id)
    action = _ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect(respondent.assessment)
    service, done = action
    try:
        service(respondent=respondent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"name": respondent.name})
    return redirect(respondent.assessment)


@workspace_view(Role.CONSULTANT)
@require_POST
def respondents_invite_all_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = _assessment(membership, assessment_id)
    try:
        count = services.respondents_invite_all(assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d invitation(s) sent.") % {"n": count})
    return redirect(assessment)


@workspace_view(Role.CONSULTANT)
def respondent_link_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, respondent_id: UUID
) -> HttpResponse:
    respondent = _respondent(membership, assessment_id, respondent_id)
    return render(
        request,
        "assessments/respondent_link.html",
        {
            "respondent": respondent,
            "assessment": respondent.assessment,
            "link": services.respondent_link(respondent),
            "link_host": link_host_mismatch(request),
        },
    )
