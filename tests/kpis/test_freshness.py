"""When a KPI's readings are overdue: never before its start, counted from the later of
its start and its last measurement (cxnumbers.kpi_status.kpi_freshness, pure)."""

from datetime import date

import pytest

from cxnumbers.kpi_status import kpi_freshness

START = date(2027, 1, 1)


@pytest.mark.parametrize(
    ("last", "today", "expected"),
    [
        # A KPI starting in 2027, seen in 2026: not started, however long without data.
        (None, date(2026, 11, 1), "not_started"),
        (None, date(2026, 12, 31), "not_started"),
        # Started: the 45 days run from the start when nothing was recorded yet.
        (None, date(2027, 1, 1), "fresh"),
        (None, date(2027, 2, 15), "fresh"),
        (None, date(2027, 2, 16), "stale"),
        # And from the last measurement once there is one.
        (date(2027, 3, 1), date(2027, 4, 15), "fresh"),
        (date(2027, 3, 1), date(2027, 4, 16), "stale"),
    ],
)
def test_freshness(last, today, expected):
    assert kpi_freshness(start=START, last=last, today=today, stale_after_days=45) == expected


def test_a_reading_dated_before_the_start_does_not_make_a_started_kpi_stale():
    # The window counts from the start, not from an older reading.
    assert (
        kpi_freshness(
            start=START, last=date(2026, 6, 1), today=date(2027, 1, 10), stale_after_days=45
        )
        == "fresh"
    )
