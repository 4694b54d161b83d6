"""Consultant pages: questionnaires, assessments, respondents and the progress board."""

from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import form_error, form_status
from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view
from workspaces.selectors import client_get

from . import selectors, services
from .forms import (
    AssessmentForm,
    InvitationForm,
    QuestionnaireUploadForm,
    RespondentForm,
    RespondentImportForm,
    answers_from_post,
    question_rows,
)
from .models import Assessment, Respondent

# --- Questionnaires -----------------------------------------------------------------------


@workspace_view(Role.CONSULTANT)
def questionnaire_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = QuestionnaireUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version, created = services.questionnaire_import(
                data=form.cleaned_data["file"].read(), workspace=membership.workspace
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("Loaded %(title)s, version %(n)d.")
                    % {"title": version.title, "n": version.number},
                )
            else:
                messages.info(
                    request,
                    _("This content is already version %(n)d; nothing changed.")
                    % {"n": version.number},
                )
            return redirect("questionnaire_list", membership.workspace_id)
    versions = selectors.questionnaire_versions_visible(workspace=membership.workspace)
    return render(
        request,
        "assessments/questionnaire_list.html",
        {"versions": versions, "form": form, "can_edit": membership.has_role(Role.CONSULTANT)},
    )


@workspace_view(Role.CONSULTANT)
def questionnaire_detail_view(request: HttpRequest, membership: Membership, version_id: UUID):
    version = selectors.questionnaire_version_get(
        workspace=membership.workspace, version_id=version_id
    )
    dimensions = version.dimensions.prefetch_related("questions").order_by("position")
    return render(
        request,
        "assessments/questionnaire_detail.html",
        {"version": version, "dimensions": dimensions},
    )


@workspace_view(Role.CONSULTANT)
def questionnaire_download_view(request: HttpRequest, membership: Membership, version_id: UUID):
    version = selectors.questionnaire_version_get(
        workspace=membership.workspace, version_id=version_id
    )
    response = HttpResponse(
        services.questionnaire_export(version=version), content_type="application/yaml"
    )
    filename = f"{version.questionnaire.key}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Assessments ------------------------------------------------------------------------------


def _assessment_form(request: HttpRequest, membership: Membership, client, instance=None):
    versions = selectors.questionnaire_versions_visible(workspace=membership.workspace)
    version = instance.version if instance else None
    if version is None:
        chosen = request.POST.get("version")
        version = (
            versions.filter(id=chosen).first()
            if chosen and _is_uuid(chosen)
            else selectors.questionnaire_version_default(workspace=membership.workspace)
        ) or versions.first()
    previous = selectors.assessment_list(scope=membership.scope, client=client)
    if instance is not None:
        previous = previous.exclude(id=instance.id)
    return AssessmentForm(
        request.POST or None,
        instance=instance,
        initial={"version": version},
        versions=versions,
        previous_choices=previous,
        targets_for=version.dimensions.order_by("position") if version else [],
    )


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


@workspace_view(Role.CONSULTANT)
def assessment_create_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    form = _assessment_form(request, membership, client)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                client=client, data=form.assessment_input(), created_by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Assessment created. Add respondents, then open it."))
            return redirect(assessment)
    if not request.POST and not form.initial.get("title"):
        form.initial["title"] = _("CX maturity assessment")
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "client": client},
        status=form_status(form),
    )


@workspace_view()
def assessment_detail_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    return assessment_page(request, membership, assessment)


def assessment_page(
    request: HttpRequest,
    membership: Membership,
    assessment: Assessment,
    *,
    respondent_form: RespondentForm | None = None,
    import_form: RespondentImportForm | None = None,
) -> HttpResponse:
    """The progress board; an inline Add form that failed comes back bound, its errors
    beside its fields (status 400)."""
    scope = membership.scope
    if selectors.respondents_disclosed(assessment=assessment, scope=scope):
        progress, counts = selectors.assessment_progress(assessment=assessment), None
        submitted = sum(1 for p in progress if p.state == "submitted")
    else:  # roles only, seen by the client team: how many, never who
        progress, counts = [], selectors.assessment_counts(assessment=assessment)
        submitted = counts["submitted"]
    can_edit = membership.has_role(Role.CONSULTANT)
    if can_edit:
        for row in progress:  # for the row's copy button
            row.respondent.link = services.respondent_link(row.respondent)
    failed = (respondent_form is not None and respondent_form.errors) or (
        import_form is not None and import_form.errors
    )
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "progress": progress,
            "counts": counts,
            "submitted": submitted,
            "results_released": selectors.results_released(assessment=assessment, scope=scope),
            "can_edit": can_edit,
            "link_host": link_host_mismatch(request) if can_edit else None,
            "respondent_form": respondent_form or RespondentForm(),
            "import_form": import_form or RespondentImportForm(),
        },
        status=400 if failed else 200,
    )


