"""Workspace and client archives: a zip of a versioned JSON manifest, every row as JSON and
the media files (logos, documents, Parquet tables), restorable into any site.

Which rows belong to a workspace (or a client) is found by walking foreign keys from it
through Django's model registry, so a model or field added later travels without a change
here. What stays behind is listed in EXCLUDED and CLIENT_EXCLUDED, each with its reason.
Sessions, two-factor devices and django-auditlog's LogEntry hang off people or nothing,
never off a workspace, so the walk never reaches them.

Import validates the whole archive (checksums, format, fields) before writing anything,
then writes in one transaction; ids are kept when free on the target site and replaced
otherwise. People are matched by email address (see `_users_resolve`).

This module imports; `backups_export` writes, `backups_archive` holds the format. It
lives above the apps (it moves rows of all of them and records an audit event).
"""

import json
import secrets
import uuid
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.base import DeserializationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from assessments.models import QuestionnaireVersion, Respondent
from assessments.services import questionnaire_import, respondent_link
from assessments.tokens import new_nonce, token_for, token_hash
from audit.models import AuditAction
from audit.services import audit_record
from workspaces.models import Client, User, Workspace

from .backups_archive import (
    CLIENT_EXCLUDED,
    DATA,
    EXCLUDED,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    Archive,
    ArchiveError,
    ImportResult,
    _label,
    _owned_paths,
    _relations,
    _rows_check,
    archive_read,
    key_fingerprint,
)
from .backups_export import client_export, workspace_export

__all__ = [
    "CLIENT_EXCLUDED",
    "DATA",
    "EXCLUDED",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "MEDIA",
    "Archive",
    "ArchiveError",
    "ImportResult",
    "_owned_paths",
    "archive_read",
    "client_export",
    "client_import",
    "key_fingerprint",
    "workspace_export",
    "workspace_import",
]


def workspace_import(*, archive: Archive, reissue_links: bool = False) -> ImportResult:
    """Restore a workspace archive as a new workspace (its id kept when free)."""
    if archive.manifest.get("kind") != "workspace":
        raise ArchiveError(_("This is a client's archive: import it with import_client."))
    _rows_check(archive)
    return _import(archive=archive, workspace=None, reissue_links=reissue_links)


def client_import(
    *, archive: Archive, workspace: Workspace, reissue_links: bool = False
) -> ImportResult:
    """Restore a client archive into `workspace` (its ids kept when free)."""
    if archive.manifest.get("kind") != "client":
        raise ArchiveError(_("This is a workspace's archive: import it with import_workspace."))
    _rows_check(archive)
    return _import(archive=archive, workspace=workspace, reissue_links=reissue_links)


def _import(*, archive: Archive, workspace: Workspace | None, reissue_links: bool) -> ImportResult:
    saved: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            return _write(archive, workspace, reissue_links, saved)
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise


def _write(
    archive: Archive, workspace: Workspace | None, reissue_links: bool, saved: list
) -> ImportResult:
    rows = archive.data["rows"]
    by_model: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_model[row["model"]].append(row)
    member_ids = {r["fields"]["user"] for r in by_model.get("workspaces.membership", [])}
    users, created = _users_resolve(archive.data["users"], create=member_ids)
    ids = _ids_map(by_model)
    ids.update(_questionnaires_resolve(archive.data["questionnaires"], workspace))
    names = _media_save(archive, by_model, saved)
    objects = [_row_remap(row, ids, users, names, workspace) for row in rows]
    _rows_save(objects)
    result = ImportResult(workspace=workspace, rows=len(objects), files=len(names))  # type: ignore[arg-type]
    result.users_created = created
    root = archive.manifest["root"]
    root_object = apps.get_model(root["model"])._base_manager.get(
        pk=ids[(root["model"], root["id"])]
    )
    if isinstance(root_object, Workspace):
        result.workspace = root_object
    else:
        result.client = root_object
    _links_settle(archive, ids, reissue_links, result)
    audit_record(
        actor=None,
        workspace=result.workspace,
        client=result.client,
        action=AuditAction.CREATED,
        obj=root_object,
        label=_("Restored from an archive"),
    )
    return result


