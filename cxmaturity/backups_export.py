"""Writing a workspace's or a client's archive (see cxmaturity.backups)."""

import json
import zipfile
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.db import models
from django.utils import timezone

from assessments.models import Dimension, Question, QuestionnaireVersion
from workspaces.models import Client, User, Workspace

from .backups_archive import (
    CLIENT_EXCLUDED,
    DATA,
    EXCLUDED,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    QUESTIONNAIRE_MODELS,
    _Encoder,
    _label,
    _owned_paths,
    _relations,
    _sha256,
    key_fingerprint,
)


def workspace_export(*, workspace: Workspace, out: IO[bytes]) -> dict:
    """Write the workspace's archive (every client, trashed ones too) to `out`."""
    return _export(root=workspace, kind="workspace", excluded=set(EXCLUDED), out=out)


def client_export(*, client: Client, out: IO[bytes]) -> dict:
    """Write one client's archive to `out`: its rows only, nothing naming another client."""
    return _export(root=client, kind="client", excluded=set(EXCLUDED) | CLIENT_EXCLUDED, out=out)


def _export(*, root: models.Model, kind: str, excluded: set[str], out: IO[bytes]) -> dict:
    querysets, owned_ids = _owned_rows(root, excluded)
    users: set[str] = set()
    versions: set[str] = set()
    files: dict[str, dict] = {}
    zipped = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
    rows: list[dict] = []
    for model, qs in querysets.items():
        for row in serializers.serialize("python", qs):
            _check_references(model, row, owned_ids, users, versions, root)
            for f in model._meta.concrete_fields:
                if isinstance(f, models.FileField) and row["fields"].get(f.name):
                    name = row["fields"][f.name]
                    if name not in files:
                        files[name] = _file_add(zipped, f.storage, name)
                    if files[name] is None:
                        row["fields"][f.name] = ""  # gone from storage: the row says so
            rows.append(row)
    people = [
        {"id": str(u.id), "email": u.email, "name": u.name}
        for u in User.objects.filter(id__in=users).order_by("email")
    ]
    data = json.dumps(
        {"rows": rows, "users": people, "questionnaires": _questionnaires(versions)},
        cls=_Encoder,
        sort_keys=True,
    ).encode()
    zipped.writestr(DATA, data)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "kind": kind,
        "root": {"model": _label(type(root)), "id": str(root.pk), "name": str(root)},
        "created_at": timezone.now().isoformat(),
        "secret_key_fingerprint": key_fingerprint(),
        "data": {"path": DATA, "sha256": _sha256(data), "rows": len(rows)},
        "files": [
            {"name": name, **entry} for name, entry in sorted(files.items()) if entry is not None
        ],
        "missing_files": sorted(name for name, entry in files.items() if entry is None),
    }
    zipped.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    zipped.close()
    return manifest


def _owned_rows(root: models.Model, excluded: set[str]) -> tuple[dict, dict[str, set[str]]]:
    """Each owned model's rows (in model-label order) and the ids of them by model label."""
    paths = _owned_paths(type(root), excluded)
    owned_ids: dict[str, set[str]] = {}
    querysets = {}
    for model, lookup in sorted(paths.items(), key=lambda item: _label(item[0])):
        qs = model._base_manager.filter(**{lookup: root.pk}).order_by("pk")
        querysets[model] = qs
        owned_ids[_label(model)] = {str(pk) for pk in qs.values_list("pk", flat=True)}
    return querysets, owned_ids


def _questionnaires(versions: set[str]) -> list[dict]:
    """The questionnaire versions the rows use, as content with their keys by id."""
    return [
        {
            "id": str(v.id),
            "key": v.questionnaire.key,
            "shared": v.questionnaire.workspace_id is None,
            "content_hash": v.content_hash,
            "content": v.content,
            "dimensions": {
                str(i): k for i, k in Dimension.objects.filter(version=v).values_list("id", "key")
            },
            "questions": {
                str(i): k for i, k in Question.objects.filter(version=v).values_list("id", "key")
            },
        }
        for v in QuestionnaireVersion.objects.filter(id__in=versions).select_related(
            "questionnaire"
        )
    ]


def _file_add(zipped: zipfile.ZipFile, storage: Any, name: str) -> dict | None:
    try:
        with storage.open(name, "rb") as source:
            content = source.read()
    except (FileNotFoundError, OSError):
        return None
    zipped.writestr(MEDIA + name, content)
    return {"sha256": _sha256(content), "size": len(content)}


def _check_references(
    model: type[models.Model],
    row: dict,
    owned_ids: dict[str, set[str]],
    users: set[str],
    versions: set[str],
    root: models.Model,
) -> None:
    """Every key in a row points into the archive, to a person, to questionnaire content or
    (in a client's archive) to the workspace; anything else would not survive a move."""
    user_label = _label(User)
    for f in [*_relations(model), *model._meta.many_to_many]:
        values = row["fields"].get(f.name)
        if values is None or values == "":
            continue
        target = _label(f.related_model)
        for value in values if f.many_to_many else [values]:
            value = str(value)
            if target in owned_ids and value in owned_ids[target]:
                continue
            if target == user_label:
                users.add(value)
            elif target in QUESTIONNAIRE_MODELS:
                versions.add(_version_of(target, value))
            elif target == _label(Workspace) and isinstance(root, Client):
                continue  # the client's workspace: the one it is imported into
            else:
                raise ValueError(
                    f"{_label(model)}.{f.name} points to {target} {value}, outside the archive."
                )


def _version_of(label: str, pk: str) -> str:
    model = apps.get_model(label)
    if label == "assessments.questionnaireversion":
        return pk
    return str(model._base_manager.values_list("version_id", flat=True).get(pk=pk))
