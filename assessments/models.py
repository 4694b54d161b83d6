import copy as copy_module
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cxmaturity.revisions import Revised
from workspaces.models import Client, Workspace

from .languages import DEFAULT_LANGUAGE, LANGUAGE_CHOICES, localized, localized_levels


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    MOBILE = "mobile", _("Mobile")
    SOCIAL = "social", _("Social")
    CONTACT_CENTRE = "contact_centre", _("Contact centre")
    IN_STORE = "in_store", _("In-store")


class Questionnaire(models.Model):
    """A questionnaire family; its content lives in immutable versions.

    `workspace` is empty for the shipped questionnaires, which every workspace may use.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="questionnaires"
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "key"], name="questionnaire_unique_key_in_workspace"
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(workspace=None), name="questionnaire_unique_shared_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    """One frozen version. Assessments point here, so past results never change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The normalised file content, for export and for telling identical uploads apart.
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    # Each stage's narrative keyed "1".."7" (definition, practices, signs, next); read it
    # through `narratives.py`, never directly. Empty: pages show the stage names only.
    stages = models.JSONField(_("stage narratives"), default=dict, blank=True)
    # The language of its plain texts and the fallback for a missing translation.
    language = models.CharField(
        _("language"), max_length=5, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire__title", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "content_hash"],
                name="questionnaire_version_unique_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Dimension(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="dimensions"
    )
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=9, decimal_places=4, default=Decimal(1))
    guidance = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField()
    # The file's translated fields as written ({"title": {"en": "…", "de": "…"}, "guidance":
    # {"2": {…}}}); the columns above hold the default language. Read through `localize`.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="dimension_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title

    def localize(self, language: str, default: str) -> "Dimension":
        """A copy to show, its texts in `language` (never saved: the columns keep the
        default language)."""
        return _localized_copy(self, ("title", "description"), "guidance", language, default)


class Question(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=120)
    text = models.TextField()
    help = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=9, decimal_places=4, default=Decimal(1))
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    # {"1": "…", "7": "…"}: the levels this question offers, each with its description.
    levels = models.JSONField()
    position = models.PositiveIntegerField()
    # As on Dimension: the translated fields as the file has them; see `localize`.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dimension__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key

    def localize(self, language: str, default: str) -> "Question":
        """A copy to show, its texts in `language` (see Dimension.localize)."""
        return _localized_copy(self, ("text", "help"), "levels", language, default)


def _localized_copy(row, fields: tuple[str, ...], levels_field: str, language, default):
    if not row.translations or language == default:
        return row
    copy = copy_module.copy(row)
    for field in fields:
        if field in row.translations:
            setattr(copy, field, localized(row.translations[field], language, default))
    if levels_field in row.translations:
        texts = dict(getattr(row, levels_field))
        texts.update(localized_levels(row.translations[levels_field], language, default))
        setattr(copy, levels_field, texts)
    return copy


MAX_REMINDER_INTERVAL_DAYS = 30


