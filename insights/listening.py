"""Competitor benchmarks from social listening exports (domain.md §7, §9), pure polars.

Per brand and month (all sources added up):
- share of voice = the brand's mentions / all brands' mentions that month;
- net sentiment = (positive - negative) / mentions;
- sharing rate = shares / mentions;
- review rating = the average rating weighted by reviews; reviews per 1,000 mentions.

Per SDL journey the metrics that listening data can score (conversion and days to
purchase come from the client's own KPIs, not from social data):
- shopping: net sentiment (what people say while they compare), share of voice;
- sharing: sharing rate, share of voice;
- advocacy: review rating, reviews per 1,000 mentions.

Competitors "lead" on a metric when the best of them is more than 5 % above the client.
An empty shares, reviews or rating cell counts as none.
"""

from __future__ import annotations

from typing import IO

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from cxmaturity.csv_files import csv_rows

COLUMNS = (
    "date",
    "brand",
    "source",
    "mentions",
    "positive",
    "negative",
    "shares",
    "reviews",
    "rating",
)
COUNTS = ("mentions", "positive", "negative", "shares", "reviews")
METRICS = {
    "share_of_voice": gettext_lazy("Share of voice"),
    "net_sentiment": gettext_lazy("Net sentiment"),
    "sharing_rate": gettext_lazy("Sharing rate"),
    "review_rating": gettext_lazy("Review rating"),
    "reviews_per_1000": gettext_lazy("Reviews per 1,000 mentions"),
}
# The metrics that are shares of mentions (0.306), shown as percentages (30.6 %).
RATIOS = {"share_of_voice", "net_sentiment", "sharing_rate"}
JOURNEYS = {
    "shopping": ["net_sentiment", "share_of_voice"],
    "sharing": ["sharing_rate", "share_of_voice"],
    "advocacy": ["review_rating", "reviews_per_1000"],
}
LEAD_MARGIN = 0.05
MAX_PROBLEMS = 100  # issue 16: the first 100 problems are named


WHOLE = "is not a whole number of 0 or more"
MAX_COUNT = 10**9


def _date(column: pl.Expr) -> pl.Expr:
    text = column.str.strip_chars()
    return pl.coalesce(
        text.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        (text + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False),
    )


def _count(name: str) -> pl.Expr:
    # An empty cell is 0 (tools leave shares or reviews empty when there were none);
    # mentions must be given.
    text = pl.col(name).str.strip_chars().fill_null("")
    if name != "mentions":
        text = pl.when(text == "").then(pl.lit("0")).otherwise(text)
    return text.cast(pl.Int64, strict=False)


def _rating() -> pl.Expr:
    text = pl.col("rating").str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text).cast(pl.Float64, strict=False)


class ListeningError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def read_listening(
    data: bytes | IO[bytes], mapping: dict[str, str] | None = None, *, max_rows: int | None = None
) -> pl.DataFrame:
    """Parse and check an export. `mapping` names the export's column for each of ours
    (e.g. {"mentions": "Volume"}), for tools whose exports differ. All rows or none.

    The file is read line by line (cxmaturity.csv_files) and refused at its first row past
    `max_rows` (settings.LISTENING_MAX_ROWS), so a huge file costs no more than the limit."""
    try:
        rows = csv_rows(data, max_rows=max_rows or settings.LISTENING_MAX_ROWS)
    except ValidationError as exc:
        raise ListeningError(exc.messages) from exc
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise ListeningError(["The file is empty."])
    (_first, header), body = numbered[0], numbered[1:]
    renames = _columns(header, mapping or {})
    if not body:
        raise ListeningError(["The file has a header but no rows."])
    width = len(header)
    longer = [n for n, row in body if any(c.strip() for c in row[width:])][:MAX_PROBLEMS]
    if longer:
        raise ListeningError([f"Row {n} has more cells than row 1 names." for n in longer])
    # Short rows (a tool leaving trailing empty cells out) read as empty cells.
    table = pl.DataFrame(
        {
            "row": [n for n, _row in body],
            **{
                ours: [row[index] if index < len(row) else "" for _n, row in body]
                for index, ours in renames.items()
            },
        },
        schema={"row": pl.Int64, **{ours: pl.String for ours in renames.values()}},
    )
    if "source" not in table.columns:
        table = table.with_columns(pl.lit("").alias("source"))
    if "rating" not in table.columns:
        table = table.with_columns(pl.lit(None, pl.String).alias("rating"))
    parsed = table.with_columns(
        # Brands are stored in 120 characters, without NULs, and one spelling per brand
        # whatever the case ("ACME" and "Acme" are one competitor).
        pl.col("brand").str.replace_all("\x00", "").str.strip_chars().str.slice(0, 120),
        pl.col("source").fill_null("").str.strip_chars(),
        _date(pl.col("date")).alias("day"),
        *[_count(c).alias(f"n_{c}") for c in COUNTS],
        _rating().alias("n_rating"),
    )
    _cells_check(parsed)
    spelling = pl.col("brand").first().over(pl.col("brand").str.to_lowercase())
    return parsed.select(
        pl.col("day").dt.truncate("1mo").alias("month"),
        spelling.alias("brand"),
        pl.col("source").str.replace_all("\x00", "").str.slice(0, 80),
        *[pl.col(f"n_{c}").alias(c) for c in COUNTS],
        pl.col("n_rating").alias("rating"),
    )


