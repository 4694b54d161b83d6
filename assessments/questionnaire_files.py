"""Questionnaire files (YAML or JSON): parse, check every rule, normalise, write back.

Pure functions on plain data, so the command, the upload page and the API share them.
Every problem is reported with its path, e.g. `dimensions[2].questions[0].weight: must be > 0`.
"""

import hashlib
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .languages import DEFAULT_LANGUAGE, QUESTIONNAIRE_LANGUAGES, is_language

CHANNELS = ("web", "email", "mobile", "social", "contact_centre", "in_store")
LEVELS = range(1, 8)
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
MAX_FILE_BYTES = 1024 * 1024
MAX_DIMENSIONS = 30
MAX_QUESTIONS = 400
# Weights are stored with 4 decimals, under 100,000.
MAX_WEIGHT = Decimal(10000)
WEIGHT_QUANTUM = Decimal("0.0001")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QuestionnaireFileError(ValueError):
    """The file cannot be used; `problems` lists every reason with its path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a mapping with the same key twice (YAML keeps the last),
    and aliases, which let a small file expand into an enormous one."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse(data: bytes | str) -> Any:
    """The file's data, from YAML or JSON (JSON is YAML); QuestionnaireFileError if unreadable."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise QuestionnaireFileError(["file: must be 1 MB or smaller"])
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QuestionnaireFileError(["file: must be UTF-8 text"]) from exc
    try:
        return yaml.load(data, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except (TypeError, RecursionError) as exc:  # unhashable keys, absurd nesting
        raise QuestionnaireFileError(["file: not a questionnaire in the documented shape"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise QuestionnaireFileError([f"file: not valid YAML or JSON{where}: {problem}"]) from exc


def _weight(value: Any, path: str, problems: list[str]) -> int | str:
    if value is None:
        return 1
    if isinstance(value, bool):
        problems.append(f"{path}: must be a number > 0")
        return 1
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{path}: must be a number > 0")
        return 1
    if not number.is_finite() or number <= 0:
        problems.append(f"{path}: must be > 0")
        return 1
    if number > MAX_WEIGHT or number != number.quantize(WEIGHT_QUANTUM):
        problems.append(f"{path}: must be at most 10000, with at most 4 decimals")
        return 1
    return int(number) if number == number.to_integral_value() else str(number.normalize())


def _text(
    value: Any,
    path: str,
    problems: list[str],
    *,
    required: bool,
    limit: int,
    language: str = "",
) -> str | dict[str, str]:
    """A text; with `language` (the questionnaire's default) also a mapping of language
    codes to its translations, which must include the default language."""
    if language and isinstance(value, dict):
        return _translations(value, path, problems, limit=limit, language=language)
    if value is None or value == "":
        if required:
            problems.append(f"{path}: is required")
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        translatable = " or a mapping of languages to text" if language else ""
        problems.append(f"{path}: must be text{translatable}")
        return ""
    text = CONTROL_CHARACTERS.sub("", str(value)).strip()
    if len(text) > limit:
        problems.append(f"{path}: must be at most {limit} characters")
    return text


def _translations(
    value: dict, path: str, problems: list[str], *, limit: int, language: str
) -> dict[str, str]:
    unknown = sorted(str(code) for code in value if code not in QUESTIONNAIRE_LANGUAGES)
    for code in unknown:
        problems.append(
            f"{path}.{code}: unknown language; use {', '.join(QUESTIONNAIRE_LANGUAGES)}"
        )
    if language not in value:
        problems.append(f"{path}.{language}: is required (the questionnaire's default language)")
    return {
        code: _text(value[code], f"{path}.{code}", problems, required=True, limit=limit)
        for code in QUESTIONNAIRE_LANGUAGES
        if code in value
    }


def _key(value: Any, path: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        problems.append(
            f"{path}: must be lowercase letters, digits, '-' or '_' (at most 80 characters)"
        )
        return str(value)
    return value


def _level_texts(
    value: Any,
    path: str,
    problems: list[str],
    *,
    allowed: range,
    required: tuple[int, ...],
    language: str,
) -> dict[str, str | dict[str, str]]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        problems.append(f"{path}: must map levels to descriptions")
        return {}
    texts: dict[str, str] = {}
    for raw_level, description in value.items():
        try:
            level = int(str(raw_level))
        except ValueError:
            problems.append(f"{path}.{raw_level}: must be a level from 1 to 7")
            continue
        if level not in allowed or str(raw_level).strip() != str(level):
            problems.append(f"{path}.{raw_level}: must be a level from 1 to 7")
            continue
        texts[str(level)] = _text(
            description, f"{path}.{level}", problems, required=True, limit=1000, language=language
        )
    for level in required:
        if str(level) not in texts:
            problems.append(f"{path}.{level}: must be described")
    return dict(sorted(texts.items(), key=lambda item: int(item[0])))


def _question(raw: Any, path: str, problems: list[str], language: str) -> dict:
    if not isinstance(raw, dict):
        problems.append(f"{path}: must be a mapping")
        return {}
    channel = raw.get("channel")
    if channel not in (None, "", *CHANNELS):
        problems.append(f"{path}.channel: must be empty or one of {', '.join(CHANNELS)}")
    return {
        "key": _key(raw.get("key"), f"{path}.key", problems),
        "text": _text(
            raw.get("text"), f"{path}.text", problems, required=True, limit=1000, language=language
        ),
        "help": _text(
            raw.get("help"), f"{path}.help", problems, required=False, limit=2000, language=language
        ),
        "weight": _weight(raw.get("weight"), f"{path}.weight", problems),
        "channel": channel or None,
        "levels": _level_texts(
            raw.get("levels"),
            f"{path}.levels",
            problems,
            allowed=LEVELS,
            required=(1, 7),
            language=language,
        ),
    }


def _dimension(raw: Any, path: str, problems: list[str], language: str) -> dict:
    if not isinstance(raw, dict):
        problems.append(f"{path}: must be a mapping")
        return {"questions": []}
    questions = raw.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append(f"{path}.questions: must list at least one question")
        questions = []
    return {
        "key": _key(raw.get("key"), f"{path}.key", problems),
        "title": _text(
            raw.get("title"), f"{path}.title", problems, required=True, limit=200, language=language
        ),
        "weight": _weight(raw.get("weight"), f"{path}.weight", problems),
        "description": _text(
            raw.get("description"),
            f"{path}.description",
            problems,
            required=False,
            limit=2000,
            language=language,
        ),
        "guidance": _level_texts(
            raw.get("guidance"),
            f"{path}.guidance",
            problems,
            allowed=LEVELS,
            required=(),
            language=language,
        ),
        "questions": [
            _question(q, f"{path}.questions[{i}]", problems, language)
            for i, q in enumerate(questions)
        ],
    }


STAGE_FIELDS = ("definition", "practices", "signs", "next")
MAX_PRACTICES = 10


def _practices(value: Any, path: str, problems: list[str], language: str) -> list:
    """Typical practices as a list; one text is a list of one."""
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        value = [value]
    if len(value) > MAX_PRACTICES:
        problems.append(f"{path}: list at most {MAX_PRACTICES} practices")
        return []
    return [
        _text(item, f"{path}[{i}]", problems, required=True, limit=300, language=language)
        for i, item in enumerate(value)
    ]


def _stages(value: Any, path: str, problems: list[str], language: str) -> dict[str, dict]:
    """The optional narrative of each stage, keyed "1".."7"; a stage may be left out."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{path}: must map stages 1 to 7 to their narratives")
        return {}
    stages: dict[str, dict] = {}
    for raw_stage, raw in value.items():
        try:
            stage = int(str(raw_stage))
        except ValueError:
            stage = 0
        if stage not in LEVELS or str(raw_stage).strip() != str(stage):
            problems.append(f"{path}.{raw_stage}: must be a stage from 1 to 7")
            continue
        where = f"{path}.{stage}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a mapping with definition, practices, signs, next")
            continue
        unknown = sorted(str(k) for k in raw if k not in STAGE_FIELDS)
        if unknown:
            problems.append(f"{where}: unknown field {', '.join(unknown)}")
        narrative = {
            "definition": _text(
                raw.get("definition"),
                f"{where}.definition",
                problems,
                required=True,
                limit=1000,
                language=language,
            ),
            "practices": _practices(raw.get("practices"), f"{where}.practices", problems, language),
            "signs": _text(
                raw.get("signs"),
                f"{where}.signs",
                problems,
                required=False,
                limit=1000,
                language=language,
            ),
            "next": _text(
                raw.get("next"),
                f"{where}.next",
                problems,
                required=False,
                limit=1000,
                language=language,
            ),
        }
        stages[str(stage)] = narrative
    return dict(sorted(stages.items(), key=lambda item: int(item[0])))


def normalise(data: Any) -> dict:
    """The checked, normalised content; QuestionnaireFileError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise QuestionnaireFileError(["file: must be a mapping with key, title and dimensions"])
    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        problems.append("dimensions: must list at least one dimension")
        dimensions = []
    questions = sum(
        len(d.get("questions") or [])
        if isinstance(d, dict) and isinstance(d.get("questions"), list)
        else 0
        for d in dimensions
    )
    if len(dimensions) > MAX_DIMENSIONS or questions > MAX_QUESTIONS:
        raise QuestionnaireFileError(
            [f"dimensions: at most {MAX_DIMENSIONS} dimensions and {MAX_QUESTIONS} questions"]
        )
    language = data.get("language", DEFAULT_LANGUAGE)
    if not is_language(language):
        problems.append(f"language: must be one of {', '.join(QUESTIONNAIRE_LANGUAGES)}")
        language = DEFAULT_LANGUAGE
    content = {
        "key": _key(data.get("key"), "key", problems),
        "title": _text(
            data.get("title"), "title", problems, required=True, limit=200, language=language
        ),
        "description": _text(
            data.get("description"),
            "description",
            problems,
            required=False,
            limit=5000,
            language=language,
        ),
        "dimensions": [
            _dimension(d, f"dimensions[{i}]", problems, language) for i, d in enumerate(dimensions)
        ],
    }
    # Only when not English, so that files written before languages keep their hash.
    if language != DEFAULT_LANGUAGE:
        content["language"] = language
    stages = _stages(data.get("stages"), "stages", problems, language)
    # Only when given, so that a file without narratives keeps the hash it always had.
    if stages:
        content["stages"] = stages
    _check_unique_keys(content, problems)
    if problems:
        raise QuestionnaireFileError(problems)
    return content


def _check_unique_keys(content: dict, problems: list[str]) -> None:
    dimension_paths: dict[str, str] = {}
    question_paths: dict[str, str] = {}
    for i, dimension in enumerate(content["dimensions"]):
        path = f"dimensions[{i}].key"
        key = dimension.get("key")
        if key in dimension_paths:
            problems.append(f"{path}: '{key}' is already used by {dimension_paths[key]}")
        dimension_paths.setdefault(key, path)
        for j, question in enumerate(dimension.get("questions", [])):
            path = f"dimensions[{i}].questions[{j}].key"
            key = question.get("key")
            if key in question_paths:
                problems.append(f"{path}: '{key}' is already used by {question_paths[key]}")
            question_paths.setdefault(key, path)


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load(data: bytes | str) -> dict:
    """Parse and normalise a questionnaire file."""
    return normalise(parse(data))


def dump(content: dict, *, version: int) -> str:
    """The file for a normalised content, in the documented shape (levels keyed 1..7)."""

    def levels(texts: dict[str, str]) -> dict[int, str]:
        return {int(level): text for level, text in texts.items()}

    document = {
        "key": content["key"],
        **({"language": content["language"]} if "language" in content else {}),
        "title": content["title"],
        "version": version,
        "description": content["description"],
        "dimensions": [
            {
                "key": d["key"],
                "title": d["title"],
                "weight": d["weight"],
                "description": d["description"],
                "guidance": levels(d["guidance"]),
                "questions": [
                    {
                        "key": q["key"],
                        "text": q["text"],
                        "help": q["help"],
                        "weight": q["weight"],
                        "channel": q["channel"],
                        "levels": levels(q["levels"]),
                    }
                    for q in d["questions"]
                ],
            }
            for d in content["dimensions"]
        ],
    }
    if content.get("stages"):
        dimensions = document.pop("dimensions")
        document["stages"] = {int(stage): n for stage, n in content["stages"].items()}
        document["dimensions"] = dimensions  # last, as the files are written
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
