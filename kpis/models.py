"""Strategy plans and the six steps from strategy to KPIs (domain.md §5-7)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cxmaturity.revisions import Revised
from workspaces.models import Client


class Journey(models.TextChoices):
    SHOPPING = "shopping", _("Shopping")
    SHARING = "sharing", _("Sharing")
    ADVOCACY = "advocacy", _("Advocacy")


class LifecycleStage(models.TextChoices):
    CONSIDERATION = "consideration", _("Consideration")
    EVALUATION = "evaluation", _("Evaluation")
    PURCHASE = "purchase", _("Purchase")
    POST_PURCHASE = "post_purchase", _("Post-purchase")


class Involvement(models.TextChoices):
    """Forrester's four I's, from use to championing."""

    INVOLVEMENT = "involvement", _("Involvement")
    INTERACTION = "interaction", _("Interaction")
    INTIMACY = "intimacy", _("Intimacy")
    INFLUENCE = "influence", _("Influence")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")


class InsightMetric(models.TextChoices):
    """A figure the insight app computes, which a KPI may take its measurements from:
    segment analyses (as of the latest transaction) and listening uploads (the client's
    own brand, as of the export's last month's end). Rates and shares are percentages."""

    ACTIVE_CUSTOMERS = "active_customers", _("Segments: active customers")
    REPEAT_RATE = "repeat_rate", _("Segments: repeat purchase rate (%)")
    CUSTOMERS_AT_RISK = "customers_at_risk", _("Segments: customers at risk")
    VALUE_AT_STAKE = "value_at_stake", _("Segments: value at stake")
    LIFETIME_VALUE = "lifetime_value", _("Segments: average lifetime value")
    CHAMPIONS_SHARE = "champions_share", _("Segments: share of revenue from champions (%)")
    SHARE_OF_VOICE = "share_of_voice", _("Listening: share of voice (%)")
    NET_SENTIMENT = "net_sentiment", _("Listening: net sentiment (%)")
    SHARING_RATE = "sharing_rate", _("Listening: sharing rate (%)")
    REVIEW_RATING = "review_rating", _("Listening: review rating")
    REVIEWS_PER_1000 = "reviews_per_1000", _("Listening: reviews per 1,000 mentions")


LISTENING_METRICS = frozenset(
    {"share_of_voice", "net_sentiment", "sharing_rate", "review_rating", "reviews_per_1000"}
)


class StrategyPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="strategy_plans")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(status="active"), name="plan_one_active_per_client"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(Revised):
    """What every step's items share: the plan they belong to and their place in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["position", "created_at"]


class StrategicTheme(PlanItem):
    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    def __str__(self) -> str:
        return self.name


class StrategicObjective(PlanItem):
    plan = models.ForeignKey(
        StrategyPlan, on_delete=models.CASCADE, related_name="strategic_objectives"
    )
    theme = models.ForeignKey(
        StrategicTheme, on_delete=models.CASCADE, null=True, blank=True, related_name="objectives"
    )
    statement = models.CharField(_("statement"), max_length=300)
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)

    def __str__(self) -> str:
        return self.statement


class MarketingObjective(PlanItem):
    plan = models.ForeignKey(
        StrategyPlan, on_delete=models.CASCADE, related_name="marketing_objectives"
    )
    strategic_objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="marketing_objectives",
    )
    statement = models.CharField(_("statement"), max_length=300)
    segment = models.CharField(_("segment"), max_length=200, blank=True)
    journey = models.CharField(_("journey"), max_length=10, choices=Journey.choices, blank=True)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"), max_length=15, choices=LifecycleStage.choices, blank=True
    )
    due = models.DateField(_("due"), null=True, blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)

    def __str__(self) -> str:
        return self.statement


class EngagementCategory(PlanItem):
    """A band of points on the engagement value scale, by the commitment it shows."""

    plan = models.ForeignKey(
        StrategyPlan, on_delete=models.CASCADE, related_name="engagement_categories"
    )
    key = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=100)
    min_points = models.PositiveIntegerField(_("minimum points"), default=0)
    max_points = models.PositiveIntegerField(_("maximum points"), null=True, blank=True)

    class Meta(PlanItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="category_unique_key_in_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class DigitalGoal(PlanItem):
    """A detectable visitor action that shows commitment, worth points on the scale."""

    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="digital_goals")
    marketing_objective = models.ForeignKey(
        MarketingObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="digital_goals",
    )
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    how_detected = models.CharField(_("how detected"), max_length=300, blank=True)
    category = models.ForeignKey(
        EngagementCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    points = models.PositiveIntegerField(
        _("engagement value points"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
    )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Points inside the category's range (SCORING.md §3), checked on every save by
        the services' full_clean, so the page and the API refuse the same goals."""
        category = self.category
        if category is None or self.points is None:
            return
        low, high = category.min_points, category.max_points
        if self.points < low or (high is not None and self.points > high):
            top = "…" if high is None else high
            raise ValidationError(
                {
                    "points": _("%(name)s takes points from %(low)s to %(high)s.")
                    % {"name": category.name, "low": low, "high": top}
                }
            )


class KPI(PlanItem):
    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    start = models.DateField(_("start"))
    due = models.DateField(_("due"))
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    involvement = models.CharField(
        _("Forrester's I"), max_length=12, choices=Involvement.choices, blank=True
    )
    journey = models.CharField(_("journey"), max_length=10, choices=Journey.choices, blank=True)
    digital_goal = models.ForeignKey(
        DigitalGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="kpis"
    )
    marketing_objective = models.ForeignKey(
        MarketingObjective, on_delete=models.SET_NULL, null=True, blank=True, related_name="kpis"
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    status_comment = models.CharField(
        _("status comment"),
        max_length=300,
        blank=True,
        help_text=_("Where the KPI stands in a sentence, e.g. “Behind: the campaign starts late”."),
    )
    insight_metric = models.CharField(
        _("measured from insight"),
        max_length=20,
        choices=InsightMetric.choices,
        blank=True,
        help_text=_(
            "Each completed segment analysis or listening upload of this client records "
            "this figure as a measurement."
        ),
    )

    def __str__(self) -> str:
        return self.name


# What a person sets on a KPI: the one list the KPI form, the API's input and its answer
# are built from (their limits come from the fields above).
KPI_INPUT_FIELDS = (
    "name",
    "description",
    "unit",
    "direction",
    "baseline",
    "target",
    "start",
    "due",
    "owner",
    "involvement",
    "journey",
    "digital_goal",
    "marketing_objective",
    "data_source",
    "status_comment",
    "insight_metric",
)


class Measurement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Recorded by the insight app (KPI.insight_metric), not typed in: the analysis it came
    # from (deleting it deletes them), or a listening upload.
    source_analysis = models.ForeignKey(
        "insights.SegmentAnalysis",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="kpi_measurements",
    )
    from_listening = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.date}: {self.value}"


class SimulationPeriod(models.Model):
    """Visits and conversions per digital goal for a period, valued on the plan's scale."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField(_("name"), max_length=100)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    # {"<digital goal id>": conversions}
    conversions = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


# Each step: its model, the field naming its parent, and the parent's model.
STEPS: dict[str, tuple[type, str | None, type | None]] = {
    "theme": (StrategicTheme, None, None),
    "strategic_objective": (StrategicObjective, "theme", StrategicTheme),
    "marketing_objective": (MarketingObjective, "strategic_objective", StrategicObjective),
    "digital_goal": (DigitalGoal, "marketing_objective", MarketingObjective),
}
