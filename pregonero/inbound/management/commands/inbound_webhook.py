"""Give a channel its webhook address: ``manage.py inbound_webhook <channel id>``.

Telegram is told the address and secret token at once (``setWebhook``). For Meta networks the
address and verify token are printed, to be typed into the app's Webhooks settings.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pregonero.channels.models import Channel
from pregonero.inbound import services


class Command(BaseCommand):
    help = "Create a channel's webhook address (and set it on Telegram)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("channel", type=int, help="The channel's id (see the admin site).")

    def handle(self, *args, channel: int, **options) -> None:
        try:
            row = Channel.objects.get(pk=channel)
        except Channel.DoesNotExist:
            raise CommandError(f"No channel {channel}.") from None
        if row.connector == "telegram":
            url = services.enable_telegram_webhook(row, settings.SITE_URL)
            self.stdout.write(f"Telegram now sends this bot's messages to {url}")
            return
        endpoint = services.endpoint_for(row)
        self.stdout.write(f"Callback URL: {services.hook_url(endpoint, settings.SITE_URL)}")
        self.stdout.write(f"Verify token: {endpoint.secret}")