def link_host_mismatch(request: HttpRequest) -> str | None:
    """The host respondents' links point to (SITE_URL) when it is not the one this page
    was asked from: links that would lead nowhere, e.g. a site run on another port."""
    site_host = urlsplit(settings.SITE_URL).netloc
    return site_host if site_host.lower() != request.get_host().lower() else None


@workspace_view(Role.CONSULTANT)
def assessment_edit_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    form = _assessment_form(request, membership, assessment.client, instance=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                assessment=assessment,
                data=form.assessment_input(),
                revision=form.cleaned_data.get("revision"),
            )
        except ValidationError as exc:
            assessment.refresh_from_db()
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(assessment)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "client": assessment.client, "assessment": assessment},
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
@require_POST
def assessment_status_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    action = request.POST.get("action")
    try:
        if action == "open":
            services.assessment_open(assessment=assessment)
            messages.success(request, _("The assessment is open: respondents can answer."))
        else:  # inviting and closing each have a page that says what will happen first
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(assessment)


@workspace_view(Role.CONSULTANT)
def assessment_invite_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    """Open and invite everyone, after a preview of the email they will get: its subject
    and message can be changed here, and what is sent is what was previewed."""
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    if assessment.status != Assessment.Status.DRAFT:
        messages.info(request, _("This assessment is already open."))
        return redirect(assessment)
    form = InvitationForm(request.POST or None, initial=services.invitation_defaults(assessment))
    if request.method == "POST" and form.is_valid() and request.POST.get("go") == "send":
        try:
            count = services.assessment_open_and_invite(assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("The assessment is open; %(n)d invitation(s) sent.") % {"n": count}
            )
            return redirect(assessment)
    recipients = selectors.respondents_to_invite(assessment=assessment)
    shown = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
    sample = recipients[0] if recipients else Respondent(assessment=assessment, name=_("Name"))
    subject, body = services.invitation_text(respondent=sample, **shown)
    return render(
        request,
        "assessments/assessment_invite.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "form": form,
            "recipients": recipients,
            "preview_subject": subject,
            "preview_body": body,
            "link_host": link_host_mismatch(request),
        },
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def assessment_close_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    """Close, after naming who is mid-way: their answers will not count."""
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    error = None
    if request.method == "POST":
        try:
            services.assessment_close(assessment=assessment)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The assessment is closed. Links no longer take answers."))
            return redirect(assessment)
    progress = selectors.assessment_progress(assessment=assessment)
    return render(
        request,
        "assessments/assessment_close.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "midway": [
                p for p in progress if p.state == "answering" and not p.respondent.is_consensus
            ],
            "submitted": sum(1 for p in progress if p.state == "submitted"),
            "error": error,
        },
        status=400 if error else 200,
    )


@workspace_view(Role.CONSULTANT)
def assessment_delete_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    error = None
    if request.method == "POST":
        try:
            services.assessment_delete(assessment=assessment)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Draft deleted."))
            return redirect(assessment.client)
    return render(
        request, "assessments/assessment_delete.html", {"assessment": assessment, "error": error}
    )


@workspace_view(Role.CONSULTANT)
def consensus_view(request: HttpRequest, membership: Membership, assessment_id: UUID, page: int):
    """Facilitated mode: the consultant enters the workshop's consensus, a dimension a page."""
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    try:
        respondent = services.consensus_start(assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(assessment)
    pages = selectors.respondent_pages(respondent=respondent)
    page = min(max(page, 1), len(pages))
    current = pages[page - 1]
    errors = {}
    if request.method == "POST":
        try:
            services.consensus_save(
                respondent=respondent,
                changes=answers_from_post(request.POST, current.items),
                notes=request.POST.get("notes", respondent.notes),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request,
                _("Consensus for %(dimension)s saved.") % {"dimension": current.dimension.title},
            )
            if request.POST.get("go") == "next" and page < len(pages):
                page += 1
            return redirect("consensus", membership.workspace_id, assessment.id, page)
    context = {
        "assessment": assessment,
        "respondent": respondent,
        "pages": pages,
        "page": current,
        "rows": question_rows(current, request.POST, errors),
        "errors": errors,
    }
    return render(request, "assessments/consensus.html", context, status=400 if errors else 200)
