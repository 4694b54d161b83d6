"""Social listening exports at scale: a CSV of N rows (24 months, 20 brands, 7 sources, a
third of the rows rated) written to disk a block at a time, then checked and added up by
a fresh process the way the worker imports a chunked upload (insights.listening: one
streaming pass to Parquet with a problem bit per check, then the sums per month, brand,
source and rated-or-not), so the peak RSS is that process's own. The database write that
follows is of the added-up rows only (here at most 24 x 20 x 7 x 2 = 6,720).

    .venv/bin/python benchmarks/listening.py [--rows 5000000]

Ends with one JSON line: {"rows": n, "seconds": s, "peak_rss_mb": m, "stored_rows": k}
"""

import argparse
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

from insights import listening  # noqa: E402

BLOCK = 1_000_000


def frame(start: int, rows: int) -> pl.DataFrame:
    n = pl.col("n")
    days = pl.date_range(pl.date(2025, 1, 1), pl.date(2026, 12, 31), "1d", eager=True)
    return pl.DataFrame({"n": pl.int_range(start, start + rows, eager=True)}).select(
        pl.lit(days).gather(n % 730).alias("date"),
        pl.format("Brand {}", n % 20).alias("brand"),
        pl.format("src{}", n % 7).alias("source"),
        (100 + n % 50).alias("mentions"),
        (40 + n % 7).alias("positive"),
        (10 + n % 5).alias("negative"),
        (n % 9).alias("shares"),
        (n % 4).alias("reviews"),
        pl.when(n % 3 == 0).then(3.0 + (n % 200) / 100).alias("rating"),
    )


def write_csv(path: Path, rows: int) -> None:
    with path.open("wb") as out:
        for start in range(0, rows, BLOCK):
            frame(start, min(BLOCK, rows - start)).write_csv(out, include_header=start == 0)


def child(path: str) -> None:
    """In its own process: the worker's check and sums, timed, with this process's peak."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        rows = listening.check_file(path, str(Path(work) / "clean.parquet"))
        table = listening.aggregate(str(Path(work) / "clean.parquet"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak, 1),
                "stored_rows": table.height,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "listening.csv"
        write_csv(path, args.rows)
        print(f"{path.stat().st_size / 1e6:.0f} MB written", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    print(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
