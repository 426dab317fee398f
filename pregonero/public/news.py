"""News items on the organisation's own website channel: creating, finding, withdrawing.

The website connector and the e-mail connector call these; views only read.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from pregonero.accounts.models import Organisation
from pregonero.audit import services as audit
from pregonero.channels.connectors.base import ConnectorError, OutgoingPart
from pregonero.channels.models import Channel
from pregonero.public.models import NewsItem, NewsMedia
from pregonero.publishing.models import Media, Publication
from pregonero.text.fold import fold

logger = logging.getLogger(__name__)

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
# Concurrent workers may pick the same next number; the unique constraint refuses one of
# them, which then tries the next number.
NUMBER_ATTEMPTS = 5


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def news_url(item: NewsItem) -> str:
    """The item's permanent public address, absolute (built from ``SITE_URL``)."""
    return absolute(reverse("public:item", kwargs={"org": item.organisation.slug, "number": item.number}))


def media_url(item: NewsItem, media: NewsMedia) -> str:
    return absolute(
        reverse(
            "public:media",
            kwargs={"org": item.organisation.slug, "number": item.number, "position": media.position},
        )
    )


def publication_for_key(channel: Channel, part_key: str) -> Publication | None:
    """The publication a part key ("<publication key>-<index>") belongs to, on this channel."""
    prefix = part_key.rsplit("-", 1)[0]
    try:
        key = uuid.UUID(prefix)
    except ValueError:
        return None
    return (
        Publication.objects.filter(idempotency_key=key, channel=channel)
        .select_related("post", "variant")
        .first()
    )


def first_part_key(part: OutgoingPart) -> str:
    return f"{part.idempotency_key.rsplit('-', 1)[0]}-0"


def whole_text(part: OutgoingPart, publication: Publication | None) -> str:
    """The complete text of what ``part`` belongs to.

    Website and e-mail show a post whole, never as a thread. Their variants are not split
    (``max_thread`` is 1), but if a split one arrives, the first part stands for all: its
    ``extra["full_text"]`` if the dispatcher sent it, else the variant's body.
    """
    if part.total <= 1:
        return part.text
    if part.extra.get("full_text"):
        return part.extra["full_text"]
    if publication is not None:
        return publication.variant.body or "\n\n".join(publication.variant.parts)
    return part.text


def _storage_name(path: str) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.relative_to(settings.MEDIA_ROOT).as_posix()
        except ValueError:
            return candidate.as_posix()
    return path


def publish_news_item(channel: Channel, part: OutgoingPart) -> NewsItem:
    """Create the news item for ``part``, or return the one already made with its key.

    Parts after the first of a split variant add nothing: they return the first part's
    item, which carries the whole text (see :func:`whole_text`).
    """
    key = part.idempotency_key if part.index == 0 else first_part_key(part)
    existing = NewsItem.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if part.index != 0:
        raise ConnectorError("The first part of this post has not been published yet.")
    publication = publication_for_key(channel, key)
    post = publication.post if publication is not None else None
    text = whole_text(part, publication)
    title = part.title or (post.title if post is not None else "")
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                last = NewsItem.objects.filter(organisation_id=channel.organisation_id).aggregate(
                    Max("number")
                )["number__max"]
                item = NewsItem.objects.create(
                    organisation_id=channel.organisation_id,
                    channel=channel,
                    post=post,
                    publication=publication,
                    idempotency_key=key,
                    number=(last or 0) + 1,
                    language=part.language,
                    title=title[:200],
                    body=text,
                )
                _attach_media(item, part, post)
        except IntegrityError:
            existing = NewsItem.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return existing
            continue
        logger.info("News item %s published on channel %s", item.number, channel.pk)
        return item
    raise ConnectorError("Could not number the news item; it will be tried again.")


def _attach_media(item: NewsItem, part: OutgoingPart, post) -> None:
    images = [media for media in part.media if media.mime in IMAGE_TYPES]
    for position, media in enumerate(images):
        name = media.name or _storage_name(media.path)
        row = Media.objects.filter(post=post, file=name).first() if post is not None else None
        NewsMedia.objects.create(
            item=item,
            media=row,
            file_name=name,
            mime=media.mime,
            description=media.description,
            position=position,
        )


def withdraw_news_item(item: NewsItem, *, reason: str, by: str = "") -> bool:
    """Withdraw the item: it stays (REC-2), its page says when it was withdrawn and why.

    Returns False when it was already withdrawn (the first withdrawal is kept).
    """
    now = timezone.now()
    changed = NewsItem.objects.filter(pk=item.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_reason=reason, withdrawn_by=by[:254]
    )
    if not changed:
        return False
    item.refresh_from_db()
    audit.record(
        "news_item.withdrawn",
        organisation=item.organisation,
        obj=item,
        details={"number": item.number, "reason": reason},
        actor_label=by or None,
    )
    return True


def organisation_languages(organisation: Organisation) -> list[str]:
    return list(organisation.official_languages or [organisation.default_language])


def visible_news(organisation: Organisation, language: str) -> QuerySet[NewsItem]:
    """The organisation's items for a reader of ``language``, newest first.

    Items in that language, plus, for posts that have no version in it, the version in the
    organisation's default language. Withdrawn items are left out of lists (their permanent
    pages still answer).
    """
    items = NewsItem.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
    default = organisation.default_language
    if language == default:
        return items.filter(language=language)
    translated_posts = items.filter(language=language, post__isnull=False).values("post_id")
    return items.filter(Q(language=language) | Q(language=default) & ~Q(post_id__in=translated_posts))


def other_versions(item: NewsItem) -> QuerySet[NewsItem]:
    """The same post's items in other languages."""
    if item.post_id is None:
        return NewsItem.objects.none()
    return (
        NewsItem.objects.filter(post_id=item.post_id, organisation_id=item.organisation_id)
        .exclude(pk=item.pk)
        .filter(withdrawn_at__isnull=True)
        .order_by("language")
    )


# A longer query finds nothing more useful and costs one LIKE per word.
MAX_QUERY_WORDS = 8


def search_news(items: QuerySet[NewsItem], query: str) -> QuerySet[NewsItem]:
    """``items`` whose title or text contains every word of ``query``, ignoring case and
    accents alike on SQLite and PostgreSQL (both sides folded by :func:`fold`)."""
    for word in fold(query).split()[:MAX_QUERY_WORDS]:
        items = items.filter(search_text__contains=word)
    return items
