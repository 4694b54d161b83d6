"""Writes for assessments: create, change settings, open, close, delete, run again."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxmaturity.inputs import due_date_check, one_line
from cxmaturity.revisions import revision_lock, revision_save
from workspaces.models import Client, User

from ..models import Assessment, QuestionnaireVersion, Respondent, max_length
from .respondents import consensus_respondent_get_or_create


def _targets_clean(targets: dict | None, version: QuestionnaireVersion) -> dict[str, int]:
    keys = set(version.dimensions.values_list("key", flat=True))
    cleaned: dict[str, int] = {}
    for key, value in (targets or {}).items():
        if value in (None, ""):
            continue
        if key not in keys:
            raise ValidationError(
                {"targets": _("“%(key)s” is not a dimension of this questionnaire.") % {"key": key}}
            )
        try:
            stage = int(value)
        except (TypeError, ValueError):
            stage = 0
        if str(value).strip() != str(stage) or not 1 <= stage <= 7:
            raise ValidationError(
                {"targets": _("The target for %(key)s must be a stage from 1 to 7.") % {"key": key}}
            )
        cleaned[key] = stage
    return cleaned


def _title_clean(title: str) -> str:
    title = one_line(title)
    if not title:
        raise ValidationError({"title": _("Enter a title.")}, code="required")
    if len(title) > max_length(Assessment, "title"):
        raise ValidationError({"title": _("Use at most 200 characters.")}, code="max_length")
    return title


@transaction.atomic
def assessment_create(
    *,
    client: Client,
    version: QuestionnaireVersion,
    title: str,
    created_by: User | None,
    purpose: str = "",
    due_date: date | None = None,
    mode: str = Assessment.Mode.SURVEY,
    anonymity: str = Assessment.Anonymity.NAMED,
    targets: dict | None = None,
    respondents_may_revise: bool = True,
    reminder_interval_days: int = 3,
    previous: Assessment | None = None,
) -> Assessment:
    if client.archived:
        raise ValidationError(_("Restore the client before assessing it."), code="archived")
    if previous is not None and previous.client_id != client.id:
        raise ValidationError(
            {"previous": _("The previous assessment must be of the same client.")}
        )
    due_date_check(due_date)
    assessment = Assessment(
        client=client,
        version=version,
        title=_title_clean(title),
        purpose=(purpose or "").strip(),
        due_date=due_date,
        mode=mode,
        anonymity=anonymity,
        targets=_targets_clean(targets, version),
        respondents_may_revise=respondents_may_revise,
        reminder_interval_days=reminder_interval_days,
        previous=previous,
        created_by=created_by,
    )
    assessment.full_clean(exclude=["created_by", "client", "version", "previous"])
    assessment.save()
    return assessment


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, revision: int | None = None, **changes
) -> Assessment:
    """Change an assessment's settings (those given; the rest keep what is saved now);
    the questionnaire is fixed once it is opened. Refused when `revision` is older than
    the saved one."""
    assessment = revision_lock(assessment, expected=revision)
    if "version" in changes and changes["version"].id != assessment.version_id:
        if assessment.status != Assessment.Status.DRAFT:
            raise ValidationError(
                {"version": _("The questionnaire cannot change once the assessment has opened.")}
            )
        assessment.version = changes["version"]
    if "due_date" in changes:
        due_date_check(changes["due_date"], saved=assessment.due_date)
    if "title" in changes:
        assessment.title = _title_clean(changes["title"])
    if "targets" in changes:
        assessment.targets = _targets_clean(changes["targets"], assessment.version)
    if "previous" in changes:
        previous = changes["previous"]
        if previous is not None and (
            previous.client_id != assessment.client_id or previous.id == assessment.id
        ):
            raise ValidationError(
                {"previous": _("The previous assessment must be another one of the same client.")}
            )
        assessment.previous = previous
    if assessment.status != Assessment.Status.DRAFT:
        # Respondents answered under this mode and this promise of anonymity.
        if "mode" in changes and changes["mode"] != assessment.mode:
            raise ValidationError(
                {"mode": _("The mode cannot change once the assessment has opened.")}
            )
        if (
            changes.get("anonymity", assessment.anonymity) != assessment.anonymity
            and assessment.anonymity == Assessment.Anonymity.ROLES
        ):
            raise ValidationError(
                {
                    "anonymity": _(
                        "Respondents were promised roles only: that cannot change once the "
                        "assessment has opened."
                    )
                }
            )
    for field in (
        "purpose",
        "due_date",
        "mode",
        "anonymity",
        "respondents_may_revise",
        "reminder_interval_days",
    ):
        if field in changes:
            setattr(assessment, field, changes[field])
    assessment.full_clean(exclude=["created_by", "client", "version", "previous"])
    revision_save(assessment)
    return assessment


@transaction.atomic
def assessment_open(*, assessment: Assessment) -> Assessment:
    """Open for answers (or reopen a closed one)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.OPEN:
        return assessment
    assessment.status = Assessment.Status.OPEN
    assessment.opened_at = assessment.opened_at or timezone.now()
    assessment.closed_at = None
    assessment.save(update_fields=["status", "opened_at", "closed_at"])
    if assessment.mode == Assessment.Mode.FACILITATED:
        consensus_respondent_get_or_create(assessment=assessment)
    return assessment


@transaction.atomic
def assessment_close(*, assessment: Assessment) -> Assessment:
    """Close: links stop working and only submitted answers count."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.OPEN:
        raise ValidationError(_("Only an open assessment can be closed."), code="not_open")
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted; close the assessment instead."), code="not_draft"
        )
    assessment.delete()


@transaction.atomic
def assessment_run_again(*, previous: Assessment, created_by: User | None) -> Assessment:
    """A new draft for the same client from a closed assessment: the newest version of
    the same questionnaire, the same respondents and targets, linked to the previous one."""
    if previous.status != Assessment.Status.CLOSED:
        raise ValidationError(_("Close the assessment before running it again."), code="open")
    version = previous.version.questionnaire.versions.order_by("-number").first()
    keys = set(version.dimensions.values_list("key", flat=True))
    assessment = assessment_create(
        client=previous.client,
        version=version,
        title=(_("Reassessment: %(title)s") % {"title": previous.title})[:200],
        created_by=created_by,
        purpose=previous.purpose,
        mode=previous.mode,
        anonymity=previous.anonymity,
        targets={k: v for k, v in (previous.targets or {}).items() if k in keys},
        respondents_may_revise=previous.respondents_may_revise,
        reminder_interval_days=previous.reminder_interval_days,
        previous=previous,
    )
    Respondent.objects.bulk_create([
        Respondent(assessment=assessment, name=r.name, email=r.email, role=r.role,
                   department=r.department, weight=r.weight)
        for r in previous.respondents.filter(is_consensus=False, revoked_at__isnull=True)
    ])  # fmt: skip
    return assessment
