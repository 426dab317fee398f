"""Read-only views for superusers; citizens' data is changed only by the citizens' own links."""

from django.contrib import admin

from pregonero.public.models import BulletinDelivery, NewsItem, Subscriber


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NewsItem)
class NewsItemAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "organisation", "language", "published_at", "withdrawn_at"]
    list_filter = ["organisation", "language"]


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    list_display = ["pk", "organisation", "channel", "language", "confirmed_at", "unsubscribed_at"]
    list_filter = ["organisation", "channel", "language"]
    exclude = ["token_hash"]


@admin.register(BulletinDelivery)
class BulletinDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["part_key", "subscriber", "state", "attempts", "sent_at"]
    list_filter = ["channel", "state"]
