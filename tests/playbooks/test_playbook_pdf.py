"""The seeded Northwind playbook as a client would get it: its text, its table of contents,
and its pages as pictures."""

import re
import subprocess

import pytest
from django.core.management import call_command
from PIL import Image, ImageStat
from pypdf import PdfReader

from assessments.models import Question
from kpis.models import KPI
from playbooks.models import CampaignPlan, Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def playbook(settings):
    settings.DEMO_RENDER_PLAYBOOK = True
    call_command("seed_demo")
    document = Document.objects.get(kind="playbook", client__name="Northwind Retail")
    assert document.status == Document.Status.DONE, document.error
    return document


def _toc(pages: list[str]) -> list[tuple[str, int]]:
    """(title, page number) for each contents line such as 'Executive summary ....... 3'."""
    entries = []
    for line in pages[1].splitlines():
        found = re.match(r"^(.*?)[ .]*\.{3,}[ .]*(\d+)$", line.strip())
        if found:
            entries.append((found.group(1).strip(), int(found.group(2))))
    return entries


def test_the_seeded_playbook_holds_every_part_and_its_contents_point_to_the_right_pages(playbook):
    reader = PdfReader(playbook.file.path)
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert len(reader.pages) == playbook.pages >= 30
    assert "Northwind Retail" in pages[0]
    for stage in [
        "Initiate",
        "Radiate",
        "Align",
        "Optimize",
        "Nurture",
        "Engage",
        "Lifetime customers",
    ]:
        assert stage in text
    dimensions = set(
        Question.objects.filter(version__assessments__client__name="Northwind Retail").values_list(
            "dimension__title", flat=True
        )
    )
    assert len(dimensions) == 7
    for title in dimensions:
        assert title in text, title
    for name in KPI.objects.filter(plan__status="active", plan__client=playbook.client).values_list(
        "name", flat=True
    ):
        assert name in text, name
    for name in CampaignPlan.objects.filter(client=playbook.client).values_list("name", flat=True):
        assert name[:40] in text.replace("\n", " "), name
    for part in ["Customer segments", "Champions", "About to defect", "Competitor benchmarks"]:
        assert part in text, part
    # The live campaign's results: its history, KPIs since launch, spend and test verdict.
    for part in ["Status history", "KPIs since launch", "over budget", "wins."]:
        assert part in text, part
    toc = _toc(pages)
    assert len(toc) >= 12, pages[1]
    for n, (title, number) in enumerate(toc):
        body = pages[number - 1].replace("\n", " ")
        if title[:30] not in body:
            # A group ("Findings by dimension") starts where its first entry starts.
            assert toc[n + 1][1] == number, (title, number)
            assert toc[n + 1][0][:30] in body, (title, number)
    # Running headers: the client and the chapter on every page after the cover.
    assert all("Northwind Retail" in page for page in pages[1:])


def test_the_first_pages_and_a_chart_page_render_as_real_pictures(playbook, tmp_path):
    reader = PdfReader(playbook.file.path)
    chart_page = next(
        n + 1
        for n, page in enumerate(reader.pages)
        if "Stage and dimensions" in page.extract_text()[:200]
    )
    for number in [1, 2, 3, chart_page]:
        prefix = tmp_path / f"page-{number}"
        subprocess.run(  # noqa: S603 - fixed arguments, our own file
            [  # noqa: S607 - poppler-utils is installed by .ci/run
                "pdftoppm",
                "-r",
                "50",
                "-png",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                playbook.file.path,
                str(prefix),
            ],
            check=True,
        )
        image = Image.open(f"{prefix}.png").convert("L")
        stat = ImageStat.Stat(image)
        ink = sum(1 for value in image.getdata() if value < 200) / (image.width * image.height)
        assert stat.stddev[0] > 10, number  # not one flat colour
        assert ink > 0.01, number  # something is drawn
    cover = Image.open(tmp_path / "page-1.png").convert("RGB")
    # The cover band carries the workspace's accent colour.
    r, _g, b = cover.getpixel((cover.width // 2, 20))
    assert b > r
    assert b > 150
