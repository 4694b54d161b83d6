"""Render a playbook or a campaign plan PDF now, without a worker, and copy it to a file:

    manage.py render_document --client "Northwind Retail" --kind playbook --out nw.pdf
    manage.py render_document --client <client id> --kind campaign_plan \\
        --campaign "Loyalty relaunch" --page-size letter --out plan.pdf

The document is a new version, stored and listed like one a worker rendered."""

import logging
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from cxmaturity.inputs import one_line
from cxmaturity.leases import LeaseHeld
from playbooks.models import CampaignPlan, Document
from playbooks.services import (
    TransientRenderError,
    document_fail,
    document_render,
    document_request,
)
from workspaces.models import Client


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


class _NoTraceback(logging.Filter):
    """The service logs a failed render with its traceback; here the message is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


@contextmanager
def _quiet_tracebacks(enabled: bool):
    logger = logging.getLogger("playbooks.services")
    quiet = _NoTraceback()
    if enabled:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


class Command(BaseCommand):
    help = (
        "Render the next version of a client's playbook or of one campaign's plan to PDF "
        "at once (no worker), store it, and copy it to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--client", required=True, help="The client's id, or its name (any letter case)."
        )
        parser.add_argument("--kind", required=True, choices=Document.Kind.values)
        parser.add_argument(
            "--campaign", help="For --kind campaign_plan: the campaign's id or name."
        )
        parser.add_argument(
            "--page-size", default=Document.PageSize.A4, choices=Document.PageSize.values
        )
        parser.add_argument("--out", required=True, help="Where to write the PDF.")

    def handle(self, *args, **options) -> None:
        out = self._out(options["out"])
        client = self._client(options["client"])
        kind = options["kind"]
        campaign = None
        if kind == Document.Kind.CAMPAIGN_PLAN:
            if not options["campaign"]:
                raise CommandError("--kind campaign_plan needs --campaign (its id or name).")
            campaign = self._campaign(client, options["campaign"])
        elif options["campaign"]:
            raise CommandError("--campaign goes with --kind campaign_plan only.")
        document = self._render(client, kind, campaign, options)
        self._copy(document, out)
        label = f"{document.get_kind_display()} v{document.version} for {client.name}"
        if campaign is not None:
            label += f", campaign “{campaign.name}”"
        self.stdout.write(self.style.SUCCESS(f"{label} ({document.page_size}) written to {out}"))
        self.stdout.write(f"version: {document.version}")
        self.stdout.write(f"pages: {document.pages}")
        self.stdout.write(f"size: {document.size} bytes")
        self.stdout.write(f"sha256: {document.sha256}")

    # --- What to render ------------------------------------------------------------------

    def _client(self, value: str) -> Client:
        found = _uuid(value)
        if found is not None:
            client = Client.objects.select_related("workspace").filter(id=found).first()
            if client is None:
                raise CommandError(f"No client has the id {found}.")
            return client
        name = one_line(value)
        if not name:
            raise CommandError("--client is empty: give the client's name or id.")
        clients = list(
            Client.objects.select_related("workspace")
            .filter(name__iexact=name)
            .order_by("workspace__name", "name")
        )
        if not clients:
            raise CommandError(f"No client is named “{name}”. Check the spelling, or pass its id.")
        if len(clients) > 1:
            listing = "\n".join(
                f"  {c.id}  {c.name} in workspace “{c.workspace.name}” ({c.workspace_id})"
                for c in clients
            )
            raise CommandError(
                f"{len(clients)} clients in different workspaces are named “{name}”; "
                f"pass the id of the one you mean with --client:\n{listing}"
            )
        return clients[0]

    def _campaign(self, client: Client, value: str) -> CampaignPlan:
        theirs = ", ".join(f"“{c.name}” ({c.id})" for c in client.campaigns.order_by("name"))
        choose = (
            f"{client.name}'s campaigns: {theirs}."
            if theirs
            else f"{client.name} has no campaign plans yet."
        )
        found = _uuid(value)
        if found is not None:
            campaign = CampaignPlan.objects.select_related("client").filter(id=found).first()
            if campaign is None:
                raise CommandError(f"No campaign has the id {found}. {choose}")
            if campaign.client_id != client.id:
                raise CommandError(
                    f"Campaign “{campaign.name}” belongs to another client "
                    f"(“{campaign.client.name}”), not to {client.name}. {choose}"
                )
            return campaign
        name = one_line(value)
        matches = list(client.campaigns.filter(name__iexact=name))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(str(c.id) for c in matches)
            raise CommandError(
                f"{client.name} has {len(matches)} campaigns named “{name}”; "
                f"pass the id of the one you mean with --campaign: {ids}"
            )
        if CampaignPlan.objects.filter(name__iexact=name).exists():
            raise CommandError(
                f"Campaign “{name}” belongs to another client, not to {client.name}. {choose}"
            )
        raise CommandError(f"{client.name} has no campaign named “{name}”. {choose}")

    # --- Rendering and writing -----------------------------------------------------------

    def _render(self, client: Client, kind: str, campaign, options: dict) -> Document:
        try:
            document = document_request(
                client=client,
                kind=kind,
                campaign=campaign,
                page_size=options["page_size"],
                enqueue=False,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        what = f"{document.get_kind_display()} v{document.version} for {client.name}"
        verbose = options["verbosity"] >= 2 or options.get("traceback")
        try:
            with _quiet_tracebacks(not verbose):
                rendered = document_render(document_id=document.id)
        except (TransientRenderError, LeaseHeld, DatabaseError) as exc:
            # Nobody will pick this version up from the command line: say it failed.
            document_fail(document_id=document.id, error=str(exc)[:500])
            raise CommandError(f"{what} could not be rendered: {exc}") from exc
        if rendered is None or rendered.status != Document.Status.DONE:
            document.refresh_from_db()
            error = document.error or f"it ended {document.get_status_display().lower()}"
            raise CommandError(f"{what} failed: {error}")
        return rendered

    def _out(self, value: str) -> Path:
        out = Path(value).expanduser()
        if out.is_dir():
            raise CommandError(f"--out {out} is a folder; name the PDF file to write in it.")
        folder = out.parent
        if not folder.is_dir():
            raise CommandError(f"Cannot write {out}: the folder {folder} does not exist.")
        if not os.access(folder, os.W_OK | os.X_OK) or (
            out.exists() and not os.access(out, os.W_OK)
        ):
            raise CommandError(f"Cannot write {out}: permission denied.")
        return out

    def _copy(self, document: Document, out: Path) -> None:
        started = False
        try:
            with (
                default_storage.open(document.file.name, "rb") as source,
                out.open("wb") as target,
            ):
                started = True
                shutil.copyfileobj(source, target)
        except OSError as exc:
            if started:  # no half-written PDF left behind
                out.unlink(missing_ok=True)
            raise CommandError(
                f"{document.get_kind_display()} v{document.version} is stored, but it could "
                f"not be written to {out}: {exc.strerror or exc}"
            ) from exc
