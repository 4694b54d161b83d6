"""Writes for rendered documents: a playbook or a campaign plan PDF is requested, then
rendered by a worker under a lease, each step safe to run twice."""

import contextlib
import datetime
import hashlib
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxmaturity import leases
from cxmaturity.inputs import choice_input
from playbooks.tasks import document_render_task
from workspaces.models import Client

from ..errors import TransientRenderError
from ..models import CampaignPlan, Document, document_upload_to

logger = logging.getLogger(__name__)

DOCUMENT_JOB = leases.Job(
    model=Document,
    running=Document.Status.RENDERING,
    queued_at="requested_at",
    lease_setting="DOCUMENT_RENDER_LEASE",
    patience_setting="DOCUMENT_QUEUED_PATIENCE",
    stopped=gettext_lazy("Rendering stopped %(n)d times; ask us to look at this document."),
    broken=gettext_lazy("The PDF could not be stored; make the document again."),
)


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
    if client.archived:
        raise ValidationError(_("Restore the client before making documents for it."))
    kind = choice_input(kind, Document.Kind.values, "kind")
    page_size = choice_input(
        page_size or Document.PageSize.A4, Document.PageSize.values, "page_size"
    )
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
    """The document's HTML and what it shows (for the next version's comparison), in the
    client's language whoever asked for it: it is the client's document."""
    with translation.override(document.client.language):
        return _document_html(document)


def _document_html(document: Document) -> tuple[str, dict]:
    from django.template.loader import render_to_string

    from playbooks import display, pdf

    if document.kind == Document.Kind.PLAYBOOK:
        context = display.playbook_context(document.client)
        template = "playbooks/pdf/playbook.html"
        current = display.snapshot(context)
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
            context["changes"] = display.changes_since(previous.snapshot, current)
            context["previous_version"] = previous.version
    else:
        context = display.campaign_context(document.campaign)
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

    from playbooks import pdf

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
    return leases.sweep(DOCUMENT_JOB, send=document_render_task.delay, now=now)


def document_delete(*, document: Document) -> None:
    document.delete()  # the file goes with the row (post_delete signal)
