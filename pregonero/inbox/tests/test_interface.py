"""The inbox list as people work it: filters, pages, live updates, resolve and undo, the team's
due work, images only on request through our server, and links in citizens' text."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.channels import outbound
from pregonero.channels.connectors.inbound import InboundMedia, MessageKind
from pregonero.inbox import ingest, listing
from pregonero.inbox.models import Conversation, Kind, Message, SavedView, State
from pregonero.inbox.tests.fakes import message

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"inbox:{name}", args=[organisation.slug, *args])


def conversation_from(channel, remote_id, text, handle, **extra) -> Conversation:
    ingest.store(
        channel, message(remote_id, text, author=handle, handle=handle, when=timezone.now(), **extra)
    )
    return Conversation.objects.get(citizen_handle=handle)


@pytest.fixture
def maria(channel) -> Conversation:
    return conversation_from(channel, "m1", "El carrer Major està ple de forats.", "@maria@fake.example")


@pytest.fixture
def pere(channel) -> Conversation:
    return conversation_from(
        channel,
        "p1",
        "Consulta sobre el mercat de dijous.",
        "@pere@fake.example",
        kind=MessageKind.DIRECT,
        in_reply_to=None,
    )


def listed(client, organisation, **query) -> str:
    return client.get(url("list", organisation), query).content.decode()


def test_the_list_filters_by_kind(client_for, ana, vilanova, maria, pere):
    body = listed(client_for(ana), vilanova, kind=Kind.PRIVATE)
    assert "@pere@fake.example" in body and "@maria@fake.example" not in body


def test_the_list_filters_by_tag_as_a_whole_word(client_for, ana, vilanova, maria, pere):
    Conversation.objects.filter(pk=maria.pk).update(tags=["carrers", "via pública"])
    Conversation.objects.filter(pk=pere.pk).update(tags=["carrers-nous"])
    body = listed(client_for(ana), vilanova, tag="carrers")
    assert "@maria@fake.example" in body and "@pere@fake.example" not in body
    assert "@maria@fake.example" in listed(client_for(ana), vilanova, tag="via pública")


def test_the_text_search_finds_words_in_the_messages(client_for, ana, vilanova, maria, pere):
    body = listed(client_for(ana), vilanova, q="MERCAT")
    assert "@pere@fake.example" in body and "@maria@fake.example" not in body


def test_the_due_filter_keeps_what_falls_due_today(client_for, ana, vilanova, maria, pere):
    Conversation.objects.filter(pk=maria.pk).update(due_at=timezone.now() + timedelta(minutes=5))
    Conversation.objects.filter(pk=pere.pk).update(due_at=timezone.now() + timedelta(days=9))
    body = listed(client_for(ana), vilanova, due="today")
    assert "@maria@fake.example" in body and "@pere@fake.example" not in body


def test_pages_keep_overdue_conversations_first_across_the_page_break(vilanova, channel, maria, pere):
    now = timezone.now()
    late = conversation_from(channel, "l1", "Encara espere resposta.", "@late@fake.example")
    Conversation.objects.filter(pk=late.pk).update(
        due_at=now - timedelta(hours=2), last_message_at=now - timedelta(days=5)
    )
    Conversation.objects.filter(pk=pere.pk).update(last_message_at=now - timedelta(days=1))
    queryset = Conversation.objects.filter(organisation=vilanova)
    first = listing.page_of(queryset, now, 1, size=2)
    second = listing.page_of(queryset, now, 2, size=2)
    assert [row.pk for row in first.rows + second.rows] == [late.pk, maria.pk, pere.pk]
    assert (first.total, first.pages, first.has_next, second.has_previous) == (3, 2, True, True)
    assert [row.overdue for row in first.rows] == [True, False]


def test_updates_answer_304_while_nothing_changed_then_the_new_rows(
    client_for, ana, vilanova, channel, maria
):
    client = client_for(ana)
    first = client.get(url("updates", vilanova))
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(url("updates", vilanova), HTTP_IF_NONE_MATCH=etag).status_code == 304
    conversation_from(channel, "n1", "Una altra queixa.", "@nova@fake.example")
    fresh = client.get(url("updates", vilanova), HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    data = fresh.json()
    assert len(data["ids"]) == 2
    assert "@nova@fake.example" in data["html"]


def test_updates_are_scoped_like_the_list(client_for, oscar, carles, vilanova, maria):
    assert client_for(oscar).get(url("updates", vilanova)).status_code == 404
    assert client_for(carles).get(url("updates", vilanova)).json()["ids"] == []


def test_updates_escape_citizen_names(client_for, ana, vilanova, channel):
    ingest.store(
        channel,
        message(
            "x1", "Hola", author="7", handle="@x@fake.example", author_name="<img src=x onerror=alert(1)>"
        ),
    )
    html = client_for(ana).get(url("updates", vilanova)).json()["html"]
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_an_editor_resolves_and_undoes_with_the_audit_trail(client_for, ana, vilanova, maria):
    client = client_for(ana)
    response = client.post(
        url("state", vilanova, maria.pk), {"state": "resolved"}, HTTP_ACCEPT="application/json"
    )
    assert response.json()["previous"] == State.NEW
    maria.refresh_from_db()
    assert maria.state == State.RESOLVED
    client.post(url("state", vilanova, maria.pk), {"state": State.NEW}, HTTP_ACCEPT="application/json")
    maria.refresh_from_db()
    assert maria.state == State.NEW
    assert AuditEntry.objects.filter(action="inbox.conversation_triaged").count() == 2


def test_the_resolve_button_works_without_javascript(client_for, ana, vilanova, maria):
    back = url("list", vilanova) + "?kind=thread"
    response = client_for(ana).post(url("state", vilanova, maria.pk), {"state": "resolved", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    maria.refresh_from_db()
    assert maria.state == State.RESOLVED


def test_resolving_refuses_readers_outsiders_and_foreign_redirects(
    client_for, ana, vera, oscar, vilanova, maria
):
    assert client_for(vera).post(url("state", vilanova, maria.pk), {"state": "resolved"}).status_code == 403
    assert client_for(oscar).post(url("state", vilanova, maria.pk), {"state": "resolved"}).status_code == 404
    response = client_for(ana).post(
        url("state", vilanova, maria.pk), {"state": "resolved", "next": "https://evil.example/"}
    )
    assert response["Location"] == url("detail", vilanova, maria.pk)
    maria.refresh_from_db()
    assert maria.state == State.RESOLVED


def test_the_team_view_counts_what_is_due_and_links_to_the_list(
    client_for, ana, pau, urbanismo, vilanova, maria, pere
):
    now = timezone.now()
    Conversation.objects.filter(pk=maria.pk).update(
        assignee=pau, department=urbanismo, due_at=now - timedelta(hours=1)
    )
    Conversation.objects.filter(pk=pere.pk).update(department=urbanismo, due_at=now + timedelta(minutes=10))
    body = client_for(ana).get(url("team", vilanova)).content.decode()
    assert f'?assignee={pau.pk}&amp;overdue=on">1<' in body
    assert f'?department={urbanismo.pk}&amp;assignee=none">1<' in body
    assert f'?department={urbanismo.pk}&amp;due=today">1<' in body
    assert "@pere" not in listed(client_for(ana), vilanova, assignee=pau.pk, overdue="on")


def test_the_team_view_is_for_editors_of_the_organisation(client_for, vera, oscar, vilanova):
    assert client_for(vera).get(url("team", vilanova)).status_code == 403
    assert client_for(oscar).get(url("team", vilanova)).status_code == 404


def test_links_in_citizen_text_are_not_followed_and_show_their_host(client_for, ana, vilanova, channel):
    ingest.store(channel, message("u1", 'Mireu https://fotos.example/forat?a=1&b="x" <b>ara</b>'))
    conversation = Conversation.objects.get()
    body = client_for(ana).get(url("detail", vilanova, conversation.pk)).content.decode()
    assert 'href="https://fotos.example/forat?a=1&amp;b=" rel="nofollow noopener noreferrer ugc"' in body
    assert '<span class="link-host">(fotos.example)</span>' in body
    assert "&lt;b&gt;ara&lt;/b&gt;" in body


@pytest.fixture
def with_image(channel) -> Message:
    cache.clear()
    ingest.store(
        channel,
        message(
            "i1",
            "Mireu el forat.",
            media=(
                InboundMedia(
                    kind="image", url="https://media.fake.example/forat.jpg", description="Un forat"
                ),
            ),
        ),
    )
    return Message.objects.get(remote_id="i1")


def test_images_are_only_linked_through_our_server(client_for, ana, vilanova, with_image):
    body = client_for(ana).get(url("detail", vilanova, with_image.conversation_id)).content.decode()
    proxy = url("message_image", vilanova, with_image.conversation_id, with_image.pk, 0)
    assert f'href="{proxy}"' in body
    assert "media.fake.example" not in body
    assert "<img" not in body


def fake_network(monkeypatch, response: httpx.Response) -> list[str]:
    calls = []

    def request(method, address, **kwargs):
        calls.append(address)
        return response

    monkeypatch.setattr(outbound, "request", request)
    return calls


def test_an_image_is_fetched_once_by_the_server_and_cached(
    client_for, ana, vilanova, with_image, monkeypatch
):
    calls = fake_network(
        monkeypatch, httpx.Response(200, content=b"\xff\xd8jpeg", headers={"Content-Type": "image/jpeg"})
    )
    proxy = url("message_image", vilanova, with_image.conversation_id, with_image.pk, 0)
    first = client_for(ana).get(proxy)
    second = client_for(ana).get(proxy)
    assert (first.status_code, first["Content-Type"], first.content) == (200, "image/jpeg", b"\xff\xd8jpeg")
    assert first["X-Content-Type-Options"] == "nosniff"
    assert second.content == first.content
    assert calls == ["https://media.fake.example/forat.jpg"]


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b"<svg onload=alert(1)>", headers={"Content-Type": "image/svg+xml"}),
        httpx.Response(200, content=b"<html>", headers={"Content-Type": "text/html"}),
        httpx.Response(302, headers={"Location": "http://10.0.0.1/"}),
        httpx.Response(
            200, content=b"x" * 10, headers={"Content-Type": "image/png", "Content-Length": "99999999"}
        ),
    ],
    ids=["svg", "html", "redirect", "too-large"],
)
def test_what_is_not_a_small_raster_image_is_refused(
    client_for, ana, vilanova, with_image, monkeypatch, response
):
    fake_network(monkeypatch, response)
    proxy = url("message_image", vilanova, with_image.conversation_id, with_image.pk, 0)
    assert client_for(ana).get(proxy).status_code == 502


def test_private_addresses_are_refused_by_the_outbound_guard(client_for, ana, vilanova, channel, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    settings.OUTBOUND_ALLOWED_HOSTS = []
    cache.clear()
    ingest.store(
        channel, message("i2", "Foto", media=(InboundMedia(kind="image", url="http://127.0.0.1:9/x.png"),))
    )
    stored = Message.objects.get(remote_id="i2")
    proxy = url("message_image", vilanova, stored.conversation_id, stored.pk, 0)
    assert client_for(ana).get(proxy).status_code == 502


def test_images_of_another_organisation_or_index_are_404(client_for, oscar, ana, vilanova, with_image):
    proxy = url("message_image", vilanova, with_image.conversation_id, with_image.pk, 0)
    assert client_for(oscar).get(proxy).status_code == 404
    missing = url("message_image", vilanova, with_image.conversation_id, with_image.pk, 3)
    assert client_for(ana).get(missing).status_code == 502


def test_a_person_saves_the_current_filters_as_a_private_view_with_its_count(
    client_for, carles, ana, urbanismo, vilanova, maria, pere
):
    Conversation.objects.filter(pk=maria.pk).update(department=urbanismo)
    client = client_for(carles)
    response = client.post(
        url("view_save", vilanova), {"name": "Els meus forats", "query": "q=forats&page=3"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?q=forats")
    view = SavedView.objects.get()
    assert (view.owner, view.query, view.shared) == (carles, "q=forats", False)
    body = listed(client, vilanova, q="forats")
    assert "Els meus forats</a>" in body and "(1 conversation)" in body
    assert 'aria-current="page">Els meus forats' in body
    assert "Els meus forats" not in listed(client_for(ana), vilanova)
    assert AuditEntry.objects.filter(action="inbox.view_saved").exists()


def test_an_editor_shares_a_view_and_a_contributor_cannot(client_for, ana, carles, vera, vilanova, maria):
    assert (
        client_for(carles)
        .post(url("view_save", vilanova), {"name": "Tots", "query": "", "shared": "on"})
        .status_code
        == 403
    )
    client_for(ana).post(
        url("view_save", vilanova), {"name": "Sense assignar", "query": "assignee=none", "shared": "on"}
    )
    assert "Sense assignar</a>" in listed(client_for(vera), vilanova)


def test_only_the_owner_removes_a_private_view_and_outsiders_get_404(client_for, ana, pau, oscar, vilanova):
    view = SavedView.objects.create(organisation=vilanova, owner=ana, name="Meua", query="kind=thread")
    assert client_for(pau).post(url("view_remove", vilanova, view.pk)).status_code == 404
    assert client_for(oscar).post(url("view_remove", vilanova, view.pk)).status_code == 404
    assert client_for(ana).post(url("view_remove", vilanova, view.pk)).status_code == 302
    assert not SavedView.objects.exists()


def test_a_shared_view_is_removed_by_an_admin_but_not_by_another_editor(client_for, ana, pau, alba, vilanova):
    view = SavedView.objects.create(organisation=vilanova, owner=ana, name="Equip", query="", shared=True)
    assert client_for(pau).post(url("view_remove", vilanova, view.pk)).status_code == 403
    assert client_for(alba).post(url("view_remove", vilanova, view.pk)).status_code == 302


def test_counting_stops_at_the_cap_and_says_more_than(client_for, ana, vilanova, maria, pere, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    body = listed(client_for(ana), vilanova)
    assert "More than 1 conversations" in body
    assert "Open: <strong>1+</strong>" in body
