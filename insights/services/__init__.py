"""Writes for customer insight: segment analyses (upload → background analysis → stored
per-customer table) and social listening uploads. Each raises ValidationError keyed by
field, with nothing saved."""

from __future__ import annotations

import datetime
import io
import logging
import os
import tempfile
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxmaturity import leases
from cxmaturity.formats import currency_for
from cxmaturity.inputs import one_line
from workspaces.models import Client
from workspaces.selectors import reader_language

from ..models import ListeningImport, SegmentAnalysis, table_to, upload_to
from ..tasks import analysis_run_task
from .kpi_feed import analysis_measurements_record, segment_metrics

if TYPE_CHECKING:
    import polars as pl

logger = logging.getLogger(__name__)

AT_RISK_KEPT = 50


def _active(client: Client) -> None:
    if client.archived:
        raise ValidationError(_("Restore the client before adding data to it."), code="archived")


def _decimal(value: Any, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(
            {field: _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}}
        )
    return number


def _inputs(fields: dict) -> dict:
    # Rounded as stored, so the summary is computed with exactly the saved values.
    return {
        "k": _decimal(fields.get("k", 2), "k", Decimal(1), Decimal(10)).quantize(Decimal("0.01")),
        "lifetime_years": _decimal(
            fields.get("lifetime_years", 3), "lifetime_years", Decimal("0.1"), Decimal(50)
        ).quantize(Decimal("0.01")),
        "margin": _decimal(fields.get("margin", 1), "margin", Decimal(0), Decimal(1)).quantize(
            Decimal("0.001")
        ),
        "cost": _decimal(fields.get("cost", 0), "cost", Decimal(0), Decimal(10**9)).quantize(
            Decimal("0.01")
        ),
    }


def analysis_request(
    *,
    client: Client,
    data: bytes,
    name: str,
    as_of: datetime.date,
    fields: dict | None = None,
    created_by: Any = None,
    enqueue: bool = True,
) -> SegmentAnalysis:
    """Check the whole file now (all rows or none, problems named by row and column), keep
    it only until the background analysis has read it, and queue that analysis."""
    # polars (and the rfm module built on it) load on first use, not with the URLconf:
    # every web process would otherwise carry ~50 MB it rarely needs.
    import polars as pl

    from .. import rfm

    _active(client)
    # Bigger requests never get here (RequestSizeLimitMiddleware); this guards scripts.
    if len(data) > settings.MAX_REQUEST_BYTES:
        raise ValidationError({"file": _("The file is too large: split it and upload the parts.")})
    name = one_line(name)[:120] or _("Transactions to %(date)s") % {"date": as_of.isoformat()}
    inputs = _inputs(fields or {})
    try:
        transactions = rfm.read_transactions(data)
    except rfm.TransactionsError as exc:
        raise ValidationError({"file": exc.problems}) from exc
    if transactions.select(pl.col("date").min()).item() > as_of:
        raise ValidationError(
            {"as_of": _("Every transaction is after the analysis date: choose a later date.")}
        )
    with transaction.atomic():
        analysis = SegmentAnalysis.objects.create(
            client=client,
            name=name,
            as_of=as_of,
            created_by=created_by,
            # In the client's money until someone says otherwise (the lifetime inputs).
            currency=currency_for(client),
            **inputs,
        )
        try:
            analysis.upload.save("upload.csv", ContentFile(data), save=True)
        except OSError as exc:  # a full disk: no row, and no partial file left behind
            logger.exception("Storing the upload of analysis %s failed", analysis.id)
            _delete_quietly(upload_to(analysis, ""))
            raise ValidationError(
                {"file": _("The file could not be stored. Try again in a few minutes.")}
            ) from exc
        if enqueue:
            analysis_run_task.delay_on_commit(str(analysis.id))
    return analysis


