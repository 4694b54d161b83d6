"""Memory of uploaded CSVs: a 50 MB KPI measurements file, respondent file and social
listening export, each handed to its import service as an open file, as a large upload
reaches it (Django spools uploads past FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file).
The KPI and respondent files are refused at their first row past the limit; the listening
export takes the web's path (insights.services.uploads.listening_receive): up to one chunk
it is copied to disk and checked and added up streaming (insights.listening), larger it is
stored in chunks for the worker. It is read to its end but never held whole. The point is
that none is read whole into memory.

Each import runs in a fresh process on a scratch SQLite database, so its peak RSS is the
import's own (Django included), not this script's.

    .venv/bin/python benchmarks/csv_memory.py [--mb 50]

Ends with one JSON line:
{"benchmark": "csv_memory", "file_mb": 50, "peak_mb": …, "read_mb": …, "limit_mb": 200}
(read_mb: the most the row-limited imports, KPI and respondents, read of their file before
refusing it; the listening export is read whole, a megabyte at a time.)
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 200
ROWS = {
    "kpi": ("kpi,date,value\n", "Visits,2026-02-01,5\n"),
    "respondents": ("name,email,role,department,weight\n", "Ada Lovelace,,it,Engineering,1\n"),
    "listening": (
        "date,brand,source,mentions,positive,negative,shares,reviews,rating\n",
        "2026-09-03,Northwind,twitter,100,40,10,8,5,4.0\n",
    ),
}


def write_file(path: Path, kind: str, megabytes: int) -> int:
    """A CSV of about `megabytes` MB, written a block at a time."""
    header, row = ROWS[kind]
    block = row * (1024 * 1024 // len(row))
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        for _ in range(megabytes):
            out.write(block)
    return path.stat().st_size


def child(kind: str, path: str) -> None:
    """Run in its own process: set up a scratch database, import the file, report."""
    import django

    django.setup()
    from datetime import date

    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from assessments.services import respondents_import_csv
    from insights.services.uploads import listening_receive
    from kpis.inputs import KPIInput
    from kpis.services import kpi_create, measurements_import_csv, plan_create
    from tests.assessments.factories import open_assessment
    from workspaces.models import Client, Workspace

    call_command("migrate", verbosity=0)
    client = Client.objects.create(workspace=Workspace.objects.create(name="Bench"), name="C")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(path, "rb") as upload:  # a plain file, as a spooled upload is
        started = time.perf_counter()
        try:
            if kind == "kpi":
                plan = plan_create(client=client, title="Bench")
                kpi_create(
                    plan=plan,
                    data=KPIInput.from_values(
                        dict(
                            name="Visits",
                            direction="increase",
                            baseline=1,
                            target=2,
                            start=date(2026, 1, 1),
                            due=date(2026, 12, 31),
                        )
                    ),
                )
                measurements_import_csv(plan=plan, data=upload)
            elif kind == "listening":
                job = listening_receive(
                    client=client,
                    file=upload,
                    size=os.path.getsize(path),
                    fields={"client_brand": "Northwind"},
                )
                outcome = f"import {job.status}"
            else:
                respondents_import_csv(
                    assessment=open_assessment(client=client, respondents=0), data=upload
                )
            if kind != "listening":
                outcome = "stored"
        except ValidationError as exc:
            outcome = " ".join(exc.messages)[:80]
        seconds = time.perf_counter() - started
        read_mb = upload.tell() / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "kind": kind,
                "outcome": outcome,
                "seconds": round(seconds, 3),
                "read_mb": round(read_mb, 2),
                "rss_before_mb": round(before, 1),
                "peak_mb": round(peak, 1),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    peaks, reads, size_mb = [], [], 0.0
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cxmaturity.settings",
            "PYTHONPATH": str(ROOT),
            "VAR_DIR": folder,
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'db.sqlite3'}",
            "DEBUG": "true",
            "HTTPS": "false",
            "CELERY_BROKER_URL": "filesystem://",
            "LOG_LEVEL": "WARNING",
        }
        for kind in ROWS:
            path = Path(folder) / f"{kind}.csv"
            size_mb = write_file(path, kind, args.mb) / 1e6
            done = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(path)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            report = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{kind:<12} {size_mb:6.1f} MB file: read {report['read_mb']} MB in "
                f"{report['seconds']} s, peak RSS {report['peak_mb']} MB "
                f"({report['rss_before_mb']} MB before the import): {report['outcome']}"
            )
            peaks.append(report["peak_mb"])
            if kind != "listening":
                reads.append(report["read_mb"])
            path.unlink()
    print(
        json.dumps(
            {
                "benchmark": "csv_memory",
                "file_mb": args.mb,
                "peak_mb": max(peaks),
                "read_mb": max(reads),
                "limit_mb": LIMIT_MB,
            }
        )
    )


if __name__ == "__main__":
    main()
