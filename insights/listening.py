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

import csv
import os
import tempfile
from typing import IO

import polars as pl
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from .rfm import cell_problem, named_twice, unreadable

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


WHOLE = gettext_noop("is not a whole number of 0 or more")
MAX_COUNT = 10**9
# A stored month's count (a PositiveIntegerField): the most a month, brand and source may add up to.
MAX_SUM = 2**31 - 1
# Rows stored an upload (month x brand x source x rated-or-not, whatever the file's
# length): their write is one transaction, which holds SQLite's single write lock.
MAX_STORED_ROWS = 50_000


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


# The stored rows: one per month, brand (one spelling whatever the case), source and
# rated-or-not, so an export of any length stores at most months x brands x sources x 2.
# `rating_points` is the exact sum of rating x 100 x reviews over the rows it adds up (each
# rating rounded to 2 decimals, as a row is stored), so the reviews-weighted rating of any
# sum of rows is the same figure whether they were stored one by one or added up first.
STORED = ("month", "brand", "source", *COUNTS, "rating", "rating_points")


def read_listening(data: bytes | IO[bytes], mapping: dict[str, str] | None = None) -> pl.DataFrame:
    """Parse, check and add up an export given whole (a small upload, a test); the same
    steps as a big file on the worker, through a temporary copy on disk."""
    return read_counted(data, mapping)[0]


def read_counted(
    data: bytes | IO[bytes], mapping: dict[str, str] | None = None
) -> tuple[pl.DataFrame, int]:
    """read_listening's rows, and how many rows the file had."""
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "export.csv")
        with open(source, "wb") as target:
            # NUL bytes dropped, as the worker's copy drops them: both read the same.
            if isinstance(data, bytes):
                target.write(data.replace(b"\x00", b""))
            else:
                while piece := data.read(1024 * 1024):
                    target.write(piece.replace(b"\x00", b""))
        clean = os.path.join(work, "clean.parquet")
        read = check_file(source, clean, mapping)
        return aggregate(clean), read


def check_file(source: str, clean: str, mapping: dict[str, str] | None = None) -> int:
    """Check the CSV at `source` streaming (all rows or none; `mapping` names the export's
    column for each of ours, e.g. {"mentions": "Volume"}) and write its typed rows to
    Parquet at `clean`; returns the rows read. Raises ListeningError naming the first
    MAX_PROBLEMS bad cells by row and column."""
    from .streaming import _empty

    if _empty(source):
        raise ListeningError([_("The file is empty.")])
    header = _header(source)
    renames = _columns(header, mapping or {})
    names = [renames.get(index, f"_unused_{index}") for index in range(len(header))]
    try:
        _sink(source, clean, names, renames, ragged=False)
    except pl.exceptions.PolarsError as exc:
        longer = _longer_rows(source, len(header))
        if longer:
            raise ListeningError(
                [_("Row %(row)d has more cells than row 1 names.") % {"row": n} for n in longer]
            ) from exc
        try:  # only empty cells past the header's last column, if that was the trouble
            _sink(source, clean, names, renames, ragged=True)
        except pl.exceptions.PolarsError as again:
            first = (str(again).strip().splitlines() or [""])[0][:120]
            raise ListeningError([unreadable(first)]) from again
    return _problems(clean)


def _sink(
    source: str, clean: str, names: list[str], renames: dict[int, str], *, ragged: bool
) -> None:
    """One streaming pass: the CSV's rows, typed, each with a bit per failed check."""
    lazy = pl.scan_csv(
        source,
        infer_schema=False,
        has_header=True,
        encoding="utf8-lossy",
        new_columns=names,
        truncate_ragged_lines=ragged,
    ).with_row_index("row", offset=2)  # the header is row 1; a blank line reads as nulls
    checks = _cell_checks()
    # A row of empty or blank cells is no row (a spreadsheet's trailing lines).
    blank = pl.all_horizontal(
        pl.col(ours).str.strip_chars().fill_null("") == "" for ours in renames.values()
    )
    problems = pl.sum_horizontal(
        condition.fill_null(False).cast(pl.UInt32) * (1 << bit)
        for bit, (_column, condition, _message) in enumerate(checks)
    ).cast(pl.UInt32)
    _parsed(lazy.filter(~blank), renames).select(
        "row",
        pl.col("day").dt.truncate("1mo").alias("month"),
        "brand",
        pl.col("source").str.replace_all("\x00", "").str.slice(0, 80),
        *[pl.col(f"n_{c}").alias(c) for c in COUNTS],
        pl.col("n_rating").alias("rating"),
        problems.alias("problems"),
    ).sink_parquet(clean, compression="lz4")


