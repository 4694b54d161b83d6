"""Run by test_sqlite_concurrency in two processes at once: each adds clients in its own
transactions, reading before writing as the services do."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
django.setup()

from workspaces.models import Workspace  # noqa: E402
from workspaces.services import client_create  # noqa: E402

workspace = Workspace.objects.get(id=sys.argv[1])
prefix, count = sys.argv[2], int(sys.argv[3])
for n in range(count):
    client_create(workspace=workspace, name=f"{prefix} {n}")
