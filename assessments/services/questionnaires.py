"""Writes for questionnaires: importing a file as a new version, exporting one."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from workspaces.models import Workspace

from .. import questionnaire_files
from ..languages import DEFAULT_LANGUAGE, localized, localized_levels
from ..models import Dimension, Question, Questionnaire, QuestionnaireVersion


@transaction.atomic
def questionnaire_import(
    *, data: bytes | str, workspace: Workspace | None = None
) -> tuple[QuestionnaireVersion, bool]:
    """Load a questionnaire file: (version, created).

    Identical content returns the existing version; changed content becomes the next
    version. Nothing is saved when the file has any problem.
    """
    try:
        content = questionnaire_files.load(data)
    except questionnaire_files.QuestionnaireFileError as exc:
        raise ValidationError({"file": exc.problems}, code="invalid_questionnaire") from exc
    digest = questionnaire_files.content_hash(content)
    language = content.get("language", DEFAULT_LANGUAGE)
    title = localized(content["title"], language, language)
    questionnaire, _created = Questionnaire.objects.select_for_update().get_or_create(
        workspace=workspace, key=content["key"], defaults={"title": title}
    )
    existing = questionnaire.versions.filter(content_hash=digest).first()
    if existing is not None:
        return existing, False
    number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    questionnaire.title = title
    questionnaire.save(update_fields=["title"])
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        title=title,
        description=localized(content["description"], language, language),
        language=language,
        content=content,
        content_hash=digest,
        stages=content.get("stages", {}),
    )
    _version_rows_create(version, content)
    return version, True


def _translated(row: dict, fields: tuple[str, ...], levels_field: str) -> dict:
    """The fields of `row` given as translations, as the file has them."""
    translations = {f: row[f] for f in fields if isinstance(row[f], dict)}
    levels = {level: t for level, t in row[levels_field].items() if isinstance(t, dict)}
    if levels:
        translations[levels_field] = levels
    return translations


def _version_rows_create(version: QuestionnaireVersion, content: dict) -> None:
    language = version.language

    def text(value: str | dict) -> str:
        return localized(value, language, language)

    dimensions, questions = [], []
    position = 0
    for d_position, d in enumerate(content["dimensions"]):
        dimension = Dimension(
            version=version,
            key=d["key"],
            title=text(d["title"]),
            description=text(d["description"]),
            weight=Decimal(str(d["weight"])),
            guidance=localized_levels(d["guidance"], language, language),
            translations=_translated(d, ("title", "description"), "guidance"),
            position=d_position,
        )
        dimensions.append(dimension)
        for q in d["questions"]:
            questions.append(
                Question(
                    version=version,
                    dimension=dimension,
                    key=q["key"],
                    text=text(q["text"]),
                    help=text(q["help"]),
                    weight=Decimal(str(q["weight"])),
                    channel=q["channel"] or "",
                    levels=localized_levels(q["levels"], language, language),
                    translations=_translated(q, ("text", "help"), "levels"),
                    position=position,
                )
            )
            position += 1
    Dimension.objects.bulk_create(dimensions)
    Question.objects.bulk_create(questions)


def questionnaire_export(*, version: QuestionnaireVersion) -> str:
    return questionnaire_files.dump(version.content, version=version.number)
