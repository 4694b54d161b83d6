"""The ways a document render fails that callers tell apart: worth retrying, or a URL the
PDF may not fetch."""


class TransientRenderError(Exception):
    """A failure worth retrying (storage or database briefly away), not a broken document."""


class RefusedURL(ValueError):
    """WeasyPrint logs a failed fetch and renders on without the resource."""
