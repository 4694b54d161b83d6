"""Workspace and client archives: export, delete, import; damaged archives; copies;
the client wall; links across sites."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers import serialize
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Answer, Assessment, Respondent
from assessments.results import assessment_results
from audit.models import AuditAction, AuditEvent
from cxmaturity import backups
from kpis.models import KPI, StrategyPlan
from kpis.selectors import scorecard
from playbooks.models import CampaignPlan, Document
from playbooks.services import document_render, document_request
from workspaces.models import Client, Membership, Role, User, Workspace

pytestmark = pytest.mark.django_db

DEMO = "Demo Consulting"


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    return Workspace.objects.get(name=DEMO)


def _export(workspace) -> bytes:
    out = io.BytesIO()
    backups.workspace_export(workspace=workspace, out=out)
    return out.getvalue()


def _client_export(client) -> bytes:
    out = io.BytesIO()
    backups.client_export(client=client, out=out)
    return out.getvalue()


def _rows(workspace) -> dict[str, list]:
    """Every row the archive would carry, as the serializer sees it, but the audit trail
    (an import adds its own event) and counter keys (the database draws new ones)."""
    paths = backups._owned_paths(Workspace, set(backups.EXCLUDED))
    rows = {}
    for model, path in paths.items():
        if model is AuditEvent:
            continue
        found = json.loads(serialize("json", model._base_manager.filter(**{path: workspace.pk})))
        for row in found:
            if not isinstance(row["pk"], str):
                row.pop("pk")
            for value in row["fields"].values():
                if isinstance(value, list):
                    value.sort(key=str)  # many-to-many: a set
        rows[model._meta.label_lower] = sorted(found, key=lambda r: json.dumps(r, sort_keys=True))
    return rows


def _pdf_text(document: Document) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(document.file.path).pages)


def _playbook(client: Client) -> Document:
    requested = document_request(client=client, kind="playbook", enqueue=False)
    document = document_render(document_id=requested.id)
    assert document.status == Document.Status.DONE, document.error
    return document


def _media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _summary(workspace) -> dict:
    """What people see: results, plan with its scorecard, campaigns."""
    northwind = Client.objects.get(workspace=workspace, name="Northwind Retail")
    closed = Assessment.objects.get(client=northwind, status=Assessment.Status.CLOSED)
    plan = StrategyPlan.objects.get(client=northwind, status="active")
    return {
        "results": {
            key: json.loads(json.dumps(value, default=str))
            for key, value in assessment_results(closed).items()
            if key in ("overall", "dimensions", "findings")
        },
        "plan": plan.title,
        "scorecard": json.loads(json.dumps(scorecard(plan=plan), default=str)),
        "kpis": sorted(KPI.objects.filter(plan=plan).values_list("name", "target")),
        "campaigns": sorted(
            CampaignPlan.objects.filter(client__workspace=workspace).values_list(
                "name", "total_budget"
            )
        ),
    }


def test_a_workspace_comes_back_whole_after_export_delete_import(
    demo, settings, django_capture_on_commit_callbacks
):
    northwind = Client.objects.get(workspace=demo, name="Northwind Retail")
    playbook = _playbook(northwind)
    text, pdf = _pdf_text(playbook), Path(playbook.file.path).read_bytes()
    rows, summary = _rows(demo), _summary(demo)
    trail = AuditEvent.objects.filter(workspace=demo).count()
    owner = User.objects.get(email="owner@demo.cxmaturity.local")
    archive = _export(demo)
    workspace_id = demo.id
    with django_capture_on_commit_callbacks(execute=True):
        demo.delete()  # the files go with their rows, once committed
    assert not Path(playbook.file.path).exists()

    result = backups.workspace_import(archive=backups.archive_read(archive))

    assert result.workspace.id == workspace_id  # the ids were free again
    assert _rows(result.workspace) == rows
    assert _summary(result.workspace) == summary
    assert AuditEvent.objects.filter(workspace=result.workspace).count() == trail + 1
    assert Membership.objects.get(workspace=result.workspace, user=owner).role == Role.OWNER
    restored = Document.objects.get(id=playbook.id)
    assert Path(restored.file.path).read_bytes() == pdf
    # Rendered again from the restored rows, the same version reads the same.
    Document.objects.filter(id=playbook.id).update(status=Document.Status.QUEUED)
    again = document_render(document_id=playbook.id)
    assert again.status == Document.Status.DONE, again.error
    assert _pdf_text(again) == text


def test_importing_twice_makes_two_copies_with_new_ids(demo, settings):
    archive = backups.archive_read(_export(demo))
    first = backups.workspace_import(archive=archive).workspace
    second = backups.workspace_import(archive=archive).workspace
    assert len({demo.id, first.id, second.id}) == 3
    for copy in (first, second):
        assert copy.name == DEMO
        assert sorted(copy.clients.values_list("name", flat=True)) == sorted(
            demo.clients.values_list("name", flat=True)
        )
        assert not copy.clients.filter(id__in=demo.clients.values("id")).exists()
        answers = Answer.objects.filter(respondent__assessment__client__workspace=copy)
        assert (
            answers.count()
            == Answer.objects.filter(respondent__assessment__client__workspace=demo).count()
        )
        assert _summary(copy) == _summary(demo)
    # One link opens one respondent: the copies got links of their own.
    hashes = list(Respondent.objects.exclude(token_hash="").values_list("token_hash", flat=True))
    assert hashes
    assert len(hashes) == len(set(hashes))


def _damaged(archive: bytes, how: str) -> bytes:
    if how == "truncated":
        return archive[: len(archive) // 2]
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == backups.MANIFEST:
                manifest = json.loads(content)
                if how == "checksum":
                    manifest["data"]["sha256"] = "0" * 64
                elif how == "newer":
                    manifest["version"] = backups.FORMAT_VERSION + 1
                elif how == "file":
                    manifest["files"][0]["sha256"] = "0" * 64
                content = json.dumps(manifest).encode()
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("truncated", "not a readable zip file"),
        ("checksum", "do not match their checksum"),
        ("file", "does not match its checksum"),
        ("newer", "made by a newer version of cxmaturity (format 2)"),
    ],
)
def test_a_damaged_or_newer_archive_is_refused_and_nothing_is_written(
    how, message, demo, settings, tmp_path
):
    northwind = Client.objects.get(workspace=demo, name="Northwind Retail")
    _playbook(northwind)  # so the archive carries a file
    path = tmp_path / "archive.zip"
    path.write_bytes(_damaged(_export(demo), how))
    counts = (Workspace.objects.count(), Client.objects.count(), Answer.objects.count())
    files = _media_files(settings)
    for command, extra in [("import_workspace", []), ("import_client", ["--workspace", demo.id])]:
        with pytest.raises(CommandError) as refused:
            call_command(command, str(path), *extra, "--no-input", stdout=io.StringIO())
        assert message in str(refused.value)
        assert "Nothing was written." in str(refused.value)
    assert (Workspace.objects.count(), Client.objects.count(), Answer.objects.count()) == counts
    assert _media_files(settings) == files


def test_a_failed_import_removes_the_files_it_copied(demo, settings, monkeypatch):
    _playbook(Client.objects.get(workspace=demo, name="Northwind Retail"))
    archive = backups.archive_read(_export(demo))
    files = _media_files(settings)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(backups, "_links_settle", broken)
    with pytest.raises(RuntimeError):
        backups.workspace_import(archive=archive)
    assert Workspace.objects.count() == 1
    assert _media_files(settings) == files


def test_a_client_archive_holds_that_client_only(demo):
    northwind = Client.objects.get(workspace=demo, name="Northwind Retail")
    _playbook(northwind)
    archive = _client_export(northwind)
    data = zipfile.ZipFile(io.BytesIO(archive)).read(backups.DATA).decode()
    rows = json.loads(data)["rows"]
    models = {row["model"] for row in rows}
    assert {"workspaces.client", "assessments.answer", "kpis.kpi", "playbooks.document"} <= models
    for excluded in [
        "workspaces.workspace",
        "workspaces.membership",
        "workspaces.clientaccess",
        "workspaces.invitation",
        "audit.auditevent",
        "workspaces.apitoken",
    ]:
        assert excluded not in models
    others = Client.objects.filter(workspace=demo).exclude(id=northwind.id)
    for other in others:
        assert str(other.id) not in data
        assert other.name not in data
        for kind in (Assessment, StrategyPlan, CampaignPlan, Document):
            for pk in kind.objects.filter(client=other).values_list("id", flat=True):
                assert str(pk) not in data
    people = {p["email"] for p in json.loads(data)["users"]}
    assert "viewer@demo.cxmaturity.local" not in people  # a member of other clients too


def test_a_client_moves_to_another_workspace_with_its_results(demo, outsider):
    northwind = Client.objects.get(workspace=demo, name="Northwind Retail")
    before = _summary(demo)["results"]
    assert before["overall"]
    assert before["dimensions"]
    target = Workspace.objects.create(name="Elsewhere")
    result = backups.client_import(
        archive=backups.archive_read(_client_export(northwind)), workspace=target
    )
    copy = result.client
    assert (copy.workspace, copy.name) == (target, "Northwind Retail")
    assert copy.id != northwind.id  # the original still holds its id
    again = backups.client_import(
        archive=backups.archive_read(_client_export(northwind)), workspace=demo
    )
    assert again.client.name == "Northwind Retail (imported)"
    closed = Assessment.objects.get(client=copy, status=Assessment.Status.CLOSED)
    results = json.loads(json.dumps(assessment_results(closed), default=str))
    for key in ("score", "stage", "stage_name"):  # peers differ: it is alone there
        assert results["overall"][key] == before["overall"][key]
    assert _without_benchmark(results["dimensions"]) == _without_benchmark(before["dimensions"])


def _without_benchmark(rows: list[dict]) -> list[dict]:
    # Each dimension's benchmark is against that workspace's peers, which differ.
    return [{k: v for k, v in row.items() if k != "benchmark"} for row in rows]


def test_links_from_another_site_are_reported_and_reissued_on_request(demo, settings, tmp_path):
    northwind = Client.objects.get(workspace=demo, name="Northwind Retail")
    path = tmp_path / "northwind.zip"
    call_command(
        "export_client", "--client", str(northwind.id), "--out", str(path), stdout=io.StringIO()
    )
    northwind.delete()  # as if on another site: the original's links are nowhere here
    settings.SECRET_KEY = "another-site-" + "x" * 50
    target = Workspace.objects.create(name="New site")
    out = io.StringIO()
    call_command(
        "import_client", str(path), "--workspace", str(target.id), "--no-input", stdout=out
    )
    assert "another SECRET_KEY" in out.getvalue()
    assert "were not reissued" in out.getvalue()
    assert "New link" not in out.getvalue()
    out = io.StringIO()
    call_command(
        "import_client", str(path), "--workspace", str(target.id), "--reissue-links", stdout=out
    )
    links = [line for line in out.getvalue().splitlines() if line.startswith("New link")]
    live = Respondent.objects.filter(assessment__client__workspace=target, revoked_at=None).exclude(
        token_hash=""
    )
    assert len(links) == live.count() // 2 > 0  # the second import's respondents
    token = links[0].rstrip("/").rsplit("/", 1)[1]
    assert Respondent.objects.filter(token_hash=backups_token_hash(token)).count() == 1


def backups_token_hash(token: str) -> str:
    from assessments.tokens import token_hash

    return token_hash(token)


def test_members_are_matched_by_email_and_missing_ones_created(demo):
    archive = backups.archive_read(_export(demo))
    consultant = User.objects.get(email="consultant@demo.cxmaturity.local")
    demo.delete()
    consultant.delete()
    result = backups.workspace_import(archive=archive)
    assert result.users_created == ["consultant@demo.cxmaturity.local"]
    created = User.objects.get(email="consultant@demo.cxmaturity.local")
    assert created.is_active
    assert created.has_usable_password()
    assert not created.check_password("demo-cx-2026")
    assert Membership.objects.get(workspace=result.workspace, user=created).role == "consultant"


# --- Downloads from the settings page ------------------------------------------------------


def test_owners_download_archives_from_the_settings_page(client, owner, consultant, acme_client):
    workspace = acme_client.workspace
    client.force_login(owner)
    page = client.get(reverse("workspace_settings", args=[workspace.id]))
    assert reverse("workspace_backup", args=[workspace.id]) in page.text
    assert reverse("client_backup", args=[workspace.id, acme_client.id]) in page.text
    response = client.get(reverse("workspace_backup", args=[workspace.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = backups.archive_read(b"".join(response.streaming_content))
    assert archive.manifest["root"]["id"] == str(workspace.id)
    event = AuditEvent.objects.get(workspace=workspace, action=AuditAction.EXPORT_DOWNLOADED)
    assert event.actor == owner
    response = client.get(reverse("client_backup", args=[workspace.id, acme_client.id]))
    assert backups.archive_read(b"".join(response.streaming_content)).manifest["kind"] == "client"
    client.force_login(consultant)
    assert client.get(reverse("workspace_backup", args=[workspace.id])).status_code == 403
    url = reverse("client_backup", args=[workspace.id, acme_client.id])
    assert client.get(url).status_code == 403