def _row_remap(
    row: dict, ids: dict, users: dict[str, str], names: dict[str, str], workspace: Workspace | None
) -> dict:
    """The archive's row with every key, person and file name pointing to what is here."""
    model = apps.get_model(row["model"])
    row = {
        "model": row["model"],
        "pk": ids.get((row["model"], str(row["pk"]))),
        "fields": dict(row["fields"]),
    }
    for f in _relations(model):
        value = row["fields"].get(f.name)
        if value is None:
            continue
        label = _label(f.related_model)
        if label == _label(User):
            row["fields"][f.name] = users.get(str(value))
        elif label == _label(Workspace) and workspace is not None:
            row["fields"][f.name] = str(workspace.pk)
        else:
            row["fields"][f.name] = ids.get((label, str(value)))
        if row["fields"][f.name] is None and not f.null:
            raise ArchiveError(
                _("The archive's %(model)s row %(id)s points to a missing %(target)s.")
                % {"model": row["model"], "id": row["pk"], "target": label}
            )
    for f in model._meta.many_to_many:
        label = _label(f.related_model)
        row["fields"][f.name] = [ids[(label, str(v))] for v in row["fields"].get(f.name, [])]
    for f in model._meta.concrete_fields:
        if isinstance(f, models.FileField) and row["fields"].get(f.name):
            row["fields"][f.name] = names.get(row["fields"][f.name], "")
    if model is Client and workspace is not None:
        row["fields"]["name"] = _free_client_name(workspace, row["fields"]["name"])
        # A client restored into a workspace is visible there, whatever it was before.
        row["fields"]["deleted_at"] = None
        row["fields"]["deleted_by"] = None
    return row


def _rows_save(objects: list[dict]) -> None:
    try:
        deserialized = list(serializers.deserialize("python", objects))
    except DeserializationError as exc:
        raise ArchiveError(
            _("The archive's rows cannot be read: %(problem)s") % {"problem": exc}
        ) from exc
    # Many-to-many links once every row is in (saving forgets them: keep them first).
    links = [(item.object, item.m2m_data or {}) for item in deserialized]
    for item in deserialized:
        item.save(save_m2m=False, force_insert=True)
    for obj, m2m in links:
        for name, values in m2m.items():
            getattr(obj, name).set(values)


def _ids_map(by_model: dict[str, list[dict]]) -> dict[tuple[str, str], Any]:
    """(model, old pk) → pk here: kept when free, a new one otherwise. Counter keys are
    left to the database (a kept one would trail its sequence on PostgreSQL)."""
    ids: dict[tuple[str, str], Any] = {}
    for label, rows in by_model.items():
        model = apps.get_model(label)
        pk = model._meta.pk
        old = [str(r["pk"]) for r in rows]
        if not isinstance(pk, models.UUIDField):
            ids.update({(label, value): None for value in old})
            continue
        taken = {
            str(v) for v in model._base_manager.filter(pk__in=old).values_list("pk", flat=True)
        }
        ids.update({(label, v): (str(uuid.uuid4()) if v in taken else v) for v in old})
    return ids


def _users_resolve(people: list[dict], *, create: set[str]) -> tuple[dict[str, str], list[str]]:
    """Old user id → this site's user with the same email. A member with no account here
    gets an active one with a random password nobody knows: "Forgot your password?" lets
    them in (Django's reset skips inactive users and unusable passwords). Someone who only
    authored rows and is unknown here is not created; those rows keep their names."""
    found = {
        u.email.lower(): u for u in User.objects.filter(email__in=[p["email"] for p in people])
    }
    mapping, created = {}, []
    for person in people:
        user = found.get(person["email"].lower())
        if user is None and person["id"] in create:
            user = User.objects.create_user(
                person["email"], password=secrets.token_urlsafe(32), name=person["name"]
            )
            created.append(user.email)
        if user is not None:
            mapping[person["id"]] = str(user.pk)
    return mapping, created


