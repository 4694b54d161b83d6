"""Writes: one function per use case, atomic, raising ValidationError naming the field."""

import datetime
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cxmaturity.formats import REGIONS
from cxmaturity.inputs import one_line
from cxmaturity.revisions import revision_lock, revision_save

from .logos import logo_clean
from .models import (
    Client,
    ClientAccess,
    ClientRole,
    Invitation,
    Membership,
    Role,
    SizeBand,
    User,
    Workspace,
)
from .selectors import default_language, default_region
from .tasks import invitation_send

INVITATION_LIFETIME = timedelta(days=7)
_INVITATION_SALT = "workspaces.invitation"


# --- Workspaces -----------------------------------------------------------------------


def _name_clean(value: str, *, field: str = "name", max_length: int = 120) -> str:
    name = one_line(value)
    if not name:
        raise ValidationError({field: _("Enter a name.")}, code="required")
    if len(name) > max_length:
        raise ValidationError(
            {field: _("Use at most %(max)d characters.") % {"max": max_length}}, code="max_length"
        )
    return name


def workspace_creation_allowed(*, user: User) -> bool:
    """Site staff and owners of a workspace create workspaces; WORKSPACE_CREATION_OPEN lets
    anyone who is not only a client member do it too."""
    if user.is_staff or Membership.objects.filter(user=user, role=Role.OWNER).exists():
        return True
    is_client_member = Membership.objects.filter(user=user, role=Role.CLIENT).exists()
    return settings.WORKSPACE_CREATION_OPEN and not is_client_member


@transaction.atomic
def workspace_create(*, name: str, owner: User) -> Workspace:
    if not workspace_creation_allowed(user=owner):
        raise PermissionDenied(
            _("Only site staff and owners of a workspace may create workspaces.")
        )
    workspace = Workspace.objects.create(name=_name_clean(name))
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


