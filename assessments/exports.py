"""Exports of an assessment as tables (CSV or XLSX): raw answers, scores per respondent
and dimension, dimension results and the roadmap. Every number comes from the results."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .display import stage_label
from .models import Assessment
from .results import assessment_results, gather, respondent_labels
from .selectors import action_list

KINDS = ("answers", "respondents", "dimensions", "roadmap")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote
    (CSV injection), and control characters (which XLSX cannot hold) are dropped; numbers
    and dates pass unchanged."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def table(assessment: Assessment, kind: str) -> list[list]:
    """Header row, then data rows."""
    if kind == "roadmap":
        return _roadmap_table(assessment)
    if kind == "answers":
        return _answers_table(assessment)
    results = assessment_results(assessment)
    if kind == "respondents":
        return _respondents_table(results)
    return _dimensions_table(results)


def _roadmap_table(assessment: Assessment) -> list[list]:
    header = [
        _("Horizon"),
        _("Title"),
        _("Dimension"),
        _("Owner"),
        _("Owner's email"),
        _("Due date"),
        _("Status"),
        _("Description"),
        _("Notes"),
    ]
    return [
        header,
        *(
            [
                a.get_horizon_display(),
                a.title,
                a.dimension_key,
                a.owner_name,
                a.owner_email,
                a.due_date,
                a.get_status_display(),
                a.description,
                a.notes,
            ]
            for a in action_list(assessment=assessment)
        ),
    ]


def _answers_table(assessment: Assessment) -> list[list]:
    data = gather([assessment])
    questions = data.questions.get(assessment.version_id, [])
    respondents = data.respondents.get(assessment.id, [])
    labels = respondent_labels(assessment, respondents)
    rows = []
    for r in respondents:
        answers = data.answers[r["id"]]
        for position, q in enumerate(questions):
            a = answers.get(q["key"], {})
            rows.append(
                [
                    position,
                    labels[r["id"]],
                    q["dimension__key"],
                    q["key"],
                    q["text"],
                    a.get("value") or "dont_know",
                    a.get("comment", ""),
                    a.get("evidence", ""),
                ]
            )
    if assessment.anonymity == Assessment.Anonymity.ROLES:
        rows.sort(key=lambda row: tuple(str(v) for v in row))  # no per-person blocks
    header = [
        _("Respondent"),
        _("Dimension"),
        _("Question"),
        _("Question text"),
        _("Answer"),
        _("Comment"),
        _("Evidence"),
    ]
    return [header, *(row[1:] for row in rows)]


def _respondents_table(results: dict) -> list[list]:
    dimensions = results["dimensions"]
    return [
        [_("Respondent"), *(d["title"] for d in dimensions)],
        *(
            [row["label"], *(row["scores"].get(d["key"]) for d in dimensions)]
            for row in results["heatmap"]
        ),
    ]


def _dimensions_table(results: dict) -> list[list]:
    header = [
        _("Dimension"),
        _("Score"),
        _("Stage"),
        _("Stage name"),
        _("Target"),
        _("Gap"),
        _("Priority"),
        _("Respondents"),
        _("Spread"),
        _("Divergent"),
    ]
    rows = [
        [
            d["title"],
            d["score"],
            d["stage"],
            stage_label(d["stage_name"]),
            d["target"],
            d["gap"],
            d["priority"],
            d["respondents"],
            d["spread"],
            d["divergent"],
        ]
        for d in results["dimensions"]
    ]
    o = results["overall"]
    overall = [
        _("Overall"),
        o["score"],
        o["stage"],
        stage_label(o["stage_name"]),
        None,
        None,
        None,
        results["submitted"],
        None,
        None,
    ]
    return [header, *rows, overall]


def to_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    # A byte-order mark so that spreadsheet programs read UTF-8 names correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
