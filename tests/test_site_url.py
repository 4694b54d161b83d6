"""`make run PORT=…` gives the site (and its worker, which sends the emails) the address
it is served on, so emailed and copied links work off port 8000 too."""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]


def _run_environment(*make_args: str) -> dict[str, str]:
    """The variables `make run` sets on the command that starts the site (make -n prints
    the commands without running them)."""
    make = shutil.which("make")
    require(bool(make), "make is not installed")
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    printed = subprocess.run(  # noqa: S603 - our own Makefile, fixed arguments
        [make, "-n", "run", *make_args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (line,) = [line for line in printed.splitlines() if "honcho start" in line]
    words = shlex.split(line)
    return dict(word.split("=", 1) for word in words[: words.index(".venv/bin/honcho")])


def _settings_site_url(environment: dict[str, str]) -> str:
    """SITE_URL as the settings read it from that environment."""
    code = "from django.conf import settings; print(settings.SITE_URL)"
    base = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environment = {k: v for k, v in environment.items() if k != "PATH"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings module
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **environment, "DJANGO_SETTINGS_MODULE": "cxmaturity.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_make_run_on_another_port_links_to_that_port():
    environment = _run_environment("PORT=8833")
    assert environment["SITE_URL"] == "http://localhost:8833"
    assert _settings_site_url(environment) == "http://localhost:8833"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("PORT=8833", "HOST=cx.local"), "http://cx.local:8833"),
        (("PORT=8833", "SITE_URL=https://cx.example.com"), "https://cx.example.com"),
        ((), "http://localhost:8000"),
    ],
)
def test_make_run_takes_the_host_or_a_given_site_url(args, expected):
    assert _run_environment(*args)["SITE_URL"] == expected
