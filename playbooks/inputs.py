"""A campaign plan as its use cases take it: one typed input, built alike by the form, the
serializer, the roadmap draft and scripts. Each field's limits live once: on the model
field (length, choices, digits, validators; the form and the serializer derive theirs from
it, so the page, the API and OpenAPI show them) or, for the lists kept as JSON, here.
Rules that span fields or rows (the test plan, budgets, links within the plan) stay in
services/campaigns.py."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from assessments.models import Channel
from cxmaturity.inputs import clean_text, one_line
from kpis.models import KPI, DigitalGoal, MarketingObjective

from .models import Attribution, CampaignPlan

MAX_TACTICS = 30
MAX_VARIANTS = 8
# Lists kept as JSON: (most entries, longest entry).
LISTS = {"tactics": (MAX_TACTICS, 300), "test_variants": (MAX_VARIANTS, 200)}
# Links chosen from the client's strategy plan, given as ids.
LINKS = {
    "marketing_objectives": MarketingObjective,
    "digital_goals": DigitalGoal,
    "kpis": KPI,
}


@dataclass(frozen=True, kw_only=True)
class CampaignInput:
    """What a campaign plan is saved from. Fields marked `internal` are set by the service
    that drafts (not typed by people), so forms and the API leave them out."""

    name: str
    purpose: str = ""
    objective_summary: str = ""
    status: str = CampaignPlan.Status.DRAFT
    journey: str
    lifecycle_stage: str
    segment: str = ""
    contextual_segment: str = ""
    channels: list[str] = field(default_factory=list)
    owner: str = ""
    tactics: list[str] = field(default_factory=list)
    total_budget: Decimal | None = None
    currency: str = "EUR"
    attribution: str = Attribution.LAST_TOUCH
    marketing_objectives: list[UUID] = field(default_factory=list)
    digital_goals: list[UUID] = field(default_factory=list)
    kpis: list[UUID] = field(default_factory=list)
    test_kind: str = ""
    test_hypothesis: str = ""
    test_variants: list[str] = field(default_factory=list)
    test_metric: str = ""
    test_min_sample: int | None = None
    dimension_key: str = field(default="", metadata={"internal": True})

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> "CampaignInput":
        """The input from loosely typed values (a form's, a serializer's, a script's),
        each cleaned by its field's limits; every field in error is named at once, and a
        name that is no campaign field is refused rather than dropped."""
        names = {f.name for f in fields(cls)}
        errors = {name: [_("Not a campaign plan field.")] for name in values if name not in names}
        cleaned = {}
        for name in names & set(values):
            try:
                cleaned[name] = _clean(name, values[name])
            except ValidationError as exc:
                errors[name] = exc.messages
        for name in ("name", "journey", "lifecycle_stage"):
            if name not in values and name not in errors:
                errors[name] = [_("This field is required.")]
        if errors:
            raise ValidationError(errors)
        return cls(**cleaned)

    def model_values(self) -> dict[str, Any]:
        """The values stored on the campaign row itself (links are set apart)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in LINKS}

    def links(self) -> dict[str, list[UUID]]:
        return {name: list(getattr(self, name)) for name in LINKS}


def field_names(*, typed: bool = True) -> list[str]:
    """The input's field names in order; `typed` leaves out the internal ones."""
    return [f.name for f in fields(CampaignInput) if not (typed and f.metadata.get("internal"))]


def model_field_names() -> list[str]:
    """The typed fields that are plain model columns: the form and the serializer build
    these from the model field, limits and all."""
    return [n for n in field_names() if n not in LINKS and n not in {*LISTS, "channels"}]


def _clean(name: str, value: Any) -> Any:
    if name in LINKS:
        try:
            return [UUID(str(item)) for item in value or []]
        except ValueError as exc:
            raise ValidationError(_("Give the ids of the strategy plan's items.")) from exc
    if name == "channels":
        channels = list(dict.fromkeys(value or []))
        if any(c not in Channel.values for c in channels):
            raise ValidationError(_("Choose channels from the list."))
        return channels
    if name in LISTS:
        most, length = LISTS[name]
        return lines(value, most=most, length=length)
    return _column(CampaignPlan._meta.get_field(name), value)


def _column(model_field: models.Field, value: Any) -> Any:
    """A value cleaned as its model field would: text tidied, empty replaced by the
    field's default, then the field's own checks (length, choices, digits, validators)."""
    if isinstance(model_field, models.TextField):
        value = clean_text(value)
    elif isinstance(model_field, models.CharField):
        value = one_line(value)
        if model_field.name == "currency":
            value = value.upper()
    elif isinstance(value, str):
        value = value.strip().replace(",", "") if model_field.name == "total_budget" else value
    if value in (None, "") and model_field.has_default():
        value = model_field.get_default()
    if value == "" and model_field.null:
        value = None
    value = model_field.clean(value, None)
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01"))
    return value


def lines(value: Any, *, most: int, length: int) -> list[str]:
    """A list of short texts from a list or from one text with one entry per line."""
    items = value.splitlines() if isinstance(value, str) else list(value or [])
    cleaned = [item for item in (one_line(item) for item in items) if item]
    if len(cleaned) > most:
        raise ValidationError(_("At most %(n)d entries.") % {"n": most})
    if any(len(item) > length for item in cleaned):
        raise ValidationError(_("Keep each entry under %(n)d characters.") % {"n": length})
    return cleaned
