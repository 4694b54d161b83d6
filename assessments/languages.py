"""The languages a questionnaire and its respondents can use, and the one way to read a
questionnaire text in a language: `localized`.

A text in a questionnaire is either a plain string (the questionnaire's default language)
or a mapping {"en": "…", "de": "…", "fr": "…"}. The codes live here rather than in the
LANGUAGES setting so that questionnaire content does not depend on which interface
languages a deployment turns on.
"""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

QUESTIONNAIRE_LANGUAGES = ("en", "de", "fr")
DEFAULT_LANGUAGE = "en"
# Each language named in itself: a respondent picks the one they read.
LANGUAGE_CHOICES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
LANGUAGE_LABEL = _("language")


def localized(value: Any, language: str | None = None, default: str = DEFAULT_LANGUAGE) -> str:
    """The text of `value` in `language` (the active one when None), else in the
    questionnaire's `default` language, else any translation there is."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or not value:
        return ""
    language = language or translation.get_language() or default
    for code in (language, language.split("-")[0], default):
        if value.get(code):
            return value[code]
    return next((value[code] for code in sorted(value) if value[code]), "")


def localized_levels(levels: dict, language: str | None, default: str) -> dict[str, str]:
    """Level texts keyed "1".."7", each in `language`."""
    return {level: localized(text, language, default) for level, text in levels.items()}


def is_language(value: Any) -> bool:
    return isinstance(value, str) and value in QUESTIONNAIRE_LANGUAGES
