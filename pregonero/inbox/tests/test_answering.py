"""Answering: saved replies, the data-protection notice of private chats (DATA-4), approval of
replies, who else is writing and a reply on a conversation that changed meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel
from pregonero.inbox import answering, ingest, notice, saved_replies, services
from pregonero.inbox.models import (
    Conversation,
    Direction,
    InboxSettings,
    Message,
    PendingReply,
    PendingState,
    ReplyPresence,
    SavedReply,
    SavedReplyText,
)
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.fakes import message

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"inbox:{name}", args=[organisation.slug, *args])


@pytest.fixture
def conversation(channel) -> Conversation:
    ingest.store(channel, message("m1", "Bon dia, el carrer Major està ple de forats.", when=timezone.now()))
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(language="ca")
    conversation.refresh_from_db()
    return conversation


@pytest.fixture
def chat(vilanova) -> Channel:
    return Channel.objects.create(organisation=vilanova, connector="test_inbox_chat", name="Bot")


@pytest.fixture
def private_chat(chat) -> Conversation:
    ingest.store(
        chat,
        message(
            "55:1",
            "Bon dia, vull saber com empadronar-me.",
            kind=MessageKind.DIRECT,
            in_reply_to=None,
            author="55",
            conversation="55",
            when=timezone.now(),
        ),
    )
    return Conversation.objects.get(channel=chat)


@pytest.fixture
def potholes(vilanova, ana) -> SavedReply:
    return saved_replies.save(
        vilanova,
        actor=ana,
        title="Baches en la calzada",
        category="Vía pública",
        tags=["calles"],
        texts={
            "es": "Hola {citizen_name}, gracias. La brigada de {organisation} lo revisará. {agent_name}",
            "ca": "Hola {citizen_name}, gràcies. La brigada de {organisation} ho revisarà. {agent_name}",
        },
    )


def reply_form(conversation, text, **extra):
    data = {
        "reply-text": text,
        "reply-language": conversation.language or "es",
        "reply-seen": answering.latest_message_id(conversation),
    }
    data.update({f"reply-{key}": value for key, value in extra.items()})
    return data


# Saved replies


def test_an_editor_creates_a_saved_reply_with_a_version_per_language_and_an_audit_entry(
    client_for, ana, vilanova
):
    response = client_for(ana).post(
        url("saved_new", vilanova),
        {
            "title": "Padrón",
            "category": "Trámites",
            "tags": "padrón, sede",
            "text_es": "Hola {citizen_name}.",
        },
    )
    saved = SavedReply.objects.get()
    assert response.status_code == 302
    assert saved.tags == ["padrón", "sede"]
    assert list(saved.versions.values_list("language", "text", "edited_by")) == [
        ("es", "Hola {citizen_name}.", ana.pk)
    ]
    assert AuditEntry.objects.filter(action="inbox.saved_reply_created", actor=ana).exists()


def test_editing_a_saved_reply_keeps_the_earlier_text(client_for, ana, pau, vilanova, potholes):
    client_for(pau).post(
        url("saved_edit", vilanova, potholes.pk),
        {
            "title": potholes.title,
            "text_es": "Texto nuevo.",
            "text_ca": potholes.texts.get(language="ca").text,
        },
    )
    assert potholes.texts.get(language="es").text == "Texto nuevo."
    spanish = list(
        potholes.versions.filter(language="es").order_by("number").values_list("text", "edited_by")
    )
    assert spanish[0][0].startswith("Hola {citizen_name}") and spanish[0][1] == ana.pk
    assert spanish[1] == ("Texto nuevo.", pau.pk)
    assert potholes.versions.filter(language="ca").count() == 1
    entry = AuditEntry.objects.get(action="inbox.saved_reply_edited")
    assert entry.actor == pau and "texts" in entry.changes


def test_an_unknown_variable_is_a_form_error_not_a_crash(client_for, ana, vilanova):
    response = client_for(ana).post(url("saved_new", vilanova), {"title": "X", "text_ca": "Hola {nom}."})
    assert response.status_code == 400
    assert "Unknown variable: {nom}" in response.content.decode()
    assert not SavedReply.objects.exists()


def test_search_ignores_accents_and_case(vilanova, ana, potholes):
    found = saved_replies.search(saved_replies.available(vilanova), "BACHES calzada")
    assert list(found) == [potholes]
    assert list(saved_replies.search(saved_replies.available(vilanova), "via publica")) == [potholes]
    assert list(saved_replies.search(saved_replies.available(vilanova), "revisara")) == [potholes]
    assert not saved_replies.search(saved_replies.available(vilanova), "padron").exists()


def test_deleting_hides_the_saved_reply_and_keeps_its_versions(client_for, ana, vilanova, potholes):
    response = client_for(ana).post(url("saved_delete", vilanova, potholes.pk))
    assert response.status_code == 302
    assert not saved_replies.available(vilanova).exists()
    assert potholes.versions.count() == 2
    assert AuditEntry.objects.filter(action="inbox.saved_reply_deleted", actor=ana).exists()
    assert client_for(ana).get(url("saved_edit", vilanova, potholes.pk)).status_code == 404


def test_saved_replies_are_managed_by_editors_of_the_organisation_only(
    client_for, oscar, vera, carles, vilanova, potholes
):
    assert client_for(oscar).get(url("saved_list", vilanova)).status_code == 404
    assert client_for(oscar).get(url("saved_edit", vilanova, potholes.pk)).status_code == 404
    assert client_for(oscar).post(url("saved_delete", vilanova, potholes.pk)).status_code == 404
    assert client_for(vera).get(url("saved_list", vilanova)).status_code == 403
    assert (
        client_for(carles).post(url("saved_new", vilanova), {"title": "X", "text_es": "Y"}).status_code == 403
    )
    assert SavedReply.objects.count() == 1


def test_the_picker_inserts_the_saved_reply_in_the_conversations_language_keeping_the_text(
    client_for, ana, vilanova, conversation, potholes
):
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk),
        reply_form(conversation, "Bon dia.", saved_reply=potholes.pk, action="insert") | {"action": "insert"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Bon dia.\n\nHola María, gràcies. "
        "La brigada de Ajuntament de Vilanova de Mar ho revisarà. Ana Editora"
        in (page.replace("&#x27;", "'"))
    )
    assert "inserted in Catalan / Valencian" in page
    assert not Message.objects.filter(direction=Direction.OUT).exists()


def test_without_a_text_in_the_language_the_first_language_is_inserted_and_marked(
    client_for, ana, vilanova, conversation, potholes
):
    SavedReplyText.objects.filter(saved_reply=potholes, language="ca").delete()
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk),
        reply_form(conversation, "", saved_reply=potholes.pk) | {"action": "insert"},
    )
    page = response.content.decode()
    assert "Hola María, gracias." in page
    assert "has no text in Catalan / Valencian: the Spanish text was inserted" in page


def test_a_stored_unknown_variable_gives_a_form_error_in_the_editor(
    client_for, ana, vilanova, conversation, potholes
):
    SavedReplyText.objects.filter(saved_reply=potholes, language="ca").update(text="Hola {nom}.")
    response = client_for(ana).post(
        url("reply", vilanova, conversation.pk),
        reply_form(conversation, "Text meu", saved_reply=potholes.pk) | {"action": "insert"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "unknown variable ({nom})" in page
    assert "Text meu" in page


# DATA-4: the notice in the first private reply


def test_the_first_private_reply_carries_the_notice_and_later_ones_do_not(
    client_for, ana, vilanova, private_chat
):
    InboxSettings.objects.create(
        organisation=vilanova, electronic_office_url="https://sede.vilanova.example/"
    )
    client = client_for(ana)
    client.post(url("reply", vilanova, private_chat.pk), reply_form(private_chat, "Bon dia! Cal el DNI."))
    client.post(url("reply", vilanova, private_chat.pk), reply_form(private_chat, "Alguna cosa més?"))
    first, second = [text for _chat, text, _to in fakes.ChatConnector.REPLIES]
    assert first.startswith("Bon dia! Cal el DNI.\n\n")
    # The reply is in Catalan, so the notice is too.
    assert "no és una presentació formal" in first and "https://sede.vilanova.example/" in first
    assert second == "Alguna cosa més?"
    sent = Message.objects.filter(direction=Direction.OUT).order_by("pk")
    assert [item.carried_notice for item in sent] == [True, False]


def test_a_public_reply_does_not_carry_the_notice(ana, conversation):
    services.reply(conversation, actor=ana, text="Ho revisarem.", language="ca")
    assert fakes.PUBLISHED[0].text == "@maria@fake.example Ho revisarem."


def test_the_organisations_own_notice_in_the_replys_language_is_used(ana, vilanova, private_chat):
    InboxSettings.objects.create(
        organisation=vilanova,
        electronic_office_url="https://sede.vilanova.example/",
        private_notices={"ca": "Avís de {organisation}: no és un registre. Seu: {electronic_office_url}"},
    )
    services.reply(private_chat, actor=ana, text="Bon dia.", language="ca")
    assert fakes.ChatConnector.REPLIES[0][1] == (
        "Bon dia.\n\nAvís de Ajuntament de Vilanova de Mar: no és un registre. Seu: https://sede.vilanova.example/"
    )


def test_the_default_notice_is_written_in_the_source_language_with_the_links():
    text = notice.default_notice("en", has_privacy_url=True, has_office_url=True)
    assert "{privacy_url}" in text and "{electronic_office_url}" in text and "not a formal filing" in text


def test_an_admin_sets_the_notice_and_approval_and_it_is_audited(client_for, alba, vilanova):
    response = client_for(alba).post(
        url("answering_settings", vilanova),
        {
            "approval_roles": ["contributor", "editor"],
            "electronic_office_url": "https://sede.vilanova.example/",
            "privacy_url": "https://vilanova.example/privacitat",
            "notice_ca": "Avís: {privacy_url}",
        },
    )
    assert response.status_code == 302
    stored = InboxSettings.objects.get(organisation=vilanova)
    assert stored.approval_roles == ["contributor", "editor"]
    assert stored.private_notices == {"ca": "Avís: {privacy_url}"}
    assert AuditEntry.objects.filter(action="inbox.answering_settings_changed", actor=alba).exists()


def test_a_notice_with_an_unknown_variable_is_refused(client_for, alba, vilanova):
    response = client_for(alba).post(url("answering_settings", vilanova), {"notice_es": "Aviso {dpd}"})
    assert response.status_code == 400
    assert "Unknown variable: {dpd}" in response.content.decode()


def test_answering_settings_are_for_admins_of_the_organisation(client_for, oscar, ana, vilanova):
    assert client_for(oscar).get(url("answering_settings", vilanova)).status_code == 404
    assert client_for(ana).get(url("answering_settings", vilanova)).status_code == 403


# Approval


@pytest.fixture
def carles_conversation(conversation, urbanismo) -> Conversation:
    Conversation.objects.filter(pk=conversation.pk).update(department=urbanismo)
    conversation.refresh_from_db()
    return conversation


def test_a_contributors_reply_waits_for_approval_and_nothing_is_sent(
    client_for, carles, vilanova, carles_conversation
):
    response = client_for(carles).post(
        url("reply", vilanova, carles_conversation.pk), reply_form(carles_conversation, "Ho mirem.")
    )
    assert response.status_code == 302
    pending = PendingReply.objects.get()
    assert (pending.author, pending.state, pending.text) == (carles, PendingState.PENDING, "Ho mirem.")
    assert fakes.PUBLISHED == []
    assert AuditEntry.objects.filter(action="inbox.reply_submitted", actor=carles).exists()


def test_an_editor_approves_and_the_reply_goes_out_through_the_connector(
    client_for, carles, ana, vilanova, carles_conversation
):
    client_for(carles).post(
        url("reply", vilanova, carles_conversation.pk), reply_form(carles_conversation, "Ho mirem.")
    )
    pending = PendingReply.objects.get()
    page = client_for(ana).get(url("pending", vilanova)).content.decode()
    assert "Ho mirem." in page
    response = client_for(ana).post(url("approve", vilanova, carles_conversation.pk, pending.pk))
    assert response.status_code == 302
    assert fakes.PUBLISHED[0].text == "@maria@fake.example Ho mirem."
    sent = Message.objects.get(direction=Direction.OUT)
    assert sent.sent_by == carles
    pending.refresh_from_db()
    assert (pending.state, pending.reviewed_by, pending.message) == (PendingState.SENT, ana, sent)
    assert AuditEntry.objects.filter(action="inbox.reply_approved", actor=ana).exists()


def test_an_editor_returns_a_reply_with_a_comment_the_author_sees(
    client_for, carles, ana, vilanova, carles_conversation
):
    client_for(carles).post(
        url("reply", vilanova, carles_conversation.pk), reply_form(carles_conversation, "Ho mirem.")
    )
    pending = PendingReply.objects.get()
    client_for(ana).post(
        url("send_back", vilanova, carles_conversation.pk, pending.pk), {"return-comment": "Digues quan."}
    )
    pending.refresh_from_db()
    assert (pending.state, pending.review_comment) == (PendingState.RETURNED, "Digues quan.")
    assert fakes.PUBLISHED == []
    assert AuditEntry.objects.filter(action="inbox.reply_returned", actor=ana).exists()
    page = client_for(carles).get(url("detail", vilanova, carles_conversation.pk)).content.decode()
    assert "returned your reply" in page and "Digues quan." in page


def test_the_personal_data_block_still_applies_at_approval(ana, carles, carles_conversation):
    pending = PendingReply.objects.create(
        conversation=carles_conversation, author=carles, text="El seu DNI 12345678Z consta.", language="ca"
    )
    with pytest.raises(services.ReplyBlocked):
        answering.approve(pending, actor=ana)
    pending.refresh_from_db()
    assert pending.state == PendingState.PENDING and pending.reviewed_at is None
    assert fakes.PUBLISHED == []


def test_contributors_cannot_approve_and_outsiders_get_404(
    client_for, carles, oscar, vilanova, carles_conversation
):
    pending = PendingReply.objects.create(
        conversation=carles_conversation, author=carles, text="Hola", language="ca"
    )
    assert (
        client_for(carles).post(url("approve", vilanova, carles_conversation.pk, pending.pk)).status_code
        == 403
    )
    assert (
        client_for(oscar).post(url("approve", vilanova, carles_conversation.pk, pending.pk)).status_code
        == 404
    )
    assert client_for(oscar).get(url("pending", vilanova)).status_code == 404
    pending.refresh_from_db()
    assert pending.state == PendingState.PENDING


def test_without_approval_a_contributor_sends_directly(carles, vilanova, carles_conversation):
    InboxSettings.objects.create(organisation=vilanova, approval_roles=[])
    result = answering.submit(carles_conversation, actor=carles, text="Ho mirem.", language="ca")
    assert isinstance(result, Message) and fakes.PUBLISHED


def test_a_reader_cannot_reply(client_for, vera, vilanova, conversation):
    response = client_for(vera).post(
        url("reply", vilanova, conversation.pk), reply_form(conversation, "Hola")
    )
    assert response.status_code == 403
    assert not PendingReply.objects.exists() and fakes.PUBLISHED == []


# Two people answering at once


def test_someone_writing_is_shown_to_a_colleague(client_for, ana, pau, vilanova, conversation):
    client_for(ana).post(url("writing", vilanova, conversation.pk), {"reply-text": "Estic escrivint"})
    page = client_for(pau).get(url("detail", vilanova, conversation.pk)).content.decode()
    assert 'aria-live="polite">Ana Editora is writing a reply.' in page


def test_an_open_empty_form_does_not_count_as_writing(client_for, ana, vilanova, conversation):
    client_for(ana).post(url("writing", vilanova, conversation.pk), {"reply-text": " "})
    assert not ReplyPresence.objects.exists()


def test_presence_goes_stale(ana, pau, conversation):
    answering.mark_writing(conversation, ana)
    assert answering.others_writing(conversation, pau) == [ana]
    ReplyPresence.objects.update(seen_at=timezone.now() - answering.FRESH_FOR - timedelta(seconds=1))
    assert answering.others_writing(conversation, pau) == []


def test_presence_is_for_the_organisations_repliers(client_for, oscar, vera, vilanova, conversation):
    assert (
        client_for(oscar).post(url("writing", vilanova, conversation.pk), {"reply-text": "x"}).status_code
        == 404
    )
    assert (
        client_for(vera).post(url("writing", vilanova, conversation.pk), {"reply-text": "x"}).status_code
        == 403
    )


def test_a_reply_on_a_conversation_that_changed_is_confirmed_first(
    client_for, ana, vilanova, channel, conversation
):
    form = reply_form(conversation, "Ho arreglarem aquesta setmana.")
    ingest.store(channel, message("m2", "I també hi ha un fanal trencat.", when=timezone.now()))
    client = client_for(ana)
    response = client.post(url("reply", vilanova, conversation.pk), form)
    page = response.content.decode()
    assert response.status_code == 409
    assert fakes.PUBLISHED == []
    assert "I també hi ha un fanal trencat." in page
    assert "Ho arreglarem aquesta setmana." in page
    newest = answering.latest_message_id(conversation)
    assert f'name="reply-seen" value="{newest}"' in page
    confirmed = client.post(url("reply", vilanova, conversation.pk), form | {"reply-seen": newest})
    assert confirmed.status_code == 302
    assert fakes.PUBLISHED[0].text.endswith("Ho arreglarem aquesta setmana.")


def test_a_colleagues_reply_meanwhile_is_a_change_but_ones_own_is_not(ana, pau, conversation):
    seen = answering.latest_message_id(conversation)
    services.reply(conversation, actor=ana, text="Primera.", language="ca")
    answering.submit(conversation, actor=ana, text="Segona.", language="ca", seen=seen)
    with pytest.raises(answering.ConversationChanged) as raised:
        answering.submit(conversation, actor=pau, text="Tercera.", language="ca", seen=seen)
    assert [item.text for item in raised.value.newer] == [
        "@maria@fake.example Primera.",
        "@maria@fake.example Segona.",
    ]


def test_reviewers_are_told_a_reply_waits_and_the_author_that_it_came_back(
    carles, ana, pau, vilanova, carles_conversation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = answering.submit(carles_conversation, actor=carles, text="Ho mirem.", language="ca")
    assert sorted(mail.to[0] for mail in mailoutbox) == [ana.email, pau.email]
    assert "Ho mirem." not in mailoutbox[0].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answering.send_back(pending, actor=ana, comment="Digues quan.")
    assert [mail.to for mail in mailoutbox] == [[carles.email]]


def test_a_reply_is_approved_once_even_if_two_editors_approve(ana, pau, carles, carles_conversation):
    pending = PendingReply.objects.create(
        conversation=carles_conversation, author=carles, text="Hola", language="ca"
    )
    answering.approve(pending, actor=ana)
    with pytest.raises(ValidationError):
        answering.approve(pending, actor=pau)
    assert len(fakes.PUBLISHED) == 1


def test_a_contributor_cannot_mark_writing_outside_their_departments(
    client_for, carles, vilanova, conversation
):
    response = client_for(carles).post(url("writing", vilanova, conversation.pk), {"reply-text": "x"})
    assert response.status_code == 404
