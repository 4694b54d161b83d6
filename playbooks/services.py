"""Writes for campaign plans and documents: one function per use case, each atomic,
each raising ValidationError keyed by field (nothing half-saved)."""

import contextlib
import datetime
import hashlib
import logging
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Channel
from cxmaturity import leases
from cxmaturity.inputs import one_line
from cxmaturity.revisions import revision_lock, revision_save
from kpis.models import KPI, DigitalGoal, Journey, LifecycleStage, MarketingObjective, StrategyPlan
from kpis.selectors import plan_active
from workspaces.models import Client

from .models import (
    Attribution,
    CampaignActivity,
    CampaignPlan,
    Document,
    TestKind,
    document_upload_to,
)

logger = logging.getLogger(__name__)

LIBRARY = Path(__file__).resolve().parent / "libraries" / "campaigns.yaml"
MAX_TACTICS = 30
# Timelines outside these years are typing mistakes (and would draw thousands of months).
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)
MAX_ACTIVITIES = 60
MAX_VARIANTS = 8
LINKS = {
    "marketing_objectives": MarketingObjective,
    "digital_goals": DigitalGoal,
    "kpis": KPI,
}


@cache
def campaign_library() -> tuple[dict, ...]:
    """Campaign templates per dimension and stage range, read once per process."""
    return tuple(yaml.safe_load(LIBRARY.read_text(encoding="utf-8"))["campaigns"])


def _money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError({field: _("Enter an amount, e.g. 12500 or 12500.50.")}) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
        raise ValidationError({field: _("Enter an amount of 0 or more.")})
    return amount.quantize(Decimal("0.01"))


def _lines(value: Any, field: str, *, most: int, length: int) -> list[str]:
    """A list of short texts from a list or from one text with one entry per line."""
    items = value.splitlines() if isinstance(value, str) else list(value or [])
    cleaned = [one_line(item) for item in items]
    cleaned = [item for item in cleaned if item]
    if len(cleaned) > most:
        raise ValidationError({field: _("At most %(n)d entries.") % {"n": most}})
    for item in cleaned:
        if len(item) > length:
            raise ValidationError(
                {field: _("Keep each entry under %(n)d characters.") % {"n": length}}
            )
    return cleaned


def _choice(value: Any, field: str, choices: type, *, blank: bool = False) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the listed options.")})
    return value


