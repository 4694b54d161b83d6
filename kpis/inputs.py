"""KPIs and the items of the first four steps as their use cases take them: one typed
input each, built alike by the forms, the API's serializers, the demo data and scripts.
Each field's limits live once, on the model field (length, choices, digits; the form and
the serializer derive theirs from it, so the page, the API and OpenAPI show them). The
rules that span fields or rows (target against baseline and direction, due after start,
links within the plan) stay in services/kpis.py and services/items.py."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cxmaturity.inputs import column_input, one_line, typed_values

from .models import KPI, KPI_INPUT_FIELDS, STEPS, Direction

# Links to the KPI's own plan, given as ids (or the rows themselves, as a form gives them).
LINKS = ("digital_goal", "marketing_objective")
REQUIRED = ("name", "baseline", "target", "start", "due")


@dataclass(frozen=True, kw_only=True)
class KPIInput:
    """What a KPI is saved from. A `partial` input (a change) holds only the fields in
    `given`; the others are None and mean "keep what is saved"."""

    name: str
    description: str = ""
    unit: str = ""
    direction: str = Direction.INCREASE
    baseline: Decimal
    target: Decimal
    start: date
    due: date
    owner: str = ""
    involvement: str = ""
    journey: str = ""
    digital_goal: UUID | None = None
    marketing_objective: UUID | None = None
    data_source: str = ""
    status_comment: str = ""
    insight_metric: str = ""
    given: frozenset[str] = field(default=frozenset(), metadata={"internal": True})

    @classmethod
    def from_values(cls, values: Mapping[str, Any], *, partial: bool = False) -> "KPIInput":
        """The input from loosely typed values (a form's, a serializer's, a script's), each
        cleaned by its model field's limits (see cxmaturity.inputs.typed_values)."""
        cleaned = typed_values(
            values, names=KPI_INPUT_FIELDS, clean=_clean, required=REQUIRED, partial=partial
        )
        given = frozenset(cleaned)
        if partial:
            cleaned = {name: None for name in REQUIRED} | cleaned
        return cls(**cleaned, given=given)

    def changes(self) -> dict[str, Any]:
        """The fields given, as the KPI row stores them (links as `<link>_id`)."""
        return {(f"{n}_id" if n in LINKS else n): getattr(self, n) for n in sorted(self.given)}


def _clean(name: str, value: Any) -> Any:
    if name in LINKS:
        return _link(value)
    return column_input(KPI._meta.get_field(name), value)


def _link(value: Any) -> UUID | None:
    """An id of a plan row (its plan is checked by the service), or None to unlink."""
    if value in (None, ""):
        return None
    if isinstance(value, models.Model):
        return value.pk
    try:
        return UUID(str(value))
    except ValueError as exc:
        raise ValidationError(_("Choose one from this plan.")) from exc


# What a person sets on each step's items, besides the link to the parent (named by the
# item's parent column: `theme`, `strategic_objective`, `marketing_objective`).
ITEM_INPUT_FIELDS: dict[str, tuple[str, ...]] = {
    "theme": ("name", "description"),
    "strategic_objective": ("statement", "measure", "due", "owner"),
    "marketing_objective": ("statement", "segment", "journey", "lifecycle_stage", "due", "owner"),
    "digital_goal": ("name", "channel", "how_detected", "category", "points"),
}


@dataclass(frozen=True, kw_only=True)
class ItemInput:
    """What an item of one of the first four steps is saved from: its own fields, cleaned
    by the step model's fields, and its parent's id (the plan is checked by the service;
    a parent given as None makes the item an orphan on purpose). A `partial` input (a
    change) holds only the fields in `given`."""

    step: str
    values: Mapping[str, Any] = field(default_factory=dict)
    parent: UUID | None = None
    given: frozenset[str] = field(default=frozenset(), metadata={"internal": True})

    @classmethod
    def from_values(
        cls, step: str, values: Mapping[str, Any], *, partial: bool = False
    ) -> "ItemInput":
        """The input from loosely typed values (a form's, a serializer's, a script's)."""
        model, parent_field, _parent_model = STEPS[step]
        names = ITEM_INPUT_FIELDS[step] + ((parent_field,) if parent_field else ())

        def clean(name: str, value: Any) -> Any:
            if name == parent_field:
                return _link(value)
            if name == "category":
                return _category_key(value)
            return column_input(model._meta.get_field(name), value)

        cleaned = typed_values(
            values, names=names, clean=clean, required=names[:1], partial=partial
        )
        parent = cleaned.pop(parent_field, None) if parent_field else None
        return cls(step=step, values=cleaned, parent=parent, given=frozenset(values))

    @property
    def parent_given(self) -> bool:
        """Whether the input sets the parent (to an item, or to none)."""
        parent_field = STEPS[self.step][1]
        return bool(parent_field) and parent_field in self.given


def _category_key(value: Any) -> str:
    """A digital goal's category by its key (a form gives the row; blank unsets it)."""
    if value in (None, ""):
        return ""
    key = getattr(value, "key", value)
    return one_line(key)