def _delete_quietly(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:
        logger.exception("Could not delete %s", name)


def _upload_discard(analysis_id: Any) -> None:
    """The raw upload goes on every terminal path: the customer file is never kept."""
    analysis = SegmentAnalysis.objects.filter(id=analysis_id).first()
    if analysis is not None:
        _inputs_discard(analysis)


def _uploader_language(job: SegmentAnalysis | ListeningImport) -> str:
    """A background job's stored problems are read later by its uploader: in their
    language (see workspaces.selectors.reader_language), not the worker's."""
    return reader_language(user=job.created_by, client=job.client)


def _job_language(model: type, pk: Any) -> str:
    job = model.objects.select_related("created_by", "client").filter(pk=pk).first()
    return _uploader_language(job) if job else settings.LANGUAGE_CODE


ANALYSIS_JOB = leases.Job(
    model=SegmentAnalysis,
    running=SegmentAnalysis.Status.PROCESSING,
    queued_at="created_at",
    lease_setting="ANALYSIS_LEASE",
    patience_setting="ANALYSIS_QUEUED_PATIENCE",
    stopped=gettext_lazy("The analysis stopped before it finished. Upload the file again."),
    broken=gettext_lazy(
        "The analysis could not be completed. Upload the file again; if it fails again, "
        "tell us the analysis name."
    ),
    on_failed=_upload_discard,
    reader=_uploader_language,
)


def _progress(analysis: SegmentAnalysis, percent: int) -> None:
    leases.heartbeat(ANALYSIS_JOB, analysis, percent)


def summarise(table: pl.DataFrame, analysis: SegmentAnalysis) -> dict:
    """What the pages, API and playbook show, from the stored per-customer table."""
    import polars as pl

    from .. import rfm

    flagged = table.with_columns(
        (pl.col("recency_days") > float(analysis.k) * pl.col("usual_gap_days")).alias("at_risk")
    )
    inputs = rfm.LifetimeInputs(
        lifetime_years=float(analysis.lifetime_years),
        margin=float(analysis.margin),
        cost=float(analysis.cost),
    )
    segments = rfm.lifetime_value(flagged, window_days=analysis.window_days, inputs=inputs)
    at_risk = rfm.defection_risk(flagged)
    return {
        "metrics": segment_metrics(flagged, segments),
        "customers": flagged.height,
        "revenue": round(flagged["monetary"].sum(), 2),
        "grid": rfm.grid(flagged).to_dicts(),
        "segments": [
            {**row, "label": rfm.SEGMENT_LABELS[row["segment"]]} for row in segments.to_dicts()
        ],
        "at_risk_count": at_risk.height,
        "at_risk_value": round(at_risk["value_at_stake"].sum(), 2),
        "at_risk": [
            {
                "customer_id": row["customer_id"],
                "segment": rfm.SEGMENT_LABELS[row["segment"]],
                "cell": row["cell"],
                "recency_days": row["recency_days"],
                "usual_gap_days": row["usual_gap_days"],
                "gap_from_population": row["gap_from_population"],
                "value_at_stake": round(row["value_at_stake"], 2),
            }
            for row in at_risk.head(AT_RISK_KEPT).to_dicts()
        ],
    }


def analysis_run(*, analysis_id: Any) -> SegmentAnalysis | None:
    """The background step: read the kept upload from the store, check and analyse it
    streaming (insights.streaming), store the per-customer table (pseudonymous ids only)
    and the summary, then delete the raw upload. Safe to repeat: a finished analysis is
    left alone; one deleted meanwhile stays deleted. Problems are stored in the language
    of the person who uploaded the file."""
    with translation.override(_job_language(SegmentAnalysis, analysis_id)):
        return _analysis_run(analysis_id)


def _analysis_run(analysis_id: Any) -> SegmentAnalysis | None:
    from .. import rfm

    analysis = leases.claim(ANALYSIS_JOB, analysis_id)
    if analysis is None:
        return None
    outcome: dict = {"upload": ""}
    stored = ""
    try:
        table, rows, stored = _analyse_and_store(analysis)
        outcome.update(
            status=SegmentAnalysis.Status.DONE,
            progress=100,
            error="",
            rows=rows,
            customers=table.height,
            window_days=analysis.window_days,
            table=stored,
            summary=summarise(table, analysis),
        )
    except rfm.TransactionsError as exc:
        outcome.update(status=SegmentAnalysis.Status.FAILED, error=str(exc)[:2000])
    except Exception:  # never a server path or a trace on the page: the log has those
        logger.exception("Segment analysis %s failed", analysis.id)
        outcome.update(status=SegmentAnalysis.Status.FAILED, error=str(ANALYSIS_JOB.broken))
        # The table, or what a failed save left of it: nothing names it now.
        _delete_quietly(stored or table_to(analysis, ""))
        stored = ""
    finished = _finish(analysis, outcome)
    taken_over = SegmentAnalysis.objects.filter(
        id=analysis.id, status=SegmentAnalysis.Status.PROCESSING
    ).exists()
    if not taken_over:
        _inputs_discard(analysis)
    if not finished:
        if stored:
            _delete_quietly(stored)  # deleted meanwhile, or its outcome refused: keep nothing
        return None
    analysis.refresh_from_db()
    return analysis


def _finish(analysis: SegmentAnalysis, outcome: dict) -> bool:
    """The outcome and the linked KPIs' measurements in one transaction: both or neither."""
    try:
        with transaction.atomic():
            finished = leases.finish(ANALYSIS_JOB, analysis, **outcome)
            if finished and outcome["status"] == SegmentAnalysis.Status.DONE:
                # A fresh copy: the caller's still names the upload it must delete.
                analysis_measurements_record(SegmentAnalysis.objects.get(id=analysis.id))
            return finished
    except Exception:
        logger.exception("Recording the KPI measurements of analysis %s failed", analysis.id)
    leases.finish(
        ANALYSIS_JOB,
        analysis,
        status=SegmentAnalysis.Status.FAILED,
        progress=0,
        error=str(ANALYSIS_JOB.broken),
    )
    return False


def _analyse_and_store(analysis: SegmentAnalysis) -> tuple[pl.DataFrame, int, str]:
    """The file from the store to a local temporary copy, checked and analysed streaming;
    the per-customer table saved to the store. Returns it, the rows and its store name."""
    from .. import streaming
    from .uploads import analysis_input

    with analysis_input(analysis) as path, tempfile.TemporaryDirectory() as work:
        _progress(analysis, 10)
        clean = os.path.join(work, "clean.parquet")
        streaming.check_file(path, clean)
        _progress(analysis, 40)
        table, rows, analysis.window_days = streaming.analyse_file(
            clean,
            as_of=analysis.as_of,
            k=float(analysis.k),
            progress=lambda percent: _progress(analysis, percent),
        )
        name = table_to(analysis, "")
        _delete_quietly(name)  # left by an attempt that died: this one's file takes its name
        written = os.path.join(work, "table.parquet")
        table.write_parquet(written)
        with open(written, "rb") as handle:
            return table, rows, default_storage.save(name, File(handle, name=name))


def _inputs_discard(analysis: SegmentAnalysis) -> None:
    """Done, failed or deleted: the raw file is never kept (a workspace's own file in the
    store stays: it is theirs). A worker that took over after this one's lease ran out
    would still be reading it, so the caller checks that first."""
    from .uploads import upload_discard

    if analysis.upload.name:
        SegmentAnalysis.objects.filter(id=analysis.id).update(upload="")
        _delete_quietly(analysis.upload.name)
    if analysis.source_upload_id:
        upload_discard(analysis.source_upload)


def analysis_table(analysis: SegmentAnalysis) -> pl.DataFrame:
    import polars as pl

    with analysis.table.open("rb") as handle:
        return pl.read_parquet(io.BytesIO(handle.read()))


def analysis_update(*, analysis: SegmentAnalysis, fields: dict) -> SegmentAnalysis:
    """Change k or the lifetime inputs; the summary is recomputed from the stored table."""
    if analysis.status != SegmentAnalysis.Status.DONE:
        raise ValidationError({"k": _("Wait until the analysis is done.")})
    for name, value in _inputs({**_current(analysis), **fields}).items():
        setattr(analysis, name, value)
    currency = str(fields.get("currency") or analysis.currency).strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ValidationError({"currency": _("Enter a three-letter currency code, e.g. EUR.")})
    analysis.currency = currency
    analysis.summary = summarise(analysis_table(analysis), analysis)
    with transaction.atomic():
        analysis.save()
        analysis_measurements_record(analysis)
    return analysis


def _current(analysis: SegmentAnalysis) -> dict:
    return {
        "k": analysis.k,
        "lifetime_years": analysis.lifetime_years,
        "margin": analysis.margin,
        "cost": analysis.cost,
    }


def analysis_delete(*, analysis: SegmentAnalysis) -> None:
    analysis.delete()  # its files go with the row (post_delete signal)


# --- Social listening -------------------------------------------------------------------


def _mapping(text: str) -> dict[str, str]:
    """Lines `ours=theirs`, e.g. `mentions=Volume`, for another tool's export."""
    from ..listening import COLUMNS

    mapping = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        ours, sep, theirs = line.partition("=")
        ours = ours.strip().lower()
        if not sep or ours not in COLUMNS or not theirs.strip():
            raise ValidationError(
                {
                    "mapping": _(
                        "Line %(n)d: write our column = the export's column, e.g. "
                        "mentions = Volume (ours are: %(ours)s)."
                    )
                    % {"n": number, "ours": ", ".join(COLUMNS)}
                }
            )
        mapping[ours] = theirs.strip()
    return mapping


def listening_upload(
    *,
    client: Client,
    data: bytes | IO[bytes],
    client_brand: str,
    mapping: str = "",
    created_by: Any = None,
) -> int:
    """listening_store_now, returning the rows read."""
    return listening_store_now(
        client=client,
        data=data,
        client_brand=client_brand,
        mapping=mapping,
        created_by=created_by,
    ).rows


def listening_store_now(
    *,
    client: Client,
    data: bytes | IO[bytes],
    client_brand: str,
    mapping: str = "",
    created_by: Any = None,
) -> ListeningImport:
    """Store a small export (a form or API upload) at once: checked and added up by the
    worker's code (insights.listening), stored as an import's months are
    (services.listening.listening_store) and recorded as a done import, so the page and
    the API list every import alike. All rows or none; returns the done import."""
    from django.utils import timezone

    from ..listening import ListeningError, read_counted
    from .listening import listening_store

    _active(client)
    try:
        rows, read = read_counted(data, _mapping(mapping))
    except ListeningError as exc:
        raise ValidationError({"file": exc.problems}) from exc
    done = []

    def record(stored: dict) -> bool:
        done.append(
            ListeningImport.objects.create(
                client=client,
                # An uploaded file's own name; bytes have none.
                file_name=one_line(os.path.basename(getattr(data, "name", "") or ""))[:200]
                or "listening.csv",
                client_brand=one_line(client_brand)[:120],
                mapping=mapping or "",
                status=ListeningImport.Status.DONE,
                progress=100,
                rows=read,
                months=stored["months"],
                brands=stored["brands"],
                created_by=created_by,
                finished_at=timezone.now(),
            )
        )
        return True

    listening_store(client=client, rows=rows, client_brand=client_brand, then=record)
    return done[0]


def analyses_requeue_stuck(*, now: datetime.datetime | None = None) -> int:
    """Send again analyses whose worker died (lease run out) or whose task was lost (queued
    past its patience), while their upload is still there; after JOB_MAX_ATTEMPTS claims,
    or with the upload gone, the analysis fails with a message and the upload is deleted."""
    return leases.sweep(
        ANALYSIS_JOB,
        send=analysis_run_task.delay,
        input_exists=_input_exists,
        now=now,
    )


def _input_exists(analysis: SegmentAnalysis) -> bool:
    from .uploads import analysis_input_exists

    return analysis_input_exists(analysis)
