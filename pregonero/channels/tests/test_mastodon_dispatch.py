"""A post written, approved and scheduled in Pregonero reaches the Mastodon mock exactly once,
through the real dispatcher."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.utils import timezone

from pregonero.channels.models import Health
from pregonero.publishing import dispatch, review, scheduling, services
from pregonero.publishing.models import PostState, Publication, PublicationState


def _scheduled_post(vilanova, ana, pau, urbanismo, channel, texts):
    post = services.create_post(
        vilanova, actor=ana, title="Piscina", department=urbanismo, channels=[channel], texts=texts
    )
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    local = timezone.localtime(
        timezone.now() + timedelta(hours=1), zoneinfo.ZoneInfo(vilanova.time_zone)
    ).replace(tzinfo=None)
    return scheduling.schedule(post, actor=pau, local=local)


def _run_dispatcher(at) -> list:
    done = []
    while (result := dispatch.dispatch_next("test-worker", now=at)) is not None:
        done.append(result)
    return done


def test_a_scheduled_post_is_published_once_on_the_mock(
    vilanova, ana, pau, urbanismo, mastodon, mastodon_account, mastodon_channel
):
    texts = {"es": "La piscina abre el sábado a las 10.", "ca": "La piscina obri dissabte a les 10."}
    post = _scheduled_post(vilanova, ana, pau, urbanismo, mastodon_channel, texts)
    assert _run_dispatcher(timezone.now()) == []

    later = timezone.now() + timedelta(hours=1, minutes=1)
    finished = _run_dispatcher(later)
    assert {state for _pk, state in finished} == {PublicationState.SENT}
    assert _run_dispatcher(later + timedelta(hours=1)) == []
    dispatch.reconcile_leases("test-worker", now=later + timedelta(hours=2))

    statuses = mastodon.statuses_of(mastodon_account["id"])
    assert sorted(s["language"] for s in statuses) == ["ca", "es"]
    assert len(statuses) == 2
    publications = Publication.objects.filter(post=post)
    assert {p.remote_id for p in publications} == {s["id"] for s in statuses}
    assert all(p.remote_url for p in publications)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED


def test_a_revoked_token_fails_the_publication_and_breaks_the_channel(
    vilanova, ana, pau, urbanismo, mastodon, mastodon_account, mastodon_channel
):
    texts = {"es": "Corte de agua.", "ca": "Tall d'aigua."}
    _scheduled_post(vilanova, ana, pau, urbanismo, mastodon_channel, texts)
    mastodon.fault("POST", "/api/v1/statuses", status=401, count=2)
    finished = _run_dispatcher(timezone.now() + timedelta(hours=1, minutes=1))
    assert {state for _pk, state in finished} == {PublicationState.FAILED}
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.health == Health.BROKEN
    assert "reconnect the channel" in mastodon_channel.health_message
    assert mastodon.statuses_of(mastodon_account["id"]) == []
