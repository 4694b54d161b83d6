"""Big insight files: a resumable upload by numbered chunks (each its own object in the
file store, so web and worker need no shared disk and nothing holds the whole file), or a
file the workspace already put in the store under its own prefix. Each raises
ValidationError keyed by field, with nothing saved."""

from __future__ import annotations

import datetime
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cxmaturity.formats import currency_for
from cxmaturity.inputs import one_line
from workspaces.models import Client

from ..models import ChunkedUpload, ListeningImport, SegmentAnalysis, UploadChunk
from ..tasks import analysis_run_task
from . import _active, _delete_quietly, _inputs, listening_store_now
from .listening import listening_import_create

logger = logging.getLogger(__name__)

COPY_BYTES = 1024 * 1024
IMPORTS = "imports"


def imports_prefix(client: Client) -> str:
    """Where a workspace may put files in the store itself, to analyse without uploading."""
    return f"{IMPORTS}/{client.workspace_id}/"


def upload_start(
    *, client: Client, kind: str, file_name: str, total_size: int, created_by: Any = None
) -> ChunkedUpload:
    _active(client)
    if kind not in ChunkedUpload.Kind.values:
        raise ValidationError({"kind": _("Choose transactions or listening.")})
    if total_size < 1:
        raise ValidationError({"total_size": _("The file is empty.")})
    if total_size > settings.INSIGHT_UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "total_size": _("The file is too large: at most %(mb)d MB.")
                % {"mb": settings.INSIGHT_UPLOAD_MAX_BYTES // 1024**2}
            }
        )
    return ChunkedUpload.objects.create(
        client=client,
        kind=kind,
        file_name=one_line(file_name)[:200] or "upload.csv",
        total_size=total_size,
        chunk_size=settings.INSIGHT_UPLOAD_CHUNK_BYTES,
        created_by=created_by,
    )


def upload_chunk_put(*, upload: ChunkedUpload, index: int, body: IO[bytes], size: int) -> None:
    """Store chunk `index` (read from `body` in pieces). Sending a chunk again changes
    nothing: its first arrival stands."""
    if upload.completed:
        raise ValidationError({"index": _("This upload is complete: start a new one.")})
    if not 0 <= index < upload.chunk_count:
        raise ValidationError(
            {"index": _("Chunks are numbered 0 to %(last)d.") % {"last": upload.chunk_count - 1}}
        )
    expected = upload.chunk_bytes(index)
    if size != expected:
        raise ValidationError(
            {
                "size": _("Chunk %(i)d must be %(n)d bytes; this one is %(m)d.")
                % {"i": index, "n": expected, "m": size}
            }
        )
    if UploadChunk.objects.filter(upload=upload, index=index).exists():
        return
    with tempfile.SpooledTemporaryFile(max_size=COPY_BYTES) as spool:
        copied = _copy(body, spool, limit=expected + 1)
        if copied != expected:
            raise ValidationError(
                {"size": _("The chunk arrived cut short: send it again.")}, code="short"
            )
        spool.seek(0)
        name = upload.chunk_name(index)
        _delete_quietly(name)  # what an earlier, interrupted try left
        default_storage.save(name, File(spool, name=name))
    try:
        with transaction.atomic():
            UploadChunk.objects.create(upload=upload, index=index, size=expected)
    except IntegrityError:
        pass  # the same chunk, sent twice at once: the other request recorded it


def _copy(source: IO[bytes], target: IO[bytes], *, limit: int | None = None) -> int:
    copied = 0
    while limit is None or copied < limit:
        piece = source.read(COPY_BYTES if limit is None else min(COPY_BYTES, limit - copied))
        if not piece:
            break
        target.write(piece)
        copied += len(piece)
    return copied


def upload_whole(
    *, client: Client, kind: str, file: IO[bytes], size: int, fields: dict, created_by: Any = None
) -> SegmentAnalysis | ListeningImport:
    """A file that came whole in one request, handed to the worker the way a chunked
    upload is: stored chunk by chunk, then completed. Nothing is kept if it is refused."""
    upload = upload_start(
        client=client,
        kind=kind,
        file_name=os.path.basename(getattr(file, "name", "") or ""),
        total_size=size,
        created_by=created_by,
    )
    try:
        for index in range(upload.chunk_count):
            piece = file.read(upload.chunk_bytes(index))
            upload_chunk_put(upload=upload, index=index, body=io.BytesIO(piece), size=len(piece))
        return upload_complete(upload=upload, fields=fields, created_by=created_by)
    except BaseException:
        upload_discard(upload)
        raise


def listening_receive(
    *, client: Client, file: IO[bytes], size: int, fields: dict, created_by: Any = None
) -> ListeningImport:
    """An export sent by the form or the API: one of a chunk or less is stored at once,
    so the answer names any problem; a larger one goes to the worker as the page's
    chunked upload would, and the listening page and the API show its progress."""
    if size <= settings.INSIGHT_UPLOAD_CHUNK_BYTES:
        return listening_store_now(
            client=client,
            data=file,
            client_brand=fields["client_brand"],
            mapping=fields.get("mapping", ""),
            created_by=created_by,
        )
    return upload_whole(
        client=client,
        kind=ChunkedUpload.Kind.LISTENING,
        file=file,
        size=size,
        fields=fields,
        created_by=created_by,
    )