@transaction.atomic
def workspace_branding_update(
    *,
    workspace: Workspace,
    name: str,
    accent_colour: str,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Workspace:
    workspace.name = _name_clean(name)
    workspace.accent_colour = (accent_colour or "").strip().lower()
    workspace.full_clean(exclude=["logo"])
    old_logo = workspace.logo.name if workspace.logo else ""
    if logo is not None:
        content = logo_clean(logo)
        workspace.logo.save(content.name, content, save=False)
    elif remove_logo:
        workspace.logo = ""
    workspace.save()
    if old_logo and old_logo != workspace.logo.name:
        storage = workspace.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return workspace


# --- Clients ----------------------------------------------------------------------------


def _client_clean(
    *, workspace: Workspace, name: str, size_band: str, exclude_id=None, **fields: str
) -> dict:
    name = _name_clean(name)
    duplicates = Client.objects.filter(workspace=workspace, name__iexact=name)
    if exclude_id is not None:
        duplicates = duplicates.exclude(id=exclude_id)
    if duplicates.exists():
        raise _client_name_taken(name)
    if size_band and size_band not in SizeBand.values:
        raise ValidationError({"size_band": _("Choose a size band from the list.")}, code="invalid")
    region = (fields.pop("region", "") or "").strip().upper() or default_region(workspace)
    language = (fields.pop("language", "") or "").strip().lower() or default_language(workspace)
    for field, value, allowed, message in (
        (
            "region",
            region,
            REGIONS,
            _("Choose a country from the list (a code such as GB, DE or US)."),
        ),
        ("language", language, dict(settings.LANGUAGES), _("Choose a language: en, de or fr.")),
    ):
        if value not in allowed:
            raise ValidationError({field: message}, code="invalid_choice")
    limits = {"industry": 80, "notes": 5000}
    cleaned = {"name": name, "size_band": size_band or "", "region": region, "language": language}
    for field, limit in limits.items():
        value = (fields.get(field) or "").strip()
        if len(value) > limit:
            raise ValidationError(
                {field: _("Use at most %(max)d characters.") % {"max": limit}}, code="max_length"
            )
        cleaned[field] = value
    return cleaned


@transaction.atomic
def client_create(
    *, workspace: Workspace, name: str, created_by: Membership | None = None, **fields: str
) -> Client:
    """Add a client (fields: industry, size_band, region, language, notes). A consultant
    limited to assigned clients is assigned the new one, so they can go on with what they
    started."""
    cleaned = _client_clean(workspace=workspace, name=name, **{"size_band": "", **fields})
    try:
        with transaction.atomic():
            client = Client.objects.create(workspace=workspace, **cleaned)
            if created_by is not None and not created_by.reaches_every_client:
                ClientAccess.objects.create(
                    membership=created_by, client=client, granted_by=created_by.user
                )
            return client
    except IntegrityError as exc:  # a concurrent request took the name first
        raise _client_name_taken(cleaned["name"]) from exc


def _client_name_taken(name: str) -> ValidationError:
    return ValidationError(
        {"name": _("A client named “%(name)s” already exists in this workspace.") % {"name": name}},
        code="unique",
    )


@transaction.atomic
def client_update(*, client: Client, revision: int | None = None, **changes: str | bool) -> Client:
    """Change the fields given (others keep what is saved now); refused when `revision`
    is older than the saved one."""
    client = revision_lock(client, expected=revision)
    archived = changes.pop("archived", None)
    current = {
        "name": client.name,
        "industry": client.industry,
        "size_band": client.size_band,
        "region": client.region,
        "language": client.language,
        "notes": client.notes,
    }
    current.update({key: value for key, value in changes.items() if key in current})
    cleaned = _client_clean(workspace=client.workspace, exclude_id=client.id, **current)
    changed = [field for field, value in cleaned.items() if getattr(client, field) != value]
    for field in changed:
        setattr(client, field, cleaned[field])
    if archived is not None and bool(archived) != client.archived:
        client.archived = bool(archived)
        changed.append("archived")
    try:
        with transaction.atomic():
            revision_save(client, fields=changed or ["updated_at"])
    except IntegrityError as exc:
        raise _client_name_taken(client.name) from exc
    return client


@transaction.atomic
def client_archive(*, client: Client, archived: bool = True) -> Client:
    # Only `archived` is written, so the caller's row can carry it (callers keep using it).
    client.revision = revision_lock(client, expected=None).revision
    client.archived = archived
    revision_save(client, fields=["archived"])
    return client


# --- Members and invitations -----------------------------------------------------------


def _owners_left_after(membership: Membership) -> int:
    # Lock the workspace row: two owners demoting each other at once must not both pass.
    # (FOR UPDATE on a COUNT locks nothing.)
    Workspace.objects.select_for_update().get(id=membership.workspace_id)
    return (
        Membership.objects.filter(workspace_id=membership.workspace_id, role=Role.OWNER)
        .exclude(id=membership.id)
        .count()
    )


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str) -> Membership:
    """Change a member's role. A client member made consultant keeps their clients as
    assignments (limited to them), so nobody's reach widens by accident."""
    if role not in Role.values:
        raise ValidationError(
            {"role": _("Choose owner, consultant or client member.")}, code="invalid"
        )
    if role == Role.CLIENT and membership.role != Role.CLIENT:
        raise ValidationError(
            {
                "role": _(
                    "Remove the member, then invite them to their client from the client's "
                    "page: a client member needs a client."
                )
            },
            code="needs_client",
        )
    if membership.role == Role.CLIENT and role == Role.CONSULTANT:
        membership.assigned_clients_only = True
    if membership.role == Role.OWNER and role != Role.OWNER and not _owners_left_after(membership):
        raise ValidationError(
            {"role": _("A workspace needs at least one owner. Make someone else owner first.")},
            code="last_owner",
        )
    membership.role = role
    membership.save(update_fields=["role", "assigned_clients_only"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.OWNER and not _owners_left_after(membership):
        raise ValidationError(
            _("A workspace needs at least one owner. Make someone else owner first."),
            code="last_owner",
        )
    membership.delete()


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=_INVITATION_SALT).sign(str(invitation.id))


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[invitation_token(invitation)])


@transaction.atomic
def invitation_create(
    *, workspace: Workspace, email: str, role: str, invited_by: User | None
) -> Invitation:
    """Invite (or invite again) an email address; the email goes out after commit."""
    email = email_clean(email)
    if role not in (Role.OWNER, Role.CONSULTANT):
        raise ValidationError(
            {
                "role": _(
                    "Choose owner or consultant; invite a client's team from the client's page."
                )
            },
            code="invalid",
        )
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this workspace.") % {"email": email}},
            code="already_member",
        )
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            workspace=workspace,
            email=email,
            client__isnull=True,
            status=Invitation.Status.PENDING,
        )
        .first()
    ) or Invitation(workspace=workspace, email=email)
    invitation.role = role
    return invitation_save(invitation, invited_by=invited_by)


