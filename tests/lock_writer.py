"""Run by the listening lock test as another tenant's autosave: after "go" on stdin it
prints "trying", then updates one row, each time in its own short transaction with a 2 s
busy timeout, until the stop file exists; it ends with one JSON line of what it saw.

Plain sqlite3, not Django: the point is SQLite's own lock, with a timeout far shorter than
the site's, so a writer held past 2 s shows as "database is locked"."""

import json
import sqlite3
import sys
import time
from pathlib import Path

database, table, row_id, stop = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
connection = sqlite3.connect(database, timeout=2.0, isolation_level=None)
sys.stdout.write("ready\n")
sys.stdout.flush()
sys.stdin.readline()
sys.stdout.write("trying\n")
sys.stdout.flush()
writes, errors, slowest = 0, [], 0.0
while True:
    started = time.monotonic()
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            f"UPDATE {table} SET name = ? WHERE id = ?",  # noqa: S608 - the test's own table
            (f"Autosave {writes}", row_id),
        )
        connection.execute("COMMIT")
        writes += 1
    except sqlite3.OperationalError as exc:
        errors.append(str(exc))
        if connection.in_transaction:
            connection.execute("ROLLBACK")
    slowest = max(slowest, time.monotonic() - started)
    if stop.exists():
        break
sys.stdout.write(json.dumps({"writes": writes, "errors": errors, "slowest": slowest}) + "\n")
