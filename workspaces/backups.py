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
"""

import datetime
import hashlib
import io
import json
import secrets
import uuid
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Client, User, Workspace

FORMAT = "cxmaturity-archive"
# Raise when an archive written now could not be read by the code of the previous format.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"

EXCLUDED = {
    # Personal credentials: a person makes new tokens on the new site.
    "workspaces.apitoken": "API tokens",
}
# A client's archive moves the client's own work, not the workspace around it: its team
# (memberships of the source workspace), pending invitations (links into the source
# workspace) and audit events (the source workspace's trail, which keeps them) stay.
CLIENT_EXCLUDED = {"workspaces.clientaccess", "workspaces.invitation", "audit.auditevent"}
# Questionnaire content is shared by many clients (and, for the shipped ones, by every
# workspace): an archive carries the versions it uses as content, and import finds or
# loads them by key and content hash, then matches dimensions and questions by key.
QUESTIONNAIRE_MODELS = {
    "assessments.questionnaireversion",
    "assessments.dimension",
    "assessments.question",
}


class _Encoder(DjangoJSONEncoder):
    # Django's encoder cuts times to milliseconds: an archive keeps them to the microsecond.
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(ValueError):
    """The archive cannot be imported; nothing was written."""


@dataclass
class ImportResult:
    workspace: Workspace
    client: Client | None = None
    rows: int = 0
    files: int = 0
    # The archive came from a site with another SECRET_KEY: its respondent links are dead.
    links_dead: bool = False
    # (respondent, new link) for every link issued anew.
    links: list[tuple[Any, str]] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)


def key_fingerprint() -> str:
    """A hash of this site's SECRET_KEY (never the key): archives record it, so an import
    knows whether respondent links, which are signed with the key, will still open."""
    return hashlib.sha256(f"cxmaturity.archive:{settings.SECRET_KEY}".encode()).hexdigest()[:32]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _relations(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]


def _owned_paths(root: type[models.Model], excluded: set[str]) -> dict[type[models.Model], str]:
    """Every model whose rows belong to a root row through foreign keys → the lookup from it
    to the root's pk. A required key is preferred, so each row is reached the sure way."""
    owned = {root}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in owned or _label(model) in excluded or model._meta.proxy:
                continue
            if any(f.related_model in owned for f in _relations(model)):
                owned.add(model)
                changed = True
    paths: dict[type[models.Model], str] = {root: "pk"}

    def path(model: type[models.Model], seen: frozenset) -> str | None:
        if model in paths:
            return paths[model]
        candidates = [
            f
            for f in _relations(model)
            if f.related_model in owned
            and f.related_model is not model
            and f.related_model not in seen
        ]
        candidates.sort(key=lambda f: f.null)
        for f in candidates:
            rest = path(f.related_model, seen | {model})
            if rest is not None:
                paths[model] = f"{f.name}__{rest}"
                return paths[model]
        return None

    for model in owned:
        path(model, frozenset())
    return paths


# --- Export ------------------------------------------------------------------------------


def workspace_export(*, workspace: Workspace, out: IO[bytes]) -> dict:
    """Write the workspace's archive (every client, trashed ones too) to `out`."""
    return _export(root=workspace, kind="workspace", excluded=set(EXCLUDED), out=out)


def client_export(*, client: Client, out: IO[bytes]) -> dict:
    """Write one client's archive to `out`: its rows only, nothing naming another client."""
    return _export(root=client, kind="client", excluded=set(EXCLUDED) | CLIENT_EXCLUDED, out=out)


