"""The archive format shared by export and import: its names, its checks and the walk
that finds which rows belong to a workspace or a client (see cxmaturity.backups)."""

import datetime
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext as _

from workspaces.models import Client, Workspace

FORMAT = "cxmaturity-archive"
# Raise when an archive written now could not be read by the code of the previous format.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"

EXCLUDED = {
    # Personal credentials: a person makes new tokens on the new site.
    "workspaces.apitoken": "API tokens",
    # Derived, and keyed by respondent ids an import may change: scored again when read.
    "assessments.resultsnapshot": "stored results",
    # Files still arriving: their chunks expire within a day, and the analysis they became
    # carries its results (its link to the upload is dropped).
    "insights.chunkedupload": "unfinished chunked uploads",
    "insights.uploadchunk": "chunks of unfinished uploads",
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
