"""Logo uploads: PNG and JPEG checked and re-encoded by Pillow, SVG rebuilt from an
allow-list.

An SVG is a document that can carry script, so it is parsed without DTDs or entities
(defusedxml) and rewritten keeping only drawing elements and attributes. A PNG or JPEG
can be a few kilobytes that decode to gigabytes (every playbook render would decode it
again, on the PDF workers all workspaces share), so its size in pixels is checked from the
header before anything is decoded, and what is stored is a fresh, small re-encoding.
"""

import io
import re
import warnings
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4096  # pixels, read from the header before decoding (16 MP at most)
STORED_LOGO_SIDE = 1024  # what a cover or a page header ever needs
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
    return _raster_clean(data)


def _size_check(width: int, height: int) -> None:
    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
        raise ValidationError(
            {
                "logo": _(
                    "The image is too large, %(w)d × %(h)d pixels: use at most "
                    "%(max)s pixels a side (%(stored)s are plenty for a playbook)."
                )
                % {
                    "w": width,
                    "h": height,
                    "max": f"{MAX_LOGO_SIDE:,}",
                    "stored": f"{STORED_LOGO_SIDE:,}",
                }
            },
            code="image_too_large",
        )


def _raster_clean(data: bytes) -> ContentFile:
    """A PNG or JPEG re-encoded at most STORED_LOGO_SIDE pixels a side, with no metadata;
    refused from its header when larger than MAX_LOGO_SIDE, before any decoding."""
    invalid = ValidationError({"logo": _("Upload a PNG, JPEG or SVG image.")}, code="invalid_image")
    too_large = ValidationError(
        {
            "logo": _("The image is too large: use at most %(max)s pixels a side.")
            % {"max": f"{MAX_LOGO_SIDE:,}"}
        },
        code="image_too_large",
    )
    extensions = {"PNG": "png", "JPEG": "jpg"}
    out = io.BytesIO()
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its pixel limit: here that is a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                if image_format not in extensions:
                    raise invalid
                _size_check(*image.size)
                image.load()
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA" if image_format == "PNG" else "RGB")
                image.thumbnail((STORED_LOGO_SIDE, STORED_LOGO_SIDE))
                if image_format == "JPEG":
                    image = image.convert("RGB")
                image.info = {}  # comments, EXIF, text chunks: none of them is kept
                if image_format == "PNG":
                    image.save(out, "PNG", optimize=True)
                else:
                    image.save(out, "JPEG", quality=90)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise invalid from exc
    return ContentFile(out.getvalue(), name=f"logo.{extensions[image_format]}")
