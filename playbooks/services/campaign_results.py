"""Writes for a campaign's monitoring: its status history and its test results (entered
by hand, from a CSV or through the API; all go through variant_results_save)."""

from collections.abc import Mapping
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import acting_user
from cxmaturity.csv_files import csv_rows
from cxmaturity.revisions import revision_lock, revision_save
from cxnumbers.ab_test import check_counts

from ..models import CampaignPlan, CampaignStatusChange

MAX_CSV_ROWS = 50
# Counts beyond this are typing mistakes, and the JSON would outgrow a sane row.
MOST_VISITORS = 10**12


def status_record(*, campaign: CampaignPlan) -> None:
    """Keep the campaign's status in its history when it differs from the last step, with
    who is signed in (no one for a script or a task)."""
    last = campaign.status_changes.order_by("-changed_at", "-id").first()
    if last is not None and last.status == campaign.status:
        return
    CampaignStatusChange.objects.create(
        campaign=campaign,
        status=campaign.status,
        changed_at=timezone.now(),
        changed_by=acting_user(),
    )


def _count(value: Any, field: str, where: str) -> int:
    """A whole number from a form, JSON or CSV cell; a ValidationError names the field."""
    if isinstance(value, str):
        value = value.strip().replace(",", "")
        value = int(value) if value.isdigit() else value
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MOST_VISITORS:
        raise ValidationError(
            {field: _("%(where)s: enter a whole number of 0 or more.") % {"where": where}}
        )
    return value


def _checked(campaign: CampaignPlan, rows: list[Mapping[str, Any]]) -> dict[str, dict]:
    """Each row's variant one of the campaign's, counted once, its counts whole and
    conversions within visitors."""
    if not campaign.test_kind:
        raise ValidationError({"variant": _("This campaign plans no test.")})
    results: dict[str, dict] = {}
    for row in rows:
        name = str(row.get("variant") or "").strip()
        if name not in campaign.test_variants:
            raise ValidationError(
                {"variant": _("“%(name)s” is not one of the campaign's variants (%(all)s).")
                 % {"name": name, "all": ", ".join(campaign.test_variants)}}
            )  # fmt: skip
        if name in results:
            raise ValidationError({"variant": _("“%(name)s” is given twice.") % {"name": name}})
        visitors = _count(row.get("visitors"), "visitors", name)
        conversions = _count(row.get("conversions"), "conversions", name)
        try:
            check_counts(visitors, conversions, name)
        except ValueError as exc:
            raise ValidationError({"conversions": str(exc)}) from exc
        results[name] = {"visitors": visitors, "conversions": conversions}
    return results


@transaction.atomic
def variant_results_save(
    *, campaign: CampaignPlan, rows: list[Mapping[str, Any]], revision: int | None = None
) -> CampaignPlan:
    """Replace the visitors and conversions of the variants given (others keep theirs),
    all or nothing. Rows: {"variant", "visitors", "conversions"}."""
    campaign = revision_lock(campaign, expected=revision)
    results = _checked(campaign, rows)
    kept = {k: v for k, v in campaign.test_results.items() if k in campaign.test_variants}
    campaign.test_results = {**kept, **results}
    revision_save(campaign, fields=["test_results"])
    return campaign


def variant_results_from_csv(
    *, campaign: CampaignPlan, data: bytes | str | IO[bytes]
) -> CampaignPlan:
    """Test results from a CSV `variant,visitors,conversions`: every row checked, errors
    named by row and column, nothing saved if one is wrong."""
    rows = csv_rows(data, max_rows=MAX_CSV_ROWS)
    header = [h.strip().lower() for h in rows[0][:3]] if rows else []
    if header != ["variant", "visitors", "conversions"]:
        raise ValidationError({"file": _("Row 1 must be the header variant,visitors,conversions.")})
    problems, given = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        variant, visitors, conversions = [*row, "", "", ""][:3]
        entry = {"variant": variant, "visitors": visitors, "conversions": conversions}
        try:
            _checked(campaign, [entry])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems += [
                    _("Row %(row)d, %(field)s: %(message)s")
                    % {"row": number, "field": field, "message": m}
                    for m in messages
                ]
            continue
        given.append(entry)
    if not problems and not given:
        problems.append(_("The file has no rows after the header."))
    if problems:
        raise ValidationError({"file": problems})
    try:
        return variant_results_save(campaign=campaign, rows=given)
    except ValidationError as exc:  # a variant given on two rows
        raise ValidationError({"file": exc.messages}) from exc
