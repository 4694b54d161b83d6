"""Transactions files of any size, checked and analysed from disk by polars' lazy engine in
bounded memory: the rules and messages of rfm.read_transactions (which reads a small
file whole) and the analysis of rfm.analyse, without ever holding the CSV's text.

One pass over the CSV writes a typed Parquet copy with a flag per check; the problems and
the analysis are then read from that copy, column by column."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable

import polars as pl
from django.utils.translation import gettext as _

from . import rfm

SMALL = 1024 * 1024
# Customers are grouped a slice at a time, each slice about this many rows (split by a
# hash of the customer id, so each customer is whole in one slice): the grouping's memory
# stays bounded whatever the file's size.
PART_ROWS = 5_000_000


def _empty(source: str) -> bool:
    if os.path.getsize(source) > SMALL:
        return False
    with open(source, "rb") as handle:
        return not handle.read().strip()


def check_file(source: str, clean: str) -> int:
    """Check the CSV at `source` (all rows or none, rfm's messages) and write its
    transactions to Parquet at `clean`; returns the number of rows. Raises
    rfm.TransactionsError naming the first rfm.MAX_PROBLEMS bad cells by row and column."""
    if _empty(source):
        raise rfm.TransactionsError([_("The file is empty.")])
    try:
        header = pl.read_csv(source, n_rows=0, infer_schema=False, encoding="utf8-lossy").columns
        columns = rfm.header_columns(header)
        lazy = pl.scan_csv(
            source, infer_schema=False, has_header=True, encoding="utf8-lossy", new_columns=columns
        )
        # One bit a check, in one small column: the copy stays three columns wide.
        problems = pl.sum_horizontal(
            condition.fill_null(False).cast(pl.UInt8) * (1 << bit)
            for bit, (_column, condition, _message) in enumerate(rfm.cell_checks())
        ).cast(pl.UInt8)
        rfm.parsed(lazy).select(
            "customer_id",
            pl.col("parsed_date").alias("date"),
            pl.col("parsed_amount").alias("amount"),
            problems.alias("problems"),
        ).sink_parquet(clean, compression="lz4")
    except (pl.exceptions.PolarsError, ValueError) as exc:
        if isinstance(exc, rfm.TransactionsError):
            raise
        raise rfm.TransactionsError([rfm.unreadable(str(exc)[:120])]) from exc
    stored = pl.scan_parquet(clean)
    rows = stored.select(pl.len()).collect().item()
    if rows == 0:
        raise rfm.TransactionsError([_("The file has a header but no transactions.")])
    # Every row with a problem has at least one message, so the first MAX_PROBLEMS
    # messages in (row, check) order lie within the first MAX_PROBLEMS bad rows.
    bad = (
        stored.select("problems")
        .with_row_index("row", offset=2)  # the header is row 1
        .filter(pl.col("problems") > 0)
        .sort("row")
        .head(rfm.MAX_PROBLEMS)
        .collect(engine="streaming")
    )
    problems = [
        rfm.cell_problem(row, column, message)
        for row, bits in bad.iter_rows()
        for bit, (column, _condition, message) in enumerate(rfm.cell_checks())
        if bits & (1 << bit)
    ]
    if problems:
        raise rfm.TransactionsError(problems[: rfm.MAX_PROBLEMS])
    return rows


def analyse_file(
    clean: str,
    *,
    as_of: datetime.date,
    k: float,
    progress: Callable[[int], None] | None = None,
    part_rows: int = PART_ROWS,
) -> tuple[pl.DataFrame, int, int]:
    """The per-customer table of rfm.analyse, the rows up to `as_of` and the window in
    days, from the Parquet copy check_file wrote. Only the per-customer table (one row a
    customer) is ever whole in memory."""
    transactions = (
        pl.scan_parquet(clean)
        .select("customer_id", "date", "amount")
        .filter(pl.col("date") <= as_of)
    )
    first, rows = (
        transactions.select(pl.col("date").min(), pl.len()).collect(engine="streaming").row(0)
    )
    if first is None:
        raise rfm.TransactionsError(
            [_("Every transaction is after the analysis date: choose a later date.")]
        )
    window = (as_of - first).days + 1
    if progress:
        progress(60)
    parts = max(1, -(-rows // part_rows))
    slices = []
    for part in range(parts):
        chosen = transactions.filter(pl.col("customer_id").hash() % parts == part)
        slices.append(rfm.customers(chosen, as_of).collect(engine="streaming"))
        if progress:
            progress(60 + 25 * (part + 1) // parts)
    per_customer = pl.concat(slices).sort("customer_id")
    table = rfm.latency(rfm.scores(per_customer), k=k, window_days=window)
    return table, rows, window
