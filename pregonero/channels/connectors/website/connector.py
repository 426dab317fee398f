"""Website channel: each publication becomes a news item with a permanent public address."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pregonero.channels.connectors.base import (
    Capabilities,
    Connector,
    ConnectorError,
    Limits,
    OutgoingPart,
    PublishResult,
)
from pregonero.public import news
from pregonero.public.models import NewsItem


class WebsiteConnector(Connector):
    key = "website"
    name = _("Website")
    capabilities = Capabilities(publish=True, media=True, delete=True, idempotent_publish=True)
    # No length limit and never a thread: a news item shows the whole post.
    limits = Limits(max_length=None, max_thread=1, max_media=10, image_types=news.IMAGE_TYPES)

    def publish(self, part: OutgoingPart) -> PublishResult:
        """Create the news item; the same key again returns the same item."""
        return self._result(news.publish_news_item(self.channel, part))

    def find_published(self, idempotency_key: str) -> PublishResult | None:
        item = NewsItem.objects.filter(channel=self.channel, idempotency_key=idempotency_key).first()
        return self._result(item) if item is not None else None

    def delete(self, remote_id: str) -> None:
        """Withdraw the item: its address stays and says it was withdrawn (REC-2)."""
        item = (
            NewsItem.objects.filter(channel=self.channel, pk=remote_id).first()
            if remote_id.isdigit()
            else None
        )
        if item is None:
            raise ConnectorError(gettext("This news item does not exist."), permanent=True)
        news.withdraw_news_item(item, reason=gettext("Withdrawn by the organisation."))

    @staticmethod
    def _result(item: NewsItem) -> PublishResult:
        return PublishResult(remote_id=str(item.pk), url=news.news_url(item))
