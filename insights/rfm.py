"""Behavioural segments in the style of Jim Novo's *Drilling Down* (domain.md §8), pure:
polars tables in, polars tables out, no loops over rows (Django only to name a file's
problems in the reader's language).

Definitions, as of an analysis date D (transactions after D are ignored):
- recency R = days from the customer's last purchase to D; frequency F = number of
  purchases; monetary M = total spend.
- Scores 1..5 by quintile: customers are ranked (best last: least recent days, most
  purchases, most spend) and score = floor(5 * (rank - 1) / n) + 1. **Tie rule**: equal
  values take the lowest rank of their group ("min" ranking), so ties always score equal,
  and a value shared by many customers sits in the quintile where its group starts.
- The RFM cell is written "R-F-M", e.g. "5-4-3".
- Named segments, from R and F (first rule that matches):
  champions R≥4 and F≥4 · loyal R≥3 and F≥4 · new R≥4 and F=1 · promising R≥4 and F≤3 ·
  at risk R≤2 and F≥3 · hibernating R≤2 and F≤2 · needs attention: the rest.
- Latency: a customer's usual gap is the median of the days between their consecutive
  purchase dates. Customers with one purchase date take the population's median usual gap
  (or the analysis window when nobody bought twice). The defection trigger fires when
  R > k * usual gap (k default 2). Value at stake = average order value * 365 / usual gap
  (what the customer spends in a year at their own rhythm).
- Lifetime value per segment = average order value * purchases per customer per year *
  expected lifetime in years * margin - cost to acquire and serve.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SEGMENTS = [
    # (key, label, rule on R and F)
    ("champions", "Champions", (pl.col("r_score") >= 4) & (pl.col("f_score") >= 4)),
    ("loyal", "Loyal", (pl.col("r_score") >= 3) & (pl.col("f_score") >= 4)),
    ("new", "New", (pl.col("r_score") >= 4) & (pl.col("f_score") == 1)),
    ("promising", "Promising", (pl.col("r_score") >= 4) & (pl.col("f_score") <= 3)),
    ("at_risk", "At risk", (pl.col("r_score") <= 2) & (pl.col("f_score") >= 3)),
    ("hibernating", "Hibernating", (pl.col("r_score") <= 2) & (pl.col("f_score") <= 2)),
]
OTHER_SEGMENT = ("needs_attention", "Needs attention")
SEGMENT_LABELS = dict([(key, label) for key, label, _rule in SEGMENTS] + [OTHER_SEGMENT])


def quintile(values: pl.Expr, *, higher_is_better: bool = True) -> pl.Expr:
    """Score 1..5 by quintile with the tie rule above."""
    ranked = (values if higher_is_better else -values).rank("min")
    return ((ranked - 1) * 5 // pl.len() + 1).cast(pl.Int8)


def customers(transactions: pl.DataFrame, as_of: datetime.date) -> pl.DataFrame:
    """One row per customer: recency_days, frequency, monetary, first and last purchase,
    usual_gap_days (before the population fallback) and orders on distinct dates."""
    tx = transactions.filter(pl.col("date") <= as_of)
    # One grouping pass, the gaps taken within each customer's own dates: no sort of the
    # whole table, which is what bounds memory and time on tens of millions of rows.
    gaps = pl.col("date").unique().sort().diff().dt.total_days().drop_nulls()
    return (
        tx.group_by("customer_id")
        .agg(
            pl.len().alias("frequency"),
            pl.col("amount").sum().alias("monetary"),
            pl.col("date").min().alias("first_purchase"),
            pl.col("date").max().alias("last_purchase"),
            gaps.median().alias("usual_gap_days"),
        )
        .with_columns(
            (pl.lit(as_of) - pl.col("last_purchase")).dt.total_days().alias("recency_days")
        )
        .sort("customer_id")
    )


def scores(table: pl.DataFrame) -> pl.DataFrame:
    """Adds r_score, f_score, m_score, the R-F-M cell and the named segment."""
    scored = table.with_columns(
        quintile(pl.col("recency_days"), higher_is_better=False).alias("r_score"),
        quintile(pl.col("frequency")).alias("f_score"),
        quintile(pl.col("monetary")).alias("m_score"),
    )
    segment = pl.when(SEGMENTS[0][2]).then(pl.lit(SEGMENTS[0][0]))
    for key, _label, rule in SEGMENTS[1:]:
        segment = segment.when(rule).then(pl.lit(key))
    return scored.with_columns(
        pl.concat_str(
            [pl.col("r_score"), pl.col("f_score"), pl.col("m_score")], separator="-"
        ).alias("cell"),
        segment.otherwise(pl.lit(OTHER_SEGMENT[0])).alias("segment"),
    )


def grid(scored: pl.DataFrame) -> pl.DataFrame:
    """The 5 * 5 recency * frequency grid: every (r_score, f_score) pair with its customer
    count and revenue, empty cells included (count 0)."""
    full = pl.DataFrame({"r_score": [r for r in range(1, 6) for _ in range(5)]}).with_columns(
        pl.Series("f_score", [f for _ in range(5) for f in range(1, 6)])
    )
    counted = scored.group_by("r_score", "f_score").agg(
        pl.len().alias("customers"), pl.col("monetary").sum().alias("revenue")
    )
    return (
        full.with_columns(pl.col("r_score").cast(pl.Int8), pl.col("f_score").cast(pl.Int8))
        .join(counted, on=["r_score", "f_score"], how="left")
        .with_columns(pl.col("customers").fill_null(0), pl.col("revenue").fill_null(0.0))
        .sort("r_score", "f_score")
    )


def latency(scored: pl.DataFrame, *, k: float = 2.0, window_days: int) -> pl.DataFrame:
    """Fills each customer's usual gap (population fallback) and flags defection risk:
    recency > k * usual gap. Adds average_order_value and value_at_stake."""
    fallback = scored.select(pl.col("usual_gap_days").median()).item()
    if fallback is None:
        fallback = float(max(window_days, 1))
    return (
        scored.with_columns(
            pl.col("usual_gap_days").is_null().alias("gap_from_population"),
            pl.col("usual_gap_days")
            .fill_null(fallback)
            .clip(lower_bound=1)
            .alias("usual_gap_days"),
        )
        .with_columns(
            (pl.col("monetary") / pl.col("frequency")).alias("average_order_value"),
            (pl.col("recency_days") > k * pl.col("usual_gap_days")).alias("at_risk"),
        )
        .with_columns(
            (pl.col("average_order_value") * 365 / pl.col("usual_gap_days")).alias("value_at_stake")
        )
    )


def defection_risk(table: pl.DataFrame) -> pl.DataFrame:
    """Customers past their trigger, most value at stake first."""
    return table.filter(pl.col("at_risk")).sort(
        ["value_at_stake", "customer_id"], descending=[True, False]
    )


@dataclass(frozen=True)
class LifetimeInputs:
    lifetime_years: float = 3.0
    margin: float = 1.0  # share of revenue kept, 0..1
    cost: float = 0.0  # per customer, to acquire and serve


def lifetime_value(
    table: pl.DataFrame, *, window_days: int, inputs: LifetimeInputs
) -> pl.DataFrame:
    """Per segment: customers, revenue, average order value, purchases per customer per
    year, and lifetime value = AOV * purchases per year * years * margin - cost."""
    years = max(window_days, 1) / 365
    per_segment = table.group_by("segment").agg(
        pl.len().alias("customers"),
        pl.col("monetary").sum().alias("revenue"),
        pl.col("frequency").sum().alias("orders"),
    )
    return (
        per_segment.with_columns(
            (pl.col("revenue") / pl.col("orders")).alias("average_order_value"),
            (pl.col("orders") / pl.col("customers") / years).alias("purchases_per_year"),
        )
        .with_columns(
            (
                pl.col("average_order_value")
                * pl.col("purchases_per_year")
                * inputs.lifetime_years
                * inputs.margin
                - inputs.cost
            ).alias("lifetime_value")
        )
        .sort("revenue", descending=True)
    )


def analyse(transactions: pl.DataFrame, *, as_of: datetime.date, k: float = 2.0) -> pl.DataFrame:
    """The per-customer table with scores, segment and latency, from validated transactions."""
    window = window_days(transactions, as_of)
    return latency(scores(customers(transactions, as_of)), k=k, window_days=window)


def window_days(transactions: pl.DataFrame, as_of: datetime.date) -> int:
    """Days from the first transaction to the analysis date, both included."""
    first = transactions.select(pl.col("date").min()).item()
    return (as_of - first).days + 1 if first else 1


class TransactionsError(ValueError):
    """The file cannot be used; `problems` name each row and column (at most 20)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


