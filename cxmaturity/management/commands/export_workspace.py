from django.core.management.base import BaseCommand, CommandError

from cxmaturity.backups import workspace_export
from workspaces.models import Workspace


class Command(BaseCommand):
    help = "Write a workspace's archive (rows and media) to a zip file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", required=True, help="UUID of the workspace")
        parser.add_argument("--out", required=True, help="the zip file to write")

    def handle(self, *args, workspace: str, out: str, **options) -> None:
        found = Workspace.objects.filter(pk=workspace).first() if _uuid(workspace) else None
        if found is None:
            raise CommandError(f"No workspace {workspace}.")
        with open(out, "wb") as target:
            manifest = workspace_export(workspace=found, out=target)
        self.stdout.write(_summary(manifest, out))


def _uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _summary(manifest: dict, out: str) -> str:
    lines = [
        f"Wrote {out}: {manifest['data']['rows']} rows, {len(manifest['files'])} files "
        f"(format {manifest['version']})."
    ]
    lines += [f"Missing from storage, left out: {name}" for name in manifest["missing_files"]]
    return "\n".join(lines)
