"""A roadmap action as its use cases take it: one typed input, built alike by the action
forms, the API's serializer and scripts. Each field's limits live once, on the model field
(length, choices, email, 0-100 progress); the rules that span rows (a dimension of the
assessment's questionnaire, when an action counts as done) stay in services/roadmap.py."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cxmaturity.inputs import column_input, typed_values

from .models import Action

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