def _problems(clean: str) -> int:
    """The rows in the checked copy; ListeningError with the first problems if any."""
    checks = _cell_checks()
    stored = pl.scan_parquet(clean)
    rows = stored.select(pl.len()).collect().item()
    if rows == 0:
        raise ListeningError([_("The file has a header but no rows.")])
    # Every bad row has at least one message, so the first MAX_PROBLEMS messages in row
    # order lie within the first MAX_PROBLEMS bad rows.
    bad = (
        stored.select("row", "problems")
        .filter(pl.col("problems") > 0)
        .sort("row")
        .head(MAX_PROBLEMS)
        .collect(engine="streaming")
    )
    found = []
    for row, bits in bad.iter_rows():
        # Within a row by column, then by the check's English text: the same order
        # whatever the reader's language.
        failed = sorted(
            (column, message)
            for bit, (column, _condition, message) in enumerate(checks)
            if bits & (1 << bit)
        )
        found += [cell_problem(row, column, message) for column, message in failed]
    if found:
        raise ListeningError(found[:MAX_PROBLEMS])
    return rows


def aggregate(clean: str) -> pl.DataFrame:
    """The checked rows at `clean` added up per month, brand (its first spelling in the
    file, whatever the case), source and rated-or-not (see STORED)."""
    rows = pl.scan_parquet(clean)
    key = pl.col("brand").str.to_lowercase().alias("key")
    # Each spelling's first row (simple sums stream in bounded memory), then the earliest
    # spelling of each brand, from that small table.
    spellings = (
        rows.group_by(key, "brand")
        .agg(pl.col("row").min())
        .sort("row")
        .group_by("key", maintain_order=True)
        .agg(pl.col("brand").first())
    )
    rated = pl.col("rating").is_not_null()
    rating = pl.col("rating").round(2)
    added = (
        rows.with_columns(key, rated.alias("rated"))
        .group_by("month", "key", "source", "rated")
        .agg(
            *[pl.col(c).sum() for c in COUNTS],
            ((rating * 100).round(0).cast(pl.Int64) * pl.col("reviews")).sum().alias("points"),
            rating.mean().alias("plain"),
        )
        .join(spellings, on="key")
    )
    reviews = pl.col("reviews")
    table = (
        added.select(
            "month",
            "brand",
            "source",
            *COUNTS,
            # Shown as stored: the reviews-weighted rating (plain mean without reviews).
            pl.when(~pl.col("rated"))
            .then(None)
            .when(reviews > 0)
            .then((pl.col("points") / reviews / 100).round(2))
            .otherwise(pl.col("plain"))
            .alias("rating"),
            pl.when(pl.col("rated")).then(pl.col("points")).alias("rating_points"),
        )
        .sort("month", "brand", "source", "rating", nulls_last=True)
        .collect(engine="streaming")
    )
    _sums_check(table)
    _size_check(table)
    return table


def _size_check(table: pl.DataFrame) -> None:
    """Refuse an export that adds up to more stored rows than one upload keeps."""
    if table.height > MAX_STORED_ROWS:
        raise ListeningError(
            [
                _(
                    "The export adds up to %(rows)s rows of month, brand and source; at most "
                    "%(limit)s are kept an upload. Leave out sources or months, or upload "
                    "them in parts."
                )
                % {
                    "rows": number_format(table.height, force_grouping=True),
                    "limit": number_format(MAX_STORED_ROWS, force_grouping=True),
                }
            ]
        )


def _sums_check(table: pl.DataFrame) -> None:
    """Refuse counts that add up past what a stored row holds (MAX_SUM), naming the month,
    brand and source; below it the rating points cannot overflow either (5 x 100 x MAX_SUM)."""
    over = table.filter(pl.any_horizontal(pl.col(c) > MAX_SUM for c in COUNTS)).head(MAX_PROBLEMS)
    problems = [
        _("%(month)s, %(brand)s, %(source)s: %(columns)s add up to more than %(limit)s.")
        % {
            "month": f"{row['month']:%Y-%m}",
            "brand": row["brand"],
            "source": row["source"] or _("no source"),
            "columns": ", ".join(c for c in COUNTS if row[c] > MAX_SUM),
            "limit": number_format(MAX_SUM, force_grouping=True),
        }
        for row in over.iter_rows(named=True)
    ]
    if problems:
        raise ListeningError(problems)


def _header(source: str) -> list[str]:
    # utf-8-sig: spreadsheet tools start the file with a byte-order mark.
    with open(source, encoding="utf-8-sig", errors="replace", newline="") as handle:
        try:
            return next(csv.reader(handle))
        except (StopIteration, csv.Error) as exc:
            raise ListeningError([unreadable(str(exc))]) from exc


