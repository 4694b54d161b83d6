import pytest
from django.core.management import call_command

from workspaces.models import Client, Membership, Role, User, Workspace

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_the_three_logins(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    workspace = Workspace.objects.get(name="Demo Consulting")
    roles = dict(Membership.objects.filter(workspace=workspace).values_list("user__email", "role"))
    assert roles == {
        "owner@demo.cxmaturity.local": Role.OWNER,
        "consultant@demo.cxmaturity.local": Role.CONSULTANT,
        "viewer@demo.cxmaturity.local": Role.VIEWER,
    }
    assert Workspace.objects.count() == 1
    assert Client.objects.filter(workspace=workspace).count() == 3
    assert User.objects.get(email="viewer@demo.cxmaturity.local").check_password("demo-cx-2026")
    for email in roles:
        assert email in out