REQUIRED = ("customer_id", "date", "amount")
OPTIONAL = ("channel",)
# An address anywhere in the value ("Ann <ann@x.co>", "a@b.co;c@d.co"), not only alone.
EMAIL = r"[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,]+"
# Amounts and dates beyond these are export mistakes (and would overflow the sums).
MAX_AMOUNT = 1e9
FIRST_YEAR, LAST_YEAR = 1900, 2199
# FIRST_YEAR and LAST_YEAR written out: a translator sees the whole sentence.
DATE_RANGE = gettext_noop("is not between 1900 and 2199")
MAX_PROBLEMS = 100  # issue 16: the first 100 problems are named


def read_transactions(data: bytes) -> pl.DataFrame:
    """Parse and check a transactions CSV (`customer_id,date,amount` and optional
    `channel`; dates as YYYY-MM-DD). All rows or none: every problem is collected, named
    by row (the header is row 1) and column, and raised together. Email addresses are
    refused, as a column or as customer ids: only pseudonymous ids are kept."""
    # NUL bytes carry no meaning in a CSV, and PostgreSQL refuses them in text and JSON:
    # one in a customer id would leave the analysis unable to store its outcome.
    data = data.replace(b"\x00", b"")
    if not data.strip():
        raise TransactionsError([_("The file is empty.")])
    try:
        raw = pl.read_csv(data, infer_schema=False, has_header=True, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise TransactionsError([unreadable(str(exc)[:120])]) from exc
    columns = header_columns(raw.columns)
    raw.columns = columns
    if raw.height == 0:
        raise TransactionsError([_("The file has a header but no transactions.")])
    table = parsed(raw.with_row_index("row", offset=2))
    _cells_check(table)
    channel = (
        pl.col("channel").str.strip_chars() if "channel" in columns else pl.lit(None, pl.String)
    )
    return table.select(
        pl.col("customer_id"),
        pl.col("parsed_date").alias("date"),
        pl.col("parsed_amount").alias("amount"),
        channel.alias("channel"),
    )


def header_columns(raw_columns: list[str]) -> list[str]:
    """The header's names, lower case; refuses doubles, email columns and unknown ones."""
    columns = [c.strip().lower() for c in raw_columns]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise TransactionsError([named_twice(twice[0])])
    mail_columns = [c for c in columns if "mail" in c]
    if mail_columns:
        raise TransactionsError(
            [
                _(
                    "Column “%(column)s” looks like email addresses: upload pseudonymous "
                    "customer ids only, never names or emails."
                )
                % {"column": mail_columns[0]}
            ]
        )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise TransactionsError(
            [
                _("Row 1 must name the columns customer_id,date,amount (missing: %(missing)s).")
                % {"missing": ", ".join(missing)}
            ]
        )
    extra = [c for c in columns if c not in REQUIRED + OPTIONAL]
    if extra:
        raise TransactionsError(
            [
                _(
                    "Column “%(column)s” is not accepted: only customer_id, date, amount and "
                    "channel are kept, so no personal data is uploaded by mistake."
                )
                % {"column": extra[0]}
            ]
        )
    return columns


def parsed(table: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame | pl.LazyFrame:
    """The text cells trimmed and typed (nulls where they do not parse), eager or lazy."""
    return table.with_columns(
        pl.col("customer_id").str.strip_chars(),
        pl.col("date")
        .str.strip_chars()
        .str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        .alias("parsed_date"),
        pl.col("amount").str.strip_chars().cast(pl.Float64, strict=False).alias("parsed_amount"),
    )


def unreadable(reason: str) -> str:
    return _("This is not a CSV file we can read (%(reason)s).") % {"reason": reason}


def named_twice(column: str) -> str:
    return _("Row 1 names the column “%(column)s” twice.") % {"column": column}


def cell_problem(row: int, column: str, message: str) -> str:
    """A bad cell named in the active language; `message` is a check's English text (the
    checks are built once, the problems named in whichever language reads them)."""
    return _("Row %(row)d, %(column)s: %(problem)s.") % {
        "row": row,
        "column": column,
        "problem": _(message),
    }


def cell_checks() -> list[tuple[str, pl.Expr, str]]:
    """(column, condition true for a bad cell, message marked for translation and named
    through cell_problem), in the order problems are named."""
    customer, amount = pl.col("customer_id"), pl.col("parsed_amount")
    not_a_number = amount.is_null() | amount.is_nan() | amount.is_infinite()
    return [
        ("customer_id", customer.is_null() | (customer == ""), gettext_noop("is empty")),
        ("customer_id", customer.str.contains(EMAIL), gettext_noop("looks like an email address")),
        ("date", pl.col("parsed_date").is_null(), gettext_noop("is not a date as YYYY-MM-DD")),
        ("amount", not_a_number, gettext_noop("is not a number")),
        ("amount", amount < 0, gettext_noop("is negative; leave refunds out")),
        ("amount", amount >= MAX_AMOUNT, gettext_noop("is too large for one purchase")),
        ("date", ~pl.col("parsed_date").dt.year().is_between(FIRST_YEAR, LAST_YEAR), DATE_RANGE),
    ]


def _cells_check(table: pl.DataFrame) -> None:
    """Refuse the file with the first MAX_PROBLEMS bad cells, in row order."""
    found = []
    for order, (column, condition, message) in enumerate(cell_checks()):
        bad = table.filter(condition.fill_null(False)).select("row").head(MAX_PROBLEMS)
        found += [(row, order, column, message) for row in bad["row"].to_list()]
    if found:
        found.sort(key=lambda problem: problem[:2])
        first = found[:MAX_PROBLEMS]
        raise TransactionsError([cell_problem(row, col, text) for row, _o, col, text in first])
