"""Strategy plan pages: the overview with the six steps and the coverage checklist, and
the KPI scorecard."""

import copy
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import RevisionField, form_error, form_status
from cxmaturity.revisions import StaleRevision, revision_expected
from workspaces.models import Membership, Role
from workspaces.permissions import require_contribution, workspace_view
from workspaces.selectors import client_get

from . import libraries, selectors, services
from .charts import sparkline
from .models import KPI, Involvement, Journey

STEP_TITLES = [
    ("themes", _("Strategic themes")),
    ("strategic_objectives", _("Strategic objectives")),
    ("marketing_objectives", _("Marketing objectives")),
    ("digital_goals", _("Digital goals")),
    ("engagement_categories", _("Engagement value scale")),
    ("kpis", _("KPIs")),
]


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
    pages = {spec[0] + "s": slug for slug, spec in STEP_PAGES.items()}
    steps = [
        {"key": key, "title": title, "count": getattr(plan, key).count(), "slug": pages.get(key)}
        for key, title in STEP_TITLES
    ]
    scale = selectors.engagement_scale(plan=plan)
    return render(
        request,
        "kpis/plan_detail.html",
        {
            "plan": plan,
            "client": plan.client,
            "steps": steps,
            "checks": checks,
            "scale": scale,
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
    rows = selectors.scorecard(plan=plan)
    for row in rows:
        row["word"] = selectors.STATUS_WORDS[row["status"]]
        row["spark"] = sparkline(row["series"])
    choices = Involvement.choices if by == "involvement" else Journey.choices
    field = "involvement" if by == "involvement" else "journey"
    groups = [
        {"label": label, "rows": [r for r in rows if getattr(r["kpi"], field) == key]}
        for key, label in choices
    ]
    unassigned = [r for r in rows if not getattr(r["kpi"], field)]
    if unassigned:
        groups.append({"label": _("Not assigned"), "rows": unassigned})
    return render(
        request,
        "kpis/scorecard.html",
        {
            "plan": plan,
            "client": plan.client,
            "groups": groups,
            "by": by,
            "can_record": membership.scope.may_contribute(plan.client_id),
        },
    )


STEP_PAGES = {
    # url slug: (services step, title, parent field, parent title, fields of the add form)
    "themes": ("theme", _("Strategic themes"), None, None, ["name", "description"]),
    "strategic-objectives": (
        "strategic_objective",
        _("Strategic objectives"),
        "theme",
        _("Theme"),
        ["statement", "measure", "due", "owner"],
    ),
    "marketing-objectives": (
        "marketing_objective",
        _("Marketing objectives"),
        "strategic_objective",
        _("Strategic objective"),
        ["statement", "segment", "journey", "lifecycle_stage", "due", "owner"],
    ),
    "digital-goals": (
        "digital_goal",
        _("Digital goals"),
        "marketing_objective",
        _("Marketing objective"),
        ["name", "channel", "how_detected", "category", "points"],
    ),
}


def _step_form(plan, slug: str, data=None):
    step, _title, parent_field, parent_title, fields = STEP_PAGES[slug]
    model = services.STEPS[step][0]
    form_fields = forms.models.fields_for_model(model, fields=fields)
    if "category" in form_fields:
        form_fields["category"].queryset = plan.engagement_categories.all()
    if "due" in form_fields:
        form_fields["due"].widget = forms.DateInput(attrs={"type": "date"})
    if parent_field:
        parent_model = services.STEPS[step][2]
        form_fields = {
            "parent": forms.ModelChoiceField(
                label=parent_title,
                required=False,
                queryset=parent_model.objects.filter(plan=plan),
                empty_label=_("(none: an orphan)"),
            )
        } | form_fields
    form_class = type("StepForm", (forms.Form,), form_fields)
    return form_class(data)


LIBRARY_FOR_STEP = {"themes": "themes", "digital-goals": "goals"}


def _picked(library_name: str | None, key: str | None) -> dict | None:
    if not library_name or not key:
        return None
    return next((e for e in libraries.library(library_name) if e["key"] == key), None)


def _initial_from(entry: dict, plan) -> dict:
    keys = (
        "name",
        "description",
        "channel",
        "how_detected",
        "points",
        "unit",
        "direction",
        "involvement",
        "journey",
    )
    initial = {k: entry[k] for k in keys if k in entry}
    if "category" in entry:
        initial["category"] = plan.engagement_categories.filter(key=entry["category"]).first()
    return initial


@workspace_view(write_role=Role.CONSULTANT)
def step_view(request: HttpRequest, membership: Membership, plan_id: UUID, step: str):
    from django.http import Http404

    if step not in STEP_PAGES:
        raise Http404
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    key, title, parent_field, parent_title, _fields = STEP_PAGES[step]
    form = _step_form(plan, step, request.POST or None)
    library_name = LIBRARY_FOR_STEP.get(step)
    picked = _picked(library_name, request.GET.get("from"))
    if picked and not request.POST:
        form.initial.update(_initial_from(picked, plan))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parent = data.pop("parent", None)
        try:
            services.item_create(
                plan=plan, step=key, parent_id=parent.id if parent else None, **data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Added."))
            return redirect("plan_step", membership.workspace_id, plan.id, step)
    model = services.STEPS[key][0]
    items = model.objects.filter(plan=plan).order_by("position", "created_at")
    if parent_field:
        items = list(items.select_related(parent_field))
        for item in items:
            item.parent_item = getattr(item, parent_field)
    return render(
        request,
        "kpis/step.html",
        {
            "plan": plan,
            "client": plan.client,
            "step": step,
            "title": title,
            "form": form,
            "items": items,
            "parent_field": parent_field,
            "parent_title": parent_title,
            "can_edit": membership.has_role(Role.CONSULTANT),
            "steps": STEP_PAGES,
            "library": (
                libraries.suggestions(
                    library_name, dimensions=selectors.priority_dimensions(plan=plan)
                )[:8]
                if library_name
                else []
            ),
        },
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def step_item_delete_view(
    request: HttpRequest, membership: Membership, plan_id: UUID, step: str, item_id: UUID
) -> HttpResponse:
    from django.http import Http404

    if step not in STEP_PAGES:
        raise Http404
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    model = services.STEPS[STEP_PAGES[step][0]][0]
    item = get_object_or_404(model, plan=plan, id=item_id)
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


def _kpi_form(plan, data=None):
    fields = forms.models.fields_for_model(
        KPI,
        fields=[
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "start",
            "due",
            "owner",
            "involvement",
            "journey",
            "digital_goal",
            "marketing_objective",
            "data_source",
        ],
    )
    fields["digital_goal"].queryset = plan.digital_goals.all()
    fields["marketing_objective"].queryset = plan.marketing_objectives.all()
    for name in ("start", "due"):
        fields[name].widget = forms.DateInput(attrs={"type": "date"})
    return type("KPIForm", (forms.Form,), fields)(data)


def _kpi_save(form: forms.Form, save, **target) -> bool:
    """Run kpi_create/kpi_update with the form's data; domain errors land on the form."""
    data = dict(form.cleaned_data)
    goal, objective = data.pop("digital_goal"), data.pop("marketing_objective")
    try:
        save(
            digital_goal_id=goal.id if goal else None,
            marketing_objective_id=objective.id if objective else None,
            **target,
            **data,
        )
    except ValidationError as exc:
        form_error(form, exc)
        return False
    return True


@workspace_view(write_role=Role.CONSULTANT)
def kpi_list_view(request: HttpRequest, membership: Membership, plan_id: UUID) -> HttpResponse:
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    form = _kpi_form(plan, request.POST or None)
    picked = _picked("kpis", request.GET.get("from"))
    if picked and not request.POST:
        form.initial.update(_initial_from(picked, plan))
    if (
        request.method == "POST"
        and form.is_valid()
        and _kpi_save(form, services.kpi_create, plan=plan)
    ):
        messages.success(request, _("KPI added."))
        return redirect("plan_kpis", membership.workspace_id, plan.id)
    return render(
        request,
        "kpis/kpis.html",
        {
            "plan": plan,
            "client": plan.client,
            "form": form,
            "kpis": plan.kpis.select_related("digital_goal", "marketing_objective").order_by(
                "position", "created_at"
            ),
            "can_edit": membership.has_role(Role.CONSULTANT),
            "library": libraries.suggestions(
                "kpis", dimensions=selectors.priority_dimensions(plan=plan)
            )[:8],
        },
        status=form_status(form),
    )


@workspace_view()
def measurements_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    """Record one measurement, or many from a CSV (kpi,date,value): all rows or none.
    Consultants and the client's contributors."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    require_contribution(membership=membership, client_id=plan.client_id)

    class MeasurementForm(forms.Form):
        kpi = forms.ModelChoiceField(label=_("KPI"), queryset=plan.kpis.all(), required=False)
        date = forms.DateField(
            label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        value = forms.DecimalField(
            label=_("Value"), required=False, max_digits=14, decimal_places=4
        )
        file = forms.FileField(label=_("…or a CSV file (kpi,date,value)"), required=False)

    form = MeasurementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                created = services.measurements_import_csv(plan=plan, data=data["file"])
                messages.success(request, _("%(n)d measurements added.") % {"n": len(created)})
            elif data["kpi"] and data["date"] and data["value"] is not None:
                services.measurement_add(kpi=data["kpi"], date=data["date"], value=data["value"])
                messages.success(request, _("Measurement added."))
            else:
                raise ValidationError(_("Choose a KPI, a date and a value, or a CSV file."))
        except ValidationError as exc:
            form_error(form, exc)
        else:
            return redirect("scorecard", membership.workspace_id, plan.id)
    return render(
        request,
        "kpis/measurements.html",
        {"plan": plan, "client": plan.client, "form": form},
        status=form_status(form),
    )


@workspace_view()
def alignment_map_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    return render(
        request,
        "kpis/alignment_map.html",
        {"plan": plan, "client": plan.client, **selectors.alignment_chart(plan=plan)},
    )


@workspace_view(write_role=Role.CONSULTANT)
def simulator_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    """What a period's visits and conversions are worth on the plan's scale; save periods
    and compare two side by side."""
    from .charts import share_bars
    from .models import SimulationPeriod

    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    goals = list(plan.digital_goals.select_related("category").order_by("position"))
    values = {str(g.id): request.POST.get(f"goal-{g.id}", "0") for g in goals}
    visits = request.POST.get("visits", "0")
    error, result = None, None
    if request.method == "POST":
        try:
            if request.FILES.get("file"):
                imported = services.conversions_from_csv(plan=plan, data=request.FILES["file"])
                values = {str(g.id): str(imported.get(str(g.id), 0)) for g in goals}
            elif request.POST.get("save"):
                services.period_save(
                    plan=plan, name=request.POST.get("name", ""), visits=visits, conversions=values
                )
                messages.success(request, _("Period saved."))
                return redirect("simulator", membership.workspace_id, plan.id)
            result = selectors.engagement_scale(
                plan=plan,
                visits=services.whole_number(visits, "visits"),
                conversions={k: services.whole_number(v, "conversions") for k, v in values.items()},
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    periods = list(SimulationPeriod.objects.filter(plan=plan))
    chosen = [p for p in periods if str(p.id) in request.GET.getlist("compare")][:2]
    compared = [
        {
            "period": p,
            "result": selectors.engagement_scale(
                plan=plan, visits=p.visits, conversions=p.conversions
            ),
        }
        for p in chosen
    ]
    for item in compared + ([{"result": result}] if result else []):
        item["bars"] = share_bars(item["result"]["by_category"])
    return render(
        request,
        "kpis/simulator.html",
        {
            "plan": plan,
            "client": plan.client,
            "goals": goals,
            "values": values,
            "visits": visits,
            "result": result,
            "result_bars": share_bars(result["by_category"]) if result else None,
            "error": error,
            "periods": periods,
            "compared": compared,
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
        status=400 if error else 200,
    )


@workspace_view(Role.CONSULTANT)
def step_item_edit_view(
    request: HttpRequest, membership: Membership, plan_id: UUID, step: str, item_id: UUID
) -> HttpResponse:
    from django.http import Http404

    if step not in STEP_PAGES:
        raise Http404
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    key, title, parent_field, _parent_title, fields = STEP_PAGES[step]
    item = get_object_or_404(services.STEPS[key][0], plan=plan, id=item_id)
    form = _step_form(plan, step, request.POST or None)
    form.fields["revision"] = RevisionField(initial=item.revision)
    if not request.POST:
        form.initial.update({f: getattr(item, f) for f in fields})
        if parent_field:
            form.initial["parent"] = getattr(item, f"{parent_field}_id")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parent = data.pop("parent", None)
        try:
            services.item_update(
                item=item,
                parent_id=parent.id if parent else None,
                orphan=bool(parent_field) and parent is None,  # made an orphan on purpose
                **data,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("plan_step", membership.workspace_id, plan.id, step)
    return render(
        request,
        "kpis/step_edit.html",
        {
            "plan": plan,
            "client": plan.client,
            "step": step,
            "title": title,
            "item": item,
            "form": form,
        },
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def kpi_edit_view(request: HttpRequest, membership: Membership, plan_id: UUID, kpi_id: UUID):
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    kpi = get_object_or_404(KPI, plan=plan, id=kpi_id)
    form = _kpi_form(plan, request.POST or None)
    form.fields["revision"] = RevisionField(initial=kpi.revision)
    if not request.POST:
        form.initial.update({name: getattr(kpi, name) for name in form.fields})
        form.initial["revision"] = kpi.revision
    if (
        request.method == "POST"
        and form.is_valid()
        and _kpi_save(form, services.kpi_update, kpi=kpi)
    ):
        messages.success(request, _("KPI saved."))
        return redirect("plan_kpis", membership.workspace_id, plan.id)
    return render(
        request,
        "kpis/kpi_edit.html",
        {"plan": plan, "client": plan.client, "kpi": kpi, "form": form},
        status=form_status(form),
    )


@workspace_view(write_role=Role.CONSULTANT)
def scale_view(request: HttpRequest, membership: Membership, plan_id: UUID) -> HttpResponse:
    """The engagement value scale: each category's points, saved only when all are valid,
    each problem shown next to its category."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    categories = list(plan.engagement_categories.order_by("position", "min_points"))
    errors: dict = {}
    saved: dict = {}
    stale = False
    if request.method == "POST":
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
            stale, errors = True, {"__all__": exc.messages}
            for c in categories:
                if revisions.get(c.key) not in (None, c.revision):
                    saved[c.key] = copy.copy(c)
                c.min_points, c.max_points = ranges[c.key]
        except ValidationError as exc:
            errors = exc.message_dict
            for c in categories:
                c.min_points, c.max_points = ranges[c.key]
        else:
            messages.success(request, _("Scale saved."))
            return redirect("plan_scale", membership.workspace_id, plan.id)
    rows = [
        {"category": c, "errors": errors.get(c.key, []), "saved": saved.get(c.key)}
        for c in categories
    ]
    return render(
        request,
        "kpis/scale.html",
        {
            "plan": plan,
            "client": plan.client,
            "rows": rows,
            "other_errors": errors.get("__all__", []),
            "goals": plan.digital_goals.select_related("category").order_by("category__position"),
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
        status=409 if stale else (400 if errors else 200),
    )
