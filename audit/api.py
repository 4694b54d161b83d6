"""REST API for the audit trail (under /api/v1/): owners only, anyone else gets 404."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from . import display, selectors
from .models import AuditAction, AuditEvent
from .permissions import audit_access


class AuditFilterIn(serializers.Serializer):
    client = serializers.UUIDField(required=False, help_text=_("Only events about this client."))
    member = serializers.UUIDField(
        required=False, help_text=_("Only events by this user (a member's `user.id`).")
    )
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    date_from = serializers.DateField(
        required=False, help_text=_("From this day on (YYYY-MM-DD, the site's time zone).")
    )
    date_to = serializers.DateField(required=False, help_text=_("Up to and including this day."))

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"date_to": [_("Choose a date on or after the start date.")]}
            )
        return attrs


class AuditEventOut(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()
    client = serializers.UUIDField(source="client_id", allow_null=True)
    client_name = serializers.SerializerMethodField()
    actor = serializers.UUIDField(source="actor_id", allow_null=True)
    object_type_display = serializers.SerializerMethodField()
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        help_text=_("Each changed field with its old and new value, as shown to people."),
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "action",
            "action_display",
            "actor",
            "actor_email",
            "client",
            "client_name",
            "object_type",
            "object_type_display",
            "object_id",
            "object_label",
            "changes",
            "ip_address",
        ]

    def get_action_display(self, event: AuditEvent) -> str:
        return display.action_display(event.action)

    def get_client_name(self, event: AuditEvent) -> str:
        return display.client_display(event)

    def get_object_type_display(self, event: AuditEvent) -> str:
        return display.object_type_label(event.object_type)


class AuditEventViewSet(viewsets.GenericViewSet):
    serializer_class = AuditEventOut

    @extend_schema(
        summary=_("The workspace's audit trail"),
        description=_(
            "Who did what and when, newest first. Owners only: for anyone else the "
            "workspace's trail answers 404. Events are kept for at least 400 days."
        ),
        parameters=[AuditFilterIn],
        responses=AuditEventOut(many=True),
    )
    def list(self, request: Request, workspace_id: str) -> Response:
        membership = audit_access(user=request.user, workspace_id=workspace_id)
        filters = AuditFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        events = selectors.audit_event_list(
            workspace=membership.workspace,
            client_id=data.get("client"),
            member_id=data.get("member"),
            action=data.get("action"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        page = self.paginate_queryset(events)
        return self.get_paginated_response(AuditEventOut(page, many=True).data)
