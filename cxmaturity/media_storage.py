"""STORAGES["default"] from the environment (read by settings, so plain Python only): the
local disk, or an S3 bucket that every web process and worker reaches."""

from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured

OPTIONS = ("endpoint_url", "region_name", "location", "addressing_style", "signature_version")


def media_storage(storage_url: str, bucket: str, expire: int) -> dict:
    """The store for MEDIA_STORAGE_URL (s3://<bucket>?<options>) or AWS_STORAGE_BUCKET_NAME;
    FileSystemStorage under MEDIA_ROOT when neither is set."""
    if not (storage_url or bucket):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    url = urlsplit(storage_url)
    if storage_url and (url.scheme != "s3" or not url.netloc):
        raise ImproperlyConfigured("MEDIA_STORAGE_URL must read s3://<bucket>?<options>.")
    options = {
        "bucket_name": url.netloc or bucket,
        "querystring_auth": True,
        "querystring_expire": expire,
        # As on disk: a name already taken gets a new one (backups import relies on it).
        "file_overwrite": False,
        "default_acl": None,
        # Signature v4 links carry their own expiry, and every region accepts them.
        "signature_version": "s3v4",
    }
    for key, value in parse_qsl(url.query):
        if key not in OPTIONS:
            raise ImproperlyConfigured(f"MEDIA_STORAGE_URL: unknown option {key!r}.")
        options[key] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