def _longer_rows(source: str, width: int) -> list[int]:
    """Rows with a filled cell past the header's last column (polars refuses the file
    whole); read line by line, so only when polars refused it."""
    found = []
    with open(source, encoding="utf-8", errors="replace", newline="") as handle:
        try:
            for number, row in enumerate(csv.reader(handle), start=1):
                if any(cell.strip() for cell in row[width:]):
                    found.append(number)
                    if len(found) == MAX_PROBLEMS:
                        break
        except csv.Error:
            pass
    return found


def _parsed(lazy: pl.LazyFrame, renames: dict[int, str]) -> pl.LazyFrame:
    ours = set(renames.values())
    if "source" not in ours:
        lazy = lazy.with_columns(pl.lit("").alias("source"))
    if "rating" not in ours:
        lazy = lazy.with_columns(pl.lit(None, pl.String).alias("rating"))
    return lazy.with_columns(
        # Brands are stored in 120 characters, without NULs.
        pl.col("brand").str.replace_all("\x00", "").str.strip_chars().str.slice(0, 120),
        pl.col("source").fill_null("").str.strip_chars(),
        _date(pl.col("date")).alias("day"),
        *[_count(c).alias(f"n_{c}") for c in COUNTS],
        _rating().alias("n_rating"),
    )


def monthly(rows: pl.DataFrame) -> pl.DataFrame:
    """Per brand and month, all sources added: the counts and the five metrics."""
    rated = pl.col("rating").is_not_null()
    # In whole hundredths of a star x reviews, summed as integers: the same figure whether
    # the rows were stored one by one or added up first (see STORED).
    one_by_one = (pl.col("rating") * 100).round(0).cast(pl.Int64) * pl.col("reviews")
    if "rating_points" in rows.columns:
        one_by_one = pl.coalesce(pl.col("rating_points"), one_by_one)
    per_brand = rows.group_by("month", "brand").agg(
        *[pl.col(c).sum() for c in COUNTS],
        (one_by_one.filter(rated).sum() / 100 / pl.col("reviews").filter(rated).sum()).alias(
            "review_rating"
        ),
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
        raise ListeningError([named_twice(twice[0])])
    lookup = {name: index for index, name in enumerate(names) if name}
    renames = {}
    for ours in COLUMNS:
        theirs = mapping.get(ours, ours).strip().lower()
        if theirs in lookup:
            renames[lookup[theirs]] = ours
    missing = [c for c in COLUMNS if c not in renames.values() and c not in ("source", "rating")]
    if missing:
        raise ListeningError(
            [
                _("Row 1 has no column for %(missing)s: name it, or map it to the export's column.")
                % {"missing": ", ".join(missing)}
            ]
        )
    if len(set(renames.values())) != len(renames):
        raise ListeningError([_("The mapping names one of our columns twice.")])
    return renames


def _cell_checks() -> list[tuple[str, pl.Expr, str]]:
    """(column, condition of a bad cell, message marked for translation and named through
    rfm.cell_problem) for each check, in a fixed order: the order of the problem bits in
    the checked copy."""
    given_rating = pl.col("rating").str.strip_chars().fill_null("") != ""
    rating = pl.col("n_rating")
    too_many = pl.col("n_positive") + pl.col("n_negative") > pl.col("n_mentions")
    # The file is read leniently, so a byte that is not UTF-8 becomes U+FFFD: in a brand or
    # source it would merge names that differ ("Café" and "Cafè" saved as cp1252).
    not_utf8 = gettext_noop("is not UTF-8 text: save the file as UTF-8 CSV")
    return [
        ("brand", pl.col("brand").is_null() | (pl.col("brand") == ""), gettext_noop("is empty")),
        ("brand", pl.col("brand").str.contains("\ufffd", literal=True), not_utf8),
        ("source", pl.col("source").str.contains("\ufffd", literal=True), not_utf8),
        ("date", pl.col("day").is_null(), gettext_noop("is not a date as YYYY-MM-DD or YYYY-MM")),
        (
            "date",
            ~pl.col("day").dt.year().is_between(1900, 2199),
            gettext_noop("is not between 1900 and 2199"),
        ),
        *[(c, pl.col(f"n_{c}") > MAX_COUNT, gettext_noop("is too large")) for c in COUNTS],
        *[(c, pl.col(f"n_{c}").is_null() | (pl.col(f"n_{c}") < 0), WHOLE) for c in COUNTS],
        (
            "positive",
            too_many,
            gettext_noop("positive and negative add up to more than the mentions"),
        ),
        (
            "rating",
            given_rating & (rating.is_null() | ~rating.is_between(0, 5)),
            gettext_noop("is not 0 to 5"),
        ),
    ]
