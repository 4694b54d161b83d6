from django.core.management.base import BaseCommand, CommandError

from cxmaturity.backups import client_export
from workspaces.models import Client

from .export_workspace import _summary, _uuid


class Command(BaseCommand):
    help = "Write one client's archive (its rows and media only) to a zip file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--client", required=True, help="UUID of the client")
        parser.add_argument("--out", required=True, help="the zip file to write")

    def handle(self, *args, client: str, out: str, **options) -> None:
        found = Client.objects.filter(pk=client).first() if _uuid(client) else None
        if found is None:
            raise CommandError(f"No client {client}.")
        with open(out, "wb") as target:
            manifest = client_export(client=found, out=target)
        self.stdout.write(_summary(manifest, out))