def monthly(rows: pl.DataFrame) -> pl.DataFrame:
    """Per brand and month, all sources added: the counts and the five metrics."""
    rated = pl.col("rating").is_not_null()
    per_brand = rows.group_by("month", "brand").agg(
        *[pl.col(c).sum() for c in COUNTS],
        (
            (pl.col("rating") * pl.col("reviews")).filter(rated).sum()
            / pl.col("reviews").filter(rated).sum()
        ).alias("review_rating"),
    )
    mentions = pl.col("mentions")
    some = mentions > 0
    return per_brand.with_columns(
        # A month where nobody was mentioned has no share of voice (not 0/0).
        pl.when(mentions.sum().over("month") > 0)
        .then(mentions / mentions.sum().over("month"))
        .alias("share_of_voice"),
        pl.when(some)
        .then((pl.col("positive") - pl.col("negative")) / mentions)
        .alias("net_sentiment"),
        pl.when(some).then(pl.col("shares") / mentions).alias("sharing_rate"),
        pl.when(some).then(pl.col("reviews") * 1000 / mentions).alias("reviews_per_1000"),
        pl.col("review_rating").fill_nan(None),
    ).sort("month", "brand")


def compare(table: pl.DataFrame, *, client_brand: str, month) -> list[dict]:
    """For one month, each journey's metrics: the client, the best competitor and the
    competitors' average, and whether competitors lead."""
    rows = table.filter(pl.col("month") == month)
    mine = rows.filter(pl.col("brand") == client_brand)
    others = rows.filter(pl.col("brand") != client_brand)
    result = []
    for journey, metrics in JOURNEYS.items():
        for metric in metrics:
            values = others.select("brand", metric).drop_nulls(metric)
            best = values.sort(metric, descending=True).head(1)
            client_value = mine[metric][0] if mine.height else None
            best_value = best[metric][0] if best.height else None
            lead = (
                client_value is not None
                and best_value is not None
                and best_value > client_value + abs(client_value) * LEAD_MARGIN
                and best_value != client_value
            )
            result.append(
                {
                    "journey": journey,
                    "metric": metric,
                    "label": METRICS[metric],
                    "client": client_value,
                    "best_brand": best["brand"][0] if best.height else None,
                    "best": best_value,
                    "average": values[metric].mean() if values.height else None,
                    "competitors_lead": bool(lead),
                    "ratio": metric in RATIOS,
                }
            )
    return result


def _columns(header: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """The header's column index → our column name, through the mapping."""
    names = [c.strip().lower() for c in header]
    twice = sorted({c for c in names if c and names.count(c) > 1})
    if twice:
        raise ListeningError([f"Row 1 names the column “{twice[0]}” twice."])
    lookup = {name: index for index, name in enumerate(names) if name}
    renames = {}
    for ours in COLUMNS:
        theirs = mapping.get(ours, ours).strip().lower()
        if theirs in lookup:
            renames[lookup[theirs]] = ours
    missing = [c for c in COLUMNS if c not in renames.values() and c not in ("source", "rating")]
    if missing:
        named = ", ".join(missing)
        raise ListeningError(
            [f"Row 1 has no column for {named}: name it, or map it to the export's column."]
        )
    if len(set(renames.values())) != len(renames):
        raise ListeningError(["The mapping names one of our columns twice."])
    return renames


def _cells_check(parsed: pl.DataFrame) -> None:
    """Refuse the file with the first MAX_PROBLEMS bad cells, in row order."""
    given_rating = pl.col("rating").str.strip_chars().fill_null("") != ""
    rating = pl.col("n_rating")
    too_many = pl.col("n_positive") + pl.col("n_negative") > pl.col("n_mentions")
    checks = [
        ("brand", pl.col("brand").is_null() | (pl.col("brand") == ""), "is empty"),
        ("date", pl.col("day").is_null(), "is not a date as YYYY-MM-DD or YYYY-MM"),
        ("date", ~pl.col("day").dt.year().is_between(1900, 2199), "is not between 1900 and 2199"),
        *[(c, pl.col(f"n_{c}") > MAX_COUNT, "is too large") for c in COUNTS],
        *[(c, pl.col(f"n_{c}").is_null() | (pl.col(f"n_{c}") < 0), WHOLE) for c in COUNTS],
        ("positive", too_many, "positive and negative add up to more than the mentions"),
        ("rating", given_rating & (rating.is_null() | ~rating.is_between(0, 5)), "is not 0 to 5"),
    ]
    problems = []
    for column, condition, message in checks:
        rows = parsed.filter(condition.fill_null(False))["row"].head(MAX_PROBLEMS).to_list()
        problems += [(row, f"Row {row}, {column}: {message}.") for row in rows]
    if problems:
        raise ListeningError([p for _row, p in sorted(problems)][:MAX_PROBLEMS])
