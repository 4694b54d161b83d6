"""Writes for the roadmap: actions that close the gaps, grouped Now / Next / Later."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cxmaturity.inputs import clean_text, one_line
from cxmaturity.revisions import revision_lock, revision_save

from ..models import Action, Assessment, max_length
from ..results import assessment_results

# What a client contributor may change on an action; the rest is the consultant's plan.
CONTRIBUTOR_FIELDS = ("status", "progress", "notes")
# The model's columns are the one home of the length limits.
_TITLE_MAX = max_length(Action, "title")


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
                "dimension": dimension["title"], "stage": dimension["blockers"]["stage_name"]},
            description=guidance,
            horizon=horizon_for(dimension["priority"]),
            position=position,
            suggested_for_stage=stage,
            accepted=False,
        ))  # fmt: skip
        position += 1
    return created


def _clean(assessment: Assessment, fields: dict) -> dict:
    cleaned = {}
    if "title" in fields:
        title = one_line(fields["title"])
        if not title:
            raise ValidationError({"title": _("Enter a title.")})
        if len(title) > _TITLE_MAX:
            raise ValidationError({"title": _("Use at most 200 characters.")})
        cleaned["title"] = title
    if "dimension_key" in fields:
        key = fields["dimension_key"] or ""
        keys = set(assessment.version.dimensions.values_list("key", flat=True))
        if key and key not in keys:
            raise ValidationError({"dimension_key": _("Choose a dimension of this questionnaire.")})
        cleaned["dimension_key"] = key
    if "due_date" in fields:
        due = fields["due_date"]
        if due not in (None, "") and not isinstance(due, date):
            try:
                due = date.fromisoformat(str(due))
            except ValueError as exc:
                raise ValidationError(
                    {"due_date": _("Enter a date as YYYY-MM-DD.")}, code="invalid"
                ) from exc
        cleaned["due_date"] = due or None
    if "status" in fields:
        if fields["status"] not in Action.Status.values:
            raise ValidationError({"status": _("Choose open, in progress, done or dropped.")})
        cleaned["status"] = fields["status"]
    if "accepted" in fields:
        cleaned["accepted"] = bool(fields["accepted"])
    if "progress" in fields:
        progress = fields["progress"]
        if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
            raise ValidationError({"progress": _("Enter a whole percentage from 0 to 100.")})
        cleaned["progress"] = progress
    if "horizon" in fields:
        if fields["horizon"] not in Action.Horizon.values:
            raise ValidationError({"horizon": _("Choose now, next or later.")})
        cleaned["horizon"] = fields["horizon"]
    for name in ("description", "notes", "owner_name", "owner_email"):
        if name in fields:
            limit = max_length(Action, name)
            value = clean_text(fields[name])
            if len(value) > limit:
                raise ValidationError({name: _("Use at most %(n)d characters.") % {"n": limit}})
            cleaned[name] = value
    if cleaned.get("owner_email"):
        try:
            validate_email(cleaned["owner_email"])
        except ValidationError as exc:
            raise ValidationError({"owner_email": _("Enter a valid email address.")}) from exc
    return cleaned


@transaction.atomic
def action_create(*, assessment: Assessment, **fields) -> Action:
    cleaned = _clean(assessment, {"title": fields.get("title", ""), **fields})
    position = (assessment.actions.aggregate(n=Max("position"))["n"] or 0) + 1
    action = Action(assessment=assessment, position=position, **cleaned)
    if action.status == Action.Status.DONE:
        action.done_at = timezone.now()
    action.save()
    return action


@transaction.atomic
def action_update(*, action: Action, revision: int | None = None, **fields) -> Action:
    """Change the fields given; the rest keep what is saved now, so two people changing
    different fields at once both keep their change. Refused when `revision` is older
    than the saved one."""
    cleaned = _clean(action.assessment, fields)
    action = revision_lock(action, expected=revision)
    changed = [name for name, value in cleaned.items() if getattr(action, name) != value]
    was_done = action.status == Action.Status.DONE
    for name in changed:
        setattr(action, name, cleaned[name])
    if action.status == Action.Status.DONE and not was_done:
        action.done_at = timezone.now()
        changed.append("done_at")
    elif action.status != Action.Status.DONE and action.done_at is not None:
        action.done_at = None
        changed.append("done_at")
    if changed:
        revision_save(action, fields=changed)
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
