"""Files kept in the shared store (STORAGES["default"]) handed to a browser. Callers check
access first; a store that signs links (S3) answers with a short-lived link, so the bytes
never pass through a web process, and any other store streams them from the store itself:
no code here assumes the file is on this machine's disk."""

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def signs_links(storage) -> bool:
    return bool(getattr(storage, "querystring_auth", False))


def stored_file_response(
    file: FieldFile, *, filename: str, content_type: str, missing: str
) -> HttpResponseBase:
    """The stored file as a download named `filename`; 404 with `missing` when the store
    has no such file."""
    storage = file.storage
    if signs_links(storage):
        url = storage.url(
            file.name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseContentType": content_type,
            },
            expire=settings.MEDIA_SIGNED_URL_SECONDS,
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
    else:
        try:
            handle = storage.open(file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404(missing) from exc
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "private, no-store"
    return response
