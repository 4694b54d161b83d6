import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from workspaces.logos import sanitise_svg

pytestmark = pytest.mark.django_db


def _png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def _post(client, workspace, **extra):
    data = {"name": workspace.name, "accent_colour": "#aa3300", **extra}
    return client.post(reverse("workspace_settings", args=[workspace.id]), data)


def test_owner_sets_name_colour_and_png_logo(client, owner, workspace):
    client.force_login(owner)
    response = _post(client, workspace, logo=SimpleUploadedFile("logo.png", _png(), "image/png"))
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.accent_colour == "#aa3300"
    assert workspace.logo.name.endswith(".png")
    logo = client.get(reverse("workspace_logo", args=[workspace.id]))
    assert logo.status_code == 200
    # Re-encoded, not the bytes sent: the same picture.
    with Image.open(io.BytesIO(b"".join(logo.streaming_content))) as stored:
        assert (stored.format, stored.size) == ("PNG", (40, 20))
        assert stored.convert("RGB").getpixel((5, 5)) == (0x33, 0x66, 0x99)


def test_svg_logo_is_stored_without_script(client, owner, workspace):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" viewBox="0 0 10 10">'
        b'<script>alert(2)</script><rect width="10" height="10" fill="red" onclick="x()"/>'
        b'<a href="javascript:alert(3)"><circle r="2"/></a></svg>'
    )
    client.force_login(owner)
    _post(client, workspace, logo=SimpleUploadedFile("logo.svg", svg, "image/svg+xml"))
    workspace.refresh_from_db()
    stored = workspace.logo.read()
    assert b"<rect" in stored
    for bad in (b"script", b"onload", b"onclick", b"javascript"):
        assert bad not in stored
    response = client.get(reverse("workspace_logo", args=[workspace.id]))
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]


def test_svg_with_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    with pytest.raises(Exception, match="could not be read safely"):
        sanitise_svg(bomb)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "PNG, JPEG or SVG"),
        ("logo.png", b"not an image at all", "PNG, JPEG or SVG"),
        ("logo.png", b"\x89PNG" + b"0" * (1024 * 1024), "1 MB or smaller"),
        ("logo.svg", b"<svg><unclosed></svg>", "could not be read safely"),
        ("logo.svg", b"<?xml version='1.0'?><html><svg/></html>", "not an SVG"),
    ],
)
def test_wrong_logo_type_or_size_is_refused_and_nothing_changes(
    client, owner, workspace, filename, content, message
):
    client.force_login(owner)
    response = _post(client, workspace, logo=SimpleUploadedFile(filename, content))
    assert response.status_code == 400  # refused, with the message by the field
    assert message in response.context["form"].errors["logo"][0]
    workspace.refresh_from_db()
    assert not workspace.logo
    assert workspace.accent_colour == "#1f6feb"  # nothing half-saved


def test_bad_colour_is_refused_naming_the_field(client, owner, workspace):
    client.force_login(owner)
    response = _post(client, workspace, accent_colour="red")
    assert response.context["form"].errors["accent_colour"]


def test_remove_logo(client, owner, workspace):
    client.force_login(owner)
    _post(client, workspace, logo=SimpleUploadedFile("logo.png", _png(), "image/png"))
    _post(client, workspace, remove_logo="on")
    workspace.refresh_from_db()
    assert not workspace.logo
    assert client.get(reverse("workspace_logo", args=[workspace.id])).status_code == 404


def test_consultant_may_not_change_branding(client, consultant, workspace):
    client.force_login(consultant)
    assert _post(client, workspace).status_code == 403


def _huge_png(size) -> bytes:
    """A few kilobytes that decode to size[0] by size[1] pixels."""
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def test_a_pixel_bomb_logo_is_refused_before_it_is_decoded(client, owner, workspace):
    bomb = _huge_png((12000, 12000))
    assert len(bomb) < 100_000
    client.force_login(owner)
    response = _post(client, workspace, logo=SimpleUploadedFile("logo.png", bomb, "image/png"))
    assert response.status_code == 400
    assert "4,096 pixels a side" in response.context["form"].errors["logo"][0]
    workspace.refresh_from_db()
    assert not workspace.logo


def test_a_logo_wider_than_4096_pixels_is_refused_naming_the_limit(client, owner, workspace):
    client.force_login(owner)
    wide = SimpleUploadedFile("logo.png", _huge_png((4097, 10)), "image/png")
    response = _post(client, workspace, logo=wide)
    assert response.status_code == 400
    assert "4,096" in response.context["form"].errors["logo"][0]


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", ".png"), ("JPEG", ".jpg")])
def test_a_large_logo_is_stored_scaled_to_1024_pixels_without_its_metadata(
    client, owner, workspace, fmt, suffix
):
    from PIL import PngImagePlugin

    buffer = io.BytesIO()
    picture = Image.new("RGB", (3000, 1500), "#884422")
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "<script>alert(1)</script>")
        picture.save(buffer, "PNG", pnginfo=info)
    else:
        picture.save(buffer, "JPEG", comment=b"<script>alert(1)</script>")
    client.force_login(owner)
    upload = SimpleUploadedFile(f"logo{suffix}", buffer.getvalue(), f"image/{fmt.lower()}")
    assert _post(client, workspace, logo=upload).status_code == 302
    workspace.refresh_from_db()
    assert workspace.logo.name.endswith(suffix)
    with workspace.logo.open("rb") as handle:
        stored = handle.read()
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == (fmt, (1024, 512))


def test_the_settings_page_title_is_plain_text_and_backups_show_once(client, owner, workspace):
    import re

    from django.urls import reverse

    client.force_login(owner)
    page = client.get(reverse("workspace_settings", args=[workspace.id])).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title
    assert "Workspace settings" in title
    assert page.count('id="backups"') == 1
