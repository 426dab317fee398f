"""The inbox through the API: list with filters, read, reply, triage with ETags, notes; the
interface's rules for roles, departments and personal data, and nothing of another town."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pregonero.accounts.roles import Role
from pregonero.api.models import Access, Resource
from pregonero.api.tests.conftest import EVERYTHING, make_token
from pregonero.audit.models import AuditEntry
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel
from pregonero.inbox import ingest
from pregonero.inbox.models import Conversation, Direction, Message, Note, PendingReply, State
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.conftest import fake_network  # noqa: F401
from pregonero.inbox.tests.fakes import message

pytestmark = pytest.mark.django_db

READ_ONLY = {**EVERYTHING, Resource.INBOX: Access.READ}


@pytest.fixture
def channel(vilanova) -> Channel:
    return Channel.objects.create(
        organisation=vilanova, connector="test_inbox", name="Fake", config={"account": "@ayto@fake.example"}
    )


@pytest.fixture
def conversation(channel) -> Conversation:
    ingest.store(
        channel,
        message("m1", "Bon dia, el carrer Major està ple de forats i ningú ho arregla.", when=timezone.now()),
    )
    return Conversation.objects.get()


@pytest.fixture
def admin_token(vilanova, alba) -> str:
    return make_token(vilanova, alba, Role.ADMIN)


def path(conversation: Conversation, tail: str = "") -> str:
    return f"organisations/{conversation.organisation.slug}/conversations/{conversation.pk}{tail}"


def reply(api, conversation, token, text="Gràcies, ho passem a la brigada.", key="r1", **extra):
    body = {"text": text, "language": "ca", **extra}
    return api.post(path(conversation, "/replies"), token, json=body, headers={"Idempotency-Key": key})


# Reading


def test_an_editor_token_lists_conversations_with_their_state_and_clock(api, editor_token, conversation):
    response = api.get("organisations/vilanova-de-mar/conversations", editor_token)
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert item["id"] == conversation.pk
    assert (item["state"], item["kind"], item["priority"], item["language"]) == (
        "new",
        "thread",
        "normal",
        "ca",
    )
    assert item["citizen"]["handle"] == "@maria@fake.example"
    assert item["channel"]["name"] == "Fake"
    assert item["due_at"] is not None and item["overdue"] is False


def test_conversations_are_filtered(api, editor_token, channel, conversation, ana, urbanismo):
    ingest.store(
        channel, message("d1", "Hola, quiero pedir cita.", kind=MessageKind.DIRECT, in_reply_to=None)
    )
    private = Conversation.objects.exclude(pk=conversation.pk).get()
    Conversation.objects.filter(pk=private.pk).update(
        assignee=ana,
        department=urbanismo,
        tags=["cita", "padrón"],
        state=State.RESOLVED,
        due_at=None,
        last_message_at=timezone.now() - timedelta(days=3),
    )
    Conversation.objects.filter(pk=conversation.pk).update(due_at=timezone.now() - timedelta(hours=1))

    def ids(query: str) -> list[int]:
        response = api.get(f"organisations/vilanova-de-mar/conversations?{query}", editor_token)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids("") == [private.pk, conversation.pk]
    assert ids("state=resolved") == ids("kind=private") == ids("tag=padrón") == [private.pk]
    assert ids(f"department={urbanismo.pk}") == ids(f"assignee={ana.pk}") == [private.pk]
    assert ids("assignee=none") == ids("overdue=true") == ids("language=ca") == [conversation.pk]
    assert ids("overdue=false") == [private.pk]
    assert ids("assignee=me") == []  # the token's creator, Alba, has none
    assert ids("tag=padr") == []  # whole tags only
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(f"updated_since={since.replace('+', '%2B')}") == [conversation.pk]
    assert ids(f"channel={channel.pk}&limit=1") == [private.pk]


def test_the_list_is_paginated_with_a_cursor(api, editor_token, channel):
    for number in range(3):
        ingest.store(channel, message(f"m{number}", "Hola", author=f"citizen-{number}"))
    first = api.get("organisations/vilanova-de-mar/conversations?limit=2", editor_token).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = api.get(
        f"organisations/vilanova-de-mar/conversations?limit=2&cursor={first['next_cursor']}", editor_token
    ).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    seen = {item["id"] for item in first["items"] + second["items"]}
    assert seen == set(Conversation.objects.values_list("pk", flat=True))


def test_a_conversation_is_read_with_its_messages_notes_and_etag(api, editor_token, conversation, ana):
    Note.objects.create(conversation=conversation, author=ana, text="Ho mira la brigada.")
    response = api.get(path(conversation), editor_token)
    assert response.status_code == 200
    body = response.json()
    assert [(item["direction"], item["text"]) for item in body["messages"]] == [
        ("in", "Bon dia, el carrer Major està ple de forats i ningú ho arregla.")
    ]
    assert [(note["author"]["name"], note["text"]) for note in body["notes"]] == [
        ("Ana Editora", "Ho mira la brigada.")
    ]
    assert response["ETag"].startswith(f'"{conversation.pk}-')


def test_a_citizens_text_is_given_as_plain_data(api, editor_token, channel):
    ingest.store(channel, message("x1", "<script>alert(1)</script> & més"))
    body = api.get(path(Conversation.objects.get()), editor_token).json()
    assert body["messages"][0]["text"] == "<script>alert(1)</script> & més"


def test_a_contributor_token_sees_only_its_creators_departments(api, vilanova, alba, urbanismo, conversation):
    token = make_token(vilanova, alba, Role.CONTRIBUTOR)
    assert api.get("organisations/vilanova-de-mar/conversations", token).json()["items"] == []
    assert api.get(path(conversation), token).status_code == 404
    alba.memberships.get().departments.add(urbanismo)
    Conversation.objects.update(department=urbanismo)
    assert [
        item["id"] for item in api.get("organisations/vilanova-de-mar/conversations", token).json()["items"]
    ] == [conversation.pk]


def test_a_token_without_the_inbox_scope_gets_403(api, vilanova, alba, conversation):
    token = make_token(vilanova, alba, Role.ADMIN, scopes={Resource.POSTS: Access.WRITE})
    assert api.get("organisations/vilanova-de-mar/conversations", token).status_code == 403
    assert api.get(path(conversation), token).status_code == 403


# Replying


def test_a_reply_goes_out_through_the_connector_as_from_the_interface(api, admin_token, conversation):
    response = reply(api, conversation, admin_token)
    assert response.status_code == 201, response.content
    assert response.json()["direction"] == "out"
    assert response.json()["sent_by"]["name"] == "Alba Administradora"
    assert [(part.text, part.reply_to, part.language) for part in fakes.PUBLISHED] == [
        ("@maria@fake.example Gràcies, ho passem a la brigada.", "m1", "ca")
    ]
    conversation.refresh_from_db()
    assert conversation.state == State.WAITING_CITIZEN and conversation.due_at is None
    entry = AuditEntry.objects.get(action="inbox.reply_sent")
    assert entry.actor.email == "alba@vilanova.example"


def test_a_retried_reply_with_the_same_key_is_sent_once(api, admin_token, conversation):
    first = reply(api, conversation, admin_token, key="same")
    again = reply(api, conversation, admin_token, key="same")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(fakes.PUBLISHED) == 1
    assert Message.objects.filter(direction=Direction.OUT).count() == 1


def test_a_reply_needs_an_idempotency_key(api, admin_token, conversation):
    response = api.post(path(conversation, "/replies"), admin_token, json={"text": "Hola", "language": "es"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_reply_exposing_a_dni_is_a_personal_data_problem_in_the_owners_language(
    api, vilanova, alba, conversation
):
    alba.language = "es"
    alba.save()
    token = make_token(vilanova, alba, Role.ADMIN)
    response = reply(api, conversation, token, text="Hemos localizado su expediente con DNI 12345678Z.")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/api/v1/problems/personal-data"
    assert problem["personal_data"] == ["dni"]
    assert [error["field"] for error in problem["errors"]] == ["text"]
    assert problem["errors"][0]["message"].startswith("Esta respuesta expone datos personales (dni).")
    assert fakes.PUBLISHED == []


def test_a_reply_exposing_a_dni_goes_with_a_reason_which_is_audited(api, admin_token, conversation):
    response = reply(
        api,
        conversation,
        admin_token,
        text="Hemos localizado su expediente con DNI 12345678Z.",
        override_reason="El ciudadano lo pidió expresamente.",
    )
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.get(action="inbox.reply_sent")
    assert entry.details["override_reason"] == "El ciudadano lo pidió expresamente."


def test_a_channel_that_cannot_reply_says_why_on_the_text(api, admin_token, vilanova):
    mute = Channel.objects.create(organisation=vilanova, connector="test_inbox_mute", name="Mute")
    ingest.store(mute, message("m1", "Hola, ¿me podéis ayudar con el padrón?"))
    response = reply(api, Conversation.objects.get(), admin_token)
    assert response.status_code == 422
    assert "cannot reply to messages" in response.json()["errors"][0]["message"]


# Triage with If-Match


def test_an_editor_token_assigns_and_resolves_with_the_etag(api, editor_token, conversation, ana, urbanismo):
    read = api.get(path(conversation), editor_token)
    response = api.patch(
        path(conversation),
        editor_token,
        json={"assignee": ana.pk, "department": urbanismo.pk, "priority": "high", "tags": ["forats", "via"]},
        headers={"If-Match": read["ETag"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["assignee"]["id"], body["department"], body["priority"], body["tags"]) == (
        ana.pk,
        urbanismo.pk,
        "high",
        ["forats", "via"],
    )
    assert response["ETag"] != read["ETag"]
    resolved = api.patch(
        path(conversation), editor_token, json={"state": "resolved"}, headers={"If-Match": response["ETag"]}
    )
    assert resolved.json()["state"] == "resolved" and resolved.json()["assignee"]["id"] == ana.pk
    assert AuditEntry.objects.filter(action="inbox.conversation_triaged").count() == 2


def test_a_stale_etag_is_412_and_changes_nothing(api, editor_token, conversation):
    stale = api.get(path(conversation), editor_token)["ETag"]
    Conversation.objects.update(priority=3)
    response = api.patch(
        path(conversation), editor_token, json={"state": "closed"}, headers={"If-Match": stale}
    )
    assert response.status_code == 412
    assert response.json()["current_etag"] == response["ETag"] != stale
    conversation.refresh_from_db()
    assert conversation.state == State.NEW


def test_an_update_without_if_match_is_428(api, editor_token, conversation):
    assert api.patch(path(conversation), editor_token, json={"state": "closed"}).status_code == 428


def test_null_clears_the_assignee_and_reopening_is_a_state(api, editor_token, conversation, ana):
    Conversation.objects.update(assignee=ana, state=State.CLOSED)
    etag = api.get(path(conversation), editor_token)["ETag"]
    response = api.patch(
        path(conversation), editor_token, json={"assignee": None, "state": "open"}, headers={"If-Match": etag}
    )
    assert (response.json()["assignee"], response.json()["state"]) == (None, "open")


def test_a_person_or_department_of_another_town_is_refused_on_its_field(
    api, editor_token, conversation, oscar, altea_department
):
    for field, value in (("assignee", oscar.pk), ("department", altea_department.pk)):
        response = api.patch(path(conversation), editor_token, json={field: value}, headers={"If-Match": "*"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field


# Notes


def test_an_editor_token_adds_an_internal_note(api, editor_token, conversation, ana):
    response = api.post(
        path(conversation, "/notes"),
        editor_token,
        json={"text": "@ana pots mirar-ho?"},
        headers={"Idempotency-Key": "n1"},
    )
    assert response.status_code == 201, response.content
    note = Note.objects.get()
    assert (note.text, list(note.mentioned.all())) == ("@ana pots mirar-ho?", [ana])
    assert response.json()["author"]["name"] == "Alba Administradora"


# Who may act


WRITES = [
    ("post", "/replies", {"text": "Hola", "language": "es"}),
    ("post", "/notes", {"text": "Nota"}),
    ("patch", "", {"state": "closed"}),
]


@pytest.mark.parametrize(("method", "tail", "body"), WRITES)
def test_a_read_only_token_gets_403_on_writes(api, vilanova, alba, conversation, method, tail, body):
    token = make_token(vilanova, alba, Role.ADMIN, scopes=READ_ONLY)
    assert api.get(path(conversation), token).status_code == 200
    response = api.call(
        method, path(conversation, tail), token, json=body, headers={"Idempotency-Key": "k", "If-Match": "*"}
    )
    assert response.status_code == 403
    assert fakes.PUBLISHED == [] and not Note.objects.exists()


@pytest.mark.parametrize(("method", "tail", "body"), WRITES)
def test_a_reader_or_contributor_role_gets_403_on_writes_as_in_the_interface(
    api, vilanova, alba, urbanismo, conversation, method, tail, body
):
    Conversation.objects.update(department=urbanismo)
    alba.memberships.get().departments.add(urbanismo)
    # A contributor's reply is not refused: it waits for approval (see below).
    roles = (Role.READER,) if tail == "/replies" else (Role.READER, Role.CONTRIBUTOR)
    for role in roles:
        token = make_token(vilanova, alba, role)
        assert api.get(path(conversation), token).status_code == 200
        headers = {"Idempotency-Key": f"k-{role}", "If-Match": "*"}
        assert (
            api.call(method, path(conversation, tail), token, json=body, headers=headers).status_code == 403
        )
    conversation.refresh_from_db()
    assert conversation.state == State.NEW


@pytest.mark.parametrize(
    ("method", "tail", "body"), [("get", "", None), *WRITES], ids=["read", "reply", "note", "update"]
)
def test_another_organisations_token_gets_404(api, altea_token, conversation, method, tail, body):
    headers = {"Idempotency-Key": "k", "If-Match": "*"}
    response = api.call(method, path(conversation, tail), altea_token, json=body, headers=headers)
    assert response.status_code == 404
    assert api.get("organisations/vilanova-de-mar/conversations", altea_token).status_code == 404
    assert fakes.PUBLISHED == [] and not Note.objects.exists()


def test_a_contributors_reply_waits_for_approval_as_in_the_interface(
    api, vilanova, alba, urbanismo, conversation
):
    Conversation.objects.update(department=urbanismo)
    alba.memberships.get().departments.add(urbanismo)
    token = make_token(vilanova, alba, Role.CONTRIBUTOR)
    response = reply(api, conversation, token, key="pending-1")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "pending" and body["text"] == "Gràcies, ho passem a la brigada."
    assert fakes.PUBLISHED == []
    assert PendingReply.objects.get().author == alba
    # The same key again answers the same, and keeps one pending reply.
    assert reply(api, conversation, token, key="pending-1").json()["id"] == body["id"]
    assert PendingReply.objects.count() == 1
