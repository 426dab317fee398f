"""The Mastodon connector against mastodon-mock, a real HTTP server of the Mastodon API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.audit.models import AuditEntry
from pregonero.channels import health
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia, OutgoingPart
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel, Health
from pregonero.channels.views import PENDING_KEY

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def part(text: str, key: str, **values) -> OutgoingPart:
    return OutgoingPart(text=text, language="ca", index=0, total=1, idempotency_key=key, **values)


def test_an_admin_connects_an_account_through_the_instance(
    client_for, alba, vilanova, mastodon, mastodon_account
):
    client = client_for(alba)
    response = client.post(
        reverse("channels:connect", args=[vilanova.slug, "mastodon"]),
        {"name": "Mastodon municipal", "account-instance": mastodon.url},
    )
    assert response.status_code == 302
    authorize_url = response["Location"]
    assert authorize_url.startswith(f"{mastodon.url}/oauth/authorize?")
    assert "code_challenge=" in authorize_url

    back = mastodon.authorize(authorize_url, mastodon_account["username"])
    assert back.startswith("http://testserver/")
    response = client.get(back.removeprefix("http://testserver"))

    assert response.status_code == 302
    channel = Channel.objects.get(organisation=vilanova, name="Mastodon municipal")
    assert channel.connector == "mastodon" and channel.is_active and channel.health == Health.OK
    assert channel.config["account_id"] == mastodon_account["id"]
    assert channel.config["limits"]["max_length"] == 500
    assert channel.secret_values()["access_token"]
    assert AuditEntry.objects.filter(action="channel.connected", organisation=vilanova).exists()
    assert PENDING_KEY not in client.session


def test_the_token_is_encrypted_at_rest_and_never_shown(client_for, alba, vilanova, mastodon_channel):
    token = mastodon_channel.secret_values()["access_token"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM channels_channel WHERE id = %s", [mastodon_channel.pk])
        stored = cursor.fetchone()[0]
    assert token not in stored
    for url in (
        reverse("channels:list", args=[vilanova.slug]),
        reverse("channels:edit", args=[vilanova.slug, mastodon_channel.pk]),
    ):
        assert token not in client_for(alba).get(url).content.decode()
    assert not any(token in str(entry.changes) for entry in AuditEntry.objects.all())


def test_a_return_with_another_state_is_refused(client_for, alba, vilanova, mastodon):
    client = client_for(alba)
    client.post(
        reverse("channels:connect", args=[vilanova.slug, "mastodon"]),
        {"name": "M", "account-instance": mastodon.url},
    )
    url = reverse("channels:connect_return", args=[vilanova.slug])
    response = client.get(url, {"code": "mockcode_x", "state": "forged"})
    assert response.status_code == 302
    assert not Channel.objects.filter(name="M").exists()


def test_a_refusal_on_the_instance_connects_nothing(client_for, alba, vilanova, mastodon):
    client = client_for(alba)
    response = client.post(
        reverse("channels:connect", args=[vilanova.slug, "mastodon"]),
        {"name": "M", "account-instance": mastodon.url},
    )
    state = dict(__import__("httpx").URL(response["Location"]).params)["state"]
    url = reverse("channels:connect_return", args=[vilanova.slug])
    response = client.get(url, {"error": "access_denied", "state": state}, follow=True)
    assert "did not give access" in response.content.decode()
    assert not Channel.objects.filter(name="M").exists()


def test_an_editor_cannot_connect_and_an_outsider_gets_404(client_for, ana, oscar, vilanova, mastodon):
    url = reverse("channels:connect", args=[vilanova.slug, "mastodon"])
    assert client_for(ana).post(url, {"name": "M", "account-instance": mastodon.url}).status_code == 403
    assert client_for(oscar).get(url).status_code == 404


def test_a_private_instance_address_is_refused_without_the_setting(
    client_for, alba, vilanova, mastodon, settings
):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "mastodon"]),
        {"name": "M", "account-instance": mastodon.url},
    )
    assert response.status_code == 200
    assert "private network" in response.content.decode()


def test_limits_come_from_the_instance(mastodon_channel):
    limits = mastodon_channel.get_connector().limits
    assert (limits.max_length, limits.url_length, limits.max_media) == (500, 23, 4)
    assert "image/png" in limits.image_types and "video/mp4" in limits.video_types
    assert limits.max_image_bytes == 10 * 1024 * 1024


def test_a_repeated_key_publishes_one_status(mastodon, mastodon_account, mastodon_channel):
    connector = mastodon_channel.get_connector()
    first = connector.publish(part("Bon dia, Vilanova! 🌞", "k-1-0"))
    again = connector.publish(part("Bon dia, Vilanova! 🌞", "k-1-0"))
    assert first == again
    statuses = mastodon.statuses_of(mastodon_account["id"])
    assert [status["id"] for status in statuses] == [first.remote_id]
    assert first.url


def test_a_thread_replies_to_the_previous_part(mastodon, mastodon_account, mastodon_channel):
    connector = mastodon_channel.get_connector()
    one = connector.publish(OutgoingPart("Primer (1/2)", "ca", 0, 2, "thr-0"))
    two = connector.publish(OutgoingPart("Segon (2/2)", "ca", 1, 2, "thr-1", reply_to=one.remote_id))
    by_id = {status["id"]: status for status in mastodon.statuses_of(mastodon_account["id"])}
    assert by_id[two.remote_id]["in_reply_to_id"] == one.remote_id
    assert by_id[one.remote_id]["language"] == "ca"


def test_an_image_goes_with_its_description(tmp_path, mastodon, mastodon_account, mastodon_channel):
    image = tmp_path / "cartell.png"
    image.write_bytes(PNG)
    media = (OutgoingMedia(str(image), "image/png", "Cartell de la festa major"),)
    result = mastodon_channel.get_connector().publish(part("Festa major", "img-0", media=media))
    status = next(s for s in mastodon.statuses_of(mastodon_account["id"]) if s["id"] == result.remote_id)
    assert [m["description"] for m in status["media_attachments"]] == ["Cartell de la festa major"]


def test_delete_removes_the_status(mastodon, mastodon_account, mastodon_channel):
    connector = mastodon_channel.get_connector()
    result = connector.publish(part("S'esborrarà", "del-0"))
    connector.delete(result.remote_id)
    connector.delete(result.remote_id)  # already gone: nothing to do
    assert mastodon.statuses_of(mastodon_account["id"]) == []


@pytest.mark.parametrize(
    ("status", "permanent", "retry_after"),
    [(401, True, None), (403, True, None), (422, True, None), (503, False, None), (429, False, 300.0)],
)
def test_network_errors_say_whether_to_retry(mastodon, mastodon_channel, status, permanent, retry_after):
    mastodon.fault("POST", "/api/v1/statuses", status=status)
    with pytest.raises(ConnectorError) as raised:
        mastodon_channel.get_connector().publish(part("Hola", f"err-{status}"))
    assert raised.value.permanent is permanent
    assert raised.value.status == status
    if retry_after:
        assert raised.value.retry_after == pytest.approx(retry_after, abs=5)


def test_one_failed_check_is_a_blip_and_three_in_a_row_an_alarm(mastodon, mastodon_channel):
    path = "/api/v1/accounts/verify_credentials"
    mastodon.fault("GET", path, status=503, count=2)
    assert health.check(mastodon_channel) == Health.OK
    assert health.check(mastodon_channel) == Health.OK
    assert mastodon_channel.consecutive_failures == 2
    mastodon.fault("GET", path, status=503)
    assert health.check(mastodon_channel) == Health.DEGRADED
    assert health.check(mastodon_channel) == Health.OK
    assert mastodon_channel.consecutive_failures == 0


def test_a_revoked_token_breaks_the_channel_with_a_next_step(
    client_for, vera, vilanova, mastodon, mastodon_channel
):
    mastodon.fault("GET", "/api/v1/accounts/verify_credentials", status=401)
    assert health.check(mastodon_channel) == Health.BROKEN
    assert AuditEntry.objects.filter(
        action="channel.health_changed", object_id=str(mastodon_channel.pk)
    ).exists()
    content = client_for(vera).get(reverse("channels:list", args=[vilanova.slug])).content.decode()
    assert "Needs attention" in content and "reconnect the channel" in content


def test_mentions_and_replies_come_in_since_a_cursor(mastodon, mastodon_account, mastodon_channel):
    connector = mastodon_channel.get_connector()
    ours = connector.publish(part("Obrim la piscina dissabte.", "in-0"))
    citizen = mastodon.new_account(f"veina{mastodon_account['id']}")
    mastodon.post(
        citizen["access_token"],
        f"@{mastodon_account['username']} A quina hora?",
        in_reply_to_id=ours.remote_id,
    )
    first = connector.fetch_inbound(None)
    assert [m.text for m in first.messages] == [f"@{mastodon_account['username']} A quina hora?"]
    message = first.messages[0]
    assert message.kind == MessageKind.REPLY and message.in_reply_to == ours.remote_id
    assert message.author_handle.startswith(f"@{citizen['username']}@")

    mastodon.post(citizen["access_token"], f"Гарна новина, @{mastodon_account['username']} 👏")
    second = connector.fetch_inbound(first.cursor)
    assert [(m.kind, m.text) for m in second.messages] == [
        (MessageKind.MENTION, f"Гарна новина, @{mastodon_account['username']} 👏")
    ]
    assert connector.fetch_inbound(second.cursor).messages == ()


def test_disconnecting_forgets_the_token_and_switches_off(client_for, alba, vilanova, mastodon_channel):
    url = reverse("channels:disconnect", args=[vilanova.slug, mastodon_channel.pk])
    assert client_for(alba).post(url).status_code == 302
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.secret_values() == {} and not mastodon_channel.is_active
    assert mastodon_channel.health == Health.BROKEN
    assert AuditEntry.objects.filter(action="channel.disconnected").exists()
