"""The two requests data protection law gives people: erase what is held about them
(a respondent's name, email and link, keeping the answers under the role) and see all of
it (everything a workspace holds about one email address)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import Answer, Respondent

ERASED_NAME = _lazy("Erased respondent")


@transaction.atomic
def respondent_erase(*, respondent: Respondent, comments: bool, erased_by=None) -> Respondent:
    """Erase a person's personal data at their request: name, email, department, notes
    and link (and, if asked, their comments and evidence), here and in the audit trail.
    Their answers stay and count as before, under their role only."""
    from audit.models import AuditAction
    from audit.services import audit_forget, audit_record

    if respondent.is_consensus:
        raise ValidationError(_("The workshop's consensus holds nobody's personal data."))
    now = timezone.now()
    label = str(ERASED_NAME)
    # Updates, not saves: the audit trail must not copy the old name and email it erases.
    Respondent.objects.filter(pk=respondent.pk).update(
        name=label,
        email="",
        department="",
        notes="",
        token_nonce="",
        token_hash="",
        revoked_at=Coalesce("revoked_at", Value(now)),
        erased_at=now,
    )
    if comments:
        Answer.objects.filter(respondent_id=respondent.pk).update(comment="", evidence="")
    respondent = Respondent.objects.select_related("assessment__client__workspace").get(
        pk=respondent.pk
    )
    audit_forget(obj=respondent, label=label)
    audit_record(
        actor=erased_by,
        workspace=respondent.assessment.client.workspace,
        action=AuditAction.CHANGED,
        obj=respondent,
        changes={
            str(_("personal data")): ["", str(_("erased"))],
            **({str(_("comments and evidence")): ["", str(_("erased"))]} if comments else {}),
        },
    )
    return respondent


def personal_data_for_email(*, membership, email: str) -> dict:
    """Everything the workspace holds about one email address, within what the member
    reaches: respondent rows with their answers, and (for those who see the whole
    workspace) membership, client access and invitations."""
    from workspaces.models import ClientAccess, Invitation, Membership

    email = email.strip().lower()
    respondents = (
        membership.scope.filter(Respondent.objects.all(), path="assessment__client")
        .filter(email__iexact=email)
        .select_related("assessment__client")
        .prefetch_related("answers__question")
        .order_by("created_at")
    )
    found: dict = {
        "email": email,
        "workspace": membership.workspace.name,
        "respondents": [
            {
                "client": r.assessment.client.name,
                "assessment": r.assessment.title,
                "name": r.name,
                "email": r.email,
                "role": r.role,
                "department": r.department,
                "notes": r.notes,
                "invited_at": r.invited_at,
                "opened_at": r.opened_at,
                "submitted_at": r.submitted_at,
                "answers": [
                    {
                        "question": a.question.text,
                        "value": a.value,
                        "comment": a.comment,
                        "evidence": a.evidence,
                    }
                    for a in r.answers.all()
                ],
            }
            for r in respondents
        ],
    }
    if membership.reaches_every_client:
        workspace = membership.workspace
        found["memberships"] = [
            {"role": m.role, "name": m.user.name, "since": m.created_at}
            for m in Membership.objects.filter(
                workspace=workspace, user__email__iexact=email
            ).select_related("user")
        ]
        found["client_access"] = [
            {"client": a.client.name, "client_role": a.role, "since": a.created_at}
            for a in ClientAccess.objects.filter(
                membership__workspace=workspace, membership__user__email__iexact=email
            ).select_related("client")
        ]
        found["invitations"] = [
            {"role": i.role, "client": i.client.name if i.client else "", "status": i.status}
            for i in Invitation.objects.filter(
                workspace=workspace, email__iexact=email
            ).select_related("client")
        ]
    return found
