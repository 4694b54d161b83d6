"""Writes for respondents' links: issue, invite, reissue, revoke, remind, and the emails."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cxmaturity.inputs import column_input

from ..models import Assessment, Respondent
from ..selectors import questionnaire_minutes, respondents_to_invite
from ..tasks import respondent_email_send
from ..tokens import new_nonce, token_for, token_hash
from .assessments import assessment_open


def respondent_link(respondent: Respondent) -> str:
    if not respondent.token_nonce:
        return ""
    return settings.SITE_URL + reverse("respondent_start", args=[token_for(respondent.token_nonce)])


def _issue_token(respondent: Respondent) -> None:
    nonce = new_nonce()
    respondent.token_nonce = nonce
    respondent.token_hash = token_hash(token_for(nonce))
    respondent.revoked_at = None


def _fresh(respondent: Respondent) -> Respondent:
    # The caller's copy (and its assessment) may predate an open or close: read it anew.
    return Respondent.objects.select_related("assessment").get(pk=respondent.pk)


def _require_open(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.OPEN:
        raise ValidationError(
            _("Open the assessment first: respondents can only answer an open assessment."),
            code="not_open",
        )


@transaction.atomic
def respondent_invite(*, respondent: Respondent) -> Respondent:
    """Email the respondent their personal link (issuing one if needed)."""
    respondent = _fresh(respondent)
    _require_open(respondent.assessment)
    if respondent.is_consensus:
        raise ValidationError(_("The workshop consensus is entered by the consultant."))
    if not respondent.email:
        raise ValidationError(
            {"email": _("Add an email address to invite %(name)s.") % {"name": respondent.name}}
        )
    if not respondent.token_hash or respondent.revoked_at:
        _issue_token(respondent)
    respondent.invited_at = respondent.invited_at or timezone.now()
    respondent.save(update_fields=["token_nonce", "token_hash", "revoked_at", "invited_at"])
    respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="invitation")
    return respondent


@transaction.atomic
def respondents_invite_all(*, assessment: Assessment) -> int:
    """Invite everyone with an email address who has not been invited yet."""
    _require_open(assessment)
    pending = respondents_to_invite(assessment=assessment)
    count = 0
    for respondent in pending:
        respondent_invite(respondent=respondent)
        count += 1
    return count


def invitation_defaults(assessment: Assessment) -> dict[str, str]:
    """The invitation's subject and message as the consultant last set them, else the
    default wording."""
    client = assessment.client
    return {
        "subject": assessment.invitation_subject
        or _("Your view is needed: %(title)s") % {"title": assessment.title},
        "message": assessment.invitation_message
        or render_to_string(
            "assessments/email/invitation_message.txt",
            {
                "client": client,
                "workspace": client.workspace,
                "assessment": assessment,
                "minutes": questionnaire_minutes(assessment.version_id),
            },
        ).strip(),
    }


def invitation_text(*, respondent: Respondent, subject: str, message: str) -> tuple[str, str]:
    """(subject, body) of the invitation email to `respondent`: the message between the
    greeting and their personal link."""
    assessment = respondent.assessment
    body = render_to_string(
        "assessments/email/respondent_invitation.txt",
        {
            "respondent": respondent,
            "assessment": assessment,
            "client": assessment.client,
            "workspace": assessment.client.workspace,
            "url": respondent_link(respondent) or _("(their personal link)"),
            "reminder": False,
            "message": message,
        },
    )
    return subject, body


@transaction.atomic
def assessment_open_and_invite(*, assessment: Assessment, subject: str, message: str) -> int:
    """Keep the invitation's wording as previewed, open the assessment and invite everyone
    not invited yet with it; the number invited."""
    fields = {"invitation_subject": subject, "invitation_message": message}
    errors, cleaned = {}, {}
    for name, value in fields.items():
        try:
            cleaned[name] = column_input(Assessment._meta.get_field(name), value)
        except ValidationError as exc:
            errors[name.removeprefix("invitation_")] = exc.messages
        else:
            if not cleaned[name]:
                errors[name.removeprefix("invitation_")] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    # The default wording unchanged is stored blank, so each respondent gets it in their
    # own language; what the consultant wrote is sent as written.
    defaults = invitation_defaults(assessment)
    for name in fields:
        if cleaned[name] == defaults[name.removeprefix("invitation_")]:
            cleaned[name] = ""
    # Locked: of two sends at once, the second finds it open and sends nothing.
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("This assessment is already open."), code="not_draft")
    Assessment.objects.filter(pk=assessment.pk).update(**cleaned)
    return respondents_invite_all(assessment=assessment_open(assessment=assessment))


@transaction.atomic
def respondent_reissue(*, respondent: Respondent) -> Respondent:
    """A new link; the old one stops working. Emailed when the respondent has an address."""
    respondent = _fresh(respondent)
    _require_open(respondent.assessment)
    if respondent.is_consensus:
        raise ValidationError(_("The workshop consensus is entered by the consultant."))
    _issue_token(respondent)
    respondent.invited_at = respondent.invited_at or timezone.now()
    respondent.save(update_fields=["token_nonce", "token_hash", "revoked_at", "invited_at"])
    if respondent.email:
        respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="invitation")
    return respondent


@transaction.atomic
def respondent_revoke(*, respondent: Respondent) -> Respondent:
    respondent.revoked_at = timezone.now()
    respondent.save(update_fields=["revoked_at"])
    return respondent


@transaction.atomic
def respondent_remind(*, respondent: Respondent) -> Respondent:
    respondent = _fresh(respondent)
    _require_open(respondent.assessment)
    if respondent.submitted_at or respondent.revoked_at or not respondent.invited_at:
        raise ValidationError(
            _("Only invited respondents who have not submitted can be reminded."),
            code="not_remindable",
        )
    respondent.last_reminded_at = timezone.now()
    respondent.reminders_sent += 1
    respondent.save(update_fields=["last_reminded_at", "reminders_sent"])
    respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="reminder")
    return respondent


def respondent_email_send_now(*, respondent: Respondent, kind: str) -> bool:
    """Send an invitation or reminder email; False when it no longer applies."""
    assessment = respondent.assessment
    if (
        assessment.status != Assessment.Status.OPEN
        or respondent.revoked_at
        or not respondent.email
        or not respondent.token_nonce
        or (kind == "reminder" and respondent.submitted_at)
    ):
        return False
    # In the respondent's language; a subject or message the consultant wrote stays as is.
    language = respondent.reading_language
    with translation.override(language):
        subject, body = _email_text(respondent, kind)
    EmailMessage(
        subject, body, None, [respondent.email], headers={"Content-Language": language}
    ).send()
    return True


def _email_text(respondent: Respondent, kind: str) -> tuple[str, str]:
    assessment = respondent.assessment
    if kind != "reminder":
        return invitation_text(respondent=respondent, **invitation_defaults(assessment))
    subject = _("Reminder: %(title)s") % {"title": assessment.title}
    context = {
        "respondent": respondent,
        "assessment": assessment,
        "client": assessment.client,
        "workspace": assessment.client.workspace,
        "url": respondent_link(respondent),
        "reminder": True,
    }
    return subject, render_to_string("assessments/email/respondent_invitation.txt", context)


@transaction.atomic
def respondents_remind_due(*, now: datetime | None = None) -> int:
    """Remind, at most every `reminder_interval_days`, who was invited and has not
    submitted, until the due date. Run by the periodic task."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = (
        Respondent.objects.select_related("assessment")
        .filter(
            Q(assessment__due_date__isnull=True) | Q(assessment__due_date__gte=today),
            assessment__status=Assessment.Status.OPEN,
            assessment__client__deleted_at=None,
            invited_at__isnull=False,
            submitted_at__isnull=True,
            revoked_at__isnull=True,
            is_consensus=False,
        )
        .exclude(email="")
    )
    reminded = 0
    for respondent in candidates.select_for_update(of=("self",)):
        last_contact = respondent.last_reminded_at or respondent.invited_at
        if now - last_contact < timedelta(days=respondent.assessment.reminder_interval_days):
            continue
        respondent.last_reminded_at = now
        respondent.reminders_sent += 1
        respondent.save(update_fields=["last_reminded_at", "reminders_sent"])
        respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="reminder")
        reminded += 1
    return reminded
