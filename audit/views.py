"""The audit trail's pages: owners read and export it; anyone else gets 404."""

import csv
from collections.abc import Iterator
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.exports import safe_cell
from workspaces.models import Membership

from . import display, selectors
from .forms import AuditFilterForm
from .models import AuditAction, AuditEvent
from .permissions import audit_access
from .services import audit_record

PAGE_SIZE = 25


def _owner_membership(request: HttpRequest, workspace_id: UUID) -> Membership:
    membership = audit_access(user=request.user, workspace_id=workspace_id)
    # For the navigation and branding, as workspace_view does.
    request.membership = membership
    request.workspace = membership.workspace
    return membership


def _row(event: AuditEvent) -> dict:
    return {
        "time": event.created_at,
        "actor": display.actor_display(event),
        "actor_email": event.actor_email,
        "action": display.action_display(event.action),
        "client": display.client_display(event),
        "object": display.object_display(event),
        "changes": display.changes_lines(event),
    }


def _invalid(request: HttpRequest, form: AuditFilterForm) -> HttpResponse:
    context = {"form": form, "page": None, "rows": [], "query_string": "", "valid": False}
    return render(request, "audit/event_list.html", context, status=400)


@login_required
def audit_event_list_view(request: HttpRequest, workspace_id: UUID) -> HttpResponse:
    membership = _owner_membership(request, workspace_id)
    form = AuditFilterForm(request.GET or None, workspace=membership.workspace)
    if form.is_bound and not form.is_valid():
        return _invalid(request, form)
    filters = form.filters() if form.is_bound else {}
    events = selectors.audit_event_list(workspace=membership.workspace, **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(event) for event in page.object_list],
        "query_string": query.urlencode(),
        "filtered": any(filters.values()),
        "valid": True,
    }
    return render(request, "audit/event_list.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(events) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so that spreadsheet programs read UTF-8 names correctly.
    yield "\ufeff" + writer.writerow(display.csv_header())
    for event in events.iterator(chunk_size=500):
        yield writer.writerow([safe_cell(value) for value in display.csv_row(event)])


@login_required
def audit_export_view(request: HttpRequest, workspace_id: UUID) -> HttpResponse:
    membership = _owner_membership(request, workspace_id)
    form = AuditFilterForm(request.GET, workspace=membership.workspace)
    if not form.is_valid():
        return _invalid(request, form)
    events = selectors.audit_event_list(workspace=membership.workspace, **form.filters())
    recorded = audit_record(
        actor=request.user,
        workspace=membership.workspace,
        action=AuditAction.EXPORT_DOWNLOADED,
        label=_("Audit trail (CSV)"),
        request=request,
    )
    # The export's own event is in the next export, not in this one.
    response = StreamingHttpResponse(
        _csv_lines(events.exclude(id=recorded.id)), content_type="text/csv; charset=utf-8"
    )
    filename = f"audit-trail-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
