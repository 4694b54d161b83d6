"""Forms for campaign plans and document requests. Field limits come from the model and
CampaignInput; the services decide what spans fields (budgets, links, the test plan)."""

from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.models import Channel
from cxmaturity.formats import currency_for
from cxmaturity.forms import RevisionField
from kpis.models import StrategyPlan
from workspaces.models import Client

from .inputs import LINKS, LISTS, CampaignInput, field_names, model_field_names
from .models import CampaignPlan, Document
from .selectors import campaign_fields


def _links(label: str, name: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=LINKS[name].objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class Fieldset(NamedTuple):
    key: str
    legend: str
    fields: list[forms.BoundField]


class CampaignForm(forms.ModelForm):
    """The campaign plan page: the model's columns as the model limits them, the lists as
    one entry per line, the links from the client's strategy plan. It hands over one
    CampaignInput; the service checks what spans fields."""

    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tactics = forms.CharField(
        label=_("Tactics"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One tactic per line."),
    )
    marketing_objectives = _links(name="marketing_objectives", label=_("Marketing objectives"))
    digital_goals = _links(name="digital_goals", label=_("Digital goals"))
    kpis = _links(name="kpis", label=_("KPIs"))
    test_variants = forms.CharField(
        label=_("Variants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: two for an A/B test, three or more for a multivariate test."),
    )

    # The page's sections, in order. A field named in none (a new one) joins the first.
    FIELDSETS = (
        ("campaign", _("The campaign"), ["name", "purpose", "status", "journey",
         "lifecycle_stage", "segment", "contextual_segment", "channels", "owner"]),
        ("budget", _("Tactics and budget"), ["tactics", "total_budget", "currency",
         "attribution"]),
        ("links", _("Goals and KPIs from the strategy plan"), list(LINKS)),
        ("test", _("Test plan"), ["test_kind", "test_hypothesis", "test_variants",
         "test_metric", "test_min_sample"]),
    )  # fmt: skip

    class Meta:
        model = CampaignPlan
        fields = model_field_names()
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "segment": forms.TextInput(attrs={"list": "segment-choices"}),
        }
        help_texts = {
            "segment": _(
                "Type one, or pick a behavioural segment from the client's latest analysis."
            ),
        }

    def __init__(
        self,
        *args,
        plan: StrategyPlan | None = None,
        campaign: CampaignPlan | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["revision"] = RevisionField(initial=campaign.revision)
        if plan is None:
            for name in LINKS:
                del self.fields[name]
            return
        for name in LINKS:
            self.fields[name].queryset = getattr(plan, name).order_by("position")

    @classmethod
    def initial_for(cls, campaign: CampaignPlan | None, *, client: Client) -> dict:
        """What the form starts from: a new campaign's defaults (in the currency of the
        client's country), or the saved values."""
        if campaign is None:
            return {"currency": currency_for(client), "status": CampaignPlan.Status.DRAFT}
        initial = campaign_fields(campaign)
        initial["revision"] = campaign.revision
        for name in LISTS:
            initial[name] = "\n".join(initial[name])
        return initial

    def fieldsets(self) -> list[Fieldset]:
        placed = {name for _key, _legend, names in self.FIELDSETS for name in names}
        rest = [n for n in self.fields if n not in placed and n != "revision"]
        shown = []
        for number, (key, legend, names) in enumerate(self.FIELDSETS):
            names = [*names, *rest] if number == 0 else names
            shown.append(Fieldset(key, legend, [self[n] for n in names if n in self.fields]))
        return shown

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors:
            values = {name: cleaned.get(name) for name in field_names() if name in self.fields}
            for name in LINKS:
                values[name] = [item.id for item in values.get(name) or []]
            try:
                self.campaign_input = CampaignInput.from_values(values)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
        return cleaned

    def current_values(self, campaign) -> dict:
        """The saved campaign in this form's terms, to show beside unsaved input."""
        values = {name: getattr(campaign, name) for name in self.fields if hasattr(campaign, name)}
        for name in LINKS:
            values[name] = list(getattr(campaign, name).all())
        for name in LISTS:
            values[name] = "\n".join(getattr(campaign, name))
        return values


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=200)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", "—"), *Channel.choices], required=False
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.CharField(label=_("Owner"), max_length=150, required=False)
    budget = forms.DecimalField(
        label=_("Budget"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    actual_spend = forms.DecimalField(
        label=_("Actual spend"), required=False, min_value=0, max_digits=14, decimal_places=2
    )


ActivityFormSet = forms.formset_factory(
    ActivityForm, extra=2, can_delete=True, max_num=60, validate_max=True
)


def formset_rows(formset: forms.BaseFormSet) -> list[dict]:
    """The timeline rows kept: filled in and not marked for removal."""
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class DocumentRequestForm(forms.Form):
    page_size = forms.ChoiceField(
        label=_("Page size"), choices=Document.PageSize.choices, initial=Document.PageSize.A4
    )
