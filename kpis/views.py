"""Strategy plan pages: the overview with the six steps and the coverage checklist, the
steps' items, KPIs, measurements, the scorecard and the scale (the simulator is in
simulator_views)."""

import copy
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import form_error, form_status
from cxmaturity.revisions import StaleRevision, revision_expected
from workspaces.models import Membership, Role
from workspaces.permissions import require_contribution, workspace_view
from workspaces.selectors import client_get

from . import display, libraries, selectors, services
from .charts import kpi_chart
from .forms import (
    STEP_FORMS,
    KPIForm,
    KPIStatusForm,
    MeasurementEditForm,
    MeasurementForm,
    PlanItemForm,
)
from .models import KPI, StrategyPlan

LIBRARY_FOR_STEP = {"themes": "themes", "digital-goals": "goals"}


@workspace_view(Role.CONSULTANT)
@require_POST
def plan_create_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    try:
        plan = services.plan_create(client=client, title=request.POST.get("title", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(client)
    messages.success(request, _("Plan started with the default engagement value scale."))
    return redirect("plan_detail", membership.workspace_id, plan.id)


@workspace_view()
def plan_detail_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    checks = selectors.coverage(plan=plan)
    pages = {STEP_FORMS[slug].step + "s": slug for slug in STEP_FORMS}
    return render(
        request,
        "kpis/plan_detail.html",
        {
            "plan": plan,
            "client": plan.client,
            "steps": display.plan_steps(plan=plan, pages=pages),
            "checks": checks,
            "scale": selectors.engagement_scale(plan=plan),
            "can_edit": membership.has_role(Role.CONSULTANT),
            "complete": all(c["ok"] for c in checks),
        },
    )


@workspace_view(Role.CONSULTANT)
@require_POST
def plan_activate_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    services.plan_activate(plan=plan)
    messages.success(request, _("This is now the client's active plan."))
    return redirect("plan_detail", membership.workspace_id, plan.id)


@workspace_view()
def scorecard_view(request: HttpRequest, membership: Membership, plan_id: UUID) -> HttpResponse:
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    by = request.GET.get("by", "journey")
    rows = display.scorecard_display(plan=plan)
    return render(
        request,
        "kpis/scorecard.html",
        {
            "plan": plan,
            "client": plan.client,
            "groups": display.scorecard_groups(rows, by=by),
            "by": by,
            "can_record": membership.scope.may_contribute(plan.client_id),
        },
    )


def _picked(library_name: str | None, key: str | None) -> dict | None:
    if not library_name or not key:
        return None
    return next((e for e in libraries.library(library_name) if e["key"] == key), None)


def _step_form_class(step: str) -> type[PlanItemForm]:
    if step not in STEP_FORMS:
        raise Http404
    return STEP_FORMS[step]


@workspace_view(write_role=Role.CONSULTANT)
def step_view(request: HttpRequest, membership: Membership, plan_id: UUID, step: str):
    form_class = _step_form_class(step)
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    form = form_class(request.POST or None, plan=plan)
    library_name = LIBRARY_FOR_STEP.get(step)
    form.prefill(_picked(library_name, request.GET.get("from")))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_create(plan=plan, data=form.item_input())
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Added."))
            return redirect("plan_step", membership.workspace_id, plan.id, step)
    context = {
        "plan": plan,
        "client": plan.client,
        "step": step,
        "title": form.title,
        "form": form,
        "items": selectors.item_list(plan=plan, step=form.step, with_actions=True),
        "parent_field": form.parent_field,
        "parent_title": form.parent_title,
        "can_edit": membership.has_role(Role.CONSULTANT),
        "steps": [(slug, f.title) for slug, f in STEP_FORMS.items()],
        "library": _library(library_name, plan),
    }
    return render(request, "kpis/step.html", context, status=form_status(form))


def _library(library_name: str | None, plan) -> list[dict]:
    """Up to eight library entries, those for the client's priorities first."""
    if not library_name:
        return []
    dimensions = selectors.priority_dimensions(plan=plan)
    return libraries.suggestions(library_name, dimensions=dimensions)[:8]


@workspace_view(Role.CONSULTANT)
def step_item_delete_view(
    request: HttpRequest, membership: Membership, plan_id: UUID, step: str, item_id: UUID
) -> HttpResponse:
    form_class = _step_form_class(step)
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    item = selectors.item_get(plan=plan, step=form_class.step, item_id=item_id)
    if request.method == "POST":
        if request.POST.get("move") in ("-1", "1"):
            services.item_move(item=item, offset=int(request.POST["move"]))
        else:
            services.item_delete(item=item)
            messages.success(request, _("Deleted."))
        return redirect("plan_step", membership.workspace_id, plan.id, step)
    return render(
        request,
        "kpis/step_delete.html",
        {
            "plan": plan,
            "step": step,
            "item": item,
            "dependents": services.item_dependents(item=item),
        },
    )


@workspace_view(Role.CONSULTANT)
def step_item_edit_view(
    request: HttpRequest, membership: Membership, plan_id: UUID, step: str, item_id: UUID
) -> HttpResponse:
    form_class = _step_form_class(step)
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    item = selectors.item_get(plan=plan, step=form_class.step, item_id=item_id)
    form = form_class(request.POST or None, plan=plan, edited=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item, data=form.item_input(), revision=form.cleaned_data.get("revision")
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("plan_step", membership.workspace_id, plan.id, step)
    context = {
        "plan": plan,
        "client": plan.client,
        "step": step,
        "title": form.title,
        "item": item,
        "form": form,
    }
    return render(request, "kpis/step_edit.html", context, status=form_status(form))


def _kpi_saved(form: KPIForm, plan: StrategyPlan, kpi: KPI | None = None) -> bool:
    """Add the form's KPI, or change `kpi` to it; domain errors land on the form."""
    try:
        if kpi is None:
            services.kpi_create(plan=plan, data=form.kpi_input())
        else:
            services.kpi_update(kpi=kpi, data=form.kpi_input(), revision=form.revision())
    except ValidationError as exc:
        form_error(form, exc)
        return False
    return True


@workspace_view(write_role=Role.CONSULTANT)
def kpi_list_view(request: HttpRequest, membership: Membership, plan_id: UUID) -> HttpResponse:
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    form = KPIForm(request.POST or None, plan=plan)
    form.prefill(_picked("kpis", request.GET.get("from")))
    if request.method == "POST" and form.is_valid() and _kpi_saved(form, plan):
        messages.success(request, _("KPI added."))
        return redirect("plan_kpis", membership.workspace_id, plan.id)
    context = {
        "plan": plan,
        "client": plan.client,
        "form": form,
        "kpis": selectors.kpi_list(plan=plan),
        "can_edit": membership.has_role(Role.CONSULTANT),
        "library": _library("kpis", plan),
    }
    return render(request, "kpis/kpis.html", context, status=form_status(form))


@workspace_view(Role.CONSULTANT)
def kpi_edit_view(request: HttpRequest, membership: Membership, plan_id: UUID, kpi_id: UUID):
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    kpi = selectors.kpi_get(plan=plan, kpi_id=kpi_id)
    form = KPIForm(request.POST or None, plan=plan, edited=kpi)
    if request.method == "POST" and form.is_valid() and _kpi_saved(form, plan, kpi):
        messages.success(request, _("KPI saved."))
        return redirect("plan_kpi", membership.workspace_id, plan.id, kpi.id)
    return render(
        request,
        "kpis/kpi_edit.html",
        {"plan": plan, "client": plan.client, "kpi": kpi, "form": form},
        status=form_status(form),
    )


@workspace_view(write_role=Role.CONSULTANT)
def kpi_detail_view(request: HttpRequest, membership: Membership, plan_id: UUID, kpi_id: UUID):
    """One KPI: its chart, status, measurement history (who recorded each, when), and
    its owner and status comment, which consultants change here."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    kpi = selectors.kpi_get(plan=plan, kpi_id=kpi_id)
    can_edit = membership.has_role(Role.CONSULTANT)
    form = KPIStatusForm(request.POST or None, plan=plan, edited=kpi) if can_edit else None
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_update(kpi=kpi, data=form.kpi_input(), revision=form.revision())
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Owner and status comment saved."))
            return redirect("plan_kpi", membership.workspace_id, plan.id, kpi.id)
    page = selectors.kpi_page(kpi=kpi)
    row = page["row"]
    context = {
        "plan": plan,
        "client": plan.client,
        "kpi": kpi,
        "row": {**row, "word": selectors.STATUS_WORDS[row["status"]]},
        "chart": kpi_chart(row["series"], baseline=float(kpi.baseline), target=float(kpi.target)),
        "measurements": page["measurements"],
        "form": form,
        "can_edit": can_edit,
        "can_record": membership.scope.may_contribute(plan.client_id),
    }
    status = form_status(form) if form is not None else 200
    return render(request, "kpis/kpi_detail.html", context, status=status)


def _warn(request: HttpRequest, measurements: list) -> None:
    for warning in services.measurement_warnings(measurements):
        messages.warning(request, warning)


@workspace_view()
def measurements_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    """Record one measurement, or many from a CSV (kpi,date,value): all rows or none.
    Consultants and the client's contributors."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    require_contribution(membership=membership, client_id=plan.client_id)
    chosen = next((k for k in plan.kpis.all() if str(k.id) == request.GET.get("kpi")), None)
    form = MeasurementForm(request.POST or None, request.FILES or None, plan=plan, kpi=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                created = services.measurements_import_csv(plan=plan, data=data["file"])
                messages.success(request, _("%(n)d measurements added.") % {"n": len(created)})
            else:
                created = [
                    services.measurement_add(
                        kpi=data["kpi"], date=data["date"], value=data["value"], note=data["note"]
                    )
                ]
                messages.success(request, _("Measurement added."))
        except ValidationError as exc:
            form_error(form, exc)
        else:
            _warn(request, created)
            if not data["file"]:
                return redirect("plan_kpi", membership.workspace_id, plan.id, data["kpi"].id)
            return redirect("scorecard", membership.workspace_id, plan.id)
    return render(
        request,
        "kpis/measurements.html",
        {"plan": plan, "client": plan.client, "form": form},
        status=form_status(form),
    )


@workspace_view()
def measurement_edit_view(
    request: HttpRequest, membership: Membership, plan_id: UUID, measurement_id: UUID
) -> HttpResponse:
    """Correct a reading: consultants and the client's contributors, like recording."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    measurement = selectors.measurement_get(plan=plan, measurement_id=measurement_id)
    require_contribution(membership=membership, client_id=plan.client_id)
    form = MeasurementEditForm(request.POST or None, measurement=measurement)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.measurement_update(measurement=measurement, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Measurement saved."))
            _warn(request, [saved])
            return redirect("plan_kpi", membership.workspace_id, plan.id, measurement.kpi_id)
    context = {"plan": plan, "client": plan.client, "kpi": measurement.kpi, "form": form}
    return render(request, "kpis/measurement_edit.html", context, status=form_status(form))


@workspace_view()
def measurement_delete_view(
    request: HttpRequest, membership: Membership, plan_id: UUID, measurement_id: UUID
) -> HttpResponse:
    """Ask first (GET), then delete the reading (POST)."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    measurement = selectors.measurement_get(plan=plan, measurement_id=measurement_id)
    require_contribution(membership=membership, client_id=plan.client_id)
    if request.method == "POST":
        services.measurement_delete(measurement=measurement)
        messages.success(request, _("Measurement deleted."))
        return redirect("plan_kpi", membership.workspace_id, plan.id, measurement.kpi_id)
    context = {"plan": plan, "client": plan.client, "measurement": measurement}
    return render(request, "kpis/measurement_delete.html", context)


@workspace_view()
def alignment_map_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    return render(
        request,
        "kpis/alignment_map.html",
        {"plan": plan, "client": plan.client, **selectors.alignment_chart(plan=plan)},
    )


def _scale_saved(request: HttpRequest, plan, categories: list) -> tuple[dict, dict, bool]:
    """Save the posted ranges; on refusal the errors by category, what colleagues saved
    meanwhile (by category) and whether the page was stale. The categories then show the
    user's input."""
    ranges = {
        c.key: (request.POST.get(f"{c.key}-min", ""), request.POST.get(f"{c.key}-max", ""))
        for c in categories
    }
    revisions: dict = {}
    try:
        revisions = {
            c.key: revision_expected(request.POST.get(f"{c.key}-revision"), c.key)
            for c in categories
        }
        services.scale_update(plan=plan, ranges=ranges, revisions=revisions)
    except StaleRevision as exc:
        # Keep the user's input, show what a colleague saved meanwhile beside it, and
        # move the form on to the current revisions so saving again replaces it.
        saved = {
            c.key: copy.copy(c)
            for c in categories
            if revisions.get(c.key) not in (None, c.revision)
        }
        errors, stale = {"__all__": exc.messages}, True
    except ValidationError as exc:
        saved, errors, stale = {}, exc.message_dict, False
    else:
        return {}, {}, False
    for c in categories:
        c.min_points, c.max_points = ranges[c.key]
    return errors, saved, stale


@workspace_view(write_role=Role.CONSULTANT)
def scale_view(request: HttpRequest, membership: Membership, plan_id: UUID) -> HttpResponse:
    """The engagement value scale: each category's points, saved only when all are valid,
    each problem shown next to its category."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    categories = selectors.category_list(plan=plan)
    errors, saved, stale = {}, {}, False
    if request.method == "POST":
        errors, saved, stale = _scale_saved(request, plan, categories)
        if not errors:
            messages.success(request, _("Scale saved."))
            return redirect("plan_scale", membership.workspace_id, plan.id)
    rows = [
        {"category": c, "errors": errors.get(c.key, []), "saved": saved.get(c.key)}
        for c in categories
    ]
    context = {
        "plan": plan,
        "client": plan.client,
        "rows": rows,
        "other_errors": errors.get("__all__", []),
        "goals": selectors.goal_list(plan=plan, by_category=True),
        "can_edit": membership.has_role(Role.CONSULTANT),
    }
    return render(
        request, "kpis/scale.html", context, status=409 if stale else 400 if errors else 200
    )
