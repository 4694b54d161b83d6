"""An owner invites a client viewer, who accepts, signs in, sees one client, downloads its
playbook and gets 404 on another client's page: in Chromium."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from playbooks.models import Document
from playbooks.services import document_request
from tests.factories import PASSWORD, ClientFactory, MembershipFactory
from workspaces.models import Invitation, Role
from workspaces.services import invitation_send_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _finished_playbook(client):
    document = document_request(client=client, kind="playbook", enqueue=False)
    document.file.save("p.pdf", ContentFile(b"%PDF-1.7 client team flow"), save=False)
    document.status = Document.Status.DONE
    document.save()
    return document


def test_owner_invites_a_client_viewer_who_sees_only_that_client(
    live_server, page, screenshot, mailbox, settings
):
    owner = MembershipFactory(role=Role.OWNER)
    workspace = owner.workspace
    northwind = ClientFactory(workspace=workspace, name="Northwind Retail")
    contoso = ClientFactory(workspace=workspace, name="Contoso Insurance")
    _finished_playbook(northwind)
    _finished_playbook(contoso)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(owner.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=workspace.name)).to_be_visible()
    page.goto(f"{live_server.url}{northwind.get_absolute_url()}")
    page.get_by_label("Actions for Northwind Retail").click()  # the client's menu
    page.get_by_role("link", name="Client team").click()
    expect(page.get_by_text("Nobody of Northwind Retail signs in yet")).to_be_visible()
    page.get_by_label("Email address").fill("nora@northwind.example")
    page.get_by_label("Client role").select_option("viewer")
    screenshot("client-team-invite")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to nora@northwind.example")).to_be_visible()
    screenshot("client-team")

    # The worker's job, done here: the email names the client and carries the link.
    invitation_send_email(invitation=Invitation.objects.get(email="nora@northwind.example"))
    (sent,) = mailbox.iterdir()
    body = sent.read_text()
    assert "Northwind Retail" in body
    assert "Contoso" not in body
    link = re.search(r"https?://\S+/invitations/\S+/", body).group(0)
    link = live_server.url + link.split(settings.SITE_URL, 1)[-1]

    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    page.get_by_label("Your name").fill("Nora North")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_role("link", name="Northwind Retail")).to_be_visible()

    page.goto(f"{live_server.url}/")  # home takes a one-client member to that client
    expect(page.get_by_role("heading", name="Northwind Retail")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    expect(page.get_by_role("link", name="Northwind Retail")).to_be_visible()
    expect(page.get_by_text("Contoso Insurance")).to_have_count(0)
    expect(page.get_by_role("link", name="Members")).to_have_count(0)
    screenshot("client-viewer-clients")

    page.goto(f"{live_server.url}{northwind.get_absolute_url()}")
    page.get_by_role("link", name="Playbooks").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("northwind-retail-playbook")
    with open(download.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")

    response = page.goto(f"{live_server.url}{contoso.get_absolute_url()}")
    assert response.status == 404
    screenshot("client-viewer-other-client-404")
