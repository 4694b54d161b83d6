"""A KPI as its use cases take it: one typed input, built alike by the KPI form, the API's
serializer, the demo data and scripts. Each field's limits live once, on the model field
(length, choices, digits; the form and the serializer derive theirs from it, so the page,
the API and OpenAPI show them). The rules that span fields or rows (target against
baseline and direction, due after start, links within the plan) stay in services/kpis.py."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cxmaturity.inputs import column_input, typed_values

from .models import KPI, KPI_INPUT_FIELDS, Direction

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