def _date(value: Any, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from exc


def _activities(rows: list[dict], total: Decimal | None) -> list[dict]:
    if len(rows) > MAX_ACTIVITIES:
        raise ValidationError(
            {"activities": _("At most %(n)d activities.") % {"n": MAX_ACTIVITIES}}
        )
    cleaned = []
    for number, row in enumerate(rows, start=1):
        where = _("Activity %(n)d") % {"n": number}
        title = one_line(row.get("title"))
        if not title:
            raise ValidationError(
                {"activities": _("%(where)s: give it a title.") % {"where": where}}
            )
        try:
            start = _date(row.get("start"), "start")
            end = _date(row.get("end"), "end")
            budget = _money(row.get("budget"), "budget")
            channel = _choice(row.get("channel"), "channel", Channel, blank=True)
        except ValidationError as exc:
            raise ValidationError(
                {"activities": f"{where} ({title[:40]}): {' '.join(exc.messages)}"}
            ) from exc
        if not (start >= FIRST_DAY and end <= LAST_DAY):
            raise ValidationError(
                {
                    "activities": _("%(where)s (%(title)s): use dates from 1900 to 2199.")
                    % {"where": where, "title": title[:40]}
                }
            )
        if end < start:
            raise ValidationError(
                {
                    "activities": _("%(where)s (%(title)s): it ends before it starts.")
                    % {"where": where, "title": title[:40]}
                }
            )
        cleaned.append(
            {
                "title": title[:200],
                "channel": channel,
                "start": start,
                "end": end,
                "owner": one_line(row.get("owner"))[:150],
                "budget": budget,
            }
        )
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


def _links(plan: StrategyPlan | None, fields: dict) -> dict[str, list]:
    """The linked objectives, goals and KPIs, each of the campaign's strategy plan."""
    linked = {}
    for field, model in LINKS.items():
        ids = [str(i) for i in fields.get(field) or []]
        if not ids:
            linked[field] = []
            continue
        found = list(model.objects.filter(plan=plan, id__in=ids)) if plan else []
        if len(found) != len(set(ids)):
            raise ValidationError(
                {field: _("Choose from the client's strategy plan; one of these is not in it.")}
            )
        linked[field] = found
    return linked


def _clean(client: Client, fields: dict) -> dict:
    name = one_line(fields.get("name"))
    if not name:
        raise ValidationError({"name": _("Name the campaign.")})
    if len(name) > 200:
        raise ValidationError({"name": _("Keep the name under 200 characters.")})
    currency = str(fields.get("currency") or "EUR").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ValidationError({"currency": _("Enter a three-letter currency code, e.g. EUR.")})
    channels = list(dict.fromkeys(fields.get("channels") or []))
    if any(c not in Channel.values for c in channels):
        raise ValidationError({"channels": _("Choose channels from the list.")})
    cleaned = {
        "name": name,
        "purpose": str(fields.get("purpose") or "").strip()[:2000],
        "journey": _choice(fields.get("journey"), "journey", Journey),
        "segment": one_line(fields.get("segment"))[:200],
        "contextual_segment": one_line(fields.get("contextual_segment"))[:300],
        "lifecycle_stage": _choice(
            fields.get("lifecycle_stage"), "lifecycle_stage", LifecycleStage
        ),
        "channels": channels,
        "tactics": _lines(fields.get("tactics"), "tactics", most=MAX_TACTICS, length=300),
        "total_budget": _money(fields.get("total_budget"), "total_budget"),
        "currency": currency,
        "owner": one_line(fields.get("owner"))[:150],
        "attribution": _choice(
            fields.get("attribution") or Attribution.LAST_TOUCH, "attribution", Attribution
        ),
        "status": _choice(
            fields.get("status") or CampaignPlan.Status.DRAFT, "status", CampaignPlan.Status
        ),
        "dimension_key": str(fields.get("dimension_key") or "")[:80],
        **_test_plan(fields),
    }
    return cleaned


def _test_plan(fields: dict) -> dict:
    kind = _choice(fields.get("test_kind"), "test_kind", TestKind, blank=True)
    variants = _lines(fields.get("test_variants"), "test_variants", most=MAX_VARIANTS, length=200)
    plan = {
        "test_kind": kind,
        "test_hypothesis": one_line(fields.get("test_hypothesis"))[:500],
        "test_variants": variants,
        "test_metric": one_line(fields.get("test_metric"))[:200],
        "test_min_sample": None,
    }
    if not kind:
        return plan
    if not plan["test_hypothesis"]:
        raise ValidationError({"test_hypothesis": _("State what the test should show.")})
    least = 2 if kind == TestKind.AB else 3
    if len(variants) < least or (kind == TestKind.AB and len(variants) != 2):
        message = (
            _("An A/B test compares exactly two variants, one per line.")
            if kind == TestKind.AB
            else _("A multivariate test needs three variants or more, one per line.")
        )
        raise ValidationError({"test_variants": message})
    if not plan["test_metric"]:
        raise ValidationError({"test_metric": _("Name the metric that decides the winner.")})
    try:
        sample = int(str(fields.get("test_min_sample") or "").strip())
    except ValueError as exc:
        raise ValidationError(
            {"test_min_sample": _("Enter the minimum number of visitors per variant.")}
        ) from exc
    if not 1 <= sample <= 10**9:
        raise ValidationError(
            {"test_min_sample": _("Enter the minimum number of visitors per variant.")}
        )
    plan["test_min_sample"] = sample
    return plan


@transaction.atomic
def campaign_save(
    *,
    client: Client,
    fields: dict,
    activities: list[dict] | None = None,
    campaign: CampaignPlan | None = None,
    revision: int | None = None,
    partial: bool = False,
) -> CampaignPlan:
    """Create or change a campaign plan with its links and timeline, all or nothing.
    `activities` replaces the timeline when given; None keeps it. A `partial` change
    keeps every field not given as saved now. Refused when `revision` is older than the
    saved one."""
    if client.archived:
        raise ValidationError(_("Restore the client before planning for it."), code="archived")
    if campaign is None:
        plan = plan_active(client=client)
    else:
        campaign = revision_lock(campaign, expected=revision)
        plan = campaign.strategy_plan
        if partial:
            from .selectors import campaign_fields

            fields = {**campaign_fields(campaign), **fields}
    cleaned = _clean(client, fields)
    linked = _links(plan, fields)
    timeline = _activities(activities, cleaned["total_budget"]) if activities is not None else None
    if timeline is None and campaign is not None and cleaned["total_budget"] is not None:
        _activities(
            [
                {"title": a.title, "start": a.start, "end": a.end, "budget": a.budget}
                for a in campaign.activities.all()
            ],
            cleaned["total_budget"],
        )
    if campaign is None:
        campaign = CampaignPlan(client=client, strategy_plan=plan)
    for name, value in cleaned.items():
        setattr(campaign, name, value)
    campaign.full_clean(exclude=["client", "strategy_plan", "channels", "tactics", "test_variants"])
    revision_save(campaign)
    for field, items in linked.items():
        getattr(campaign, field).set(items)
    if timeline is not None:
        campaign.activities.all().delete()
        CampaignActivity.objects.bulk_create(
            CampaignActivity(campaign=campaign, position=i, **row) for i, row in enumerate(timeline)
        )
    return campaign


def campaign_delete(*, campaign: CampaignPlan) -> None:
    """A campaign goes with its timeline and its rendered campaign plan PDFs (their files
    are removed by the Document delete signal)."""
    campaign.delete()


def campaign_draft(*, client: Client, dimension_key: str, stage: int | None) -> CampaignPlan:
    """A draft campaign for a priority dimension, pre-filled from the library template
    that fits the client's stage: tactics, channels, a timeline from next Monday, a test
    plan where the stage is ready for one, and the plan's KPIs of the same names."""
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
    today = timezone.localdate()
    start = today + datetime.timedelta(days=7 - today.weekday())
    activities = [
        {
            "title": a["title"],
            "channel": a.get("channel", ""),
            "start": start + datetime.timedelta(weeks=a["start_week"]),
            "end": start + datetime.timedelta(weeks=a["start_week"] + a["weeks"], days=-1),
            "budget": a.get("budget"),
        }
        for a in template.get("activities", [])
    ]
    test = template.get("test") or {}
    purpose = template["purpose"]
    if missing:
        purpose += "\n\n" + _("KPIs to add to the plan: %(names)s.") % {"names": ", ".join(missing)}
    return campaign_save(
        client=client,
        fields={
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
        },
        activities=activities,
    )


# --- Documents --------------------------------------------------------------------------

DOCUMENT_JOB = leases.Job(
    model=Document,
    running=Document.Status.RENDERING,
    queued_at="requested_at",
    lease_setting="DOCUMENT_RENDER_LEASE",
    patience_setting="DOCUMENT_QUEUED_PATIENCE",
    stopped=gettext_lazy("Rendering stopped %(n)d times; ask us to look at this document."),
    broken=gettext_lazy("The PDF could not be stored; make the document again."),
)


class TransientRenderError(Exception):
    """A failure worth retrying (storage or database briefly away), not a broken document."""


def document_request(
    *,
    client: Client,
    kind: str,
    campaign: CampaignPlan | None = None,
    page_size: str = Document.PageSize.A4,
    requested_by: Any = None,
    enqueue: bool = True,
) -> Document:
    """Queue the next version of a playbook (or of one campaign's plan) for rendering; the
    task is sent once the row is committed, so a worker always finds it. Scripts that
    render at once (render_document, the demo) pass enqueue=False and call
    document_render themselves."""
    from .tasks import document_render_task

    if client.archived:
        raise ValidationError(_("Restore the client before making documents for it."))
    kind = _choice(kind, "kind", Document.Kind)
    page_size = _choice(page_size or Document.PageSize.A4, "page_size", Document.PageSize)
    foreign = campaign is None or campaign.client_id != client.id
    if kind == Document.Kind.CAMPAIGN_PLAN and foreign:
        raise ValidationError({"campaign": _("Choose one of this client's campaigns.")})
    if kind == Document.Kind.PLAYBOOK:
        campaign = None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                # Lock the client row: two requests at once get versions n and n+1.
                Client.objects.select_for_update().filter(id=client.id).first()
                siblings = Document.objects.filter(client=client, kind=kind)
                if campaign is not None:
                    siblings = siblings.filter(campaign=campaign)
                version = (siblings.aggregate(m=models.Max("version"))["m"] or 0) + 1
                document = Document.objects.create(
                    client=client,
                    campaign=campaign,
                    kind=kind,
                    version=version,
                    page_size=page_size,
                    requested_by=requested_by,
                )
                if enqueue:
                    document_render_task.delay_on_commit(str(document.id))
                return document
        except IntegrityError:
            continue  # SQLite has no row locks; another request took this number
    raise ValidationError({"kind": _("Too many renders at once; try again in a moment.")})


def _progress(document: Document, percent: int) -> None:
    leases.heartbeat(DOCUMENT_JOB, document, percent)


def document_html(document: Document) -> tuple[str, dict]:
    """The document's HTML and what it shows (for the next version's comparison)."""
    from django.template.loader import render_to_string

    from . import pdf, selectors

    if document.kind == Document.Kind.PLAYBOOK:
        context = selectors.playbook_context(document.client)
        template = "playbooks/pdf/playbook.html"
        current = selectors.snapshot(context)
        previous = (
            Document.objects.filter(
                client=document.client,
                kind=Document.Kind.PLAYBOOK,
                status=Document.Status.DONE,
                version__lt=document.version,
            )
            .order_by("-version")
            .first()
        )
        if previous is not None and previous.snapshot:
            context["changes"] = selectors.changes_since(previous.snapshot, current)
            context["previous_version"] = previous.version
    else:
        context = selectors.campaign_context(document.campaign)
        template = "playbooks/pdf/campaign_plan.html"
        current = {}
    workspace = document.client.workspace
    context.update(
        {
            "document": document,
            "chart_css": pdf.chart_css(),
            "pdf_css": pdf.static_url("css/pdf.css"),
            "logo_url": pdf.media_url(workspace.logo.name) if workspace.logo else "",
            "accent": workspace.accent_colour,
            "generated": timezone.localdate(),
        }
    )
    return render_to_string(template, context), current


def document_render(*, document_id: Any) -> Document | None:
    """Render a queued document to its PDF. Safe to run twice for one id: a finished or
    claimed document is left alone, and the file is named by the id, so a retry overwrites
    its own file. Raises TransientRenderError for failures worth retrying; anything else
    marks the document failed with a message."""
    from django.core.files.base import ContentFile

    from . import pdf

    document = leases.claim(DOCUMENT_JOB, document_id)
    if document is None:
        return None
    name = document_upload_to(document, "")
    stored = ""
    try:
        html, shown = document_html(document)
        _progress(document, 40)
        data, pages = pdf.html_to_pdf(
            html,
            workspace_id=document.client.workspace_id,
            on_progress=lambda percent: _progress(document, percent),
        )
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(data))
    except (OSError, DatabaseError) as exc:
        _discard_partial(name, document)
        leases.requeue(DOCUMENT_JOB, document, str(exc))
        raise TransientRenderError(str(exc)[:300]) from exc
    except Exception as exc:  # a broken document must say why on its page, not vanish
        logger.exception("Rendering document %s failed", document.id)
        leases.finish(
            DOCUMENT_JOB,
            document,
            status=Document.Status.FAILED,
            progress=0,
            error=_("The PDF could not be made: %(error)s") % {"error": str(exc)[:300]},
        )
        return None
    finished = leases.finish(
        DOCUMENT_JOB,
        document,
        status=Document.Status.DONE,
        progress=100,
        error="",
        file=stored,
        pages=pages,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        snapshot=shown,
    )
    if not finished:
        # Deleted, taken over by another worker, or its outcome refused: the file is not
        # this render's to keep.
        if not Document.objects.filter(id=document.id, file=stored).exists():
            default_storage.delete(stored)
        return None
    document.refresh_from_db()
    return document


