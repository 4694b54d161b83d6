"""Logo uploads: PNG and JPEG checked by Pillow, SVG rebuilt from an allow-list.

An SVG is a document that can carry script, so it is parsed without DTDs or entities
(defusedxml) and rewritten keeping only drawing elements and attributes.
"""

import io
import re
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

ALLOWED_ELEMENTS = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "lineargradient",
    "radialgradient",
    "stop",
    "title",
    "desc",
    "clippath",
    "mask",
    "use",
    "symbol",
}
ALLOWED_ATTRIBUTES = {
    "id",
    "class",
    "style",
    "viewbox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-miterlimit",
    "opacity",
    "transform",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientunits",
    "gradienttransform",
    "spreadmethod",
    "fx",
    "fy",
    "clip-path",
    "clip-rule",
    "clippathunits",
    "mask",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "href",
    "version",
    "preserveaspectratio",
    "dx",
    "dy",
    "display",
    "visibility",
}
MAX_DEPTH = 50
# Anything that could fetch or run something: only local fragment references may remain.
# A backslash is refused outright, since CSS escapes could spell any of these.
UNSAFE_VALUE = re.compile(r"url\s*\(\s*['\"]?(?!#)|expression|javascript:|@import|\\", re.I)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _attribute_safe(name: str, value: str) -> bool:
    local = _local(name)
    if local not in ALLOWED_ATTRIBUTES or UNSAFE_VALUE.search(value):
        return False
    return not (local == "href" and not value.startswith("#"))


def _sanitise(root: ET.Element) -> None:
    # Iterative, with a depth limit: a deeply nested file must not exhaust the stack.
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValidationError(
                {"logo": _("This SVG is nested too deeply to be checked.")}, code="invalid_svg"
            )
        for name, value in list(element.attrib.items()):
            if not _attribute_safe(name, value):
                del element.attrib[name]
        for child in list(element):
            if not isinstance(child.tag, str) or _local(child.tag) not in ALLOWED_ELEMENTS:
                element.remove(child)
            else:
                stack.append((child, depth + 1))


def sanitise_svg(data: bytes) -> bytes:
    """The SVG rebuilt from allowed elements and attributes; ValidationError if not an SVG."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError, RecursionError) as exc:
        raise ValidationError(
            {"logo": _("This SVG file could not be read safely.")}, code="invalid_svg"
        ) from exc
    if _local(root.tag) != "svg":
        raise ValidationError({"logo": _("This file is not an SVG image.")}, code="invalid_svg")
    _sanitise(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def logo_clean(upload: UploadedFile) -> ContentFile:
    """A checked copy of an uploaded logo: PNG or JPEG as sent, SVG sanitised."""
    if upload.size is None or upload.size > MAX_LOGO_BYTES:
        raise ValidationError(
            {"logo": _("The logo must be 1 MB or smaller.")}, code="file_too_large"
        )
    data = upload.read()
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            {"logo": _("The logo must be 1 MB or smaller.")}, code="file_too_large"
        )
    head = data[:512].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return ContentFile(sanitise_svg(data), name="logo.svg")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(
            {"logo": _("Upload a PNG, JPEG or SVG image.")}, code="invalid_image"
        ) from exc
    extensions = {"PNG": "png", "JPEG": "jpg"}
    if image_format not in extensions:
        raise ValidationError({"logo": _("Upload a PNG, JPEG or SVG image.")}, code="invalid_image")
    return ContentFile(data, name=f"logo.{extensions[image_format]}")
