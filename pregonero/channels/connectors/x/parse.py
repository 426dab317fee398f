"""X API v2 answers to Pregonero's objects: pure functions, no I/O.

Shapes follow the v2 reference (``GET /2/users/:id/mentions`` with ``expansions`` and
``includes``). X escapes ``&``, ``<`` and ``>`` in ``text`` and shortens every link to
``t.co``; both are undone here, so the text is plain with whole links. An edit is a new post
whose ``edit_history_tweet_ids`` starts with the original's id, which is kept as
``remote_id``. Deletions are not reported by this endpoint.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind

MEDIA_KINDS = {"photo": "image", "video": "video", "animated_gif": "video"}


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def expand_links(text: str, entities: Mapping[str, Any] | None) -> str:
    """The text with each ``t.co`` link replaced by the address it stands for. Links to the
    post's own media (``pic.x.com``) are dropped: the media come separately."""
    for url in (entities or {}).get("urls") or ():
        short, whole = url.get("url"), url.get("expanded_url") or url.get("url")
        if not short:
            continue
        if url.get("media_key"):
            whole = ""
        text = text.replace(short, whole)
    return text.strip()


def _language(code: Any) -> str:
    # X marks undetermined text "und" and its own non-language kinds with a "q" prefix.
    code = str(code or "")
    return "" if code in {"und", "zxx"} or code.startswith("q") else code


def _kind(tweet: Mapping[str, Any], own_id: str, own_tweets: set[str]) -> MessageKind:
    references = {item.get("type"): item.get("id") for item in tweet.get("referenced_tweets") or ()}
    if str(tweet.get("in_reply_to_user_id") or "") == own_id:
        return MessageKind.REPLY
    if references.get("quoted") in own_tweets:
        return MessageKind.QUOTE
    return MessageKind.MENTION


def parse_tweet(
    tweet: Mapping[str, Any],
    own_id: str,
    users: Mapping[str, Mapping[str, Any]],
    media: Mapping[str, Mapping[str, Any]] | None = None,
    own_tweets: set[str] | None = None,
) -> InboundMessage | None:
    """One post, or None when it is the account's own."""
    author_id = str(tweet.get("author_id") or "")
    if author_id == own_id:
        return None
    author = users.get(author_id) or {}
    history = [str(item) for item in tweet.get("edit_history_tweet_ids") or ()]
    tweet_id = str(tweet.get("id") or "")
    original = history[0] if history else tweet_id
    references = {item.get("type"): str(item.get("id")) for item in tweet.get("referenced_tweets") or ()}
    username = author.get("username") or ""
    attached = [
        (media or {}).get(key) or {} for key in (tweet.get("attachments") or {}).get("media_keys") or ()
    ]
    return InboundMessage(
        remote_id=original,
        kind=_kind(tweet, own_id, own_tweets or set()),
        author_id=author_id,
        author_handle=f"@{username}" if username else "",
        author_name=author.get("name") or "",
        text=html.unescape(expand_links(tweet.get("text") or "", tweet.get("entities"))),
        created_at=parse_time(tweet.get("created_at")),
        language=_language(tweet.get("lang")),
        url=f"https://x.com/{username or 'i'}/status/{tweet_id}",
        in_reply_to=references.get("replied_to"),
        conversation=str(tweet.get("conversation_id") or ""),
        quoted=references.get("quoted"),
        media=tuple(
            InboundMedia(
                kind=MEDIA_KINDS.get(item.get("type"), "file"),
                url=item.get("url") or item.get("preview_image_url") or "",
                description=item.get("alt_text") or "",
            )
            for item in attached
            if item
        ),
        edited_at=parse_time(tweet.get("created_at")) if len(history) > 1 else None,
    )


def parse_mentions(
    answer: Mapping[str, Any], own_id: str, own_tweets: Iterable[str] = ()
) -> list[InboundMessage]:
    """The posts of a mentions page, oldest first (X sends the newest first)."""
    includes = answer.get("includes") or {}
    users = {str(user.get("id")): user for user in includes.get("users") or ()}
    media = {str(item.get("media_key")): item for item in includes.get("media") or ()}
    own = set(own_tweets) | {
        str(tweet.get("id"))
        for tweet in includes.get("tweets") or ()
        if str(tweet.get("author_id")) == own_id
    }
    tweets = sorted(
        answer.get("data") or (), key=lambda tweet: (len(str(tweet.get("id"))), str(tweet.get("id")))
    )
    found = (parse_tweet(tweet, own_id, users, media, own) for tweet in tweets)
    return [message for message in found if message is not None]


def newest_id(answer: Mapping[str, Any], cursor: str | None) -> str | None:
    return (answer.get("meta") or {}).get("newest_id") or cursor
