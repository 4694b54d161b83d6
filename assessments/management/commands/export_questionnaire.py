from django.core.management.base import BaseCommand, CommandError

from assessments.models import QuestionnaireVersion
from assessments.services import questionnaire_export


class Command(BaseCommand):
    help = "Write a questionnaire version back out as YAML (the newest unless --version)."

    def add_base_argument(self, parser, *args, **kwargs) -> None:
        # `--version N` names the questionnaire version here, not Django's.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("key")
        parser.add_argument("--version", type=int, dest="number")
        parser.add_argument("--workspace", help="UUID of the owning workspace (default: shared)")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(
        self,
        *args,
        key: str,
        number: int | None,
        workspace: str | None,
        output: str | None,
        **options,
    ) -> None:
        versions = QuestionnaireVersion.objects.filter(
            questionnaire__key=key, questionnaire__workspace_id=workspace
        ).order_by("-number")
        if number is not None:
            versions = versions.filter(number=number)
        version = versions.first()
        if version is None:
            raise CommandError(
                f"No questionnaire {key!r}" + (f" version {number}" if number else "")
            )
        text = questionnaire_export(version=version)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
