from django.core.management.base import BaseCommand, CommandError

from cxmaturity import backups


class Command(BaseCommand):
    help = (
        "Restore a workspace archive as a new workspace; ids are kept when free. A damaged "
        "or newer-format archive is refused and nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--reissue-links",
            action="store_true",
            help="issue new respondent links (printed, not emailed) when the archive comes "
            "from a site with another SECRET_KEY",
        )
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, file: str, reissue_links: bool, interactive: bool, **opts) -> None:
        archive = archive_open(file)
        reissue = links_choice(self, archive, reissue_links, interactive)
        try:
            result = backups.workspace_import(archive=archive, reissue_links=reissue)
        except backups.ArchiveError as exc:
            raise CommandError(f"{exc} Nothing was written.") from exc
        self.stdout.write(
            f"Imported workspace {result.workspace.name} ({result.workspace.id}): "
            f"{result.rows} rows, {result.files} files."
        )
        report(self, result)


def archive_open(file: str) -> backups.Archive:
    try:
        with open(file, "rb") as source:
            return backups.archive_read(source)
    except OSError as exc:
        raise CommandError(f"Cannot read {file}: {exc}") from exc
    except backups.ArchiveError as exc:
        raise CommandError(f"{exc} Nothing was written.") from exc


def links_choice(command: BaseCommand, archive, reissue: bool, interactive: bool) -> bool:
    """Links signed under another site's key open nothing here: say so, and offer new ones."""
    if reissue or not (archive.from_other_site and archive.has_links):
        return reissue
    command.stdout.write(
        "This archive comes from a site with another SECRET_KEY: its respondent links will "
        "not open here. --reissue-links issues new ones (printed here, not emailed)."
    )
    if interactive:
        return input("Issue new respondent links now? [y/N] ").strip().lower() in ("y", "yes")
    return False


def report(command: BaseCommand, result: backups.ImportResult) -> None:
    for email in result.users_created:
        command.stdout.write(f"New account (signs in after a password reset): {email}")
    if result.links_dead:
        command.stdout.write(
            "Respondent links were not reissued: those sent before the move do not open here."
        )
    for respondent, link in result.links:
        command.stdout.write(f"New link for {respondent.name or respondent.id}: {link}")
