import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS as KNOX_CONSTANTS

from cxmaturity.formats import DEFAULT_REGION, REGION_CHOICES
from cxmaturity.revisions import Revised

if TYPE_CHECKING:
    from .scope import ClientScope


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        # Addresses are stored lower-case; people type them any way.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A consultant or client-team member; signs in with an email address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Chosen in the header's menu; blank follows the browser's language.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_unique_email_any_case"),
        ]

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Role(models.TextChoices):
    """A member's role in the workspace. Client members reach only the clients they were
    granted (ClientAccess), each with a client role."""

    OWNER = "owner", _("Owner")
    CONSULTANT = "consultant", _("Consultant")
    CLIENT = "client", _("Client member")


# What each role may do, weakest first; a role includes every weaker one.
ROLE_RANK = {Role.CLIENT: 0, Role.CONSULTANT: 1, Role.OWNER: 2}
# The roles a colleague is invited to; client members are invited from their client.
WORKSPACE_ROLES = [
    (Role.OWNER.value, Role.OWNER.label),
    (Role.CONSULTANT.value, Role.CONSULTANT.label),
]


class ClientRole(models.TextChoices):
    """What a client member may do with one client."""

    VIEWER = "viewer", _("Client viewer")
    CONTRIBUTOR = "contributor", _("Client contributor")


hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits.")
)


def logo_upload_to(workspace: "Workspace", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"logos/{workspace.id}/{uuid.uuid4().hex}.{extension}"


class Workspace(models.Model):
    """A consultancy: its members, its client organisations and its branding."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#1f6feb", validators=[hex_colour]
    )
    logo = models.FileField(_("logo"), upload_to=logo_upload_to, blank=True)
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in for owners and consultants"), default=False
    )
    benchmark_pool = models.BooleanField(
        _("join the anonymous site-wide benchmark"),
        default=False,
        help_text=_(
            "Closed assessments' scores join a pool shared by every workspace that joins; "
            "no workspace or client is ever named in it."
        ),
    )

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")
        SUNDAY = 7, _("Sunday")

    roadmap_digest = models.BooleanField(
        _("email each action owner a weekly digest of their open actions"), default=True
    )
    # ISO weekday (Monday 1), in the site's time zone.
    roadmap_digest_weekday = models.PositiveSmallIntegerField(
        _("digest day"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspace_dashboard", args=[self.id])


class DigestOptOut(models.Model):
    """An address that asked for no roadmap digest: set from the account page or the
    email's unsubscribe link. Keyed by address, not user, because an action's owner is
    an address that need not belong to anyone who signs in."""

    email = models.EmailField(_("email address"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email


class Membership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CLIENT)
    # A consultant limited to the clients assigned to them (ClientAccess rows); owners and
    # unlimited consultants reach every client, client members only their own.
    assigned_clients_only = models.BooleanField(
        _("only the clients assigned to them"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.workspace}"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]

    @cached_property
    def scope(self) -> "ClientScope":
        """The clients this member reaches; every selector of client-owned rows takes it."""
        from .scope import ClientScope

        return ClientScope.of(self)

    @property
    def reaches_every_client(self) -> bool:
        return self.role == Role.OWNER or (
            self.role == Role.CONSULTANT and not self.assigned_clients_only
        )


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250-999", _("250–999 employees")
    ENTERPRISE = "1000-4999", _("1,000–4,999 employees")
    GLOBAL = "5000+", _("5,000 or more employees")


class Client(Revised):
    """A client organisation whose customer experience maturity is assessed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(_("name"), max_length=120)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    size_band = models.CharField(
        _("size band"), max_length=12, choices=SizeBand.choices, blank=True
    )
    # Decides how dates and money read on the client's pages and playbooks.
    region = models.CharField(
        _("country"),
        max_length=2,
        choices=REGION_CHOICES,
        default=DEFAULT_REGION,
        help_text=_("Sets how dates and money read for this client."),
    )
    # The client's documents (playbooks, campaign plans) are written in it; the pages
    # consultants read stay in each consultant's own language.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of this client's playbooks and campaign plans."),
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    # In the trash: hidden everywhere (ClientScope), restorable by an owner until a
    # periodic task deletes it CLIENT_TRASH_DAYS later.
    deleted_at = models.DateTimeField(_("moved to the trash"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "workspace", name="client_unique_name_in_workspace"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("client_detail", args=[self.workspace_id, self.id])


class ClientAccess(models.Model):
    """One member's access to one client: a client member's client role, or a limited
    consultant's assignment (whose workspace role then applies; `role` is not used)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="client_accesses"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="accesses")
    role = models.CharField(
        _("client role"), max_length=20, choices=ClientRole.choices, default=ClientRole.VIEWER
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership__user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "client"], name="client_access_unique_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} → {self.client} ({self.get_role_display()})"


class Invitation(models.Model):
    """An emailed invitation to join a workspace, or one client of it (then `client` and
    `client_role` are set); the link carries a signed id."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CLIENT)
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    client_role = models.CharField(
        _("client role"), max_length=20, choices=ClientRole.choices, blank=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "email"],
                condition=models.Q(status="pending", client__isnull=True),
                name="invitation_unique_pending_email",
            ),
            models.UniqueConstraint(
                fields=["client", "email"],
                condition=models.Q(status="pending", client__isnull=False),
                name="invitation_unique_pending_client_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.PENDING and self.expires_at <= timezone.now()
        )


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox): only a SHA-512 digest of it is stored.
    Named, expiring, and optionally limited to one workspace and to reading."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Knox makes the digest the primary key; ids in URLs are UUIDs here.
    digest = models.CharField(max_length=KNOX_CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100)
    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("only this workspace"),
    )
    read_only = models.BooleanField(_("read-only"), default=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
