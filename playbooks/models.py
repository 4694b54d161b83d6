"""Campaign plans (domain.md §9) and the documents rendered from them: playbooks and
campaign plan PDFs, each a versioned Document tracked from queued to done."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from cxmaturity.revisions import Revised
from kpis.models import KPI, DigitalGoal, Journey, LifecycleStage, MarketingObjective, StrategyPlan
from workspaces.models import Client


class Attribution(models.TextChoices):
    FIRST_TOUCH = "first_touch", _("First touch")
    LAST_TOUCH = "last_touch", _("Last touch")
    LINEAR = "linear", _("Linear")
    POSITION_BASED = "position_based", _("Position-based")


class TestKind(models.TextChoices):
    NONE = "", _("No test")
    AB = "ab", _("A/B test")
    MULTIVARIATE = "multivariate", _("Multivariate test")


class CampaignPlan(Revised):
    """Tactics for one journey, segment and lifecycle stage, with a timeline and budget."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        RUNNING = "running", _("Live")
        DONE = "done", _("Finished")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="campaigns")
    # Objectives, goals and KPIs are chosen from this plan (the client's active one).
    strategy_plan = models.ForeignKey(
        StrategyPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    objective_summary = models.CharField(
        _("objective summary"),
        max_length=300,
        blank=True,
        help_text=_("The campaign's objective in a sentence or two."),
    )
    journey = models.CharField(_("journey"), max_length=10, choices=Journey.choices)
    segment = models.CharField(_("target segment"), max_length=200, blank=True)
    contextual_segment = models.CharField(
        _("contextual segment"),
        max_length=300,
        blank=True,
        help_text=_("The context of the interactions: behaviours and emotional triggers."),
    )
    lifecycle_stage = models.CharField(
        _("lifecycle stage"), max_length=14, choices=LifecycleStage.choices
    )
    # Channel keys (assessments.models.Channel), in the order chosen.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    # One tactic per entry, as the consultant wrote them.
    tactics = models.JSONField(_("tactics"), default=list, blank=True)
    total_budget = models.DecimalField(
        _("total budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[
            RegexValidator(r"^[A-Za-z]{3}\Z", _("Enter a three-letter currency code, e.g. EUR."))
        ],
        help_text=_("ISO 4217, e.g. EUR"),
    )
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    marketing_objectives = models.ManyToManyField(
        MarketingObjective, blank=True, related_name="campaigns"
    )
    digital_goals = models.ManyToManyField(DigitalGoal, blank=True, related_name="campaigns")
    kpis = models.ManyToManyField(KPI, blank=True, related_name="campaigns")
    test_kind = models.CharField(
        _("test"), max_length=12, choices=TestKind.choices, blank=True, default=TestKind.NONE
    )
    test_hypothesis = models.CharField(_("hypothesis"), max_length=500, blank=True)
    test_variants = models.JSONField(_("variants"), default=list, blank=True)
    test_metric = models.CharField(_("success metric"), max_length=200, blank=True)
    test_min_sample = models.PositiveIntegerField(
        _("minimum sample per variant"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10**9)],
    )
    attribution = models.CharField(
        _("attribution model"),
        max_length=14,
        choices=Attribution.choices,
        default=Attribution.LAST_TOUCH,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Test results as entered: {variant name: {"visitors": n, "conversions": n}}, kept on
    # the row so the list and the results read them without another query.
    test_results = models.JSONField(_("test results"), default=dict, blank=True)
    # Set when drafted from the roadmap: the dimension whose gap it answers.
    dimension_key = models.SlugField(_("dimension"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client", "created_at"]

    def __str__(self) -> str:
        return self.name


class CampaignActivity(models.Model):
    """One bar of the campaign timeline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(CampaignPlan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual_spend = models.DecimalField(
        _("actual spend"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="activity_ends"),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignStatusChange(models.Model):
    """One step of a campaign's status history; its first step to running is the launch
    the results are measured from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        CampaignPlan, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=10, choices=CampaignPlan.Status.choices)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.status}"


def document_upload_to(document: "Document", filename: str) -> str:
    # Named by the document id, so a retried render overwrites its own file and nothing else.
    return f"documents/{document.client.workspace_id}/{document.id}.pdf"


class Document(models.Model):
    """One render of a playbook or a campaign plan PDF."""

    class Kind(models.TextChoices):
        PLAYBOOK = "playbook", _("Playbook")
        CAMPAIGN_PLAN = "campaign_plan", _("Campaign plan")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class PageSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "letter", _("US Letter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="documents")
    campaign = models.ForeignKey(
        CampaignPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    page_size = models.CharField(
        _("page size"), max_length=6, choices=PageSize.choices, default=PageSize.A4
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    error = models.CharField(_("error message"), max_length=500, blank=True)
    file = models.FileField(upload_to=document_upload_to, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # What the document showed (stages, KPI statuses, actions done), for the next
    # version's "What changed since version N".
    snapshot = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # The render's lease (cxmaturity.leases): when a worker last claimed it, until when that
    # claim holds (a render past it is presumed lost), and how many claims there were.
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "version"],
                condition=Q(kind="playbook"),
                name="document_playbook_version_unique",
            ),
            models.UniqueConstraint(
                fields=["campaign", "version"],
                condition=Q(kind="campaign_plan"),
                name="document_campaign_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind="playbook") | Q(campaign__isnull=False),
                name="document_campaign_plan_has_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.client})"


@receiver(post_delete, sender=Document)
def _document_file_deleted(sender: type, instance: Document, **kwargs) -> None:
    # However the row goes (its own delete, its campaign's or its client's), the PDF goes
    # too, once the deletion is committed.
    if instance.file.name:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