def _questionnaires_resolve(
    versions: list[dict], workspace: Workspace | None
) -> dict[tuple[str, str], Any]:
    ids: dict[tuple[str, str], Any] = {}
    for entry in versions:
        owner = None if entry["shared"] else workspace
        if not entry["shared"] and workspace is None:
            raise ArchiveError(_("The archive uses a questionnaire it does not carry."))
        version = QuestionnaireVersion.objects.filter(
            questionnaire__workspace=owner,
            questionnaire__key=entry["key"],
            content_hash=entry["content_hash"],
        ).first()
        if version is None:
            try:
                version, _created = questionnaire_import(
                    data=json.dumps(entry["content"]), workspace=owner
                )
            except ValidationError as exc:
                raise ArchiveError(
                    _("The archive's questionnaire %(key)s cannot be loaded: %(problem)s")
                    % {"key": entry["key"], "problem": "; ".join(exc.messages)}
                ) from exc
        ids[("assessments.questionnaireversion", entry["id"])] = str(version.id)
        dimensions = dict(version.dimensions.values_list("key", "id"))
        questions = dict(version.questions.values_list("key", "id"))
        for old, key in entry["dimensions"].items():
            ids[("assessments.dimension", old)] = str(dimensions[key])
        for old, key in entry["questions"].items():
            ids[("assessments.question", old)] = str(questions[key])
    return ids


def _media_save(archive: Archive, by_model: dict[str, list[dict]], saved: list) -> dict[str, str]:
    """Store the archive's files (under a new name when the old one is taken); old name →
    new. Each stored file is recorded in `saved`, so a failed import removes it."""
    storages = {}
    for label, rows in by_model.items():
        model = apps.get_model(label)
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                for row in rows:
                    if row["fields"].get(f.name):
                        storages[row["fields"][f.name]] = f.storage
    names = {}
    for name, content in archive.media.items():
        storage = storages.get(name)
        if storage is None:
            continue
        stored = storage.save(name, ContentFile(content))
        saved.append((storage, stored))
        names[name] = stored
    return names


def _free_client_name(workspace: Workspace, name: str) -> str:
    taken = {
        n.lower() for n in Client.objects.filter(workspace=workspace).values_list("name", flat=True)
    }
    candidate, n = name, 1
    while candidate.lower() in taken:
        suffix = _(" (imported)") if n == 1 else _(" (imported %(n)s)") % {"n": n}
        candidate = name[: 120 - len(suffix)] + suffix
        n += 1
    return candidate


def _links_settle(archive: Archive, ids: dict, reissue: bool, result: ImportResult) -> None:
    """Respondent links are an HMAC under SECRET_KEY. From another site they open nothing
    here: say so, and issue new ones when asked. A copy on the same site gets new ones
    always, so one link never opens two respondents."""
    other_site = archive.from_other_site
    imported = [
        ids[("assessments.respondent", str(r["pk"]))]
        for r in archive.data["rows"]
        if r["model"] == "assessments.respondent" and r["fields"].get("token_hash")
    ]
    respondents = Respondent.objects.filter(pk__in=imported, revoked_at__isnull=True)
    result.links_dead = other_site and respondents.exists()
    for respondent in respondents:
        twin = Respondent.objects.filter(token_hash=respondent.token_hash).exclude(pk=respondent.pk)
        if not (twin.exists() or (other_site and reissue)):
            continue
        respondent.token_nonce = new_nonce()
        respondent.token_hash = token_hash(token_for(respondent.token_nonce))
        respondent.save(update_fields=["token_nonce", "token_hash"])
        result.links.append((respondent, respondent_link(respondent)))
    if reissue:
        result.links_dead = False
