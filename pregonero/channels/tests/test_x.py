"""Contract tests of the X connector: each API v2 exchange it makes (OAuth 2.0 with PKCE,
posts, threads, media with alt text, mentions), mocked with respx as the reference documents
them, errors and rate limits included."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.urls import reverse

from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia, OutgoingPart
from pregonero.channels.models import Channel
from pregonero.channels.tests.payloads import x as p
from pregonero.channels.tests.test_mastodon import PNG

ME = {"data": {"id": p.OWN_ID, "name": "Ajuntament de Vilanova", "username": "ajvilanova"}}


def tokens(access="acc-1", refresh="ref-1") -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": access,
            "scope": "tweet.read tweet.write users.read media.write offline.access",
            "refresh_token": refresh,
        },
    )


def problem(status: int, detail: str, **headers) -> httpx.Response:
    return httpx.Response(
        status,
        headers=headers,
        json={
            "title": "Forbidden" if status == 403 else "Error",
            "detail": detail,
            "type": "about:blank",
            "status": status,
        },
    )


def part(text: str, **values) -> OutgoingPart:
    return OutgoingPart(text=text, language="ca", index=0, total=1, idempotency_key="k-0", **values)


@pytest.fixture
def api(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with respx.mock(base_url="https://api.x.com", assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def channel(vilanova) -> Channel:
    channel = Channel(
        organisation=vilanova,
        connector="x",
        name="X",
        config={"user_id": p.OWN_ID, "username": "ajvilanova", "account": "@ajvilanova"},
    )
    channel.set_secret_values(
        {
            "access_token": "acc-1",
            "refresh_token": "ref-1",
            "expires_at": time.time() + 3600,
            "client_id": "cid",
            "client_secret": "csecret",
        }
    )
    channel.save()
    return channel


def test_an_admin_connects_with_oauth_and_pkce(client_for, alba, vilanova, api):
    client = client_for(alba)
    response = client.post(
        reverse("channels:connect", args=[vilanova.slug, "x"]),
        {"name": "X municipal", "account-client_id": "cid", "account-client_secret": "csecret"},
    )
    assert response.status_code == 302
    authorize = httpx.URL(response["Location"])
    query = dict(authorize.params)
    assert authorize.host == "x.com" and authorize.path == "/i/oauth2/authorize"
    assert query["code_challenge_method"] == "S256" and "offline.access" in query["scope"]
    assert query["redirect_uri"].endswith(reverse("channels:connect_return", args=[vilanova.slug]))

    token = api.post("/2/oauth2/token").mock(return_value=tokens())
    api.get("/2/users/me").mock(return_value=httpx.Response(200, json=ME))
    back = reverse("channels:connect_return", args=[vilanova.slug])
    response = client.get(back, {"code": "the-code", "state": query["state"]})
    assert response.status_code == 302

    sent = token.calls.last.request
    form = {key: value[0] for key, value in parse_qs(sent.content.decode()).items()}
    assert form["grant_type"] == "authorization_code" and form["code"] == "the-code"
    # The verifier sent now is the one whose S256 digest went out at first.
    digest = hashlib.sha256(form["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == query["code_challenge"]
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()

    channel = Channel.objects.get(name="X municipal")
    assert channel.config == {"user_id": p.OWN_ID, "username": "ajvilanova", "account": "@ajvilanova"}
    stored = channel.secret_values()
    assert (stored["access_token"], stored["refresh_token"]) == ("acc-1", "ref-1")
    assert "csecret" not in json.dumps(channel.config)


def test_a_refusal_on_x_connects_nothing(client_for, alba, vilanova, api):
    client = client_for(alba)
    response = client.post(
        reverse("channels:connect", args=[vilanova.slug, "x"]), {"name": "X", "account-client_id": "cid"}
    )
    state = dict(httpx.URL(response["Location"]).params)["state"]
    back = reverse("channels:connect_return", args=[vilanova.slug])
    response = client.get(back, {"error": "access_denied", "state": state}, follow=True)
    assert "did not give access" in response.content.decode()
    assert not Channel.objects.filter(name="X").exists()


def test_an_editor_cannot_connect(client_for, ana, oscar, vilanova):
    url = reverse("channels:connect", args=[vilanova.slug, "x"])
    assert client_for(ana).post(url, {"name": "X", "account-client_id": "cid"}).status_code == 403
    assert client_for(oscar).get(url).status_code == 404


def test_a_post_and_the_next_part_of_its_thread(channel, api):
    route = api.post("/2/tweets").mock(
        side_effect=[
            httpx.Response(201, json={"data": {"id": "1861", "text": "Primer (1/2)"}}),
            httpx.Response(201, json={"data": {"id": "1862", "text": "Segon (2/2)"}}),
        ]
    )
    connector = channel.get_connector()
    first = connector.publish(part("Primer (1/2)"))
    second = connector.publish(OutgoingPart("Segon (2/2)", "ca", 1, 2, "k-1", reply_to=first.remote_id))
    bodies = [json.loads(call.request.content) for call in route.calls]
    assert bodies == [
        {"text": "Primer (1/2)"},
        {"text": "Segon (2/2)", "reply": {"in_reply_to_tweet_id": "1861"}},
    ]
    assert route.calls.last.request.headers["Authorization"] == "Bearer acc-1"
    assert (first.url, second.remote_id) == ("https://x.com/ajvilanova/status/1861", "1862")


def test_an_image_is_uploaded_with_its_alt_text(channel, api, tmp_path):
    image = tmp_path / "cartell.png"
    image.write_bytes(PNG)
    upload = api.post("/2/media/upload").mock(
        return_value=httpx.Response(200, json={"data": {"id": "710511363345354753", "media_key": "3_7105"}})
    )
    metadata = api.post("/2/media/metadata").mock(return_value=httpx.Response(200, json={"data": {}}))
    post = api.post("/2/tweets").mock(
        return_value=httpx.Response(201, json={"data": {"id": "1863", "text": "x"}})
    )
    channel.get_connector().publish(
        part("Festa major 🎉", media=(OutgoingMedia(str(image), "image/png", "Cartell de la festa"),))
    )
    assert PNG in upload.calls.last.request.content
    assert b'name="media_category"\r\n\r\ntweet_image' in upload.calls.last.request.content
    assert json.loads(metadata.calls.last.request.content) == {
        "id": "710511363345354753",
        "metadata": {"alt_text": {"text": "Cartell de la festa"}},
    }
    assert json.loads(post.calls.last.request.content)["media"] == {"media_ids": ["710511363345354753"]}


def test_a_rate_limit_waits_until_x_rate_limit_reset(channel, api):
    reset = int(time.time()) + 600
    api.post("/2/tweets").mock(
        return_value=problem(
            429, "Too Many Requests", **{"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"}
        )
    )
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    assert not caught.value.permanent
    assert 590 <= caught.value.retry_after <= 600


def test_duplicate_content_is_refused_without_asking_to_reconnect(channel, api):
    api.post("/2/tweets").mock(
        return_value=problem(403, "You are not allowed to create a Tweet with duplicate content.")
    )
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    error = caught.value
    assert error.permanent and getattr(error, "status", None) is None
    assert "same text recently" in str(error)


def test_an_app_without_permission_asks_to_reconnect(channel, api):
    api.post("/2/tweets").mock(return_value=problem(403, "You are not permitted to perform this action."))
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    assert caught.value.permanent and caught.value.status == 403


def test_an_expired_token_is_refreshed_first_and_the_new_pair_kept(channel, api):
    secrets = channel.secret_values()
    channel.set_secret_values({**secrets, "expires_at": time.time() - 10})
    channel.save()
    refresh = api.post("/2/oauth2/token").mock(return_value=tokens("acc-2", "ref-2"))
    post = api.post("/2/tweets").mock(
        return_value=httpx.Response(201, json={"data": {"id": "1", "text": "x"}})
    )
    channel.get_connector().publish(part("Hola"))
    form = parse_qs(refresh.calls.last.request.content.decode())
    assert form["grant_type"] == ["refresh_token"] and form["refresh_token"] == ["ref-1"]
    assert post.calls.last.request.headers["Authorization"] == "Bearer acc-2"
    channel.refresh_from_db()
    assert (channel.secret_values()["access_token"], channel.secret_values()["refresh_token"]) == (
        "acc-2",
        "ref-2",
    )


def test_a_401_refreshes_once_and_tries_again(channel, api):
    api.post("/2/oauth2/token").mock(return_value=tokens("acc-2", "ref-2"))
    post = api.post("/2/tweets").mock(
        side_effect=[
            problem(401, "Unauthorized"),
            httpx.Response(201, json={"data": {"id": "9", "text": "x"}}),
        ]
    )
    assert channel.get_connector().publish(part("Hola")).remote_id == "9"
    assert [call.request.headers["Authorization"] for call in post.calls] == ["Bearer acc-1", "Bearer acc-2"]


def test_a_revoked_refresh_token_needs_attention(channel, api):
    api.post("/2/oauth2/token").mock(
        return_value=httpx.Response(
            400,
            json={"error": "invalid_request", "error_description": "Value passed for the token was invalid."},
        )
    )
    api.post("/2/tweets").mock(return_value=problem(401, "Unauthorized"))
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    # 401: the dispatcher and health mark the channel Needs attention ("reconnect").
    assert caught.value.permanent and caught.value.status == 401
    assert "reconnect the channel" in str(caught.value)


def test_a_server_error_is_temporary(channel, api):
    api.post("/2/tweets").mock(return_value=problem(503, "Service Unavailable"))
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    assert not caught.value.permanent


def test_delete_tolerates_a_gone_post(channel, api):
    route = api.delete("/2/tweets/1861").mock(
        side_effect=[httpx.Response(200, json={"data": {"deleted": True}}), problem(404, "Not Found")]
    )
    connector = channel.get_connector()
    connector.delete("1861")
    connector.delete("1861")
    assert route.call_count == 2


def test_health_reads_the_account(channel, api):
    api.get("/2/users/me").mock(return_value=httpx.Response(200, json=ME))
    assert channel.get_connector().check_health() == "@ajvilanova"


def test_inbound_reads_mentions_since_the_cursor(channel, api):
    route = api.get(f"/2/users/{p.OWN_ID}/mentions").mock(return_value=httpx.Response(200, json=p.MENTIONS))
    batch = channel.get_connector().fetch_inbound("1861000000000000050")
    params = route.calls.last.request.url.params
    assert params["since_id"] == "1861000000000000050" and "edit_history_tweet_ids" in params["tweet.fields"]
    assert [m.remote_id for m in batch.messages] == [
        "1861000000000000101",
        "1861000000000000120",
        "1861000000000000200",
    ]
    assert batch.cursor == "1861000000000000300"


def test_limits_are_xs_weighted_280_with_threads(channel):
    connector = channel.get_connector()
    assert (connector.limits.max_length, connector.limits.length_method, connector.limits.url_length) == (
        280,
        "weighted",
        23,
    )
    assert connector.capabilities.thread and not connector.capabilities.idempotent_publish
