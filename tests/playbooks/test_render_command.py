"""manage.py render_document: a synchronous render copied to --out, and clear errors."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from playbooks import pdf
from playbooks.models import CampaignPlan, Document
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Rendered documents are stored under the test's own folder, not var/test.
    settings.MEDIA_ROOT = tmp_path / "media"


def _text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _campaign(client, name="Spring push") -> CampaignPlan:
    return CampaignPlan.objects.create(
        client=client, name=name, journey="shopping", lifecycle_stage="consideration"
    )


def test_a_playbook_is_rendered_stored_and_copied_to_out(workspace, tmp_path, capsys):
    client = ClientFactory(workspace=workspace, name="Tiny Widgets Ltd")
    out = tmp_path / "tiny.pdf"

    call_command(
        "render_document", "--client", "tiny widgets ltd", "--kind", "playbook", "--out", str(out)
    )

    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert "Tiny Widgets Ltd" in _text(out)
    document = Document.objects.get(client=client)
    assert document.status == Document.Status.DONE
    assert (document.kind, document.version, document.page_size) == ("playbook", 1, "A4")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    printed = capsys.readouterr().out
    assert "version: 1" in printed
    assert f"pages: {document.pages}" in printed
    assert f"size: {len(data)} bytes" in printed
    assert f"sha256: {document.sha256}" in printed


def test_the_client_may_be_named_by_its_id(workspace, tmp_path):
    client = ClientFactory(workspace=workspace)
    campaign = _campaign(client)
    out = tmp_path / "plan.pdf"

    call_command(
        "render_document",
        client=str(client.id),
        kind="campaign_plan",
        campaign="SPRING PUSH",
        page_size="letter",
        out=str(out),
    )

    assert out.read_bytes().startswith(b"%PDF")
    document = Document.objects.get(campaign=campaign)
    assert (document.kind, document.page_size) == ("campaign_plan", "letter")


@pytest.mark.parametrize("name", ["Nobody Ltd", "6f1c2b1e-0000-4000-8000-000000000000"])
def test_an_unknown_client_is_a_command_error(workspace, tmp_path, name):
    ClientFactory(workspace=workspace)
    with pytest.raises(CommandError, match="No client"):
        call_command("render_document", client=name, kind="playbook", out=str(tmp_path / "x.pdf"))
    assert not Document.objects.exists()


def test_a_name_in_two_workspaces_asks_for_the_id(workspace, tmp_path):
    ours = ClientFactory(workspace=workspace, name="Globex")
    theirs = ClientFactory(name="GLOBEX")  # in a workspace of its own

    with pytest.raises(CommandError, match="pass the id") as raised:
        call_command(
            "render_document", client="globex", kind="playbook", out=str(tmp_path / "x.pdf")
        )

    message = str(raised.value)
    for client in (ours, theirs):
        assert str(client.id) in message
        assert client.workspace.name in message
    assert not Document.objects.exists()


@pytest.mark.parametrize("by", ["id", "name"])
def test_a_campaign_of_another_client_is_refused(workspace, tmp_path, by):
    client = ClientFactory(workspace=workspace)
    campaign = _campaign(ClientFactory(workspace=workspace))

    with pytest.raises(CommandError, match="belongs to another client"):
        call_command(
            "render_document",
            client=client.name,
            kind="campaign_plan",
            campaign=str(campaign.id) if by == "id" else campaign.name,
            out=str(tmp_path / "x.pdf"),
        )
    assert not Document.objects.exists()


def test_a_failed_render_says_why(workspace, tmp_path, monkeypatch):
    client = ClientFactory(workspace=workspace)

    def broken(*args, **kwargs):
        raise ValueError("no fonts at all")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="no fonts at all"):
        call_command("render_document", client=client.name, kind="playbook", out=str(out))
    assert Document.objects.get(client=client).status == Document.Status.FAILED
    assert not out.exists()


def test_an_unwritable_out_is_refused_before_rendering(workspace, tmp_path):
    client = ClientFactory(workspace=workspace)
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "render_document",
            client=client.name,
            kind="playbook",
            out=str(tmp_path / "missing" / "x.pdf"),
        )
    with pytest.raises(CommandError, match="is a folder"):
        call_command("render_document", client=client.name, kind="playbook", out=str(tmp_path))
    assert not Document.objects.exists()
