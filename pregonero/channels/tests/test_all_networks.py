"""The connectors issue's "done when": one post goes out once to the local Mastodon mock, the
local Bluesky network, the local Synapse and the built-in website and bulletin channels; replies
made on Mastodon, Bluesky and Matrix come back as inbound messages, and everything is archived.

Bluesky replies are listed as notifications by an AppView, so here Bluesky runs as a whole
network (PLC, PDS and the bsky AppView indexing the PDS's firehose into PostgreSQL; see
``bluesky_appview_peer``); the reply is a record a citizen's account writes on the PDS, and it
comes back through the PDS exactly as on bsky.social.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from pregonero.archive import services as archive
from pregonero.archive.models import ArchiveRecord, Kind
from pregonero.inbox import ingest
from pregonero.inbox.models import Conversation, Message
from pregonero.public.models import NewsItem
from pregonero.public.tests.factories import make_channel, make_subscriber, smtp_server
from pregonero.publishing import dispatch, review, scheduling, services
from pregonero.publishing.models import Post, PostState, Publication, PublicationState

pytestmark = pytest.mark.django_db

VALENCIAN = "Dissabte obri la piscina municipal, de 10 a 20 h. Entrada lliure el primer dia!"
SPANISH = "El sábado abre la piscina municipal, de 10 a 20 h. ¡Entrada libre el primer día!"


@pytest.fixture
def bluesky(bluesky_appview_peer, settings):
    """This module's Bluesky has an AppView, so that replies can be read back."""
    settings.OUTBOUND_ALLOW_PRIVATE = True
    return bluesky_appview_peer


@pytest.fixture
def mailbox(settings):
    with smtp_server(settings) as received:
        yield received


def _send_everything() -> list[tuple[int, str]]:
    # A minute on: the bulletin waits 30 s after the others, so a late withdrawal still stops it.
    later = timezone.now() + timedelta(minutes=1)
    handled = []
    while (result := dispatch.dispatch_next("all-networks", now=later)) is not None:
        handled.append(result)
    return handled


def _ingest_until_a_message_arrives(channel, *, attempts: int = 100) -> None:
    """The AppView indexes the PDS's firehose as it comes, a moment after the record is written."""
    for _attempt in range(attempts):
        ingest.ingest_channel(channel)
        if Message.objects.filter(channel=channel).exists():
            return
        time.sleep(0.1)


def test_one_post_reaches_every_network_once_and_replies_come_back(
    vilanova,
    ana,
    pau,
    mastodon,
    mastodon_account,
    mastodon_channel,
    synapse,
    matrix_room,
    matrix_channel,
    bluesky,
    bluesky_account,
    bluesky_channel,
    mailbox,
):
    website = make_channel(vilanova, "website", "Web")
    bulletin = make_channel(vilanova, "email", "Butlletí", from_email="noticies@vilanova.example")
    make_subscriber(bulletin, "marta@correo.example", "ca")
    channels = [mastodon_channel, matrix_channel, bluesky_channel, website, bulletin]
    ingest.ingest_channel(matrix_channel)  # the room's history so far

    post = services.create_post(
        vilanova, actor=ana, title="Piscina", channels=channels, texts={"ca": VALENCIAN, "es": SPANISH}
    )
    review.submit(post, actor=ana)
    review.approve(Post.objects.get(pk=post.pk), actor=pau)
    scheduling.publish_now(Post.objects.get(pk=post.pk), actor=pau)
    handled = _send_everything()
    # Every publication (one per channel, and per language where the channel takes one post
    # per language) is sent exactly once; nothing is left to send.
    publications = Publication.objects.filter(post=post)
    assert sorted(pk for pk, _state in handled) == sorted(publications.values_list("pk", flat=True))
    assert {state for _pk, state in handled} == {PublicationState.SENT}
    assert set(publications.values_list("channel", flat=True)) == {channel.pk for channel in channels}
    assert _send_everything() == []
    assert Post.objects.get(pk=post.pk).state == PostState.PUBLISHED

    statuses = mastodon.statuses_of(mastodon_account["id"])
    assert len(statuses) == 2
    assert sorted(s["language"] for s in statuses) == ["ca", "es"]
    bodies = [
        e["content"]["body"]
        for e in synapse.events(matrix_room["citizen"]["access_token"], matrix_room["room_id"])
        if e["type"] == "m.room.message" and e["sender"] == matrix_room["bot"]["user_id"]
    ]
    assert sorted(bodies) == sorted([VALENCIAN, SPANISH])
    assert sorted(r["value"]["text"] for r in bluesky.records(bluesky_account["did"])) == sorted(
        [VALENCIAN, SPANISH]
    )
    assert sorted(NewsItem.objects.filter(post=post).values_list("language", flat=True)) == ["ca", "es"]
    assert len(mailbox.messages) == 1

    # Citizens answer on Mastodon, on Bluesky and in the Matrix room.
    ours_on_mastodon = next(s for s in statuses if s["language"] == "ca")
    citizen = mastodon.new_account(f"veina{mastodon_account['id']}")
    mastodon.post(
        citizen["access_token"],
        f"@{mastodon_account['username']} I els dilluns, també obri?",
        in_reply_to_id=ours_on_mastodon["id"],
    )
    ours_in_matrix = matrix_channel.publications.get(variant__language="ca").remote_id
    synapse.send(
        matrix_room["citizen"]["access_token"],
        matrix_room["room_id"],
        {
            "msgtype": "m.text",
            "body": "Hi haurà socorrista tot el dia?",
            "m.relates_to": {"m.in_reply_to": {"event_id": ours_in_matrix}},
        },
    )
    ours_on_bluesky = next(
        r for r in bluesky.records(bluesky_account["did"]) if r["value"]["text"] == VALENCIAN
    )
    neighbour = bluesky.create_account(f"veina{mastodon_account['id']}")
    bluesky.reply(neighbour, ours_on_bluesky, "Es pot portar el gos? 🐕")
    ingest.ingest_channel(mastodon_channel)
    ingest.ingest_channel(matrix_channel)
    _ingest_until_a_message_arrives(bluesky_channel)
    texts = {m.channel_id: m.text for m in Message.objects.all()}
    assert "I els dilluns, també obri?" in texts[mastodon_channel.pk]
    assert "socorrista" in texts[matrix_channel.pk]
    assert texts[bluesky_channel.pk] == "Es pot portar el gos? 🐕"
    assert Message.objects.get(channel=bluesky_channel).author_handle == f"@{neighbour['handle']}"
    assert Conversation.objects.filter(organisation=vilanova).count() == 3
    ingest.ingest_channel(bluesky_channel)  # read again: nothing new, nothing doubled
    assert Message.objects.filter(channel=bluesky_channel).count() == 1

    # Everything sent and received is in the archive, and the chain holds.
    assert ArchiveRecord.objects.filter(kind=Kind.POST_PUBLISHED).count() == publications.count()
    assert ArchiveRecord.objects.filter(kind=Kind.MESSAGE_RECEIVED).count() == 3
    assert archive.verify().ok
