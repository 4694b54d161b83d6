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

from . import rfm

FLAGS = [f"problem_{n}" for n in range(len(rfm.cell_checks()))]
SMALL = 1024 * 1024


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
        raise rfm.TransactionsError(["The file is empty."])
    try:
        header = pl.read_csv(source, n_rows=0, infer_schema=False, encoding="utf8-lossy").columns
        columns = rfm.header_columns(header)
        lazy = pl.scan_csv(
            source,
            infer_schema=False,
            has_header=True,
            encoding="utf8-lossy",
            new_columns=columns,
            row_index_name="row",
            row_index_offset=2,
        )
        flags = [
            condition.fill_null(False).alias(flag)
            for flag, (_column, condition, _message) in zip(FLAGS, rfm.cell_checks(), strict=True)
        ]
        rfm.parsed(lazy).select(
            "row",
            "customer_id",
            pl.col("parsed_date").alias("date"),
            pl.col("parsed_amount").alias("amount"),
            *flags,
        ).sink_parquet(clean)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        if isinstance(exc, rfm.TransactionsError):
            raise
        raise rfm.TransactionsError(
            [f"This is not a CSV file we can read ({str(exc)[:120]})."]
        ) from exc
    stored = pl.scan_parquet(clean)
    rows = stored.select(pl.len()).collect().item()
    if rows == 0:
        raise rfm.TransactionsError(["The file has a header but no transactions."])
    # Every row with a problem has at least one message, so the first MAX_PROBLEMS
    # messages in (row, check) order lie within the first MAX_PROBLEMS bad rows.
    bad = (
        stored.select("row", *FLAGS)
        .filter(pl.any_horizontal(FLAGS))
        .sort("row")
        .head(rfm.MAX_PROBLEMS)
        .collect(engine="streaming")
    )
    problems = [
        f"Row {row['row']}, {column}: {message}."
        for row in bad.iter_rows(named=True)
        for flag, (column, _condition, message) in zip(FLAGS, rfm.cell_checks(), strict=True)
        if row[flag]
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
            ["Every transaction is after the analysis date: choose a later date."]
        )
    window = (as_of - first).days + 1
    if progress:
        progress(60)
    per_customer = rfm.customers(transactions, as_of).collect(engine="streaming")
    if progress:
        progress(85)
    table = rfm.latency(rfm.scores(per_customer), k=k, window_days=window)
    return table, rows, window