def upload_received(upload: ChunkedUpload) -> list[int]:
    return list(upload.chunks.values_list("index", flat=True))


def upload_complete(
    *, upload: ChunkedUpload, fields: dict, created_by: Any = None
) -> SegmentAnalysis | ListeningImport:
    """Check every chunk is there, then queue the file's job for the worker, which checks
    it: the analysis (transactions) or the import (listening, all rows or none)."""
    _active(upload.client)
    missing = sorted(set(range(upload.chunk_count)) - set(upload_received(upload)))
    if missing:
        shown = ", ".join(str(i) for i in missing[:20])
        raise ValidationError({"chunks": _("Chunks missing: %(list)s.") % {"list": shown}})
    if upload.completed:
        raise ValidationError({"chunks": _("This upload is already complete.")})
    with transaction.atomic():
        if upload.kind == ChunkedUpload.Kind.LISTENING:
            job = listening_import_create(
                client=upload.client,
                fields=fields,
                file_name=upload.file_name,
                created_by=created_by,
                source_upload=upload,
            )
        else:
            job = _analysis_create(
                client=upload.client, fields=fields, created_by=created_by, source_upload=upload
            )
        ChunkedUpload.objects.filter(id=upload.id).update(completed=True)
    return job


def analysis_from_storage(
    *, client: Client, path: str, fields: dict, created_by: Any = None, kind: str = "transactions"
) -> SegmentAnalysis | ListeningImport:
    """Analyse a transactions file, or import a listening export, already in the store
    under the workspace's imports prefix. The file is read, never deleted: it belongs to
    the workspace."""
    _active(client)
    prefix = imports_prefix(client)
    path = (path or "").strip()
    parts = path.split("/")
    if (
        not path.startswith(prefix)
        or "\\" in path
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ValidationError(
            {"path": _("Give a file path under %(prefix)s, without ..") % {"prefix": prefix}}
        )
    if not default_storage.exists(path):
        raise ValidationError({"path": _("No file at this path.")})
    with transaction.atomic():
        if kind == ChunkedUpload.Kind.LISTENING:
            return listening_import_create(
                client=client,
                fields=fields,
                file_name=parts[-1],
                created_by=created_by,
                source_path=path,
            )
        return _analysis_create(
            client=client, fields=fields, created_by=created_by, source_path=path
        )


def _analysis_create(*, client: Client, fields: dict, created_by: Any, **source: Any):
    as_of = fields.get("as_of")
    if not isinstance(as_of, datetime.date):
        raise ValidationError({"as_of": _("Enter the analysis date as YYYY-MM-DD.")})
    name = one_line(fields.get("name") or "")[:120] or _("Transactions to %(date)s") % {
        "date": as_of.isoformat()
    }
    analysis = SegmentAnalysis.objects.create(
        client=client,
        name=name,
        as_of=as_of,
        created_by=created_by,
        currency=currency_for(client),
        **_inputs({"k": fields.get("k", 2)}),
        **source,
    )
    analysis_run_task.delay_on_commit(str(analysis.id))
    return analysis


def chunk_names(upload: ChunkedUpload) -> list[str]:
    return [upload.chunk_name(index) for index in range(upload.chunk_count)]


def analysis_input_names(analysis: SegmentAnalysis) -> list[str]:
    """The store objects that make the analysis's file, in order (none: it is gone)."""
    if analysis.upload.name:
        return [analysis.upload.name]
    if analysis.source_path:
        return [analysis.source_path]
    if analysis.source_upload_id:
        return chunk_names(analysis.source_upload)
    return []


@contextmanager
def _assembled(names: list[str]) -> Iterator[str]:
    """The objects, one after the other, in a local temporary file (NUL bytes dropped:
    they mean nothing in a CSV and PostgreSQL refuses them); removed afterwards."""
    with tempfile.NamedTemporaryFile(suffix=".csv") as target:
        for name in names:
            with default_storage.open(name, "rb") as source:
                while piece := source.read(COPY_BYTES):
                    target.write(piece.replace(b"\x00", b""))
        target.flush()
        yield target.name


def analysis_input(analysis: SegmentAnalysis):
    """A context manager giving the analysis's file as a local path, read from the store."""
    return _assembled(analysis_input_names(analysis))


def analysis_input_exists(analysis: SegmentAnalysis) -> bool:
    names = analysis_input_names(analysis)
    return bool(names) and all(default_storage.exists(name) for name in names[:1] + names[-1:])


def upload_discard(upload: ChunkedUpload | None) -> None:
    """The row goes once read, or once the upload expired; its chunks go with it (the
    models' post_delete receiver)."""
    if upload is not None:
        upload.delete()


def uploads_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete uploads (and their chunks) older than INSIGHT_UPLOAD_EXPIRY that no analysis
    is waiting for: unfinished ones, and those whose analysis was deleted before it ran."""
    now = now or timezone.now()
    oldest = now - datetime.timedelta(seconds=settings.INSIGHT_UPLOAD_EXPIRY)
    waited_for = SegmentAnalysis.objects.filter(source_upload=OuterRef("pk"))
    imported = ListeningImport.objects.filter(source_upload=OuterRef("pk"))
    stale = (
        ChunkedUpload.objects.filter(created_at__lt=oldest)
        .exclude(Exists(waited_for))
        .exclude(Exists(imported))
    )
    count = 0
    for upload in stale:
        upload_discard(upload)
        count += 1
    return count
