"""Forms for campaign plans and document requests. They shape input; the services decide
what is valid (budgets, links within the plan, the test plan)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Channel
from kpis.models import KPI, DigitalGoal, Journey, LifecycleStage, MarketingObjective, StrategyPlan

from .models import Attribution, CampaignPlan, Document, TestKind


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=CampaignPlan.Status.choices)
    journey = forms.ChoiceField(label=_("Journey"), choices=Journey.choices)
    lifecycle_stage = forms.ChoiceField(label=_("Lifecycle stage"), choices=LifecycleStage.choices)
    segment = forms.CharField(
        label=_("Target segment"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "segment-choices"}),
        help_text=_("Type one, or pick a behavioural segment from the client's latest analysis."),
    )
    contextual_segment = forms.CharField(
        label=_("Contextual segment"),
        max_length=300,
        required=False,
        help_text=_(
            "The context of the interactions: the group's behaviours and emotional triggers."
        ),
    )
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
    owner = forms.CharField(label=_("Owner"), max_length=150, required=False)
    total_budget = forms.DecimalField(
        label=_("Total budget"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    marketing_objectives = forms.ModelMultipleChoiceField(
        label=_("Marketing objectives"),
        queryset=MarketingObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digital_goals = forms.ModelMultipleChoiceField(
        label=_("Digital goals"),
        queryset=DigitalGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kpis = forms.ModelMultipleChoiceField(
        label=_("KPIs"),
        queryset=KPI.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    test_kind = forms.ChoiceField(label=_("Test"), choices=TestKind.choices, required=False)
    test_hypothesis = forms.CharField(label=_("Hypothesis"), max_length=500, required=False)
    test_variants = forms.CharField(
        label=_("Variants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: two for an A/B test, three or more for a multivariate test."),
    )
    test_metric = forms.CharField(label=_("Success metric"), max_length=200, required=False)
    test_min_sample = forms.IntegerField(
        label=_("Minimum sample per variant"), required=False, min_value=1
    )
    attribution = forms.ChoiceField(label=_("Attribution model"), choices=Attribution.choices)

    def __init__(self, *args, plan: StrategyPlan | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if plan is None:
            for name in ("marketing_objectives", "digital_goals", "kpis"):
                del self.fields[name]
            return
        self.fields["marketing_objectives"].queryset = plan.marketing_objectives.order_by(
            "position"
        )
        self.fields["digital_goals"].queryset = plan.digital_goals.order_by("position")
        self.fields["kpis"].queryset = plan.kpis.order_by("position")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        for name in ("marketing_objectives", "digital_goals", "kpis"):
            data[name] = [item.id for item in data.get(name) or []]
        return data

    def current_values(self, campaign) -> dict:
        """The saved campaign in this form's terms, to show beside unsaved input."""
        values = {name: getattr(campaign, name) for name in self.fields if hasattr(campaign, name)}
        for name in ("marketing_objectives", "digital_goals", "kpis"):
            values[name] = list(getattr(campaign, name).all())
        values["tactics"] = "\n".join(campaign.tactics)
        values["test_variants"] = "\n".join(campaign.test_variants)
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


ActivityFormSet = forms.formset_factory(
    ActivityForm, extra=2, can_delete=True, max_num=60, validate_max=True
)


class DocumentRequestForm(forms.Form):
    page_size = forms.ChoiceField(
        label=_("Page size"), choices=Document.PageSize.choices, initial=Document.PageSize.A4
    )
