"""Optimistic concurrency for everything two people can edit at once.

Each editable row carries a `revision` that every change moves on by one, with who made
the change and when. A form or an API client says which revision it started from (a
hidden field, a `revision` in the body, or `If-Match`); a write that started from an
older one is refused with the colleague's name and time instead of silently undoing
their change. Writes lock the row first, so two saves at the same moment queue instead
of both reading the old values (SQLite queues writers on BEGIN IMMEDIATE; PostgreSQL on
the row lock).
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.context import acting_user

RevisedModel = TypeVar("RevisedModel", bound="Revised")


class Revised(models.Model):
    revision = models.PositiveIntegerField(gettext_lazy("revision"), default=1, editable=False)
    revised_at = models.DateTimeField(null=True, blank=True, editable=False)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class StaleRevision(ValidationError):
    """A write that started from an older revision than the row has now. `current` is the
    row as the colleague left it, for the form to show beside the user's input."""

    def __init__(self, current: "Revised") -> None:
        self.current = current
        super().__init__(revision_conflict_message(current), code="stale")


def revision_conflict_message(current: "Revised") -> str:
    who = current.revised_by.get_full_name() if current.revised_by_id else _("a colleague")
    when = (
        date_format(timezone.localtime(current.revised_at), "DATETIME_FORMAT")
        if current.revised_at
        else _("an earlier time")
    )
    return _(
        "This %(thing)s was changed by %(name)s at %(time)s while you were editing it "
        "(revision %(revision)d). Nothing of yours was saved: check their values, then "
        "save again to replace them."
    ) % {
        "thing": current._meta.verbose_name,
        "name": who,
        "time": when,
        "revision": current.revision,
    }


def revision_expected(value: Any, field: str = "revision") -> int | None:
    """The revision a writer started from, from a form, a body or an `If-Match` value;
    None when not given (the write then applies to whatever is current)."""
    if value in (None, "", "*"):
        return None
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise ValidationError({field: _("Give the revision as a whole number from 1.")})
    return int(text)


def revision_lock(instance: RevisedModel, *, expected: int | None) -> RevisedModel:
    """The row as it is now, locked for this transaction; refused when `expected` is older.
    Call inside `transaction.atomic`."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if expected is not None and current.revision != expected:
        raise StaleRevision(current)
    return current


def revision_save(instance: "Revised", *, fields: Iterable[str] = ()) -> None:
    """Save only `fields` (every field when none are named, e.g. a new row) with the next
    revision and who made it, so a partial change never writes back stale columns."""
    if instance._state.adding:
        instance.revision = 1
    else:
        instance.revision += 1
    instance.revised_at = timezone.now()
    instance.revised_by = acting_user()
    names = list(dict.fromkeys(fields))
    if not names or instance._state.adding:
        instance.save()
        return
    auto_now = [
        f.name
        for f in instance._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in names
    ]
    instance.save(update_fields=[*names, *auto_now, "revision", "revised_at", "revised_by"])


def revision_etag(instance: "Revised") -> str:
    return f'"{instance.revision}"'
