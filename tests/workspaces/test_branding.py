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
    assert b"".join(logo.streaming_content) == _png()


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
    assert response.status_code == 200
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
