from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is evidence, so support staff look but change nothing."""

    list_display = [
        "created_at",
        "workspace",
        "actor_email",
        "action",
        "client_name",
        "object_label",
    ]
    list_filter = ["action"]
    search_fields = ["actor_email", "client_name", "object_label", "workspace__name"]
    date_hierarchy = "created_at"
    list_select_related = ["workspace"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
