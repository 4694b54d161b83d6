"""Behavioural segmentation at scale: generated transactions (one customer for every ten
rows), checked and analysed as an upload is.

Up to IN_MEMORY_ROWS (what a 100 MB request holds) the CSV is read in memory in this one
process, as a simple upload is (read the CSV, RFM, latency, grid, segments with lifetime
value, the defection list). Past it (or with --disk) the CSV is written to disk a block at
a time and analysed by a fresh process the way the worker analyses a chunked upload
(insights.streaming: one streaming pass to Parquet, then the analysis from that copy), so
the peak RSS is that process's own.

    .venv/bin/python benchmarks/rfm.py [--rows 1000000] [--customers N] [--disk]
    .venv/bin/python benchmarks/rfm.py --rows 20000000

Ends with one JSON line: {"rows": n, "seconds": s, "peak_rss_mb": m}
Goals: 1M rows in memory under 10 s and 1 GB; 20M rows from disk under 60 s and 2 GB.
"""

import argparse
import datetime
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights import rfm, streaming  # noqa: E402

AS_OF = datetime.date(2026, 10, 31)
IN_MEMORY_ROWS = 3_000_000
BLOCK = 1_000_000


def frame(start: int, rows: int, customers: int) -> pl.DataFrame:
    """Rows like a client's export: pseudonymous ids, dates over two years, amounts."""
    index = pl.int_range(start, start + rows, eager=True).alias("n").to_frame()
    return index.select(
        ("c" + (pl.col("n").hash(1) % customers).cast(pl.String)).alias("customer_id"),
        (pl.lit(AS_OF) - pl.duration(days=pl.col("n").hash(2) % 730)).cast(pl.Date).alias("date"),
        ((pl.col("n").hash(3) % 20000) / 100 + 1).alias("amount"),
    )


def generate(rows: int, customers: int) -> bytes:
    return frame(0, rows, customers).write_csv().encode()


def write_file(path: Path, rows: int, customers: int) -> int:
    """The same rows, a block at a time: never the whole file in memory."""
    with path.open("wb") as out:
        for start in range(0, rows, BLOCK):
            block = frame(start, min(BLOCK, rows - start), customers)
            block.write_csv(out, include_header=start == 0)
    return path.stat().st_size


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary_steps(table: pl.DataFrame, window: int) -> tuple:
    grid = rfm.grid(table)
    segments = rfm.lifetime_value(table, window_days=window, inputs=rfm.LifetimeInputs())
    at_risk = rfm.defection_risk(table).head(50)
    return grid, segments, at_risk


def in_memory(rows: int, customers: int) -> dict:
    started = time.perf_counter()
    data = generate(rows, customers)
    print(f"generated {rows:,} rows ({len(data) / 1e6:.1f} MB of CSV) in "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip
    timings = {}
    clock = time.perf_counter()
    transactions = rfm.read_transactions(data)
    timings["read and check"] = time.perf_counter() - clock
    clock = time.perf_counter()
    table = rfm.analyse(transactions, as_of=AS_OF, k=2)
    timings["RFM and latency"] = time.perf_counter() - clock
    clock = time.perf_counter()
    grid, segments, at_risk = summary_steps(table, rfm.window_days(transactions, AS_OF))
    timings["grid, segments, defection list"] = time.perf_counter() - clock
    return _report(timings, transactions.height, table, grid, segments, at_risk, peak_rss_mb())


def child(path: str) -> None:
    """In its own process: what the worker does with the file it assembled from chunks."""
    timings = {}
    with tempfile.TemporaryDirectory() as work:
        clock = time.perf_counter()
        clean = str(Path(work) / "clean.parquet")
        streaming.check_file(path, clean)
        timings["read and check (streaming)"] = time.perf_counter() - clock
        clock = time.perf_counter()
        table, rows, window = streaming.analyse_file(clean, as_of=AS_OF, k=2.0)
        timings["RFM and latency"] = time.perf_counter() - clock
        clock = time.perf_counter()
        grid, segments, at_risk = summary_steps(table, window)
        table.write_parquet(Path(work) / "table.parquet")
        timings["grid, segments, list, table"] = time.perf_counter() - clock
    report = _report(timings, rows, table, grid, segments, at_risk, peak_rss_mb())
    print(json.dumps(report))


def from_disk(rows: int, customers: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "transactions.csv"
        started = time.perf_counter()
        size = write_file(path, rows, customers)
        print(f"wrote {rows:,} rows ({size / 1e6:.1f} MB of CSV) to disk in "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    lines = done.stdout.strip().splitlines()
    print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def _report(timings, rows, table, grid, segments, at_risk, rss) -> dict:
    for step, took in timings.items():
        print(f"{step:<32} {took:6.2f} s")
    flagged = rfm.defection_risk(table).height
    print(f"customers {table.height:,}; grid cells {grid.height}; segments {segments.height}; "
          f"at risk {flagged:,} (top {at_risk.height} listed)")  # fmt: skip
    return {"rows": rows, "seconds": round(sum(timings.values()), 2), "peak_rss_mb": round(rss, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, help="default: one for every ten rows")
    parser.add_argument("--disk", action="store_true", help="analyse from disk, streaming")
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    customers = args.customers or max(args.rows // 10, 1)
    disk = args.disk or args.rows > IN_MEMORY_ROWS
    report = from_disk(args.rows, customers) if disk else in_memory(args.rows, customers)
    seconds_goal, rss_goal = (60, 2048) if disk else (10, 1024)
    fast = "met" if report["seconds"] < seconds_goal else "NOT met"
    small = "met" if report["peak_rss_mb"] < rss_goal else "NOT met"
    seconds, rss = report["seconds"], report["peak_rss_mb"]
    print(f"total {seconds:.2f} s (goal under {seconds_goal} s: {fast}); "
          f"peak RSS {rss:.0f} MB (goal under {rss_goal} MB: {small})")  # fmt: skip
    print(json.dumps(report))


if __name__ == "__main__":
    main()
