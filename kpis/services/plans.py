"""Writes for strategy plans: start one with the default scale, make one active."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxmaturity.inputs import one_line
from workspaces.models import Client

from ..models import (
    EngagementCategory,
    StrategyPlan,
)

# domain.md §6: the default ladder of the engagement value scale.
DEFAULT_CATEGORIES = [
    ("awareness", gettext_lazy("Awareness"), 0, 4),
    ("interest", gettext_lazy("Interest"), 5, 19),
    ("lead", gettext_lazy("Lead"), 20, 49),
    ("conversion", gettext_lazy("Conversion"), 50, 99),
    ("advocacy", gettext_lazy("Retention & advocacy"), 100, 250),
]


@transaction.atomic
def plan_create(*, client: Client, title: str) -> StrategyPlan:
    title = one_line(title)
    if not title:
        raise ValidationError({"title": _("Enter a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Use at most 200 characters.")})
    plan = StrategyPlan.objects.create(client=client, title=title)
    EngagementCategory.objects.bulk_create(
        [
            EngagementCategory(
                plan=plan,
                key=key,
                name=str(name),
                min_points=low,
                max_points=high,
                position=position,
            )
            for position, (key, name, low, high) in enumerate(DEFAULT_CATEGORIES)
        ]
    )
    return plan


@transaction.atomic
def plan_activate(*, plan: StrategyPlan) -> StrategyPlan:
    """Make this the client's active plan; the one active before goes back to draft."""
    StrategyPlan.objects.select_for_update().filter(
        client_id=plan.client_id, status=StrategyPlan.Status.ACTIVE
    ).exclude(id=plan.id).update(status=StrategyPlan.Status.DRAFT)
    plan.status = StrategyPlan.Status.ACTIVE
    plan.save(update_fields=["status"])
    return plan
