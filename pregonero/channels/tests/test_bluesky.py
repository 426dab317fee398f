"""The Bluesky connector against a real PDS (npm @atproto/dev-env) isolated on loopback."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.channels import health
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia, OutgoingPart
from pregonero.channels.connectors.bluesky import records
from pregonero.channels.models import Channel, Health
from pregonero.channels.tests.test_mastodon import PNG
from pregonero.publishing import dispatch, review, scheduling, services
from pregonero.publishing.models import Publication, PublicationState


def part(text: str, key: str, index: int = 0, total: int = 1, **values) -> OutgoingPart:
    return OutgoingPart(text=text, language="ca", index=index, total=total, idempotency_key=key, **values)


def test_an_admin_connects_an_account_with_an_app_password(
    client_for, alba, vilanova, bluesky, bluesky_account
):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "bluesky"]),
        {
            "name": "Bluesky municipal",
            "account-identifier": f"@{bluesky_account['handle']}",
            "account-app_password": bluesky_account["app_password"],
            "account-service": bluesky.url,
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="Bluesky municipal")
    assert channel.config["did"] == bluesky_account["did"]
    assert channel.config["account"] == f"@{bluesky_account['handle']}"
    assert channel.secret_values()["app_password"] == bluesky_account["app_password"]
    assert bluesky_account["app_password"] not in str(channel.config)
    assert AuditEntry.objects.filter(action="channel.connected").exists()


def test_a_wrong_app_password_connects_nothing(client_for, alba, vilanova, bluesky, bluesky_account):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "bluesky"]),
        {
            "name": "B",
            "account-identifier": bluesky_account["handle"],
            "account-app_password": "aaaa-bbbb-cccc-dddd",
            "account-service": bluesky.url,
        },
    )
    assert "did not accept this handle and app password" in response.content.decode()
    assert not Channel.objects.filter(name="B").exists()


def test_a_post_with_facets_lands_at_the_key_pregonero_chose(bluesky, bluesky_account, bluesky_channel):
    text = (
        "Festa major 🎉 a https://vilanova.example/festa amb @" + bluesky_account["handle"] + " #FestaMajor"
    )
    result = bluesky_channel.get_connector().publish(part(text, "bs-1-0"))
    assert result.remote_id.endswith("/app.bsky.feed.post/" + records.record_key("bs-1-0", None))
    [record] = bluesky.records(bluesky_account["did"])
    value = record["value"]
    assert value["text"] == text and value["langs"] == ["ca"]
    features = [(f["features"][0]["$type"].split("#")[1], f["index"]["byteStart"]) for f in value["facets"]]
    encoded = text.encode()
    assert features == [
        ("link", encoded.index(b"https://")),
        ("mention", encoded.index(b"@ayto")),
        ("tag", encoded.index(b"#Festa")),
    ]
    assert value["facets"][1]["features"][0]["did"] == bluesky_account["did"]


def test_a_retried_part_is_not_posted_twice(bluesky, bluesky_account, bluesky_channel):
    connector = bluesky_channel.get_connector()
    first = connector.publish(part("Tall d'aigua dilluns.", "bs-2-0"))
    again = connector.publish(part("Tall d'aigua dilluns.", "bs-2-0"))
    assert first == again
    assert len(bluesky.records(bluesky_account["did"])) == 1


def test_a_thread_names_its_root_and_parent(bluesky, bluesky_account, bluesky_channel):
    connector = bluesky_channel.get_connector()
    one = connector.publish(part("Primer (1/3)", "bs-3-0", 0, 3))
    two = connector.publish(part("Segon (2/3)", "bs-3-1", 1, 3, reply_to=one.remote_id))
    three = connector.publish(part("Tercer (3/3)", "bs-3-2", 2, 3, reply_to=two.remote_id))
    by_uri = {r["uri"]: r["value"] for r in bluesky.records(bluesky_account["did"])}
    assert by_uri[two.remote_id]["reply"]["root"]["uri"] == one.remote_id
    assert by_uri[three.remote_id]["reply"]["root"]["uri"] == one.remote_id
    assert by_uri[three.remote_id]["reply"]["parent"]["uri"] == two.remote_id


def test_an_image_goes_with_its_alt_text(tmp_path, bluesky, bluesky_account, bluesky_channel):
    image = tmp_path / "cartell.png"
    image.write_bytes(PNG)
    media = (OutgoingMedia(str(image), "image/png", "Cartell de la festa major"),)
    bluesky_channel.get_connector().publish(part("Cartell", "bs-4-0", media=media))
    [record] = bluesky.records(bluesky_account["did"])
    [embedded] = record["value"]["embed"]["images"]
    assert embedded["alt"] == "Cartell de la festa major"
    assert embedded["image"]["mimeType"] == "image/png"


def test_delete_removes_the_record(bluesky, bluesky_account, bluesky_channel):
    connector = bluesky_channel.get_connector()
    result = connector.publish(part("S'esborrarà", "bs-5-0"))
    connector.delete(result.remote_id)
    assert bluesky.records(bluesky_account["did"]) == []


def test_an_expired_session_is_renewed_and_kept(bluesky, bluesky_account, bluesky_channel):
    stored = bluesky_channel.secret_values()
    stored["session"]["accessJwt"] = "not-a-valid-jwt"
    bluesky_channel.set_secret_values(stored)
    bluesky_channel.save()
    assert health.check(bluesky_channel) == Health.OK
    bluesky_channel.refresh_from_db()
    assert bluesky_channel.secret_values()["session"]["accessJwt"] != "not-a-valid-jwt"


def test_a_revoked_app_password_breaks_the_channel(bluesky, bluesky_account, bluesky_channel):
    stored = bluesky_channel.secret_values()
    stored.update(app_password="wxyz-wxyz-wxyz-wxyz", session={})
    bluesky_channel.set_secret_values(stored)
    bluesky_channel.save()
    assert health.check(bluesky_channel) == Health.BROKEN
    assert "reconnect the channel" in bluesky_channel.health_message


@pytest.mark.parametrize("repeat", [False, True])
def test_a_scheduled_post_is_published_once_through_the_dispatcher(
    vilanova, ana, pau, urbanismo, bluesky, bluesky_account, bluesky_channel, repeat
):
    long_text = " ".join(["La piscina municipal obri dissabte a les deu del matí."] * 8)
    post = services.create_post(
        vilanova,
        actor=ana,
        title="Piscina",
        department=urbanismo,
        channels=[bluesky_channel],
        texts={"es": "La piscina abre el sábado.", "ca": long_text},
    )
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    local = timezone.localtime(timezone.now() + timedelta(hours=1), zoneinfo.ZoneInfo(vilanova.time_zone))
    scheduling.schedule(post, actor=pau, local=local.replace(tzinfo=None))
    later = timezone.now() + timedelta(hours=1, minutes=1)
    while (result := dispatch.dispatch_next("w", now=later)) is not None:
        assert result[1] == PublicationState.SENT
    if repeat:
        # As if a worker had died after the network took every part: the calls come again.
        for publication in Publication.objects.filter(post=post):
            connector = bluesky_channel.get_connector()
            for index, text in enumerate(dispatch.part_texts(publication)):
                previous = publication.remote_parts[index - 1]["remote_id"] if index else None
                key = dispatch.part_key(publication, index)
                assert (
                    connector.publish(part(text, key, index, 9, reply_to=previous)).remote_id
                    == (publication.remote_parts[index]["remote_id"])
                )
    posts = bluesky.records(bluesky_account["did"])
    catalan = Publication.objects.get(post=post, variant__language="ca")
    assert len(catalan.remote_parts) > 1
    assert len(posts) == 1 + len(catalan.remote_parts)


def test_disconnecting_ends_the_session_and_forgets_the_app_password(
    client_for, alba, vilanova, bluesky_channel
):
    refresh = bluesky_channel.secret_values()["session"]["refreshJwt"]
    url = reverse("channels:disconnect", args=[vilanova.slug, bluesky_channel.pk])
    assert client_for(alba).post(url).status_code == 302
    bluesky_channel.refresh_from_db()
    assert bluesky_channel.secret_values() == {} and not bluesky_channel.is_active
    client = bluesky_channel.get_connector()._client()
    client.session = {"refreshJwt": refresh}
    with pytest.raises(ConnectorError):
        client._refresh()
