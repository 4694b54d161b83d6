"""Writes for the roadmap: actions that close the gaps, grouped Now / Next / Later."""

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cxmaturity.inputs import due_date_check
from cxmaturity.revisions import revision_lock, revision_save

from ..display import stage_label
from ..inputs import ACTION_LINK_FIELDS, ActionInput
from ..models import Action, Assessment
from ..results import assessment_results

# What a client contributor may change on an action; the rest is the consultant's plan.
CONTRIBUTOR_FIELDS = ("status", "progress", "notes")


def horizon_for(priority: int | None) -> str:
    """Priorities 1-2 are for now, 3-4 next, the rest later."""
    if priority is not None and priority <= 2:
        return Action.Horizon.NOW
    if priority is not None and priority <= 4:
        return Action.Horizon.NEXT
    return Action.Horizon.LATER


@transaction.atomic
def roadmap_suggest(*, assessment: Assessment) -> list[Action]:
    """Draft one action per dimension with a gap, in priority order, from the
    questionnaire's guidance for the next stage. Dimensions already drafted for that
    stage are skipped, so suggesting twice adds nothing."""
    results = assessment_results(assessment)
    existing = set(
        assessment.actions.exclude(suggested_for_stage=None).values_list(
            "dimension_key", "suggested_for_stage"
        )
    )
    ranked = sorted(
        (d for d in results["dimensions"] if d["priority"] and d["blockers"]),
        key=lambda d: d["priority"],
    )
    position = (assessment.actions.aggregate(n=Max("position"))["n"] or 0) + 1
    created = []
    for dimension in ranked:
        stage = dimension["blockers"]["stage"]
        if (dimension["key"], stage) in existing:
            continue
        guidance = dimension["blockers"]["guidance"]
        created.append(Action.objects.create(
            assessment=assessment,
            dimension_key=dimension["key"],
            title=_("%(dimension)s: reach %(stage)s") % {
                "dimension": dimension["title"],
                "stage": stage_label(dimension["blockers"]["stage_name"]),
            },
            description=guidance,
            horizon=horizon_for(dimension["priority"]),
            position=position,
            suggested_for_stage=stage,
            accepted=False,
        ))  # fmt: skip
        position += 1
    return created


def _dimension_check(assessment: Assessment, data: ActionInput) -> None:
    """An action's dimension, when it names one, is one of its questionnaire's."""
    if "dimension_key" not in data.given or not data.dimension_key:
        return
    if not assessment.version.dimensions.filter(key=data.dimension_key).exists():
        raise ValidationError({"dimension_key": _("Choose a dimension of this questionnaire.")})


def _link_rows(assessment: Assessment, name: str, ids: Iterable[Any]) -> list:
    """The rows `ids` name, each of the action's client; any other id is refused, naming
    the field (another client's row is as unknown as one that does not exist)."""
    model = Action._meta.get_field(name).related_model
    client_path = "client" if name == "campaigns" else "plan__client"
    try:
        wanted = {uuid.UUID(str(i)) for i in ids}
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({name: _("Give a list of ids.")}) from None
    rows = list(model.objects.filter(id__in=wanted, **{client_path: assessment.client_id}))
    if len(rows) != len(wanted):
        raise ValidationError({name: _("Choose items of this client's plan and campaigns.")})
    return rows


def action_links_set(*, action: Action, links: Mapping[str, Iterable[Any]]) -> None:
    """Replace the action's links that `links` names (the others stay): plan items, KPIs
    and campaigns of the action's own client."""
    unknown = set(links) - set(ACTION_LINK_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Not a kind of link.")})
    rows = {name: _link_rows(action.assessment, name, ids) for name, ids in links.items()}
    for name, linked in rows.items():
        getattr(action, name).set(linked)


@transaction.atomic
def action_create(
    *, assessment: Assessment, data: ActionInput, links: Mapping[str, Iterable[Any]] | None = None
) -> Action:
    _dimension_check(assessment, data)
    due_date_check(data.due_date)
    position = (assessment.actions.aggregate(n=Max("position"))["n"] or 0) + 1
    action = Action(assessment=assessment, position=position, **data.changes())
    if action.status == Action.Status.DONE:
        action.done_at = timezone.now()
    action.save()
    if links:
        action_links_set(action=action, links=links)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    data: ActionInput,
    revision: int | None = None,
    links: Mapping[str, Iterable[Any]] | None = None,
) -> Action:
    """Change the fields `data` gives; the rest keep what is saved now, so two people
    changing different fields at once both keep their change. Refused when `revision` is
    older than the saved one."""
    _dimension_check(action.assessment, data)
    fields = data.changes()
    action = revision_lock(action, expected=revision)
    if "due_date" in data.given:
        due_date_check(data.due_date, saved=action.due_date)
    changed = [name for name, value in fields.items() if getattr(action, name) != value]
    was_done = action.status == Action.Status.DONE
    for name in changed:
        setattr(action, name, fields[name])
    if action.status == Action.Status.DONE and not was_done:
        action.done_at = timezone.now()
        changed.append("done_at")
    elif action.status != Action.Status.DONE and action.done_at is not None:
        action.done_at = None
        changed.append("done_at")
    if changed:
        revision_save(action, fields=changed)
    if links:
        action_links_set(action=action, links=links)
    return action


@transaction.atomic
def action_accept(*, action: Action) -> Action:
    action = revision_lock(action, expected=None)
    action.accepted = True
    revision_save(action, fields=["accepted"])
    return action


@transaction.atomic
def action_delete(*, action: Action) -> None:
    action.delete()


@transaction.atomic
def action_move(*, action: Action, offset: int) -> Action:
    """Swap places with the neighbour above (-1) or below (+1) in the same horizon."""
    siblings = list(
        Action.objects.select_for_update()
        .filter(assessment_id=action.assessment_id, horizon=action.horizon)
        .order_by("position", "created_at")
    )
    for index, sibling in enumerate(siblings):
        sibling.position = index
    current = next(i for i, s in enumerate(siblings) if s.id == action.id)
    target = current + offset
    if 0 <= target < len(siblings):
        siblings[current], siblings[target] = siblings[target], siblings[current]
    for index, sibling in enumerate(siblings):
        sibling.position = index
    Action.objects.bulk_update(siblings, ["position"])
    return action