def _discard_partial(name: str, document: Document) -> None:
    """Remove what a failed save left at the document's name, unless a finished row (an
    earlier render of the same id) names it."""
    with contextlib.suppress(OSError):
        if (
            default_storage.exists(name)
            and not Document.objects.filter(id=document.id, file=name).exists()
        ):
            default_storage.delete(name)


def document_fail(*, document_id: Any, error: str) -> None:
    """Give up on a document after its retries, saying why on its page."""
    leases.fail(DOCUMENT_JOB, document_id, error)


def documents_requeue_stuck(*, now: datetime.datetime | None = None) -> int:
    """Enqueue again documents whose task was lost: queued and never claimed, or rendering
    past its lease (the worker died). After JOB_MAX_ATTEMPTS claims a document is failed."""
    from .tasks import document_render_task

    return leases.sweep(DOCUMENT_JOB, send=document_render_task.delay, now=now)


def document_delete(*, document: Document) -> None:
    document.delete()  # the file goes with the row (post_delete signal)


@transaction.atomic
def campaign_add_tactic(*, campaign: CampaignPlan, tactic: str) -> CampaignPlan:
    """Append one tactic (e.g. from a competitor finding), unless it is there already.
    The row is locked first: two appends at once both land."""
    tactic = one_line(tactic)[:300]
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