def email_clean(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Enter an email address.")}, code="required")
    return email


def invitation_save(invitation: Invitation, *, invited_by: User | None) -> Invitation:
    """Save a new or renewed invitation and email it after commit."""
    email = invitation.email
    invitation.invited_by = invited_by
    invitation.expires_at = timezone.now() + INVITATION_LIFETIME
    invitation.full_clean(exclude=["invited_by", "client"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # a concurrent invitation of the same address
        raise ValidationError(
            {"email": _("%(email)s was invited a moment ago.") % {"email": email}}, code="unique"
        ) from exc
    invitation_send.delay_on_commit(invitation_id=str(invitation.id))
    return invitation


def invitation_send_email(*, invitation: Invitation) -> None:
    """Email the invitation link. Safe to repeat; a settled invitation is not sent."""
    if invitation.status != Invitation.Status.PENDING or invitation.is_expired:
        return
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
    }
    if invitation.client_id:
        subject = _("%(workspace)s invites you to %(client)s's CX work on cxmaturity") % {
            "workspace": invitation.workspace.name,
            "client": invitation.client.name,
        }
    else:
        subject = _("You are invited to %(workspace)s on cxmaturity") % {
            "workspace": invitation.workspace.name
        }
    body = render_to_string("workspaces/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    Invitation.objects.filter(id=invitation.id).update(sent_at=timezone.now())


def invitation_from_token(*, token: str) -> Invitation:
    """The pending invitation a link names; ValidationError saying why it cannot be used."""
    try:
        invitation_id = signing.Signer(salt=_INVITATION_SALT).unsign(token)
        invitation = Invitation.objects.select_related("workspace").get(id=invitation_id)
    except (signing.BadSignature, Invitation.DoesNotExist, ValidationError, ValueError) as exc:
        raise ValidationError(_("This invitation link is not valid."), code="invalid") from exc
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation was withdrawn."), code="revoked")
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask %(workspace)s for a new one.")
            % {"workspace": invitation.workspace.name},
            code="expired",
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(id=invitation.id)
    if invitation.status != Invitation.Status.PENDING or invitation.is_expired:
        raise ValidationError(_("This invitation can no longer be used."), code="invalid")
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation is for %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            code="wrong_user",
        )
    membership, _created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    if invitation.client_id and membership.role == Role.CLIENT:
        ClientAccess.objects.update_or_create(
            membership=membership,
            client_id=invitation.client_id,
            defaults={"role": invitation.client_role or ClientRole.VIEWER},
        )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    return membership


@transaction.atomic
def invitation_accept_as_new_user(
    *, invitation: Invitation, name: str, password: str
) -> Membership:
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("An account with this email exists already: sign in to accept."), code="exists"
        )
    try:
        with transaction.atomic():
            user = User.objects.create_user(invitation.email, password, name=name.strip()[:150])
    except IntegrityError as exc:  # the form was sent twice
        raise ValidationError(
            _("An account with this email exists already: sign in to accept."), code="exists"
        ) from exc
    return invitation_accept(invitation=invitation, user=user)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, invited_by: User) -> Invitation:
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            _("This invitation was %(status)s; invite the person again instead.")
            % {"status": invitation.get_status_display().lower()},
            code="not_pending",
        )
    if invitation.client_id:
        from .client_team_services import client_invitation_create

        return client_invitation_create(
            client=invitation.client,
            email=invitation.email,
            client_role=invitation.client_role,
            invited_by=invited_by,
        )
    return invitation_create(
        workspace=invitation.workspace,
        email=invitation.email,
        role=invitation.role,
        invited_by=invited_by,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.status == Invitation.Status.PENDING:
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status"])
    return invitation


@transaction.atomic
def invitations_expire() -> int:
    return Invitation.objects.filter(
        status=Invitation.Status.PENDING, expires_at__lte=timezone.now()
    ).update(status=Invitation.Status.EXPIRED)


@transaction.atomic
def client_delete(*, client: Client, by: User | None = None) -> Client:
    """Move to the trash, where an owner may restore it until `clients_trash_purge` deletes
    it for good; only an archived client, so nothing in use disappears by accident."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if not client.archived:
        raise ValidationError(
            _("Archive the client first; only archived clients can be deleted."),
            code="not_archived",
        )
    client.deleted_at = timezone.now()
    client.deleted_by = by
    client.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return client


@transaction.atomic
def client_restore(*, client: Client) -> Client:
    """Out of the trash, archived as it went in."""
    client.deleted_at = None
    client.deleted_by = None
    client.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return client


@transaction.atomic
def client_purge(*, client: Client) -> None:
    """Delete a trashed client for good, with everything recorded about it (its files go
    with their rows)."""
    if client.deleted_at is None:
        raise ValidationError(_("Only a client in the trash can be deleted for good."))
    client.delete()


def clients_trash_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the clients in the trash for longer than CLIENT_TRASH_DAYS; one transaction
    each, so one failure leaves the rest done."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.CLIENT_TRASH_DAYS)
    purged = 0
    for client in Client.objects.filter(deleted_at__lte=cutoff):
        client_purge(client=client)
        purged += 1
    return purged
