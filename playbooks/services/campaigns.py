"""Writes for campaign plans: save, draft from the roadmap library, add a tactic, delete.
Field limits are checked where CampaignInput is built; these keep the rules that span
fields or rows: the test plan, budgets against the timeline, links within the plan."""

import dataclasses
import datetime
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Channel
from cxmaturity.inputs import choice_input, date_input, money_input, one_line
from cxmaturity.revisions import revision_lock, revision_save
from kpis.models import StrategyPlan
from kpis.selectors import plan_active
from workspaces.models import Client

from .. import selectors
from ..inputs import LINKS, LISTS, MAX_TACTICS, MAX_VARIANTS, CampaignInput
from ..models import Attribution, CampaignActivity, CampaignPlan, TestKind
from .campaign_results import status_record

__all__ = ["MAX_TACTICS", "MAX_VARIANTS"]

LIBRARY = Path(__file__).resolve().parent.parent / "libraries" / "campaigns.yaml"
# Timelines outside these years are typing mistakes (and would draw thousands of months).
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)
MAX_ACTIVITIES = 60
MOST_MONEY = Decimal("999999999999.99")


@cache
def campaign_library() -> tuple[dict, ...]:
    """Campaign templates per dimension and stage range, read once per process."""
    return tuple(yaml.safe_load(LIBRARY.read_text(encoding="utf-8"))["campaigns"])


def _activity(row: Mapping[str, Any], number: int) -> dict:
    where = _("Activity %(n)d") % {"n": number}
    title = one_line(row.get("title"))
    if not title:
        raise ValidationError({"activities": _("%(where)s: give it a title.") % {"where": where}})
    where = f"{where} ({title[:40]})"
    try:
        start = date_input(row.get("start"), "start")
        end = date_input(row.get("end"), "end")
        budget = money_input(row.get("budget"), "budget", low=Decimal(0), high=MOST_MONEY)
        spend = money_input(
            row.get("actual_spend"), "actual_spend", low=Decimal(0), high=MOST_MONEY
        )
        channel = choice_input(row.get("channel") or "", ["", *Channel.values], "channel")
    except ValidationError as exc:
        raise ValidationError({"activities": f"{where}: {' '.join(exc.messages)}"}) from exc
    if start is None or end is None:
        raise ValidationError({"activities": _("%(where)s: give both dates.") % {"where": where}})
    if not (start >= FIRST_DAY and end <= LAST_DAY):
        raise ValidationError(
            {"activities": _("%(where)s: use dates from 1900 to 2199.") % {"where": where}}
        )
    if end < start:
        raise ValidationError(
            {"activities": _("%(where)s: it ends before it starts.") % {"where": where}}
        )
    owner = one_line(row.get("owner"))[:150]
    return {"title": title[:200], "channel": channel, "start": start, "end": end,
            "owner": owner, "budget": budget, "actual_spend": spend}  # fmt: skip


def _activities(rows: list[Mapping[str, Any]], total: Decimal | None) -> list[dict]:
    """The timeline, each row checked, its budgets within the campaign's total."""
    if len(rows) > MAX_ACTIVITIES:
        raise ValidationError(
            {"activities": _("At most %(n)d activities.") % {"n": MAX_ACTIVITIES}}
        )
    cleaned = [_activity(row, number) for number, row in enumerate(rows, start=1)]
    spent = sum((a["budget"] or 0 for a in cleaned), Decimal(0))
    if total is not None and spent > total:
        raise ValidationError(
            {
                "total_budget": _(
                    "The activities' budgets add up to %(spent)s, more than the total budget."
                )
                % {"spent": f"{spent:,.2f}"}
            }
        )
    return cleaned


