"""Writes for assessments: create, change settings, open, close, delete, run again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxmaturity.inputs import due_date_check
from cxmaturity.revisions import revision_lock, revision_save
from workspaces.models import Client, User

from ..inputs import ASSESSMENT_INPUT_FIELDS, AssessmentInput
from ..models import Assessment, QuestionnaireVersion, Respondent
from .respondents import consensus_respondent_get_or_create
from .results import results_snapshot_store


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


@transaction.atomic
def assessment_create(
    *, client: Client, data: AssessmentInput, created_by: User | None
) -> Assessment:
    """A draft assessment of the client from the questionnaire version in `data`."""
    if client.archived:
        raise ValidationError(_("Restore the client before assessing it."), code="archived")
    if data.version is None:
        raise ValidationError({"version": _("Choose a questionnaire.")}, code="required")
    previous = data.previous
    if previous is not None and previous.client_id != client.id:
        raise ValidationError(
            {"previous": _("The previous assessment must be of the same client.")}
        )
    due_date_check(data.due_date)
    values = {n: v for n, v in data.changes().items() if n not in ("version", "previous")}
    values["targets"] = _targets_clean(data.targets, data.version)
    assessment = Assessment(
        client=client, version=data.version, previous=previous, created_by=created_by, **values
    )
    assessment.full_clean(exclude=["created_by", "client", "version", "previous"])
    assessment.save()
    return assessment


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, data: AssessmentInput, revision: int | None = None
) -> Assessment:
    """Change an assessment's settings (those given; the rest keep what is saved now);
    the questionnaire is fixed once it is opened. Refused when `revision` is older than
    the saved one."""
    assessment = revision_lock(assessment, expected=revision)
    changes = data.changes()
    version = changes.pop("version", None)
    if version is not None and version.id != assessment.version_id:
        if assessment.status != Assessment.Status.DRAFT:
            raise ValidationError(
                {"version": _("The questionnaire cannot change once the assessment has opened.")}
            )
        assessment.version = version
    if "due_date" in changes:
        due_date_check(changes["due_date"], saved=assessment.due_date)
    if "targets" in changes:
        changes["targets"] = _targets_clean(changes["targets"], assessment.version)
    if "previous" in changes:
        previous = changes["previous"]
        if previous is not None and (
            previous.client_id != assessment.client_id or previous.id == assessment.id
        ):
            raise ValidationError(
                {"previous": _("The previous assessment must be another one of the same client.")}
            )
    if assessment.status != Assessment.Status.DRAFT:
        _opened_settings_check(assessment, changes)
    for name, value in changes.items():
        setattr(assessment, name, value)
    assessment.full_clean(exclude=["created_by", "client", "version", "previous"])
    revision_save(assessment)
    if "targets" in changes and assessment.status == Assessment.Status.CLOSED:
        results_snapshot_store(assessment)  # gaps and priorities follow the targets
    return assessment


def _opened_settings_check(assessment: Assessment, changes: dict) -> None:
    """Respondents answered under this mode and this promise of anonymity."""
    if changes.get("mode", assessment.mode) != assessment.mode:
        raise ValidationError({"mode": _("The mode cannot change once the assessment has opened.")})
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
    results_snapshot_store(assessment)  # open again: scored live until it closes
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
    results_snapshot_store(assessment)
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
    data = AssessmentInput(
        title=(_("Reassessment: %(title)s") % {"title": previous.title})[:200],
        purpose=previous.purpose,
        mode=previous.mode,
        anonymity=previous.anonymity,
        targets={k: v for k, v in (previous.targets or {}).items() if k in keys},
        respondents_may_revise=previous.respondents_may_revise,
        reminder_interval_days=previous.reminder_interval_days,
        version=version,
        previous=previous,
        given=frozenset(ASSESSMENT_INPUT_FIELDS),
    )
    assessment = assessment_create(client=previous.client, data=data, created_by=created_by)
    Respondent.objects.bulk_create([
        Respondent(assessment=assessment, name=r.name, email=r.email, role=r.role,
                   department=r.department, weight=r.weight)
        for r in previous.respondents.filter(is_consensus=False, revoked_at__isnull=True)
    ])  # fmt: skip
    return assessment
