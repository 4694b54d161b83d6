"""The results page and its target editing."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import AuditAction, audit_record
from cxmaturity.revisions import StaleRevision, revision_expected
from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view

from . import exports, selectors, services
from .display import results_page
from .inputs import AssessmentInput
from .results import assessment_compare, assessment_results


def _withheld(request: HttpRequest, membership: Membership, *assessments) -> HttpResponse | None:
    """A page saying why, when a roles-only assessment's results are not yet the client
    team's to see; None when they may be shown."""
    for assessment in assessments:
        if not selectors.results_released(assessment=assessment, scope=membership.scope):
            return render(
                request,
                "assessments/results_withheld.html",
                {
                    "assessment": assessment,
                    "client": assessment.client,
                    "minimum": selectors.RELEASE_MINIMUM_RESPONDENTS,
                },
                status=403,
            )
    return None


@workspace_view()
def assessment_results_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    if withheld := _withheld(request, membership, assessment):
        return withheld
    results = assessment_results(assessment)
    audit_record(
        actor=request.user,
        workspace=membership.workspace,
        action=AuditAction.RESULTS_VIEWED,
        obj=assessment,
        request=request,
    )
    context = {
        "assessment": assessment,
        "client": assessment.client,
        "can_edit": membership.has_role(Role.CONSULTANT),
        **results_page(results),
    }
    return render(request, "assessments/results.html", context)


@workspace_view(Role.CONSULTANT)
@require_POST
def assessment_targets_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    targets = {
        key.removeprefix("target_"): value.strip()
        for key, value in request.POST.items()
        if key.startswith("target_") and value.strip()
    }
    try:
        revision = revision_expected(request.POST.get("revision"))
        data = AssessmentInput.from_values({"targets": targets}, partial=True)
        services.assessment_update(assessment=assessment, data=data, revision=revision)
    except ValidationError as exc:
        return _refused(request, assessment, exc)
    messages.success(request, _("Targets saved; gaps and priorities are updated."))
    return redirect("assessment_results", membership.workspace_id, assessment.id)


def _refused(request: HttpRequest, assessment, exc: ValidationError) -> HttpResponse:
    """A change from the results page refused: shown on the page itself, with a 400 (409
    when a colleague changed the assessment first), and nothing saved."""
    stale = isinstance(exc, StaleRevision)
    if stale:
        assessment = exc.current
    context = {
        "assessment": assessment,
        "client": assessment.client,
        "can_edit": True,
        "target_error": " ".join(exc.messages),
        **results_page(assessment_results(assessment)),
    }
    return render(request, "assessments/results.html", context, status=409 if stale else 400)


@workspace_view(Role.CONSULTANT)
@require_POST
def assessment_benchmark_filters_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID
):
    """Which traits the benchmark's peers share with the client; page, API and PDF follow."""
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    values = {"benchmark_filters": request.POST.getlist("benchmark_filters")}
    try:
        revision = revision_expected(request.POST.get("revision"))
        data = AssessmentInput.from_values(values, partial=True)
        services.assessment_update(assessment=assessment, data=data, revision=revision)
    except ValidationError as exc:
        return _refused(request, assessment, exc)
    messages.success(request, _("Benchmark updated."))
    return redirect("assessment_results", membership.workspace_id, assessment.id)


@workspace_view(Role.CONSULTANT)
@require_POST
def assessment_run_again_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    previous = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    try:
        assessment = services.assessment_run_again(previous=previous, created_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(previous)
    messages.success(
        request,
        _("New assessment drafted with the same respondents and targets: open it when ready."),
    )
    return redirect(assessment)


@workspace_view()
def assessment_compare_view(request: HttpRequest, membership: Membership, assessment_id: UUID):
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    previous = assessment.previous if assessment.previous_id else None
    if withheld := _withheld(request, membership, *filter(None, [assessment, previous])):
        return withheld
    comparison = assessment_compare(assessment)
    return render(
        request,
        "assessments/compare.html",
        {"assessment": assessment, "client": assessment.client, "comparison": comparison},
    )


@workspace_view()
def assessment_export_view(
    request: HttpRequest, membership: Membership, assessment_id: UUID, kind: str, fmt: str
) -> HttpResponse:
    assessment = selectors.assessment_get(scope=membership.scope, assessment_id=assessment_id)
    if kind not in exports.KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    # The roadmap too: its actions are drafted from the results.
    if withheld := _withheld(request, membership, assessment):
        return withheld
    rows = exports.table(assessment, kind)
    audit_record(
        actor=request.user,
        workspace=membership.workspace,
        action=AuditAction.EXPORT_DOWNLOADED,
        obj=assessment,
        request=request,
    )
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(rows, title=kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    filename = f"{slugify(assessment.client.name)}-{slugify(assessment.title)}-{kind}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view(Role.OWNER)
@require_POST
def workspace_benchmark_pool_view(request: HttpRequest, membership: Membership):
    """The workspace settings page's choice to join the anonymous benchmark pool."""
    joined = request.POST.get("benchmark_pool") == "on"
    services.workspace_benchmark_pool_set(
        workspace=membership.workspace, joined=joined, actor=request.user
    )
    messages.success(
        request,
        _("Your closed assessments join the anonymous benchmark pool.")
        if joined
        else _("Your closed assessments have left the anonymous benchmark pool."),
    )
    return redirect("workspace_settings", membership.workspace_id)
