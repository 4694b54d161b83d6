"""Customer insight pages: upload transactions, see the segments, act on defection risk."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view
from workspaces.selectors import client_get
from workspaces.views import _form_error

from . import selectors, services
from .charts import rf_grid
from .forms import LifetimeInputsForm, TransactionsUploadForm
from .models import SegmentAnalysis


@workspace_view(write_role=Role.CONSULTANT)
def insights_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """The client's segment analyses; POST uploads transactions for a new one."""
    client = client_get(workspace=membership.workspace, client_id=client_id)
    form = TransactionsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_request(
                client=client,
                data=form.cleaned_data["file"].read(),
                name=form.cleaned_data["name"],
                as_of=form.cleaned_data["as_of"],
                fields={"k": form.cleaned_data["k"]},
                created_by=request.user,
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("File checked: the analysis is running."))
            return redirect("segment_analysis", membership.workspace_id, analysis.id)
    return render(
        request,
        "insights/insights.html",
        {
            "client": client,
            "form": form,
            "analyses": selectors.analysis_list(workspace=membership.workspace, client=client),
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
        status=400 if form.errors else 200,
    )


@workspace_view(write_role=Role.CONSULTANT)
def analysis_view(request: HttpRequest, membership: Membership, analysis_id: UUID):
    """One analysis: its progress, then the grid, the segments with lifetime value and the
    customers about to defect. POST changes k and the lifetime inputs."""
    analysis = selectors.analysis_get(workspace=membership.workspace, analysis_id=analysis_id)
    initial = {
        "k": analysis.k,
        "lifetime_years": analysis.lifetime_years,
        "margin": analysis.margin,
        "cost": analysis.cost,
        "currency": analysis.currency,
    }
    form = LifetimeInputsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_update(analysis=analysis, fields=form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Recomputed with the new inputs."))
            return redirect("segment_analysis", membership.workspace_id, analysis.id)
    summary = analysis.summary or {}
    return render(
        request,
        "insights/analysis.html",
        {
            "analysis": analysis,
            "client": analysis.client,
            "summary": summary,
            "grid": rf_grid(summary["grid"]) if summary.get("grid") else None,
            "form": form,
            "working": analysis.status
            in (SegmentAnalysis.Status.QUEUED, SegmentAnalysis.Status.PROCESSING),
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
        status=400 if form.errors else 200,
    )


@workspace_view(Role.CONSULTANT)
def analysis_delete_view(request: HttpRequest, membership: Membership, analysis_id: UUID):
    analysis = selectors.analysis_get(workspace=membership.workspace, analysis_id=analysis_id)
    if request.method == "POST":
        client = analysis.client
        services.analysis_delete(analysis=analysis)
        messages.success(request, _("Analysis deleted, with its customer table."))
        return redirect("insights", membership.workspace_id, client.id)
    return render(
        request, "insights/analysis_delete.html", {"analysis": analysis, "client": analysis.client}
    )
