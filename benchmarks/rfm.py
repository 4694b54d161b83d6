"""Behavioural segmentation at scale: 1,000,000 generated transactions over 100,000
customers, checked and analysed as an upload is (read the CSV, RFM, latency, grid,
segments with lifetime value, the defection list), in this one process.

    .venv/bin/python benchmarks/rfm.py [--rows 1000000] [--customers 100000]

Ends with one JSON line: {"rows": n, "seconds": s, "peak_rss_mb": m}
Goal: under 10 s and 1 GB.
"""

import argparse
import datetime
import json
import resource
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from insights import rfm

AS_OF = datetime.date(2026, 10, 31)


def generate(rows: int, customers: int) -> bytes:
    """A CSV like a client's export: pseudonymous ids, dates over two years, amounts."""
    index = pl.int_range(0, rows, eager=True).alias("n").to_frame()
    frame = index.select(
        ("c" + (pl.col("n").hash(1) % customers).cast(pl.String)).alias("customer_id"),
        (pl.lit(AS_OF) - pl.duration(days=pl.col("n").hash(2) % 730)).cast(pl.Date).alias("date"),
        ((pl.col("n").hash(3) % 20000) / 100 + 1).alias("amount"),
    )
    return frame.write_csv().encode()


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()

    started = time.perf_counter()
    data = generate(args.rows, args.customers)
    print(f"generated {args.rows:,} rows ({len(data) / 1e6:.1f} MB of CSV) in "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip

    timings = {}
    clock = time.perf_counter()
    transactions = rfm.read_transactions(data)
    timings["read and check"] = time.perf_counter() - clock
    clock = time.perf_counter()
    table = rfm.analyse(transactions, as_of=AS_OF, k=2)
    timings["RFM and latency"] = time.perf_counter() - clock
    clock = time.perf_counter()
    grid = rfm.grid(table)
    window = rfm.window_days(transactions, AS_OF)
    segments = rfm.lifetime_value(table, window_days=window, inputs=rfm.LifetimeInputs())
    at_risk = rfm.defection_risk(table).head(50)
    timings["grid, segments, defection list"] = time.perf_counter() - clock
    seconds = sum(timings.values())

    for step, took in timings.items():
        print(f"{step:<32} {took:6.2f} s")
    flagged = rfm.defection_risk(table).height
    print(f"customers {table.height:,}; grid cells {grid.height}; segments {segments.height}; "
          f"at risk {flagged:,} (top {at_risk.height} listed)")  # fmt: skip
    rss = peak_rss_mb()
    fast, small = ("met" if seconds < 10 else "NOT met"), ("met" if rss < 1024 else "NOT met")
    print(f"total {seconds:.2f} s (goal under 10 s: {fast}); "
          f"peak RSS {rss:.0f} MB (goal under 1 GB: {small})")  # fmt: skip
    print(json.dumps({"rows": transactions.height, "seconds": round(seconds, 2),
                      "peak_rss_mb": round(rss, 1)}))  # fmt: skip


if __name__ == "__main__":
    main()
