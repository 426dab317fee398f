"""Contract tests of the LinkedIn connector (OAuth, Posts API with LinkedIn-Version, images
with alt text, duplicates, errors), mocked with respx as LinkedIn documents them; and the
pure little-text escaping."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia, OutgoingPart
from pregonero.channels.connectors.linkedin.client import VERSION
from pregonero.channels.connectors.linkedin.text import escape_little_text, unescape_little_text
from pregonero.channels.models import Channel
from pregonero.channels.tests.test_mastodon import PNG

ORG = "2414183"
URN = "urn:li:share:7123456789012345678"


def part(text: str, **values) -> OutgoingPart:
    return OutgoingPart(text=text, language="ca", index=0, total=1, idempotency_key="k-0", **values)


@pytest.fixture
def linkedin(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def channel(vilanova) -> Channel:
    channel = Channel(
        organisation=vilanova,
        connector="linkedin",
        name="LinkedIn",
        config={"organization_id": ORG, "organization_name": "Ajuntament"},
    )
    channel.set_secret_values(
        {
            "access_token": "AQV-1",
            "expires_at": time.time() + 86400,
            "refresh_token": "",
            "client_id": "cid",
            "client_secret": "cs",
        }
    )
    channel.save()
    return channel


@given(st.text(max_size=200))
def test_escaping_is_undone_exactly_and_leaves_no_bare_markup(text):
    escaped = escape_little_text(text)
    assert unescape_little_text(escaped) == text
    for position, char in enumerate(escaped):
        if char in "|{}@[]()<>#*_~":
            # An odd run of backslashes before it: the character itself is escaped.
            run = len(escaped[:position]) - len(escaped[:position].rstrip("\\"))
            assert run % 2 == 1


def test_escaping_examples():
    assert (
        escape_little_text("Festa #Vilanova (dissabte) @tothom") == r"Festa \#Vilanova \(dissabte\) \@tothom"
    )


def test_an_admin_connects_an_organisation_page(client_for, alba, vilanova, linkedin):
    client = client_for(alba)
    response = client.post(
        reverse("channels:connect", args=[vilanova.slug, "linkedin"]),
        {
            "name": "LinkedIn municipal",
            "account-client_id": "cid",
            "account-client_secret": "cs",
            "account-organization": "",
        },
    )
    authorize = httpx.URL(response["Location"])
    assert authorize.host == "www.linkedin.com" and "w_organization_social" in authorize.params["scope"]
    token = linkedin.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(200, json={"access_token": "AQV-1", "expires_in": 5183999})
    )
    acls = linkedin.get("https://api.linkedin.com/rest/organizationAcls").mock(
        return_value=httpx.Response(
            200,
            json={
                "elements": [
                    {
                        "organization": f"urn:li:organization:{ORG}",
                        "role": "ADMINISTRATOR",
                        "state": "APPROVED",
                    }
                ]
            },
        )
    )
    linkedin.get(f"https://api.linkedin.com/rest/organizations/{ORG}").mock(
        return_value=httpx.Response(200, json={"id": int(ORG), "localizedName": "Ajuntament de Vilanova"})
    )
    back = reverse("channels:connect_return", args=[vilanova.slug])
    assert client.get(back, {"code": "c", "state": authorize.params["state"]}).status_code == 302
    sent = parse_qs(token.calls.last.request.content.decode())
    assert sent["grant_type"] == ["authorization_code"] and sent["client_secret"] == ["cs"]
    assert acls.calls.last.request.headers["LinkedIn-Version"] == VERSION
    channel = Channel.objects.get(name="LinkedIn municipal")
    assert channel.config["organization_id"] == ORG and channel.config["account"] == "Ajuntament de Vilanova"
    assert channel.secret_values()["access_token"] == "AQV-1"


def test_a_post_with_the_version_header_and_escaped_commentary(channel, linkedin):
    route = linkedin.post("https://api.linkedin.com/rest/posts").mock(
        return_value=httpx.Response(201, headers={"x-restli-id": URN})
    )
    result = channel.get_connector().publish(part("Festa major #Vilanova 🎉 (dissabte)"))
    request = route.calls.last.request
    body = json.loads(request.content)
    assert (
        request.headers["LinkedIn-Version"] == VERSION
        and request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    )
    assert body["author"] == f"urn:li:organization:{ORG}"
    assert body["commentary"] == r"Festa major \#Vilanova 🎉 \(dissabte\)"
    assert body["lifecycleState"] == "PUBLISHED" and body["visibility"] == "PUBLIC"
    assert result.remote_id == URN and result.url == f"https://www.linkedin.com/feed/update/{URN}/"


def test_an_image_is_uploaded_then_attached_with_alt_text(channel, linkedin, tmp_path):
    image = tmp_path / "a.png"
    image.write_bytes(PNG)
    linkedin.post("https://api.linkedin.com/rest/images").mock(
        return_value=httpx.Response(
            200,
            json={
                "value": {
                    "uploadUrlExpiresAt": 1,
                    "uploadUrl": "https://www.linkedin.com/dms-uploads/abc",
                    "image": "urn:li:image:C4E10",
                }
            },
        )
    )
    put = linkedin.put("https://www.linkedin.com/dms-uploads/abc").mock(return_value=httpx.Response(201))
    post = linkedin.post("https://api.linkedin.com/rest/posts").mock(
        return_value=httpx.Response(201, headers={"x-restli-id": URN})
    )
    channel.get_connector().publish(
        part("Cartell", media=(OutgoingMedia(str(image), "image/png", "Cartell de la festa"),))
    )
    assert put.calls.last.request.content == PNG
    assert json.loads(post.calls.last.request.content)["content"] == {
        "media": {"id": "urn:li:image:C4E10", "altText": "Cartell de la festa"}
    }


def test_a_repeated_post_returns_the_one_linkedin_has(channel, linkedin):
    linkedin.post("https://api.linkedin.com/rest/posts").mock(
        return_value=httpx.Response(422, json={"message": f"Content is a duplicate of {URN}", "status": 422})
    )
    assert channel.get_connector().publish(part("Hola")).remote_id == URN


def test_a_refusal_says_why_and_a_429_is_temporary(channel, linkedin):
    route = linkedin.post("https://api.linkedin.com/rest/posts").mock(
        return_value=httpx.Response(
            422, json={"message": "ERROR :: /commentary :: length exceeds 3000", "status": 422}
        )
    )
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("x"))
    assert caught.value.permanent and "length exceeds" in caught.value.params["reason"]
    route.mock(
        return_value=httpx.Response(429, json={"message": "Resource level throttle limit", "status": 429})
    )
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("x"))
    assert not caught.value.permanent


def test_an_expired_token_without_refresh_asks_to_reconnect(channel):
    channel.set_secret_values({**channel.secret_values(), "expires_at": time.time() - 1})
    channel.save()
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().check_health()
    assert caught.value.permanent and caught.value.status == 401 and "60 days" in str(caught.value)


def test_an_expired_token_with_a_refresh_token_is_renewed(channel, linkedin):
    channel.set_secret_values(
        {**channel.secret_values(), "expires_at": time.time() - 1, "refresh_token": "R1"}
    )
    channel.save()
    linkedin.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "AQV-2",
                "expires_in": 5183999,
                "refresh_token": "R2",
                "refresh_token_expires_in": 31536000,
            },
        )
    )
    org = linkedin.get(f"https://api.linkedin.com/rest/organizations/{ORG}").mock(
        return_value=httpx.Response(200, json={"localizedName": "Ajuntament"})
    )
    assert channel.get_connector().check_health() == "Ajuntament"
    assert org.calls.last.request.headers["Authorization"] == "Bearer AQV-2"
    channel.refresh_from_db()
    assert channel.secret_values()["refresh_token"] == "R2"


def test_delete_tolerates_a_gone_post(channel, linkedin):
    route = linkedin.delete(f"https://api.linkedin.com/rest/posts/{URN.replace(':', '%3A')}").mock(
        side_effect=[httpx.Response(204), httpx.Response(404, json={"message": "Not found"})]
    )
    channel.get_connector().delete(URN)
    channel.get_connector().delete(URN)
    assert route.call_count == 2
