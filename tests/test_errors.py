import pytest

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_a_readable_404_page(client, owner):
    client.force_login(owner)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Back to your workspace" in response.text


def test_unknown_api_url_answers_json_in_the_error_shape(client, owner):
    client.force_login(owner)
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_viewer_forbidden_page_names_the_role(client, viewer, workspace):
    client.force_login(viewer)
    response = client.get(f"/w/{workspace.id}/settings/")
    assert response.status_code == 403
    assert "Your role (Client member) may not do this." in response.text
