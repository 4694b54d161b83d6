"""HTML to PDF with WeasyPrint, fetching nothing but our static files and the workspace's
own media (its logo): no network, no file paths, whatever the client text says."""

import mimetypes
import posixpath
import re
from collections.abc import Callable
from functools import cache
from uuid import UUID

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage

from .errors import RefusedURL

# Relative URLs in our templates resolve under this base; nothing outside it is fetched.
BASE_URL = "https://cxmaturity.invalid/"


def _inside(path: str, folder: str) -> str | None:
    """The path relative to folder if it stays inside it, else None."""
    normal = posixpath.normpath(path)
    if normal.startswith(folder) and ".." not in normal.split("/"):
        return normal[len(folder) :]
    return None


def url_fetcher_for(workspace_id: UUID, *, seen: list[str] | None = None) -> Callable:
    """A WeasyPrint url_fetcher serving /static/… from our static files and
    /media/logos/<this workspace>/… from storage; any other URL is refused. `seen`, when
    given, records every URL asked for (the tests read it)."""
    logos = f"media/logos/{workspace_id}/"

    def fetch(url: str, timeout: int = 10, ssl_context=None, http_headers=None) -> dict:
        if seen is not None:
            seen.append(url)
        if not url.startswith(BASE_URL):
            raise RefusedURL(f"Not fetched (outside the site): {url[:100]}")
        path = url[len(BASE_URL) :].split("?", 1)[0].split("#", 1)[0]
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        static = _inside(path, "static/")
        if static:
            found = finders.find(static)
            if found:
                with open(found, "rb") as handle:
                    return {"string": handle.read(), "mime_type": mime_type}
        logo = _inside(path, logos)
        if logo and "/" not in logo:
            name = f"logos/{workspace_id}/{logo}"
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    return {"string": handle.read(), "mime_type": mime_type}
        raise RefusedURL(f"Not fetched: {url[:100]}")

    return fetch


@cache
def chart_css() -> str:
    """The charts' SVG styles, inlined into each chart of a PDF."""
    with open(finders.find("css/charts.css"), encoding="utf-8") as handle:
        # Inside an inline SVG a <style> is parsed as markup, not raw text: drop comments.
        return re.sub(r"/\*.*?\*/", "", handle.read(), flags=re.DOTALL).strip()


# A labelled chart: an inline <svg role="img" aria-label="…"> (our includes never nest them).
_CHART = re.compile(r"<svg\b([^>]*)>.*?</svg>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_SVG_NS = "http://www.w3.org/2000/svg"


def charts_as_images(html: str) -> tuple[str, dict[str, bytes]]:
    """The HTML with each labelled chart turned into an <img alt> of the same SVG, and the
    SVGs by URL. WeasyPrint tags only <img> as a /Figure with /Alt (an inline <svg> becomes
    an unlabelled /NonStruct), so screen readers get the chart's label this way."""
    from defusedxml import ElementTree

    charts: dict[str, bytes] = {}

    def to_image(found: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(found.group(1)))
        if attributes.get("role") != "img" or not attributes.get("aria-label"):
            return found.group(0)
        svg = found.group(0)
        if "xmlns=" not in found.group(1):
            svg = f'<svg xmlns="{_SVG_NS}"{svg[4:]}'
        try:
            ElementTree.fromstring(svg)
        except ElementTree.ParseError:
            return found.group(0)  # not XML on its own: left inline, drawn but untagged
        url = f"{BASE_URL}charts/{len(charts)}.svg"
        charts[url] = svg.encode()
        return (
            f'<img class="{attributes.get("class", "")}" src="{url}" '
            f'alt="{attributes["aria-label"]}">'
        )

    return _CHART.sub(to_image, html), charts


def _serving_charts(fetch: Callable, charts: dict[str, bytes]) -> Callable:
    def fetch_chart(url: str, *args, **kwargs) -> dict:
        if url in charts:
            return {"string": charts[url], "mime_type": "image/svg+xml"}
        return fetch(url, *args, **kwargs)

    return fetch_chart


def html_to_pdf(
    html: str, *, workspace_id: UUID, on_progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """The PDF bytes and page count. Layout is the slow part; progress is reported after it.
    The PDF is tagged (PDF/UA-1): structure tree, /Lang from <html lang>, /Title from
    <title>, /Alt for images and labelled charts."""
    from weasyprint import HTML

    html, charts = charts_as_images(html)
    fetch = _serving_charts(url_fetcher_for(workspace_id), charts)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetch).render()
    if on_progress:
        on_progress(80)
    pages = len(document.pages)
    data = document.write_pdf(pdf_variant="pdf/ua-1")
    return data, pages


def media_url(name: str) -> str:
    """A stored file's URL as the PDF fetcher sees it."""
    return f"{BASE_URL}media/{name}"


def static_url(path: str) -> str:
    return f"{BASE_URL}static/{path}"
