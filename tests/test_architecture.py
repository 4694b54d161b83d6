"""The rules of docs/architecture.md: tenancy imports nothing above it, the numbers
import neither Django nor Celery, and the code stays small (files, functions, views)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABOVE_TENANCY = {"assessments", "kpis", "playbooks", "insights", "audit"}
# cxmaturity's modules that compose the apps; the rest of cxmaturity is shared helpers.
COMPOSITION = {
    "cxmaturity.portal",
    "cxmaturity.portal_urls",
    "cxmaturity.backups",
    "cxmaturity.backups_archive",
    "cxmaturity.backups_export",
    "cxmaturity.backup_views",
    "cxmaturity.urls",
}


def _imports(package: str) -> dict[str, set[str]]:
    """Module path → every absolute module it imports, at the top or inside a function."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                # `from cxmaturity import portal` imports the module cxmaturity.portal.
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_workspaces_imports_nothing_above_tenancy():
    wrong = {
        path: sorted(
            name
            for name in names
            if name.split(".")[0] in ABOVE_TENANCY
            or any(name == m or name.startswith(m + ".") for m in COMPOSITION)
        )
        for path, names in _imports("workspaces").items()
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_numbers_package_imports_only_the_standard_library_and_itself():
    imports = _imports("cxnumbers")
    assert imports  # the walk found the package
    wrong = {
        path: sorted(
            name
            for name in names
            if name.split(".")[0] not in sys.stdlib_module_names
            and name.split(".")[0] != "cxnumbers"
        )
        for path, names in imports.items()
    }
    assert {path: names for path, names in wrong.items() if names} == {}


# Runs in a fresh interpreter where importing django or celery fails, as if neither were
# installed; it first proves the block works on a module that does need Celery.
BLOCKED_RUN = """
import importlib.abc, json, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("django", "celery"):
            raise ImportError(f"{name} is blocked")
        return None

sys.meta_path.insert(0, Block())
try:
    import cxmaturity.numbers  # its package loads Celery
except ImportError as exc:
    blocked = str(exc)
else:
    blocked = None

from cxnumbers.engagement import engagement_value
from cxnumbers.kpi_status import kpi_status
from cxnumbers.rounding import round_half_up
from cxnumbers.scoring import score_assessment
from fractions import Fraction

scores = score_assessment({
    "dimensions": [{"key": "d1", "questions": [{"key": "q1"}, {"key": "q2"}]}],
    "respondents": [
        {"key": "a", "answers": {"q1": 3, "q2": 4}},
        {"key": "b", "answers": {"q1": 5, "q2": 5}},
    ],
})
engagement = engagement_value({
    "categories": [{"key": "c", "min_points": 0, "max_points": 10}],
    "goals": [{"key": "g", "category": "c", "points": 5, "conversions": 3}],
    "visits": 4,
})
status = kpi_status({
    "baseline": 10, "target": 20, "direction": "increase",
    "start": "2026-01-01", "due": "2026-12-31",
    "measurements": [{"date": "2026-07-01", "value": 15}],
})
print(json.dumps({
    "blocked": blocked,
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("django", "celery")),
    "overall": scores["overall"],
    "dimension": scores["dimensions"][0],
    "engagement": engagement,
    "status": status["status"],
    "half_up": round_half_up(Fraction(5, 1000)),
}))
"""


def test_the_numbers_import_and_score_with_neither_django_nor_celery():
    run = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", BLOCKED_RUN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["blocked"] == "celery is blocked"
    assert out["loaded"] == []
    # a: (3+4)/2 = 3.5, b: 5; D = O = (3.5+5)/2 = 4.25, stage 4.
    assert out["overall"]["score"] == 4.25
    assert out["overall"]["exact"] == "17/4"
    assert out["overall"]["stage_name"] == "Optimize"
    assert out["dimension"]["spread"] == 1.5
    assert out["dimension"]["target"] == 5
    assert out["dimension"]["gap"] == 0.75
    assert out["engagement"]["engagement_value"] == 15
    assert out["engagement"]["value_per_visit"] == 3.75
    assert out["status"] == "on_track"
    assert out["half_up"] == 0.01


# --- Size limits (issue 14): small files by noun, short functions, thin views -------------

OUR_PACKAGES = ("assessments", "audit", "benchmarks", "cxmaturity", "cxnumbers", "insights",
                "kpis", "playbooks", "workspaces", "docs")  # fmt: skip


def _our_modules() -> list[Path]:
    return [
        path
        for package in OUR_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_no_module_outside_demo_data_is_over_500_lines():
    big = {
        str(path.relative_to(ROOT)): lines
        for path in _our_modules()
        if not path.name.startswith("demo_") and (lines := len(path.read_text().splitlines())) > 500
    }
    assert big == {}


def test_at_most_three_functions_are_over_60_lines_and_no_view_over_40():
    long = {
        f"{path.relative_to(ROOT)}:{name}": lines
        for path in _our_modules()
        for name, lines in _functions(path)
        if lines > 60
    }
    assert len(long) <= 3, long
    views = {
        f"{path.relative_to(ROOT)}:{name}": lines
        for path in _our_modules()
        for name, lines in _functions(path)
        if name.endswith("_view") and lines > 40
    }
    assert views == {}
