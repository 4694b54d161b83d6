"""The one CSV reader for uploads: line by line, refusing a file at its first row past
the limit (never reading on), long lines, other encodings and broken quoting."""

import io

import pytest
from django.core.exceptions import ValidationError

from cxmaturity.csv_files import MAX_LINE_CHARACTERS, csv_rows


class CountingStream(io.BytesIO):
    """A file that remembers how far it was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.furthest = 0

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return chunk


def test_rows_come_back_with_the_header_first_bom_and_nul_dropped_quotes_kept():
    data = b'\xef\xbb\xbfkpi,date,value\nVisits,2026-01-01,1\x00\n"two\nlines",x,y\n'
    assert csv_rows(data, max_rows=10) == [
        ["kpi", "date", "value"],
        ["Visits", "2026-01-01", "1"],
        ["two\nlines", "x", "y"],
    ]
    assert csv_rows("a,b\r\n1,2", max_rows=1) == [["a", "b"], ["1", "2"]]


def test_a_file_far_past_its_limit_is_refused_without_being_read_on():
    data = b"kpi,date,value\n" + b"Visits,2026-01-01,1\n" * 2_000_000  # about 40 MB
    stream = CountingStream(data)
    with pytest.raises(ValidationError) as refused:
        csv_rows(stream, max_rows=5000, field="file")
    assert "At most 5000 rows" in refused.value.message_dict["file"][0]
    assert stream.furthest < 1_000_000  # the first megabyte at most, of forty


def test_exactly_the_limit_is_accepted():
    data = b"h\n" + b"x\n" * 5000
    assert len(csv_rows(data, max_rows=5000)) == 5001


def test_a_file_without_line_breaks_is_refused_at_its_first_long_line():
    stream = CountingStream(b"h\n" + b"x" * (20 * MAX_LINE_CHARACTERS))
    with pytest.raises(ValidationError) as refused:
        csv_rows(stream, max_rows=10)
    assert "Row 2 is longer than" in refused.value.message_dict["file"][0]
    assert stream.furthest < 10 * MAX_LINE_CHARACTERS


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"h\n\xff\xfe\xfa", "UTF-8"),
        (b'a,"b\n' + (b"x" * 60_000 + b"\n") * 3 + b'"\n', "not a CSV file"),
    ],
)
def test_other_encodings_and_broken_quoting_are_named(data, message):
    with pytest.raises(ValidationError) as refused:
        csv_rows(data, max_rows=10, field="upload")
    assert message in refused.value.message_dict["upload"][0]


@pytest.mark.django_db
def test_respondent_files_go_through_the_same_reader_and_stop_at_their_limit():
    from assessments.services import MAX_CSV_ROWS, respondents_import_csv
    from tests.assessments.factories import open_assessment

    assessment = open_assessment(respondents=0)
    row = b"Ada,,it,,1\n"
    stream = CountingStream(b"name,email,role,department,weight\n" + row * 40_000)
    with pytest.raises(ValidationError) as refused:
        respondents_import_csv(assessment=assessment, data=stream)
    assert refused.value.message_dict["file"] == [f"At most {MAX_CSV_ROWS} respondents a file."]
    assert stream.furthest < 200_000  # read up to the first row too many, of 440 KB
    assert not assessment.respondents.exists()


@pytest.mark.django_db
def test_an_uploaded_respondent_file_over_512_kb_is_refused_unread():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.services import respondents_import_csv
    from tests.assessments.factories import open_assessment

    upload = SimpleUploadedFile("people.csv", b"name\n" + b"Ada\n" * 200_000, "text/csv")
    with pytest.raises(ValidationError) as refused:
        respondents_import_csv(assessment=open_assessment(respondents=0), data=upload)
    assert refused.value.message_dict["file"] == ["The file must be 512 KB or smaller."]
    assert upload.file.tell() == 0  # refused by its size, not a byte read


def test_the_memory_benchmark_refuses_each_large_file_having_read_a_little():
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "csv_memory.py"
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(script), "--mb", "5"], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["benchmark"] == "csv_memory"
    assert result["read_mb"] < 1.5  # of files over 5 MB: each stopped at its row limit
    assert result["peak_mb"] < result["limit_mb"]
    assert done.stdout.count("At most") == 2
    assert "import done" in done.stdout  # the listening export, stored whole