def _links(plan: StrategyPlan | None, given: CampaignInput) -> dict[str, list]:
    """The linked objectives, goals and KPIs, each of the campaign's strategy plan."""
    linked = {}
    for field, ids in given.links().items():
        if not ids:
            linked[field] = []
            continue
        found = list(LINKS[field].objects.filter(plan=plan, id__in=ids)) if plan else []
        if len(found) != len(set(ids)):
            raise ValidationError(
                {field: _("Choose from the client's strategy plan; one of these is not in it.")}
            )
        linked[field] = found
    return linked


def _test_plan(given: CampaignInput) -> CampaignInput:
    """A test is planned whole: a hypothesis, its variants, a deciding metric, a sample.
    Without a test there is no sample size to keep."""
    if not given.test_kind:
        return dataclasses.replace(given, test_min_sample=None)
    if not given.test_hypothesis:
        raise ValidationError({"test_hypothesis": _("State what the test should show.")})
    variants = len(given.test_variants)
    if given.test_kind == TestKind.AB and variants != 2:
        raise ValidationError(
            {"test_variants": _("An A/B test compares exactly two variants, one per line.")}
        )
    if variants < 3 and given.test_kind != TestKind.AB:
        raise ValidationError(
            {"test_variants": _("A multivariate test needs three variants or more, one per line.")}
        )
    if not given.test_metric:
        raise ValidationError({"test_metric": _("Name the metric that decides the winner.")})
    if given.test_min_sample is None:
        raise ValidationError(
            {"test_min_sample": _("Enter the minimum number of visitors per variant.")}
        )
    return given


def _input(
    fields: CampaignInput | Mapping[str, Any], campaign: CampaignPlan | None, partial: bool
) -> CampaignInput:
    """The campaign's input: as given, or a partial change laid over the saved values."""
    if isinstance(fields, CampaignInput):
        return fields
    if partial and campaign is not None:
        fields = {**selectors.campaign_fields(campaign), **fields}
    return CampaignInput.from_values(fields)


@transaction.atomic
def campaign_save(
    *,
    client: Client,
    fields: CampaignInput | Mapping[str, Any],
    activities: list[Mapping[str, Any]] | None = None,
    campaign: CampaignPlan | None = None,
    revision: int | None = None,
    partial: bool = False,
) -> CampaignPlan:
    """Create or change a campaign plan with its links and timeline, all or nothing.
    `fields` is a CampaignInput, or values to build one from (a `partial` change gives
    only what changes, laid over the saved values once the row is locked). `activities`
    replaces the timeline when given; None keeps it. Refused when `revision` is older than
    the saved one."""
    if client.archived:
        raise ValidationError(_("Restore the client before planning for it."), code="archived")
    if campaign is None:
        plan = plan_active(client=client)
    else:
        campaign = revision_lock(campaign, expected=revision)
        plan = campaign.strategy_plan
    given = _test_plan(_input(fields, campaign, partial))
    linked = _links(plan, given)
    if activities is not None:
        timeline = _activities(activities, given.total_budget)
    elif campaign is not None and given.total_budget is not None:
        _activities(list(campaign.activities.values("title", "start", "end", "budget")),
                    given.total_budget)  # fmt: skip
    if campaign is None:
        campaign = CampaignPlan(client=client, strategy_plan=plan)
    for name, value in given.model_values().items():
        setattr(campaign, name, value)
    revision_save(campaign)
    status_record(campaign=campaign)
    for field, items in linked.items():
        getattr(campaign, field).set(items)
    if activities is not None:
        campaign.activities.all().delete()
        CampaignActivity.objects.bulk_create(
            CampaignActivity(campaign=campaign, position=i, **row) for i, row in enumerate(timeline)
        )
    return campaign


def campaign_delete(*, campaign: CampaignPlan) -> None:
    """A campaign goes with its timeline and its rendered campaign plan PDFs (their files
    are removed by the Document delete signal)."""
    campaign.delete()


