"""Inbox screens: scoping by role and department, filters, overdue first, actions, the reply guard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel
from pregonero.inbox import ingest
from pregonero.inbox.models import Conversation, Direction, Message, RoutingDecision, RoutingRule, State
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.fakes import message

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"inbox:{name}", args=[organisation.slug, *args])


@pytest.fixture
def conversation(channel) -> Conversation:
    ingest.store(
        channel,
        message("m1", "Bon dia, el carrer Major està ple de forats i ningú ho arregla.", when=timezone.now()),
    )
    return Conversation.objects.get()


def test_outsiders_get_404_and_readers_cannot_act(client_for, oscar, vera, vilanova, conversation):
    assert client_for(oscar).get(url("list", vilanova)).status_code == 404
    assert client_for(oscar).get(url("detail", vilanova, conversation.pk)).status_code == 404
    reader = client_for(vera)
    page = reader.get(url("detail", vilanova, conversation.pk))
    assert page.status_code == 200
    assert "Send reply" not in page.content.decode()
    assert (
        reader.post(
            url("reply", vilanova, conversation.pk), {"reply-text": "Hola", "reply-language": "ca"}
        ).status_code
        == 403
    )
    assert (
        reader.post(url("triage", vilanova, conversation.pk), {"state": "open", "priority": 1}).status_code
        == 403
    )
    assert client_for(vera).get(url("settings", vilanova)).status_code == 403


def test_contributors_see_only_their_departments_conversations(
    client_for, carles, urbanismo, vilanova, conversation
):
    page = client_for(carles).get(url("list", vilanova))
    assert "0 conversations" in page.content.decode()
    assert client_for(carles).get(url("detail", vilanova, conversation.pk)).status_code == 404
    Conversation.objects.filter(pk=conversation.pk).update(department=urbanismo)
    page = client_for(carles).get(url("list", vilanova))
    assert "1 conversation" in page.content.decode()
    assert client_for(carles).get(url("detail", vilanova, conversation.pk)).status_code == 200


def test_the_list_puts_overdue_first_and_filters(client_for, ana, vilanova, channel, conversation):
    ingest.store(
        channel,
        message(
            "m2",
            "Una altra consulta sobre el mercat de dijous.",
            author="9",
            handle="@pere@fake.example",
            when=timezone.now(),
        ),
    )
    late = Conversation.objects.get(citizen_handle="@pere@fake.example")
    Conversation.objects.filter(pk=late.pk).update(
        due_at=timezone.now() - timedelta(hours=1), last_message_at=timezone.now() - timedelta(days=3)
    )
    body = client_for(ana).get(url("list", vilanova)).content.decode()
    assert body.index("@pere@fake.example") < body.index("@maria@fake.example")
    assert "Overdue: <strong>1</strong>" in body
    only_late = client_for(ana).get(url("list", vilanova), {"overdue": "on"}).content.decode()
    assert "@pere@fake.example" in only_late and "@maria@fake.example" not in only_late
    by_language = client_for(ana).get(url("list", vilanova), {"language": "es"}).content.decode()
    assert "0 conversations" in by_language


def test_the_conversation_shows_thread_enrichment_and_escapes_citizen_text(
    client_for, ana, vilanova, channel
):
    ingest.store(channel, message("m1", "<script>alert(1)</script> Es una vergüenza, la plaza está sucia."))
    conversation = Conversation.objects.get()
    body = client_for(ana).get(url("detail", vilanova, conversation.pk)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    assert "vergüenza (-2.5)" in body


def test_an_editor_assigns_and_reroutes_and_the_classifier_learns(
    client_for, ana, pau, urbanismo, vilanova, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ana).post(
            url("triage", vilanova, conversation.pk),
            {
                "state": State.OPEN,
                "priority": 2,
                "department": urbanismo.pk,
                "assignee": pau.pk,
                "tags": "calles, baches",
            },
        )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.state, conversation.priority, conversation.department, conversation.assignee) == (
        State.OPEN,
        2,
        urbanismo,
        pau,
    )
    assert conversation.tags == ["baches", "calles"]
    assert RoutingDecision.objects.get().department == urbanismo
    assert AuditEntry.objects.filter(action="inbox.conversation_triaged").exists()
    assert [m.to for m in mail.outbox] == [[pau.email]]


def test_a_note_mentions_a_colleague_who_gets_an_email(
    client_for, ana, pau, vilanova, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(ana).post(url("note", vilanova, conversation.pk), {"note-text": "@pau pots mirar-ho?"})
    note = conversation.notes.get()
    assert list(note.mentioned.all()) == [pau]
    assert mail.outbox[-1].to == [pau.email]
    assert "mentioned you" in mail.outbox[-1].subject


def test_a_reply_goes_out_through_the_connector_and_stops_the_clock(client_for, ana, vilanova, conversation):
    page = client_for(ana).get(url("detail", vilanova, conversation.pk)).content.decode()
    assert 'value="ca" selected' in page  # LANG-4: the citizen wrote in Valencian.
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk),
        {"reply-text": "Gràcies, ho passem a la brigada.", "reply-language": "ca"},
    )
    assert response.status_code == 302
    assert [(part.text, part.reply_to, part.language) for part in fakes.PUBLISHED] == [
        ("@maria@fake.example Gràcies, ho passem a la brigada.", "m1", "ca")
    ]
    conversation.refresh_from_db()
    assert conversation.due_at is None and conversation.first_response_at is not None
    assert conversation.state == State.WAITING_CITIZEN
    assert Message.objects.get(direction=Direction.OUT).remote_id == "ours-1"


def test_a_reply_exposing_a_dni_is_blocked_unless_a_reason_is_given(client_for, ana, vilanova, conversation):
    text = "Hemos localizado su expediente con DNI 12345678Z."
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk), {"reply-text": text, "reply-language": "es"}
    )
    assert response.status_code == 400
    assert "exposes personal data (dni)" in response.content.decode()
    assert fakes.PUBLISHED == []
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk),
        {
            "reply-text": text,
            "reply-language": "es",
            "reply-override_reason": "El ciudadano lo pidió expresamente.",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="inbox.reply_sent")
    assert entry.details["override_reason"] == "El ciudadano lo pidió expresamente."
    assert entry.details["personal_data"] == ["dni"]


def test_a_connector_without_replies_says_so(client_for, ana, vilanova):
    mute = Channel.objects.create(organisation=vilanova, connector="test_inbox_mute", name="Mute")
    ingest.store(mute, message("m1", "Hola, ¿me podéis ayudar con el padrón?"))
    conversation = Conversation.objects.get()
    body = client_for(ana).get(url("detail", vilanova, conversation.pk)).content.decode()
    assert "connector cannot reply to messages" in body
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk), {"reply-text": "Hola", "reply-language": "es"}
    )
    assert response.status_code == 400


def test_private_chats_are_not_answered_through_a_publishing_call(client_for, ana, vilanova, channel):
    ingest.store(
        channel,
        message("d1", "Os escribo en privado por mi caso.", kind=MessageKind.DIRECT, in_reply_to=None),
    )
    conversation = Conversation.objects.get()
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk), {"reply-text": "Hola", "reply-language": "es"}
    )
    assert response.status_code == 400
    assert fakes.PUBLISHED == []


def test_admins_keep_hours_targets_and_rules(client_for, alba, ana, urbanismo, vilanova):
    assert client_for(ana).get(url("settings", vilanova)).status_code == 403
    admin = client_for(alba)
    assert admin.get(url("settings", vilanova)).status_code == 200
    response = admin.post(
        url("settings", vilanova),
        {
            "form": "hours",
            "hours-opens_at": "09:00",
            "hours-closes_at": "14:00",
            "hours-working_days": ["0", "1", "2", "3", "4"],
        },
    )
    assert response.status_code == 302
    response = admin.post(
        url("settings", vilanova),
        {
            "form": "targets",
            "targets-thread": "2",
            "targets-mention": "4",
            "targets-private": "8",
        },
    )
    assert response.status_code == 302
    response = admin.post(
        url("settings", vilanova),
        {
            "form": "rule",
            "rule-position": "1",
            "rule-department": urbanismo.pk,
            "rule-keywords": "bache, forat",
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.keyword_list() == ["bache", "forat"]
    response = admin.post(
        url("settings", vilanova), {"form": "rule", "rule-position": "2", "rule-department": urbanismo.pk}
    )
    assert response.status_code == 400
    assert admin.post(url("rule_remove", vilanova, rule.pk)).status_code == 302
    assert not RoutingRule.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="inbox.").count() == 4
