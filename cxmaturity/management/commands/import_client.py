from django.core.management.base import BaseCommand, CommandError

from cxmaturity import backups
from workspaces.models import Workspace

from .export_workspace import _uuid
from .import_workspace import archive_open, links_choice, report


class Command(BaseCommand):
    help = (
        "Restore a client archive into a workspace; ids are kept when free. A damaged or "
        "newer-format archive is refused and nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--workspace", required=True, help="UUID of the workspace")
        parser.add_argument(
            "--reissue-links",
            action="store_true",
            help="issue new respondent links (printed, not emailed) when the archive comes "
            "from a site with another SECRET_KEY",
        )
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(
        self, *args, file: str, workspace: str, reissue_links: bool, interactive: bool, **opts
    ) -> None:
        target = Workspace.objects.filter(pk=workspace).first() if _uuid(workspace) else None
        if target is None:
            raise CommandError(f"No workspace {workspace}.")
        archive = archive_open(file)
        reissue = links_choice(self, archive, reissue_links, interactive)
        try:
            result = backups.client_import(archive=archive, workspace=target, reissue_links=reissue)
        except backups.ArchiveError as exc:
            raise CommandError(f"{exc} Nothing was written.") from exc
        self.stdout.write(
            f"Imported client {result.client.name} ({result.client.id}) into {target.name}: "
            f"{result.rows} rows, {result.files} files."
        )
        report(self, result)
