from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.services import questionnaire_import
from workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Load a questionnaire file (YAML or JSON). Identical content changes nothing; "
        "changed content becomes the next version. Nothing is saved if any rule is broken."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--workspace", help="UUID of the workspace that owns it (default: shared by all)"
        )

    def handle(self, *args, path: Path, workspace: str | None, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        owner = None
        if workspace:
            owner = Workspace.objects.filter(id=workspace).first()
            if owner is None:
                raise CommandError(f"No workspace {workspace}.")
        try:
            version, created = questionnaire_import(data=data, workspace=owner)
        except ValidationError as exc:
            problems = exc.message_dict.get("file", exc.messages)
            raise CommandError(
                f"{path}: {len(problems)} problem(s), nothing saved:\n  " + "\n  ".join(problems)
            ) from exc
        questions = version.questions.count()
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {version.questionnaire.key} version {version.number} "
                    f"({version.dimensions.count()} dimensions, {questions} questions)."
                )
            )
        else:
            self.stdout.write(
                f"{version.questionnaire.key} version {version.number} already has this content; "
                "nothing changed."
            )
