"""Listening exports of any size: a job (ListeningImport) the worker runs under the shared
lease (cxmaturity.leases), checking and adding up the file streaming from disk
(insights.listening), then storing its months in one short transaction, all or none. The
small form and API upload stores the same way, at once (services.listening_upload)."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxmaturity import leases
from cxmaturity.inputs import one_line
from workspaces.models import Client

from ..models import ListeningImport, ListeningMonth
from ..tasks import listening_import_task
from . import _job_language, _uploader_language
from .bulk import insert_rows
from .kpi_feed import listening_measurements_record

if TYPE_CHECKING:
    import polars as pl

logger = logging.getLogger(__name__)


def _upload_discard(import_id: Any) -> None:
    from .uploads import upload_discard

    job = ListeningImport.objects.filter(id=import_id).select_related("source_upload").first()
    if job is not None and job.source_upload_id:
        upload_discard(job.source_upload)


LISTENING_JOB = leases.Job(
    model=ListeningImport,
    running=ListeningImport.Status.RUNNING,
    queued_at="created_at",
    lease_setting="ANALYSIS_LEASE",
    patience_setting="ANALYSIS_QUEUED_PATIENCE",
    stopped=gettext_lazy("The import stopped before it finished. Upload the file again."),
    broken=gettext_lazy(
        "The import could not be completed. Upload the file again; if it fails again, "
        "tell us the file name."
    ),
    on_failed=_upload_discard,
    reader=_uploader_language,
)


def listening_import_create(
    *, client: Client, fields: dict, file_name: str, created_by: Any = None, **source: Any
) -> ListeningImport:
    """Queue the import of a file already stored (`source_upload` or `source_path`); the
    worker checks it. Call inside the transaction that hands the file over."""
    from . import _active, _mapping

    _active(client)
    mapping = fields.get("mapping", "") or ""
    _mapping(mapping)  # a mistyped mapping is said now, not after the queue
    client_brand = one_line(fields.get("client_brand", "") or "")[:120]
    if not client_brand:
        raise ValidationError({"client_brand": _("Name the client's brand as the file does.")})
    job = ListeningImport.objects.create(
        client=client,
        file_name=one_line(file_name)[:200] or "listening.csv",
        client_brand=client_brand,
        mapping=mapping,
        created_by=created_by,
        **source,
    )
    listening_import_task.delay_on_commit(str(job.id))
    return job


def listening_import_run(*, import_id: Any) -> ListeningImport | None:
    """The background step: the file from the store to a local copy, checked and added up
    streaming, its months stored in one transaction together with the job's outcome, so a
    worker that dies midway leaves nothing stored and the job is run again whole. Safe to
    repeat: a finished job is left alone. Problems are stored in the language of the person
    who uploaded the file."""
    with translation.override(_job_language(ListeningImport, import_id)):
        return _import_run(import_id)


def _import_run(import_id: Any) -> ListeningImport | None:
    from ..listening import ListeningError

    job = leases.claim(LISTENING_JOB, import_id)
    if job is None:
        return None
    try:
        with _input(job) as path:
            rows, table = _check_and_add_up(job, path)
        finished = _store_and_finish(job, rows, table)
    except ListeningError as exc:
        finished = leases.finish(
            LISTENING_JOB, job, status=ListeningImport.Status.FAILED, problems=exc.problems
        )
    except ValidationError as exc:  # the brand named, or too many brands
        finished = leases.finish(
            LISTENING_JOB, job, status=ListeningImport.Status.FAILED, problems=exc.messages
        )
    except Exception:  # never a trace on the page: the log has it
        logger.exception("Listening import %s failed", job.id)
        finished = leases.finish(
            LISTENING_JOB,
            job,
            status=ListeningImport.Status.FAILED,
            error=str(LISTENING_JOB.broken),
        )
    if not ListeningImport.objects.filter(id=job.id, status=LISTENING_JOB.running).exists():
        _upload_discard(job.id)  # unless a worker that took over is still reading it
    if not finished:
        return None
    job.refresh_from_db()
    return job


def _input(job: ListeningImport):
    from .uploads import _assembled, chunk_names

    if job.source_path:
        return _assembled([job.source_path])
    return _assembled(chunk_names(job.source_upload) if job.source_upload_id else [])


def _check_and_add_up(job: ListeningImport, path: str) -> tuple[int, pl.DataFrame]:
    from .. import listening
    from . import _mapping

    mapping = _mapping(job.mapping)
    with tempfile.TemporaryDirectory() as work:
        clean = os.path.join(work, "clean.parquet")
        leases.heartbeat(LISTENING_JOB, job, 20)
        rows = listening.check_file(path, clean, mapping)
        leases.heartbeat(LISTENING_JOB, job, 60)
        table = listening.aggregate(clean)
        leases.heartbeat(LISTENING_JOB, job, 80)
    return rows, table


def _store_and_finish(job: ListeningImport, rows: int, table: pl.DataFrame) -> bool:
    """The months and the job's outcome in one transaction: both, or (the job taken over
    meanwhile, or deleted) neither."""

    def finish(stored: dict) -> bool:
        return leases.finish(
            LISTENING_JOB,
            job,
            status=ListeningImport.Status.DONE,
            progress=100,
            problems=[],
            error="",
            rows=rows,
            months=stored["months"],
            brands=stored["brands"],
        )

    stored = listening_store(
        client=job.client, rows=table, client_brand=job.client_brand, then=finish
    )
    return stored["kept"]


def listening_store(
    *,
    client: Client,
    rows: pl.DataFrame,
    client_brand: str,
    then: Callable[[dict], bool] | None = None,
) -> dict:
    """Store checked, added-up rows (insights.listening.STORED) for each brand and month,
    replacing what was stored for the same brand and month; the brand named as the
    client's is marked so. Returns how many rows, months and brands were stored, and
    whether it was kept: `then` runs last in the same transaction with those counts (the
    import's outcome), and if it answers False nothing is kept.

    One transaction, so all or nothing, and a short one: it holds SQLite's single write
    lock, which every workspace shares. Only set-based statements run in it, on rows
    prepared beforehand: a DELETE for every 900 replaced brands and months, one INSERT run for
    all rows, which are at most months x brands x sources x 2 whatever the file's size."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    chosen = _client_brand(rows, client_brand)
    new = _listening_months(rows, client, chosen)
    pairs = {(brand.lower(), month) for brand, month in rows.select("brand", "month").iter_rows()}
    months = sorted({month for _brand, month in pairs})
    insert, values = insert_rows(ListeningMonth, new)
    # A brand and month is keyed as stored ("Acme|2026-09-01"), so that one DELETE takes
    # exactly the pairs replaced: brands and months apart would take their every mix.
    key = Concat("brand", Value("|"), Cast("month", CharField()), output_field=CharField())
    with transaction.atomic():
        stored = (
            ListeningMonth.objects.filter(client=client, month__in=months)
            .order_by()
            .values_list("brand", "month")
            .distinct()
        )
        # Matched in Python: "one brand whatever the case" must hold beyond ASCII, which
        # SQLite's lower() and LIKE do not fold.
        replaced = [f"{b}|{m.isoformat()}" for b, m in stored if (b.lower(), m) in pairs]
        # In batches: a database binds at most some thousands of parameters a statement.
        for start in range(0, len(replaced), 900):
            ListeningMonth.objects.alias(key=key).filter(
                client=client, month__in=months, key__in=replaced[start : start + 900]
            ).delete()
        ListeningMonth.objects.filter(client=client, is_client=True).exclude(brand=chosen).update(
            is_client=False
        )
        with connection.cursor() as cursor:
            cursor.executemany(insert, values)
        ListeningMonth.objects.filter(client=client, brand=chosen, is_client=False).update(
            is_client=True
        )
        listening_measurements_record(client, months[-1])
        stored = {"stored": len(new), "months": len(months), "brands": len({b for b, _m in pairs})}
        kept = then is None or then(stored)
        if not kept:
            transaction.set_rollback(True)
    return {**stored, "kept": kept}


def _client_brand(rows: pl.DataFrame, client_brand: str) -> str:
    """The file's spelling of the brand named as the client's; refuses too many brands."""
    brands = {b.lower(): b for b in rows["brand"].unique().to_list()}
    if len(brands) > settings.LISTENING_MAX_BRANDS:
        raise ValidationError(
            {
                "file": _("At most %(n)d brands an upload; this file names %(count)d.")
                % {"n": settings.LISTENING_MAX_BRANDS, "count": len(brands)}
            },
            code="too_many_brands",
        )
    chosen = brands.get(one_line(client_brand).lower())
    if chosen is None:
        raise ValidationError(
            {
                "client_brand": _("No brand of that name in the file; it has: %(brands)s.")
                % {"brands": ", ".join(sorted(brands.values()))[:400]}
            }
        )
    return chosen


def _listening_months(rows: pl.DataFrame, client: Client, chosen: str) -> list:
    return [
        ListeningMonth(
            client=client,
            brand=row["brand"][:120],
            is_client=row["brand"] == chosen,
            month=row["month"],
            source=row["source"][:80],
            mentions=row["mentions"],
            positive=row["positive"],
            negative=row["negative"],
            shares=row["shares"],
            reviews=row["reviews"],
            rating=None if row["rating"] is None else Decimal(str(round(row["rating"], 2))),
            rating_points=row["rating_points"],
        )
        for row in rows.iter_rows(named=True)
    ]


def listening_imports_requeue_stuck() -> int:
    """Send again imports whose worker died or whose task was lost, while their file is
    still there; the others fail with a message (cxmaturity.leases.sweep)."""
    return leases.sweep(LISTENING_JOB, send=listening_import_task.delay, input_exists=_exists)


def _exists(job: ListeningImport) -> bool:
    from django.core.files.storage import default_storage

    from .uploads import chunk_names

    if job.source_path:
        return default_storage.exists(job.source_path)
    if not job.source_upload_id:
        return False
    names = chunk_names(job.source_upload)
    return all(default_storage.exists(name) for name in names[:1] + names[-1:])
