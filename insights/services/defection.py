"""Acting on the defection list: every customer's segment and latency flag are in the
analysis's stored Parquet table, read lazily by polars from a local copy of the store's
file (web and worker may be different machines), so a page of the at-risk list, its CSV
export and two analyses' comparison never hold the table as Python objects."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import SegmentAnalysis

if TYPE_CHECKING:
    import polars as pl

COPY_BYTES = 1024 * 1024
CSV_BATCH = 5000
COLUMNS = ("customer_id", "segment", "usual_gap_days", "recency_days", "value_at_stake")
NEW, GONE = "new_customer", "gone"


def _done(analysis: SegmentAnalysis) -> None:
    if analysis.status != SegmentAnalysis.Status.DONE or not analysis.table.name:
        raise ValidationError({"analysis": _("Wait until the analysis is done.")})


@contextmanager
def local_table(analysis: SegmentAnalysis) -> Iterator[str]:
    """The analysis's customer table copied from the store to a local temporary file."""
    _done(analysis)
    with tempfile.NamedTemporaryFile(suffix=".parquet") as target:
        with analysis.table.open("rb") as source:
            while piece := source.read(COPY_BYTES):
                target.write(piece)
        target.flush()
        yield target.name


def at_risk_frame(path: str, analysis: SegmentAnalysis) -> pl.LazyFrame:
    """The at-risk customers under the analysis's current k, most value at stake first."""
    import polars as pl

    return (
        pl.scan_parquet(path)
        .filter(pl.col("recency_days") > float(analysis.k) * pl.col("usual_gap_days"))
        .sort(["value_at_stake", "customer_id"], descending=[True, False])
        .select(*COLUMNS)
    )


class AtRiskRows:
    """The at-risk list as a sequence Django's paginator (and so DRF's) can page: its
    count, and each requested slice read from the Parquet file."""

    def __init__(self, analysis: SegmentAnalysis) -> None:
        self.analysis = analysis

    def count(self) -> int:
        return int((self.analysis.summary or {}).get("at_risk_count") or 0)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, chosen: slice) -> list[dict]:
        start = chosen.start or 0
        stop = self.count() if chosen.stop is None else chosen.stop
        with local_table(self.analysis) as path:
            page = at_risk_frame(path, self.analysis).slice(start, max(stop - start, 0))
            return [_row(row) for row in page.collect().iter_rows(named=True)]


def _row(row: dict) -> dict:
    from ..rfm import SEGMENT_LABELS

    return {
        "customer_id": row["customer_id"],
        "segment": SEGMENT_LABELS[row["segment"]],
        "usual_gap_days": round(row["usual_gap_days"], 1),
        "days_silent": row["recency_days"],
        "value_at_stake": round(row["value_at_stake"], 2),
    }


def at_risk_csv(analysis: SegmentAnalysis) -> Iterator[str]:
    """The whole at-risk list as CSV text, a batch of rows at a time."""
    _done(analysis)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["customer_id", "segment", "usual_gap_days", "days_silent", "value_at_stake"])
    yield flush()
    with local_table(analysis) as path:
        frame = at_risk_frame(path, analysis)
        start = 0
        while True:
            batch = frame.slice(start, CSV_BATCH).collect()
            if not batch.height:
                break
            for row in batch.iter_rows(named=True):
                shown = _row(row)
                # A cell starting with = + - @ is a formula to a spreadsheet: quoted away.
                shown["customer_id"] = _cell(shown["customer_id"])
                writer.writerow(shown.values())
            yield flush()
            start += CSV_BATCH


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def comparison(earlier: SegmentAnalysis, later: SegmentAnalysis) -> dict:
    """How many customers moved from each segment to each between two analyses of one
    client (NEW: not in the earlier, GONE: not in the later), and the at-risk change."""
    import polars as pl

    from ..rfm import OTHER_SEGMENT, SEGMENTS

    if earlier.client_id != later.client_id or earlier.id == later.id:
        raise ValidationError({"other": _("Compare two analyses of the same client.")})
    with local_table(earlier) as before, local_table(later) as after:
        moves = (
            pl.scan_parquet(before)
            .select("customer_id", pl.col("segment").alias("from"))
            .join(
                pl.scan_parquet(after).select("customer_id", pl.col("segment").alias("to")),
                on="customer_id",
                how="full",
                coalesce=True,
            )
            .select(pl.col("from").fill_null(NEW), pl.col("to").fill_null(GONE))
            .group_by("from", "to")
            .agg(pl.len().alias("customers"))
            .collect()
        )
    counts = {(row["from"], row["to"]): row["customers"] for row in moves.iter_rows(named=True)}
    keys = [key for key, _label, _rule in SEGMENTS] + [OTHER_SEGMENT[0]]
    labels = dict([(key, label) for key, label, _rule in SEGMENTS] + [OTHER_SEGMENT])
    return {
        "segments": [{"key": key, "label": labels[key]} for key in keys],
        "matrix": [
            {
                "from": source,
                "label": labels.get(source, _("New customers")),
                "to": {target: counts.get((source, target), 0) for target in [*keys, GONE]},
            }
            for source in [*keys, NEW]
        ],
        "at_risk_count": _change(earlier, later, "at_risk_count"),
        "at_risk_value": _change(earlier, later, "at_risk_value"),
    }


def _change(earlier: SegmentAnalysis, later: SegmentAnalysis, key: str) -> dict:
    before = (earlier.summary or {}).get(key) or 0
    after = (later.summary or {}).get(key) or 0
    return {"earlier": before, "later": after, "change": round(after - before, 2)}
