"""Reading the small CSV files people upload (KPI measurements, conversions): the one way
to do it, line by line, so that a file far beyond its row limit is refused at the first
row past the limit instead of being read whole into memory."""

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Longer than any honest row of these files; a file with no line breaks stops here.
MAX_LINE_CHARACTERS = 64 * 1024
CHUNK_BYTES = 64 * 1024


def csv_rows(source: bytes | str | IO[bytes], *, max_rows: int, field: str = "file") -> list:
    """The rows of a UTF-8 CSV, header first, at most `max_rows` rows after the header.

    Raises ValidationError naming `field` for a file that is not UTF-8, not CSV, has a
    line longer than MAX_LINE_CHARACTERS, or has more than `max_rows` data rows (read up
    to the first row too many, never further). NUL characters are dropped.
    """
    rows = []
    try:
        for number, row in enumerate(csv.reader(_lines(source, field)), start=1):
            if number > max_rows + 1:
                raise _refused(
                    field,
                    _("At most %(n)d rows a file (after the header).") % {"n": max_rows},
                    "too_many_rows",
                )
            rows.append(row)
    except UnicodeDecodeError as exc:
        raise _refused(field, _("Save the file as UTF-8 CSV."), "encoding") from exc
    except csv.Error as exc:
        raise _refused(field, _("This is not a CSV file we can read."), "invalid_csv") from exc
    return rows


def _lines(source: bytes | str | IO[bytes], field: str) -> Iterator[str]:
    """Lines with their line ends, decoded one by one from a bounded buffer."""
    if isinstance(source, str):
        source = source.encode("utf-8")
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    pending, number = b"", 0
    while chunk := stream.read(CHUNK_BYTES):
        *complete, pending = (pending + chunk).split(b"\n")
        for line in complete:
            number += 1
            yield _decoded(line + b"\n", number, field)
        if len(pending) > MAX_LINE_CHARACTERS * 4:  # UTF-8 takes at most 4 bytes a character
            raise _line_too_long(number + 1, field)
    if pending:
        yield _decoded(pending, number + 1, field)


def _decoded(line: bytes, number: int, field: str) -> str:
    if number == 1:
        line = line.removeprefix(codecs.BOM_UTF8)
    text = line.decode("utf-8")
    if len(text) > MAX_LINE_CHARACTERS:
        raise _line_too_long(number, field)
    return text.replace("\x00", "")


def _line_too_long(number: int, field: str) -> ValidationError:
    return _refused(
        field,
        _("Row %(row)d is longer than %(n)d characters.")
        % {"row": number, "n": MAX_LINE_CHARACTERS},
        "line_too_long",
    )


def _refused(field: str, message: str, code: str) -> ValidationError:
    # The code goes on the field's error: a dict's own `code` would be dropped.
    return ValidationError({field: ValidationError(message, code=code)})
