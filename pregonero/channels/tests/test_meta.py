"""Contract tests of the Facebook Page and Instagram connectors: each Graph API exchange they
make, mocked with respx as Meta documents requests, answers and error codes."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.urls import reverse

from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia, OutgoingPart
from pregonero.channels.connectors.meta.client import GRAPH
from pregonero.channels.models import Channel
from pregonero.channels.tests.payloads import meta as p
from pregonero.channels.tests.test_mastodon import PNG

PAGES = {
    "data": [
        {
            "id": p.PAGE_ID,
            "name": "Ajuntament de Vilanova",
            "access_token": "page-token",
            "instagram_business_account": {"id": p.IG_ID, "username": "ajvilanova"},
        },
        {"id": "555", "name": "Biblioteca", "access_token": "other"},
    ]
}


def graph_error(status: int, code: int, message: str, subcode: int | None = None) -> httpx.Response:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC123"}
    if subcode:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": error})


def part(text: str, **values) -> OutgoingPart:
    return OutgoingPart(text=text, language="ca", index=0, total=1, idempotency_key="k-0", **values)


def form(request) -> dict:
    return {key: value[0] for key, value in parse_qs(request.content.decode()).items()}


@pytest.fixture
def graph(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with respx.mock(base_url=GRAPH, assert_all_called=False) as mock:
        yield mock


def make_channel(vilanova, connector: str, config: dict) -> Channel:
    channel = Channel(organisation=vilanova, connector=connector, name=connector, config=config)
    channel.set_secret_values({"page_token": "page-token", "app_id": "1234", "app_secret": "app-secret"})
    channel.save()
    return channel


@pytest.fixture
def facebook(vilanova) -> Channel:
    return make_channel(vilanova, "facebook", {"page_id": p.PAGE_ID, "page_name": "Ajuntament de Vilanova"})


@pytest.fixture
def instagram(vilanova) -> Channel:
    return make_channel(
        vilanova, "instagram", {"ig_id": p.IG_ID, "ig_username": "ajvilanova", "page_id": p.PAGE_ID}
    )


def connect(client, vilanova, network: str, page: str = ""):
    response = client.post(
        reverse("channels:connect", args=[vilanova.slug, network]),
        {
            "name": f"{network} municipal",
            "account-app_id": "1234",
            "account-app_secret": "app-secret",
            "account-page": page,
        },
    )
    assert response.status_code == 302
    return httpx.URL(response["Location"])


def test_an_admin_connects_a_page_with_facebook_login(client_for, alba, vilanova, graph):
    client = client_for(alba)
    dialog = connect(client, vilanova, "facebook", "Ajuntament de Vilanova")
    query = dict(dialog.params)
    assert dialog.host == "www.facebook.com" and dialog.path.endswith("/dialog/oauth")
    assert "pages_manage_posts" in query["scope"] and query["client_id"] == "1234"

    token = graph.get("/oauth/access_token").mock(
        side_effect=[
            httpx.Response(
                200, json={"access_token": "short", "token_type": "bearer", "expires_in": 5183944}
            ),
            httpx.Response(200, json={"access_token": "long", "token_type": "bearer", "expires_in": 5183944}),
        ]
    )
    accounts = graph.get("/me/accounts").mock(return_value=httpx.Response(200, json=PAGES))
    response = client.get(
        reverse("channels:connect_return", args=[vilanova.slug]), {"code": "c0de", "state": query["state"]}
    )
    assert response.status_code == 302
    first, second = (call.request.url.params for call in token.calls)
    assert first["code"] == "c0de" and first["client_secret"] == "app-secret"
    assert second["grant_type"] == "fb_exchange_token" and second["fb_exchange_token"] == "short"
    assert accounts.calls.last.request.headers["Authorization"] == "Bearer long"
    channel = Channel.objects.get(name="facebook municipal")
    assert channel.config["page_id"] == p.PAGE_ID and channel.config["account"] == "Ajuntament de Vilanova"
    assert channel.secret_values()["page_token"] == "page-token"
    assert "app-secret" not in json.dumps(channel.config)


def test_instagram_needs_a_linked_professional_account(client_for, alba, vilanova, graph):
    client = client_for(alba)
    query = dict(connect(client, vilanova, "instagram", "Biblioteca").params)
    graph.get("/oauth/access_token").mock(return_value=httpx.Response(200, json={"access_token": "t"}))
    graph.get("/me/accounts").mock(return_value=httpx.Response(200, json=PAGES))
    response = client.get(
        reverse("channels:connect_return", args=[vilanova.slug]),
        {"code": "c", "state": query["state"]},
        follow=True,
    )
    assert "has no Instagram professional account" in response.content.decode()
    assert not Channel.objects.filter(name="instagram municipal").exists()


def test_an_ambiguous_page_lists_the_pages(client_for, alba, vilanova, graph):
    client = client_for(alba)
    query = dict(connect(client, vilanova, "facebook").params)
    graph.get("/oauth/access_token").mock(return_value=httpx.Response(200, json={"access_token": "t"}))
    graph.get("/me/accounts").mock(return_value=httpx.Response(200, json=PAGES))
    response = client.get(
        reverse("channels:connect_return", args=[vilanova.slug]),
        {"code": "c", "state": query["state"]},
        follow=True,
    )
    assert "Ajuntament de Vilanova, Biblioteca" in response.content.decode()


def test_a_text_post_goes_to_the_page_feed(facebook, graph):
    route = graph.post(f"/{p.PAGE_ID}/feed").mock(return_value=httpx.Response(200, json={"id": p.POST_ID}))
    result = facebook.get_connector().publish(part("Obrim la piscina dissabte! 🏊"))
    assert form(route.calls.last.request) == {"message": "Obrim la piscina dissabte! 🏊"}
    assert route.calls.last.request.headers["Authorization"] == "Bearer page-token"
    assert "page-token" not in str(route.calls.last.request.url)
    assert (result.remote_id, result.url) == (p.POST_ID, f"https://www.facebook.com/{p.POST_ID}")


def test_one_photo_carries_the_text_and_its_alt_text(facebook, graph, tmp_path):
    image = tmp_path / "cartell.png"
    image.write_bytes(PNG)
    route = graph.post(f"/{p.PAGE_ID}/photos").mock(
        return_value=httpx.Response(200, json={"id": "998877", "post_id": p.POST_ID})
    )
    result = facebook.get_connector().publish(
        part("Festa major", media=(OutgoingMedia(str(image), "image/png", "Cartell"),))
    )
    body = route.calls.last.request.content
    assert b'name="alt_text_custom"\r\n\r\nCartell' in body and b'name="caption"\r\n\r\nFesta major' in body
    assert b'name="published"\r\n\r\ntrue' in body and PNG in body
    assert result.remote_id == p.POST_ID


def test_several_photos_are_attached_to_one_post(facebook, graph, tmp_path):
    image = tmp_path / "a.png"
    image.write_bytes(PNG)
    photos = graph.post(f"/{p.PAGE_ID}/photos").mock(
        side_effect=[httpx.Response(200, json={"id": "1"}), httpx.Response(200, json={"id": "2"})]
    )
    feed = graph.post(f"/{p.PAGE_ID}/feed").mock(return_value=httpx.Response(200, json={"id": p.POST_ID}))
    media = tuple(OutgoingMedia(str(image), "image/png", f"Foto {n}") for n in (1, 2))
    facebook.get_connector().publish(part("Dues fotos", media=media))
    assert all(b'name="published"\r\n\r\nfalse' in call.request.content for call in photos.calls)
    assert json.loads(form(feed.calls.last.request)["attached_media"]) == [
        {"media_fbid": "1"},
        {"media_fbid": "2"},
    ]


def test_an_expired_token_asks_to_reconnect(facebook, graph):
    graph.post(f"/{p.PAGE_ID}/feed").mock(
        return_value=graph_error(
            400, 190, "Error validating access token: The session has been invalidated.", 460
        )
    )
    with pytest.raises(ConnectorError) as caught:
        facebook.get_connector().publish(part("Hola"))
    assert caught.value.permanent and caught.value.status == 401
    assert "reconnect the channel" in str(caught.value)


def test_a_rate_limit_with_a_400_is_temporary(facebook, graph):
    graph.post(f"/{p.PAGE_ID}/feed").mock(return_value=graph_error(400, 32, "Page request limit reached"))
    with pytest.raises(ConnectorError) as caught:
        facebook.get_connector().publish(part("Hola"))
    assert not caught.value.permanent and caught.value.retry_after == 3600


def test_a_429_keeps_the_networks_delay(facebook, graph):
    graph.post(f"/{p.PAGE_ID}/feed").mock(
        return_value=httpx.Response(
            429,
            headers={"Retry-After": "120"},
            json={"error": {"code": 4, "message": "Application request limit reached"}},
        )
    )
    with pytest.raises(ConnectorError) as caught:
        facebook.get_connector().publish(part("Hola"))
    assert not caught.value.permanent and caught.value.retry_after == 120


def test_a_lost_page_role_needs_attention(facebook, graph):
    graph.post(f"/{p.PAGE_ID}/feed").mock(
        return_value=graph_error(
            403, 200, "(#200) The user hasn't authorized the application to perform this action"
        )
    )
    with pytest.raises(ConnectorError) as caught:
        facebook.get_connector().publish(part("Hola"))
    assert caught.value.permanent and caught.value.status == 403
    assert "Page roles" in str(caught.value)


def test_refused_content_says_why(facebook, graph):
    graph.post(f"/{p.PAGE_ID}/feed").mock(return_value=graph_error(400, 100, "(#100) Invalid parameter"))
    with pytest.raises(ConnectorError) as caught:
        facebook.get_connector().publish(part("Hola"))
    assert caught.value.permanent and caught.value.params == {"reason": "(#100) Invalid parameter"}


def test_public_and_private_replies_to_a_comment(facebook, graph):
    comment_id = "312870471853210_908172635412"
    public = graph.post(f"/{comment_id}/comments").mock(return_value=httpx.Response(200, json={"id": "c2"}))
    private = graph.post(f"/{p.PAGE_ID}/messages").mock(
        return_value=httpx.Response(200, json={"recipient_id": "2401", "message_id": "m_1"})
    )
    connector = facebook.get_connector()
    assert connector.reply(comment_id, "A les 10 h.") == "c2"
    connector.private_reply(comment_id, "Li escrivim en privat.")
    assert form(public.calls.last.request) == {"message": "A les 10 h."}
    assert json.loads(private.calls.last.request.content) == {
        "recipient": {"comment_id": comment_id},
        "message": {"text": "Li escrivim en privat."},
    }


def test_delete_and_health(facebook, graph):
    graph.delete(f"/{p.POST_ID}").mock(return_value=graph_error(404, 100, "Unsupported delete request"))
    facebook.get_connector().delete(p.POST_ID)
    graph.get(f"/{p.PAGE_ID}").mock(
        return_value=httpx.Response(200, json={"id": p.PAGE_ID, "name": "Ajuntament"})
    )
    assert facebook.get_connector().check_health() == "Ajuntament"


def test_instagram_publishes_an_image_by_address_with_alt_text(instagram, graph, settings):
    settings.SITE_URL = "https://pregonero.vilanova.example"
    container = graph.post(f"/{p.IG_ID}/media").mock(return_value=httpx.Response(200, json={"id": "c-1"}))
    publish = graph.post(f"/{p.IG_ID}/media_publish").mock(
        return_value=httpx.Response(200, json={"id": "m-1"})
    )
    graph.get("/m-1").mock(
        return_value=httpx.Response(200, json={"permalink": "https://www.instagram.com/p/Abc/", "id": "m-1"})
    )
    media = (OutgoingMedia("unused.jpg", "image/jpeg", "Cartell", name="posts/2026/cartell.jpg"),)
    result = instagram.get_connector().publish(part("Festa major 🎉 #Vilanova", media=media))
    sent = form(container.calls.last.request)
    assert sent["image_url"].startswith("https://pregonero.vilanova.example/") and sent["image_url"].endswith(
        "posts/2026/cartell.jpg"
    )
    assert (sent["caption"], sent["alt_text"]) == ("Festa major 🎉 #Vilanova", "Cartell")
    assert form(publish.calls.last.request) == {"creation_id": "c-1"}
    assert (result.remote_id, result.url) == ("m-1", "https://www.instagram.com/p/Abc/")


def test_instagram_several_images_make_a_carousel(instagram, graph):
    container = graph.post(f"/{p.IG_ID}/media").mock(
        side_effect=[httpx.Response(200, json={"id": f"c-{n}"}) for n in (1, 2, 3)]
    )
    graph.post(f"/{p.IG_ID}/media_publish").mock(return_value=httpx.Response(200, json={"id": "m-2"}))
    graph.get("/m-2").mock(return_value=httpx.Response(200, json={"permalink": ""}))
    media = tuple(OutgoingMedia("unused.jpg", "image/jpeg", "", name=f"a{n}.jpg") for n in (1, 2))
    instagram.get_connector().publish(part("Dues", media=media))
    bodies = [form(call.request) for call in container.calls]
    assert [body.get("is_carousel_item") for body in bodies[:2]] == ["true", "true"]
    assert bodies[2] == {"media_type": "CAROUSEL", "children": "c-1,c-2", "caption": "Dues"}


def test_instagram_refuses_a_post_without_an_image(instagram):
    with pytest.raises(ConnectorError) as caught:
        instagram.get_connector().publish(part("Només text"))
    assert caught.value.permanent and "need at least one image" in str(caught.value)


def test_an_instagram_container_not_ready_is_temporary(instagram, graph):
    graph.post(f"/{p.IG_ID}/media").mock(return_value=httpx.Response(200, json={"id": "c-1"}))
    graph.post(f"/{p.IG_ID}/media_publish").mock(
        return_value=graph_error(400, 9007, "Media ID is not available", 2207027)
    )
    media = (OutgoingMedia("unused.jpg", "image/jpeg", "", name="a.jpg"),)
    with pytest.raises(ConnectorError) as caught:
        instagram.get_connector().publish(part("x", media=media))
    assert not caught.value.permanent and caught.value.retry_after == 30