def campaign_draft(*, client: Client, dimension_key: str) -> CampaignPlan:
    """A draft campaign for one of the client's priority dimensions (from the assessment
    its playbook reports), from the library template that fits the client's stage. Pages
    and the API both come here, so neither drafts for a dimension that is no priority."""
    priorities, stage = selectors.client_priorities(client)
    if dimension_key not in {d["key"] for d in priorities}:
        raise ValidationError(
            {"dimension": _("Choose one of the client's priority dimensions.")},
            code="not_priority",
        )
    return campaign_from_library(client=client, dimension_key=dimension_key, stage=stage)


def campaign_from_library(*, client: Client, dimension_key: str, stage: int | None) -> CampaignPlan:
    """A draft campaign pre-filled from the library template for the dimension that fits
    `stage`: tactics, channels, a timeline from next Monday, a test plan where the stage
    is ready for one, and the plan's KPIs of the same names. Scripts (the demo) choose the
    stage; people draft through campaign_draft."""
    stage = stage or 1
    templates = [
        t
        for t in campaign_library()
        if t["dimension"] == dimension_key and t["from_stage"] <= stage <= t["to_stage"]
    ]
    if not templates:
        raise ValidationError({"dimension": _("No campaign template fits this dimension.")})
    template = templates[0]
    plan = plan_active(client=client)
    plan_kpis = {k.name.lower(): k.id for k in plan.kpis.all()} if plan else {}
    kpis = [plan_kpis[n.lower()] for n in template.get("kpis", []) if n.lower() in plan_kpis]
    missing = [n for n in template.get("kpis", []) if n.lower() not in plan_kpis]
    activities = _template_activities(template)
    test = template.get("test") or {}
    purpose = template["purpose"]
    if missing:
        purpose += "\n\n" + _("KPIs to add to the plan: %(names)s.") % {"names": ", ".join(missing)}
    given = CampaignInput.from_values(
        {
            "name": template["name"],
            "purpose": purpose,
            "journey": template["journey"],
            "lifecycle_stage": template["lifecycle_stage"],
            "segment": template.get("segment", ""),
            "channels": template.get("channels", []),
            "tactics": template.get("tactics", []),
            "total_budget": sum(Decimal(str(a.get("budget") or 0)) for a in activities) or None,
            "kpis": kpis,
            "test_kind": test.get("kind", ""),
            "test_hypothesis": test.get("hypothesis", ""),
            "test_variants": test.get("variants", []),
            "test_metric": test.get("metric", ""),
            "test_min_sample": test.get("min_sample"),
            "attribution": template.get("attribution", Attribution.LAST_TOUCH),
            "dimension_key": dimension_key,
        }
    )
    return campaign_save(client=client, fields=given, activities=activities)


def _template_activities(template: dict) -> list[dict]:
    """The template's timeline, starting next Monday."""
    today = timezone.localdate()
    start = today + datetime.timedelta(days=7 - today.weekday())
    return [
        {
            "title": a["title"],
            "channel": a.get("channel", ""),
            "start": start + datetime.timedelta(weeks=a["start_week"]),
            "end": start + datetime.timedelta(weeks=a["start_week"] + a["weeks"], days=-1),
            "budget": a.get("budget"),
        }
        for a in template.get("activities", [])
    ]


@transaction.atomic
def campaign_add_tactic(*, campaign: CampaignPlan, tactic: str) -> CampaignPlan:
    """Append one tactic (e.g. from a competitor finding), unless it is there already.
    The row is locked first: two appends at once both land."""
    tactic = one_line(tactic)[: LISTS["tactics"][1]]
    if not tactic:
        raise ValidationError({"tactic": _("The tactic is empty.")})
    campaign = revision_lock(campaign, expected=None)
    if tactic in campaign.tactics:
        return campaign
    if len(campaign.tactics) >= MAX_TACTICS:
        raise ValidationError({"tactic": _("At most %(n)d tactics.") % {"n": MAX_TACTICS}})
    campaign.tactics = [*campaign.tactics, tactic]
    revision_save(campaign, fields=["tactics"])
    return campaign
