"""One lease for every background job (PDF documents, segment analyses).

A job is a row with `status` (queued → running → done | failed), `progress`, `error`,
`started_at`, `lease_until`, `attempts` and `finished_at`. A worker takes a row with one
conditional UPDATE (`claim`), so of two workers handed the same row only one gets it;
`attempts` after the claim is that worker's token, and its later writes (`heartbeat`,
`finish`) only land while the row still carries it, so a worker presumed dead that wakes
up cannot overwrite the one that took over. A lease that runs out means the worker died:
`sweep` (run periodically) sends such rows again while their input exists, and fails
them with a message after `JOB_MAX_ATTEMPTS` claims.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

QUEUED, DONE, FAILED = "queued", "done", "failed"


class LeaseHeld(Exception):
    """Another worker holds this job; look again when its lease ends."""

    def __init__(self, seconds_left: float) -> None:
        super().__init__(f"running elsewhere for up to {seconds_left:.0f} s more")
        self.seconds_left = seconds_left


@dataclass(frozen=True)
class Job:
    """How one model's rows run in the background."""

    model: type[models.Model]
    running: str  # its status value while a worker holds the lease
    queued_at: str  # the field saying when the row was queued
    lease_setting: str  # seconds, see settings
    patience_setting: str
    # Shown when the job is given up (attempts used up, or its input gone); %(n)d is the
    # number of attempts.
    stopped: Any
    # Shown when the outcome itself could not be stored.
    broken: Any
    # Called with the id of each row failed here (not by the job's own code), e.g. to
    # delete the raw upload it no longer needs.
    on_failed: Callable[[Any], None] | None = None
    # The language of the person who will read a row's stored message: the sweep runs in
    # no one's. None: the active language.
    reader: Callable[[Any], str] | None = None

    @property
    def lease(self) -> datetime.timedelta:
        return datetime.timedelta(seconds=getattr(settings, self.lease_setting))

    @property
    def patience(self) -> datetime.timedelta:
        return datetime.timedelta(seconds=getattr(settings, self.patience_setting))


def claim(job: Job, pk: Any, *, now: datetime.datetime | None = None) -> Any | None:
    """Take the row for this worker and return it; None if it is finished, gone, or has
    used up its attempts (then it is failed with a message); LeaseHeld if another worker's
    lease is still live, so a duplicate delivery runs nothing twice."""
    now = now or timezone.now()
    free = Q(status=QUEUED) | Q(status=job.running, lease_until__lte=now)
    # Rows claimed before leases existed have no lease_until: their started_at says.
    free |= Q(status=job.running, lease_until=None, started_at__lte=now - job.lease)
    taken = job.model.objects.filter(free, pk=pk, attempts__lt=settings.JOB_MAX_ATTEMPTS).update(
        status=job.running,
        progress=10,
        started_at=now,
        lease_until=now + job.lease,
        attempts=F("attempts") + 1,
    )
    row = job.model.objects.filter(pk=pk).first()
    if taken:
        return row
    if row is None or row.status in (DONE, FAILED):
        return None
    if row.status == job.running and row.lease_until and row.lease_until > now:
        raise LeaseHeld((row.lease_until - now).total_seconds())
    if row.attempts >= settings.JOB_MAX_ATTEMPTS:
        with _for_reader(job, row):
            fail(job, pk, stopped_message(job, row.attempts), now=now)
    return None


def heartbeat(job: Job, row: Any, progress: int, *, now: datetime.datetime | None = None) -> bool:
    """Report progress and renew the lease; False if the row is no longer this worker's."""
    now = now or timezone.now()
    return bool(_mine(job, row).update(progress=progress, lease_until=now + job.lease))


def requeue(job: Job, row: Any, error: str = "") -> bool:
    """Hand the row back to the queue (a failure worth retrying), keeping its attempts."""
    return bool(
        _mine(job, row).update(
            status=QUEUED, progress=0, started_at=None, lease_until=None, error=_error(job, error)
        )
    )


def finish(job: Job, row: Any, *, now: datetime.datetime | None = None, **fields: Any) -> bool:
    """Store the outcome (status and results in `fields`) if the row is still this
    worker's; True if stored. When storing it fails (a value the database refuses, the
    database away), the row is failed with the job's message instead, so it never stays
    running, and False is returned: whatever the worker wrote for it is not kept."""
    now = now or timezone.now()
    fields.setdefault("finished_at", now)
    if "error" in fields:
        fields["error"] = _error(job, fields["error"])
    try:
        with transaction.atomic():  # a savepoint: a refused UPDATE leaves the rest usable
            return bool(_mine(job, row).update(lease_until=None, **fields))
    except Exception:
        logger.exception("Storing the outcome of %s %s failed", job.model.__name__, row.pk)
    _mine(job, row).update(
        status=FAILED, progress=0, error=_error(job, job.broken), lease_until=None, finished_at=now
    )
    return False


def fail(job: Job, pk: Any, error: str, *, now: datetime.datetime | None = None) -> bool:
    """Give up on a queued or running row, saying why on its page."""
    now = now or timezone.now()
    failed = job.model.objects.filter(pk=pk, status__in=[QUEUED, job.running]).update(
        status=FAILED,
        progress=0,
        error=_error(job, error),
        lease_until=None,
        finished_at=now,
    )
    if failed and job.on_failed is not None:
        job.on_failed(pk)
    return bool(failed)


def stopped_message(job: Job, attempts: int) -> str:
    return str(job.stopped) % {"n": attempts}


def expired(job: Job, *, now: datetime.datetime | None = None) -> models.QuerySet:
    """Rows whose worker is presumed dead (lease run out) or whose task was lost (queued
    past the patience, never claimed or handed back)."""
    now = now or timezone.now()
    waited = now - job.patience
    return job.model.objects.filter(
        Q(status=job.running, lease_until__lt=now)
        | Q(status=job.running, lease_until=None, started_at__lt=now - job.lease)
        | Q(status=QUEUED, started_at=None, **{f"{job.queued_at}__lt": waited})
        | Q(status=QUEUED, started_at__lt=waited)
    )


def sweep(
    job: Job,
    *,
    send: Callable[[str], Any],
    input_exists: Callable[[Any], bool] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Send again each expired row whose input still exists and that has attempts left;
    fail the others with the job's message. Returns how many were sent."""
    sent = 0
    for row in expired(job, now=now):
        used_up = row.attempts >= settings.JOB_MAX_ATTEMPTS
        if used_up or (input_exists is not None and not input_exists(row)):
            with _for_reader(job, row):
                fail(job, row.pk, stopped_message(job, row.attempts), now=now)
        else:
            send(str(row.pk))
            sent += 1
    return sent


def _for_reader(job: Job, row: Any) -> contextlib.AbstractContextManager:
    return translation.override(job.reader(row)) if job.reader else contextlib.nullcontext()


def _mine(job: Job, row: Any) -> models.QuerySet:
    return job.model.objects.filter(pk=row.pk, status=job.running, attempts=row.attempts)


def _error(job: Job, message: Any) -> str:
    # Cut to the column: PostgreSQL refuses a longer value, and the row would stay running.
    return str(message)[: job.model._meta.get_field("error").max_length]
