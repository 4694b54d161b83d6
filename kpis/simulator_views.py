"""The simulator: what a period's visits and conversions are worth on the plan's
engagement value scale; saved periods and their comparison."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view

from . import display, selectors, services
from .charts import share_bars
from .models import SimulationPeriod, StrategyPlan


def _simulated(
    request: HttpRequest, plan: StrategyPlan, goals: list
) -> tuple[dict, str, dict, SimulationPeriod | None]:
    """The conversions and visits to show (typed, or conversions from an uploaded CSV),
    their engagement value, and the period saved from them when "Save period" was used.
    Refused, naming the field, when a number is no whole number or a goal converts more
    often than the period was visited."""
    values = {str(g.id): request.POST.get(f"goal-{g.id}", "0") for g in goals}
    visits = request.POST.get("visits", "0")
    if request.FILES.get("file"):
        imported = services.conversions_from_csv(plan=plan, data=request.FILES["file"])
        values = {str(g.id): str(imported.get(str(g.id), 0)) for g in goals}
    if request.POST.get("save"):
        name = request.POST.get("name", "")
        period = services.period_save(plan=plan, name=name, visits=visits, conversions=values)
        return values, visits, {}, period
    counted = services.whole_number(visits, "visits")
    conversions = {k: services.whole_number(v, "conversions") for k, v in values.items()}
    services.conversions_within_visits(plan=plan, visits=counted, conversions=conversions)
    result = selectors.engagement_scale(plan=plan, visits=counted, conversions=conversions)
    return values, visits, result, None


# The simulator's fields as its error messages name them.
SIMULATOR_FIELDS = {
    "visits": gettext_lazy("Visits"),
    "conversions": gettext_lazy("Conversions"),
    "name": gettext_lazy("Period name"),
    "file": gettext_lazy("CSV file"),
}


def _period_shown(
    request: HttpRequest, plan: StrategyPlan, goals: list, shown: SimulationPeriod | None
) -> tuple[dict, str, dict | None]:
    """What the form starts from: a saved period (with its value) when one is shown, else
    what was posted (or nothing)."""
    if shown is None or request.method == "POST":
        values = {str(g.id): request.POST.get(f"goal-{g.id}", "0") for g in goals}
        return values, request.POST.get("visits", "0"), None
    values = {str(g.id): str(shown.conversions.get(str(g.id), 0)) for g in goals}
    result = selectors.engagement_scale(
        plan=plan, visits=shown.visits, conversions=shown.conversions
    )
    return values, str(shown.visits), result


def _named_errors(exc: ValidationError) -> list[tuple[str, str]]:
    return [
        (SIMULATOR_FIELDS.get(field, ""), message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


@workspace_view(write_role=Role.CONSULTANT)
def simulator_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    """What a period's visits and conversions are worth on the plan's scale; save periods
    (the page then shows the saved one with its value) and compare two side by side."""
    plan = selectors.plan_get(scope=membership.scope, plan_id=plan_id)
    goals = list(selectors.goal_list(plan=plan))
    periods = list(selectors.period_list(plan=plan))
    shown = next((p for p in periods if str(p.id) == request.GET.get("period")), None)
    values, visits, result = _period_shown(request, plan, goals, shown)
    errors = []
    if request.method == "POST":
        try:
            values, visits, result, saved = _simulated(request, plan, goals)
        except ValidationError as exc:
            errors = _named_errors(exc)
        else:
            if saved:
                messages.success(request, _("Period saved."))
                url = reverse("simulator", args=[membership.workspace_id, plan.id])
                return redirect(f"{url}?period={saved.id}")
    chosen = request.GET.getlist("compare")
    compared = display.simulations_compared(plan=plan, periods=periods, chosen_ids=chosen)
    context = {
        "plan": plan,
        "client": plan.client,
        "goals": goals,
        "values": values,
        "visits": visits,
        "shown": shown,
        "result": result,
        "result_bars": share_bars(result["by_category"]) if result else None,
        "errors": errors,
        "periods": periods,
        "chosen": chosen,
        "compared": compared,
        "differences": display.simulation_differences(plan=plan, compared=compared),
        "can_edit": membership.has_role(Role.CONSULTANT),
    }
    return render(request, "kpis/simulator.html", context, status=400 if errors else 200)
