"""Turning what happens into archive records, called inside the transaction of the event.

One function per event. Each reads what it needs and calls :func:`services.append`; none
sends anything anywhere, so a failure here rolls back the event itself rather than leaving
an event without its record (REC-1: nothing sent or received goes unrecorded).
"""

from __future__ import annotations

from datetime import datetime

from pregonero.archive.models import ArchiveRecord, Direction, Kind
from pregonero.archive.services import append


def _media(post) -> list[dict]:
    return [
        {
            "file": item.file.name,
            "kind": item.kind,
            "mime": item.mime,
            "size": item.size,
            "description": item.description,
        }
        for item in post.media.all()
    ]


def publication_sent(publication, *, marked_by=None) -> ArchiveRecord:
    """A publication is on the network (sent by the dispatcher, or marked so by a person)."""
    from pregonero.publishing.dispatch import part_texts

    post, variant = publication.post, publication.variant
    texts = part_texts(publication)
    content = {
        "post": {"id": post.pk, "title": post.title, "category": post.category, "tags": post.tags},
        "variant": {"id": variant.pk, "language": variant.language, "parts": texts},
        "parts": publication.remote_parts,
        "media": _media(post),
        "scheduled_at": post.scheduled_at,
        "author": str(post.author) if post.author_id else "",
        "approved_by": str(post.approved_by) if post.approved_by_id else "",
    }
    if marked_by is not None:
        content["marked_sent_by"] = str(marked_by)
    return append(
        publication.organisation_id,
        Kind.POST_PUBLISHED,
        source=publication,
        text="\n\n".join(texts),
        content=content,
        channel=publication.channel,
        direction=Direction.OUT,
        remote_id=publication.remote_id,
        url=publication.remote_url,
        occurred_at=publication.sent_at,
        author=publication.organisation.name,
        language=variant.language,
        post_ref=post.pk,
        department_ref=post.department_id,
        tags=list(post.tags or []),
    )


def post_removed(publication, *, reason: str, by=None, at: datetime | None = None) -> ArchiveRecord:
    """Our post was taken down from the network (by us, with a reason, or as later observed)."""
    return append(
        publication.organisation_id,
        Kind.POST_REMOVED,
        source=publication,
        content={"reason": reason, "by": str(by) if by is not None else ""},
        channel=publication.channel,
        direction=Direction.OUT,
        remote_id=publication.remote_id,
        url=publication.remote_url,
        occurred_at=at,
        author=str(by) if by is not None else "",
        language=publication.variant.language,
        post_ref=publication.post_id,
        department_ref=publication.post.department_id,
    )


def _message(message, kind: str, **content) -> ArchiveRecord:
    conversation = message.conversation
    incoming = message.direction == "in"
    author = message.author_handle
    if message.author_name and message.author_name != author:
        author = f"{message.author_name} ({author})" if author else message.author_name
    if not incoming and message.sent_by_id:
        content.setdefault("sent_by", str(message.sent_by))
    return append(
        conversation.organisation_id,
        kind,
        source=message,
        text=message.text,
        content={
            "conversation": {"id": conversation.pk, "kind": conversation.kind, "key": conversation.key},
            "in_reply_to": message.in_reply_to,
            "post_remote_id": conversation.post_remote_id,
            **content,
        },
        channel=message.channel,
        direction=Direction.IN if incoming else Direction.OUT,
        remote_id=message.remote_id,
        url=message.url,
        occurred_at=message.created_at or message.received_at,
        author=author,
        language=message.language,
        conversation_ref=conversation.pk,
        department_ref=conversation.department_id,
        tags=list(conversation.tags or []),
    )


def message_received(message) -> ArchiveRecord:
    return _message(message, Kind.MESSAGE_RECEIVED, raw=message.raw, personal_data=message.personal_data)


def message_sent(message) -> ArchiveRecord:
    return _message(message, Kind.MESSAGE_SENT, personal_data=message.personal_data)


def message_edited(message, previous_text: str) -> ArchiveRecord:
    return _message(message, Kind.MESSAGE_EDITED, previous_text=previous_text, edited_at=message.edited_at)


def message_deleted(message, *, by: str = "", reason: str = "") -> ArchiveRecord:
    """Deleted by its author (seen later on the network) or removed by a moderator (REC-2)."""
    return _message(
        message, Kind.MESSAGE_DELETED, deleted_seen_at=message.deleted_seen_at, by=by, reason=reason
    )


def moderation(decision) -> ArchiveRecord:
    """A hide, delete or block (or its reversal), with the message as it was and the rule cited (REC-2)."""
    rule = decision.rule
    return append(
        decision.organisation_id,
        Kind.MODERATION,
        source=decision,
        text=decision.content,
        content={
            "action": decision.action,
            "rule": {"code": rule.code, "version": rule.rulebook.version} if rule is not None else None,
            "note": decision.note,
            "expires_at": decision.expires_at,
            "decided_by": decision.decided_by_label,
            "reverses": decision.reverses_id,
            "network_outcome": decision.network_outcome,
            "network_error": decision.network_error,
            "author_id": decision.author_id,
        },
        channel=decision.channel,
        remote_id=decision.message_remote_id,
        occurred_at=decision.decided_at,
        author=decision.author_handle,
        conversation_ref=decision.conversation_id,
    )
