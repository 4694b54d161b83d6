"""The German and French catalogues are complete: every string marked for translation
anywhere in the project has a translation in de and fr, none of them fuzzy, and each
app with marked strings keeps its own catalogues (a new app cannot be forgotten)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
NOT_SOURCE = (".venv", "var", ".git", "node_modules", "__pycache__", "test-results", "*.mo")
MARKED = re.compile(
    r"\bgettext(_lazy)?\(|\bngettext|\bpgettext|\b_\(|{%\s*(translate|trans|blocktranslate|blocktrans)\b"
)


def _msgfmt() -> str:
    found = shutil.which("msgfmt")
    assert found, "msgfmt is missing: install Debian's gettext (.ci/run does)"
    return found


def _has_marked_strings(folder: Path) -> bool:
    return any(
        MARKED.search(path.read_text(encoding="utf-8", errors="replace"))
        for pattern in ("*.py", "*.html", "*.txt")
        for path in folder.rglob(pattern)
        if "migrations" not in path.parts and "locale" not in path.parts
    )


def test_each_app_with_marked_strings_has_german_and_french_catalogues():
    """cxmaturity's and templates/' strings live in the project's locale/."""
    folders = {
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    }
    missing = set()
    for folder in sorted(folders | {ROOT / "templates"}):
        if not _has_marked_strings(folder):
            continue
        home = ROOT if folder.name in ("cxmaturity", "templates") else folder
        for language in LANGUAGES:
            po = home / "locale" / language / "LC_MESSAGES" / "django.po"
            if not po.exists():
                missing.add(str(po.relative_to(ROOT)))
    assert sorted(missing) == []


def test_every_marked_string_is_translated_in_every_catalogue(tmp_path):
    """makemessages on a copy of the source brings each catalogue up to the strings the
    code marks today; then msgfmt counts no untranslated or fuzzy entry (and
    --check-format refuses a translation whose placeholders differ from its msgid's)."""
    msgfmt = _msgfmt()
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE), symlinks=False)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v", "0"]
    for language in LANGUAGES:
        command += ["-l", language]
    subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=300)  # noqa: S603 - fixed arguments
    catalogues_found = sorted(copy.rglob("django.po"))
    assert catalogues_found, "no catalogue at all"
    incomplete = {}
    for po in catalogues_found:
        result = subprocess.run(  # noqa: S603 - Debian's msgfmt, fixed arguments
            [msgfmt, "--check-format", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        counts = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        if result.returncode or "fuzzy" in counts or "untranslated" in counts:
            incomplete[str(po.relative_to(copy))] = counts
    assert incomplete == {}
