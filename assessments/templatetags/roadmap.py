"""The "Roadmap actions" list on the pages of what an action serves (a KPI, a plan item,
a campaign), as a tag so those apps' pages and views change by one line."""

from django import template
from django.db.models import Model

from assessments.roadmap_selectors import linked_actions

register = template.Library()


@register.inclusion_tag("assessments/includes/linked_actions.html", takes_context=True)
def roadmap_actions_for(context: template.Context, item: Model) -> dict:
    """The actions linked to `item` on roadmaps the signed-in member may read."""
    membership = context.get("current_membership")
    actions = linked_actions(item=item, scope=membership.scope) if membership else []
    return {"actions": actions, "current_workspace": context.get("current_workspace")}
