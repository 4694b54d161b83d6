"""Assessments and roadmap actions as their use cases take them: one typed input each,
built alike by the forms, the API's serializers and scripts. Each field's limits live
once, on the model field (length, choices, email, 0-100 progress, reminder interval); the
rules that span rows stay in the services (targets against the questionnaire, the
previous assessment of the same client, the settings fixed once an assessment has opened,
an action's dimension from the questionnaire, when an action counts as done)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cxmaturity.inputs import column_input, one_line, typed_values

from .benchmarks import filters_clean
from .languages import DEFAULT_LANGUAGE
from .models import Action, Assessment, QuestionnaireVersion

# What a person sets on an action (the rest is set by the roadmap's own services).
ACTION_INPUT_FIELDS = (
    "title",
    "dimension_key",
    "description",
    "owner_name",
    "owner_email",
    "due_date",
    "status",
    "horizon",
    "progress",
    "notes",
    "accepted",
)

# What an action may be linked to, each a list of ids of the same client's rows.
ACTION_LINK_FIELDS = (
    "strategic_objectives",
    "marketing_objectives",
    "digital_goals",
    "kpis",
    "campaigns",
)


@dataclass(frozen=True, kw_only=True)
class ActionInput:
    """What an action is saved from. A `partial` input (a change) holds only the fields in
    `given`; the others keep what is saved."""

    title: str = ""
    dimension_key: str = ""
    description: str = ""
    owner_name: str = ""
    owner_email: str = ""
    due_date: date | None = None
    status: str = Action.Status.OPEN
    horizon: str = Action.Horizon.NOW
    progress: int = 0
    notes: str = ""
    accepted: bool = True
    given: frozenset[str] = field(default=frozenset(), metadata={"internal": True})

    @classmethod
    def from_values(cls, values: Mapping[str, Any], *, partial: bool = False) -> "ActionInput":
        """The input from loosely typed values (a form's, a serializer's, a script's), each
        cleaned by its model field's limits (see cxmaturity.inputs.typed_values)."""
        cleaned = typed_values(
            values, names=ACTION_INPUT_FIELDS, clean=_clean, required=("title",), partial=partial
        )
        return cls(**cleaned, given=frozenset(cleaned))

    def changes(self) -> dict[str, Any]:
        """The fields given, as the action row stores them."""
        return {name: getattr(self, name) for name in sorted(self.given)}


def _clean(name: str, value: Any) -> Any:
    if name == "progress" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValidationError(_("Enter a whole percentage from 0 to 100."))
    if name == "accepted":
        return bool(value)
    return column_input(Action._meta.get_field(name), value)


# What a consultant sets on an assessment; the questionnaire version and the previous
# assessment arrive as rows the caller has already found within its scope.
ASSESSMENT_INPUT_FIELDS = (
    "title",
    "purpose",
    "due_date",
    "mode",
    "anonymity",
    "respondents_may_revise",
    "reminder_interval_days",
    "language",
    "targets",
    "benchmark_filters",
    "version",
    "previous",
)
# Checked against the questionnaire (targets) or the client (previous) by the service.
_ROWS_AND_TARGETS = ("targets", "version", "previous")


@dataclass(frozen=True, kw_only=True)
class AssessmentInput:
    """What an assessment is saved from. A `partial` input (a change) holds only the
    fields in `given`; the others keep what is saved."""

    title: str = ""
    purpose: str = ""
    due_date: date | None = None
    mode: str = Assessment.Mode.SURVEY
    anonymity: str = Assessment.Anonymity.NAMED
    respondents_may_revise: bool = True
    reminder_interval_days: int = 3
    language: str = DEFAULT_LANGUAGE
    targets: dict[str, Any] | None = None
    benchmark_filters: list[str] = field(default_factory=list)
    version: QuestionnaireVersion | None = None
    previous: Assessment | None = None
    given: frozenset[str] = field(default=frozenset(), metadata={"internal": True})

    @classmethod
    def from_values(cls, values: Mapping[str, Any], *, partial: bool = False) -> "AssessmentInput":
        """The input from loosely typed values (a form's, a serializer's, a script's), each
        cleaned by its model field's limits (see cxmaturity.inputs.typed_values)."""
        cleaned = typed_values(
            values,
            names=ASSESSMENT_INPUT_FIELDS,
            clean=_assessment_clean,
            required=("title",),
            partial=partial,
        )
        return cls(**cleaned, given=frozenset(cleaned))

    def changes(self) -> dict[str, Any]:
        """The fields given, under their model names."""
        return {name: getattr(self, name) for name in sorted(self.given)}


def _assessment_clean(name: str, value: Any) -> Any:
    if name == "benchmark_filters":
        try:
            return filters_clean(value or [])
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    if name == "targets":
        if value is not None and not isinstance(value, Mapping):
            raise ValidationError(_("Give a stage per dimension key."))
        return dict(value or {})
    if name in _ROWS_AND_TARGETS:
        expected = QuestionnaireVersion if name == "version" else Assessment
        if value is not None and not isinstance(value, expected):
            raise ValidationError(_("Choose one from the list."))
        return value
    if name == "respondents_may_revise":
        return bool(value)
    if name == "title":
        value = one_line(value)
        if not value:
            raise ValidationError(_("Enter a title."), code="required")
    return column_input(Assessment._meta.get_field(name), value)
