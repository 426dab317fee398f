from django.contrib import admin

from pregonero.inbound.models import RawEvent


@admin.register(RawEvent)
class RawEventAdmin(admin.ModelAdmin):
    """Read-only: what networks sent, for investigating a message that did not arrive."""

    list_display = ("received_at", "network", "channel", "signature_ok", "processed_at", "error")
    list_filter = ("network", "signature_ok")
    readonly_fields = [field.name for field in RawEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