def _export(*, root: models.Model, kind: str, excluded: set[str], out: IO[bytes]) -> dict:
    from assessments.models import Dimension, Question, QuestionnaireVersion

    paths = _owned_paths(type(root), excluded)
    rows: list[dict] = []
    owned_ids: dict[str, set[str]] = {}
    querysets = {}
    for model, lookup in sorted(paths.items(), key=lambda item: _label(item[0])):
        qs = model._base_manager.filter(**{lookup: root.pk}).order_by("pk")
        querysets[model] = qs
        owned_ids[_label(model)] = {str(pk) for pk in qs.values_list("pk", flat=True)}
    users: set[str] = set()
    versions: set[str] = set()
    files: dict[str, dict] = {}
    zipped = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
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
    questionnaires = [
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
    people = [
        {"id": str(u.id), "email": u.email, "name": u.name}
        for u in User.objects.filter(id__in=users).order_by("email")
    ]
    data = json.dumps(
        {"rows": rows, "users": people, "questionnaires": questionnaires},
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


# --- Import ------------------------------------------------------------------------------


@dataclass
class Archive:
    """A read and checked archive, ready to import."""

    manifest: dict
    data: dict
    media: dict[str, bytes]

    @property
    def from_other_site(self) -> bool:
        """Written under another SECRET_KEY: its respondent links will not open here."""
        return self.manifest.get("secret_key_fingerprint") != key_fingerprint()

    @property
    def has_links(self) -> bool:
        return any(
            r["model"] == "assessments.respondent" and r["fields"].get("token_hash")
            for r in self.data["rows"]
        )


def archive_read(source: IO[bytes] | bytes) -> Archive:
    """Open and check an archive: refuses a damaged, edited or newer-format one."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        zipped = zipfile.ZipFile(source)
        names = set(zipped.namelist())
        if MANIFEST not in names:
            raise ArchiveError(_("This is not a cxmaturity archive: it has no manifest."))
        manifest = json.loads(zipped.read(MANIFEST))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(_("This is not a cxmaturity archive."))
        version = manifest.get("version")
        if not isinstance(version, int) or version < 1:
            raise ArchiveError(_("The archive's format number is missing or invalid."))
        if version > FORMAT_VERSION:
            raise ArchiveError(
                _(
                    "This archive was made by a newer version of cxmaturity (format "
                    "%(found)s); this site reads format %(known)s. Update this site first."
                )
                % {"found": version, "known": FORMAT_VERSION}
            )
        data_bytes = zipped.read(manifest["data"]["path"])
        if _sha256(data_bytes) != manifest["data"]["sha256"]:
            raise ArchiveError(_("The archive is damaged: its rows do not match their checksum."))
        media = {}
        for entry in manifest["files"]:
            content = zipped.read(MEDIA + entry["name"])
            if _sha256(content) != entry["sha256"]:
                raise ArchiveError(
                    _("The archive is damaged: the file %(name)s does not match its checksum.")
                    % {"name": entry["name"]}
                )
            media[entry["name"]] = content
        data = json.loads(data_bytes)
    except ArchiveError:
        raise
    except zipfile.BadZipFile as exc:
        # Also a member whose CRC does not match: bytes changed inside the zip.
        raise ArchiveError(
            _("The archive is damaged: it is not a readable zip file (%(problem)s).")
            % {"problem": exc}
        ) from exc
    except (KeyError, TypeError, ValueError, OSError, EOFError, zlib.error) as exc:
        # A truncated member, or a manifest missing its keys.
        raise ArchiveError(_("The archive is damaged: %(problem)s") % {"problem": exc}) from exc
    return Archive(manifest=manifest, data=data, media=media)


def _rows_check(archive: Archive) -> None:
    """Every model and field in the archive exists here; an archive from newer code whose
    format number did not change still refuses rather than drop what it cannot store."""
    for row in archive.data["rows"]:
        try:
            model = apps.get_model(row["model"])
        except (LookupError, ValueError) as exc:
            raise ArchiveError(
                _("The archive holds %(model)s rows, which this site does not know.")
                % {"model": row["model"]}
            ) from exc
        for name in row["fields"]:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist as exc:
                raise ArchiveError(
                    _("The archive's %(model)s rows have a field %(field)s this site lacks.")
                    % {"model": row["model"], "field": name}
                ) from exc


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
    target = workspace.pk if workspace is not None else None
    ids = _ids_map(by_model)
    ids.update(_questionnaires_resolve(archive.data["questionnaires"], workspace))
    names = _media_save(archive, by_model, saved)
    objects = []
    for row in rows:
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
            elif label == _label(Workspace) and target is not None:
                row["fields"][f.name] = str(target)
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
        objects.append(row)
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
    from audit.models import AuditAction
    from audit.services import audit_record

    audit_record(
        actor=None,
        workspace=result.workspace,
        client=result.client,
        action=AuditAction.CREATED,
        obj=root_object,
        label=_("Restored from an archive"),
    )
    return result


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
    from assessments.models import QuestionnaireVersion
    from assessments.services import questionnaire_import

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
    from assessments.models import Respondent
    from assessments.services import respondent_link
    from assessments.tokens import new_nonce, token_for, token_hash

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
