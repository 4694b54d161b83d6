"""Forms of the strategy plan pages: an item of each of the first four steps, a KPI and
a measurement. Fields come from the models, so their limits are the models' own; the
services check what spans fields or rows."""

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from cxmaturity.forms import RevisionField

from . import selectors
from .inputs import ItemInput, KPIInput
from .models import (
    KPI,
    KPI_INPUT_FIELDS,
    STEPS,
    Measurement,
    StrategyPlan,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
# What a library entry may fill in on an add form.
LIBRARY_FIELDS = (
    "name",
    "description",
    "channel",
    "how_detected",
    "points",
    "unit",
    "direction",
    "involvement",
    "journey",
)
# What an empty choice says, instead of Django's "---------".
EMPTY_LABELS = {
    "category": _("No category yet"),
    "digital_goal": _("No digital goal"),
    "marketing_objective": _("No marketing objective"),
    "journey": _("No journey chosen"),
    "lifecycle_stage": _("No stage chosen"),
    "involvement": _("None of the four chosen"),
}


def name_empty_choices(fields: dict[str, forms.Field]) -> None:
    """Give every optional choice a sentence for "nothing chosen" (EMPTY_LABELS)."""
    for name, field in fields.items():
        label = EMPTY_LABELS.get(name, _("Not chosen"))
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "":
                field.choices = [("", label), *choices[1:]]


class PlanForm(forms.Form):
    """A form on a plan's page: its choices are the plan's own rows, and an edit carries
    the revision it started from."""

    field_names: tuple[str, ...] = ()
    model: type = KPI

    def __init__(self, data: Any = None, *, plan: StrategyPlan, edited: Any = None) -> None:
        super().__init__(data)
        self.plan = plan
        fields = fields_for_model(self.model, fields=list(self.field_names))
        for name in ("start", "due"):
            if name in fields:
                fields[name].widget = DATE_INPUT
        self.fields.update(fields)
        name_empty_choices(self.fields)
        if edited is not None:
            self.fields["revision"] = RevisionField(initial=edited.revision)

    def prefill(self, entry: dict | None) -> None:
        """Start an add form from a library entry (its category by key)."""
        if not entry or self.is_bound:
            return
        self.initial.update({k: entry[k] for k in LIBRARY_FIELDS if k in entry})
        if "category" in entry:
            self.initial["category"] = selectors.category_by_key(
                plan=self.plan, key=entry["category"]
            )


class PlanItemForm(PlanForm):
    """An item of one of the first four steps, under a parent of the same plan ("none"
    leaves it an orphan)."""

    step = "theme"
    title: Any = None
    parent_title: Any = None

    def __init__(self, data: Any = None, *, plan: StrategyPlan, edited: Any = None) -> None:
        self.model, self.parent_field, parent_model = STEPS[self.step]
        super().__init__(data, plan=plan, edited=edited)
        if "category" in self.fields:
            self.fields["category"].queryset = plan.engagement_categories.all()
        if parent_model is not None:
            parent = forms.ModelChoiceField(
                label=self.parent_title,
                required=False,
                queryset=parent_model.objects.filter(plan=plan),
                empty_label=_("(none: an orphan)"),
            )
            self.fields = {"parent": parent} | self.fields
            if edited is None and not self.is_bound:
                self.initial["parent"] = self._likely_parent(parent.queryset)
        if edited is not None and not self.is_bound:
            self.initial.update({f: getattr(edited, f) for f in self.field_names})
            if self.parent_field:
                self.initial["parent"] = getattr(edited, f"{self.parent_field}_id")

    def _likely_parent(self, parents: Any) -> Any:
        """Where a new item most likely goes: the parent the last item of this step went
        under, else the newest parent (so the only one when there is one); None when the
        plan has no parent yet. Choosing "none" still makes an orphan on purpose."""
        last_used = (
            self.model.objects.filter(plan=self.plan, **{f"{self.parent_field}__isnull": False})
            .order_by("-created_at")
            .values_list(f"{self.parent_field}_id", flat=True)
            .first()
        )
        return last_used or parents.order_by("-created_at").values_list("id", flat=True).first()

    def item_input(self) -> ItemInput:
        """The item as item_create/item_update take it; no parent chosen on a step that
        has one makes it an orphan on purpose."""
        values = {name: self.cleaned_data.get(name) for name in self.field_names}
        if self.parent_field:
            values[self.parent_field] = self.cleaned_data.get("parent")
        return ItemInput.from_values(self.step, values)


class ThemeForm(PlanItemForm):
    title = _("Strategic themes")
    field_names = ("name", "description")


class StrategicObjectiveForm(PlanItemForm):
    step = "strategic_objective"
    title, parent_title = _("Strategic objectives"), _("Theme")
    field_names = ("statement", "measure", "due", "owner")


class MarketingObjectiveForm(PlanItemForm):
    step = "marketing_objective"
    title, parent_title = _("Marketing objectives"), _("Strategic objective")
    field_names = ("statement", "segment", "journey", "lifecycle_stage", "due", "owner")


class DigitalGoalForm(PlanItemForm):
    step = "digital_goal"
    title, parent_title = _("Digital goals"), _("Marketing objective")
    field_names = ("name", "channel", "how_detected", "category", "points")


# The step pages by URL slug, in the order of the plan.
STEP_FORMS: dict[str, type[PlanItemForm]] = {
    "themes": ThemeForm,
    "strategic-objectives": StrategicObjectiveForm,
    "marketing-objectives": MarketingObjectiveForm,
    "digital-goals": DigitalGoalForm,
}


class KPIForm(PlanForm):
    """A KPI, linked to a digital goal or a marketing objective of the same plan."""

    model = KPI
    field_names = KPI_INPUT_FIELDS

    def __init__(self, data: Any = None, *, plan: StrategyPlan, edited: KPI | None = None) -> None:
        super().__init__(data, plan=plan, edited=edited)
        self.fields["digital_goal"].queryset = plan.digital_goals.all()
        self.fields["marketing_objective"].queryset = plan.marketing_objectives.all()
        if edited is not None and not self.is_bound:
            self.initial.update({name: getattr(edited, name) for name in self.fields})

    def kpi_input(self) -> KPIInput:
        """The cleaned fields as kpi_create/kpi_update take them (the form sends them all)."""
        return KPIInput.from_values({n: self.cleaned_data[n] for n in self.field_names})

    def revision(self) -> int | None:
        """The revision an edit started from (None on an add form)."""
        return self.cleaned_data.get("revision")


class MeasurementForm(forms.Form):
    """One measurement, or a CSV file of many (kpi,date,value)."""

    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=KPI.objects.none(), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=14, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    file = forms.FileField(label=_("…or a CSV file (kpi,date,value)"), required=False)

    def __init__(
        self, data: Any = None, files: Any = None, *, plan: StrategyPlan, kpi: KPI | None = None
    ) -> None:
        super().__init__(data, files, initial={"kpi": kpi} if kpi else None)
        self.fields["kpi"].queryset = plan.kpis.all()
        self.fields["kpi"].empty_label = _("Choose a KPI")

    def clean(self) -> dict:
        data = super().clean()
        one = data.get("kpi") and data.get("date") and data.get("value") is not None
        if not self.errors and not data.get("file") and not one:
            raise forms.ValidationError(_("Choose a KPI, a date and a value, or a CSV file."))
        return data


class MeasurementEditForm(forms.Form):
    """A correction of one reading: its date, value and note (the model's limits)."""

    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, data: Any = None, *, measurement: Measurement) -> None:
        super().__init__(
            data,
            initial={
                "date": measurement.date,
                "value": measurement.value,
                "note": measurement.note,
            },
        )


class KPIStatusForm(PlanForm):
    """Who owns the KPI and where it stands, in a sentence: the KPI page's short form."""

    model = KPI
    field_names = ("owner", "status_comment")

    def __init__(self, data: Any = None, *, plan: StrategyPlan, edited: KPI) -> None:
        super().__init__(data, plan=plan, edited=edited)
        if not self.is_bound:
            self.initial.update({name: getattr(edited, name) for name in self.field_names})

    def kpi_input(self) -> KPIInput:
        """A change of these two fields only (kpi_update keeps the rest)."""
        return KPIInput.from_values(
            {n: self.cleaned_data[n] for n in self.field_names}, partial=True
        )

    def revision(self) -> int | None:
        return self.cleaned_data.get("revision")