class Assessment(Revised):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Mode(models.TextChoices):
        SURVEY = "survey", _("Survey: each respondent answers by personal link")
        FACILITATED = "facilitated", _("Facilitated: a workshop's consensus is entered")

    class Anonymity(models.TextChoices):
        NAMED = "named", _("Results show respondents' names")
        ROLES = "roles", _("Results show roles only")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("questionnaire"),
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"),
        max_length=2000,
        blank=True,
        help_text=_("Shown to respondents on the welcome page."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.SURVEY)
    anonymity = models.CharField(
        _("anonymity"), max_length=8, choices=Anonymity.choices, default=Anonymity.NAMED
    )
    # {"strategy": 4}: a stage to reach per dimension key; a missing key means "the next".
    targets = models.JSONField(_("targets"), default=dict, blank=True)
    # Which of the client's traits its peers must share ("industry", "size_band",
    # "region"): one choice, so the page, the API and the PDF show the same benchmark.
    benchmark_filters = models.JSONField(_("benchmark against"), default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    respondents_may_revise = models.BooleanField(
        _("respondents may change answers after submitting"), default=True
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("days between reminders"),
        default=3,
        validators=[
            MinValueValidator(1, _("Remind at most once a day: enter 1 or more days.")),
            # Past a month a reminder no longer reminds anyone of anything.
            MaxValueValidator(
                MAX_REMINDER_INTERVAL_DAYS,
                _("Remind at least once a month: enter at most %(limit_value)s days."),
            ),
        ],
        help_text=_("Respondents who have not submitted are reminded at most this often."),
    )
    # The invitation as the consultant last previewed and sent it; blank is the default
    # wording (services/invitations.py invitation_defaults).
    invitation_subject = models.CharField(_("subject"), max_length=200, blank=True)
    invitation_message = models.TextField(_("message"), max_length=4000, blank=True)
    # The respondents' language unless one has their own (questionnaire, pages, emails).
    language = models.CharField(
        _("language"), max_length=5, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous assessment"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment_detail", args=[self.client.workspace_id, self.id])


class RespondentRole(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    SERVICE = "service", _("Service")
    IT = "it", _("IT")
    OTHER = "other", _("Other")


class Respondent(models.Model):
    """Someone who answers by personal link, with no account; or a workshop's consensus."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(
        _("role"), max_length=12, choices=RespondentRole.choices, default=RespondentRole.EXECUTIVE
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    is_consensus = models.BooleanField(default=False)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    # Blank: the assessment's language. Set by the consultant or on the welcome page.
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, blank=True)
    # The link's token is derived from this nonce and the site's secret; only its hash is
    # stored, so a copy of the database opens nothing.
    token_nonce = models.CharField(max_length=32, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    # Page saves and submits; autosaves leave their time on the answers instead.
    last_activity_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    # Set when a consultant erased the person's name, email and link at their request;
    # the answers stay, under the role only.
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "email"],
                condition=~Q(email=""),
                name="respondent_unique_email_in_assessment",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reading_language(self) -> str:
        """The language of this person's pages and emails."""
        return self.language or self.assessment.language


class AnswerValue(models.TextChoices):
    DONT_KNOW = "dont_know", _("Don't know")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Answer(models.Model):
    """One row per respondent and question, written by upsert."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # "1".."7", "dont_know" or "not_applicable"; empty when only a comment was left.
    value = models.CharField(max_length=16, blank=True)
    comment = models.TextField(max_length=5000, blank=True)
    evidence = models.TextField(max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by one on every change, in the statement that makes it: a page sends the
    # version it last saw, and a save based on an older one is refused (autosave.py), so
    # a stale tab or a late retry never overwrites a newer answer. 0 means "no answer yet".
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id}/{self.question_id}={self.value}"


class ResultSnapshot(models.Model):
    """A closed assessment's scores, stored when it closes (and whenever they change after):
    lists, benchmarks and results pages read these instead of scoring every answer again.

    `scores` is score_assessment's output without peers, as JSON (its numbers are floats,
    ints and strings already, so nothing is lost); the percentile is added when read,
    against the peers of that moment. `overall_exact` repeats the unrounded overall
    ("67/18") in a column so a benchmark reads every peer in one query; a fraction, not a
    decimal, so ties compare exactly as score_assessment compares them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="result_snapshot"
    )
    scores = models.JSONField(encoder=DjangoJSONEncoder)
    # results.answer_facts: what the results page shows from the answers besides the
    # scores, so a closed assessment's page reads no answer. Empty: stored again when read.
    details = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    overall_exact = models.CharField(max_length=100, blank=True)  # empty: nothing answered
    # {dimension key: A(d) unrounded, or None}: the per-dimension benchmark reads these
    # small values rather than every peer's whole `scores`. Null: stored before they were
    # kept, so computed again when next read.
    dimensions_exact = models.JSONField(null=True, blank=True)
    scoring_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.assessment_id} v{self.scoring_version}"


class Action(Revised):
    """A roadmap action, in the adaptive-case style: a goal with an owner and a date; the
    owner picks the steps (domain.md §11)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Horizon(models.TextChoices):
        NOW = "now", _("Now")
        NEXT = "next", _("Next")
        LATER = "later", _("Later")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    dimension_key = models.SlugField(_("dimension"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    owner_name = models.CharField(_("owner"), max_length=150, blank=True)
    owner_email = models.EmailField(_("owner's email"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    horizon = models.CharField(
        _("horizon"), max_length=6, choices=Horizon.choices, default=Horizon.NOW
    )
    position = models.PositiveIntegerField(default=0)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    # Set on actions drafted from the results, so suggesting again adds nothing twice.
    suggested_for_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    # A suggestion stays a proposal until a consultant accepts it (or drops it).
    accepted = models.BooleanField(_("accepted"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # What the action serves (domain.md §11): the client's plan items, KPIs and
    # campaigns, of the same client only (services.action_links_set checks).
    strategic_objectives = models.ManyToManyField(
        "kpis.StrategicObjective", blank=True, related_name="roadmap_actions"
    )
    marketing_objectives = models.ManyToManyField(
        "kpis.MarketingObjective", blank=True, related_name="roadmap_actions"
    )
    digital_goals = models.ManyToManyField(
        "kpis.DigitalGoal", blank=True, related_name="roadmap_actions"
    )
    kpis = models.ManyToManyField("kpis.KPI", blank=True, related_name="roadmap_actions")
    campaigns = models.ManyToManyField(
        "playbooks.CampaignPlan", blank=True, related_name="roadmap_actions"
    )

    class Meta:
        ordering = ["horizon", "position", "created_at"]

    def __str__(self) -> str:
        return self.title


class DigestSent(models.Model):
    """One roadmap digest per workspace, owner address and ISO week: the row is created
    before the email is sent, in the same transaction, so a second run (or a second
    worker) of the same week finds it and sends nothing."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField()
    week = models.CharField(max_length=8)  # ISO week, "2026-W49"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "email", "week"], name="digest_sent_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.week}"


def max_length(model: type[models.Model], field: str) -> int:
    """A text field's length limit, read from its column: the one home of the limit, which
    forms, serializers and services read from here."""
    return model._meta.get_field(field).max_length
