"""Searching the archive through the API: editors and above, with the archive scope, never blocked records."""

from __future__ import annotations

import pytest

from pregonero.accounts.roles import Role
from pregonero.api.models import Access, Resource
from pregonero.api.tests.conftest import make_token
from pregonero.archive import services as archive
from pregonero.archive.models import Kind

pytestmark = pytest.mark.django_db
PATH = "organisations/vilanova-de-mar/archive/records"


@pytest.fixture
def records(vilanova):
    texts = [
        ("Quan obriran l'aparcament nou de la plaça?", "ca", "@veina@xarxa.example"),
        ("Gràcies per la informació de les festes.", "ca", "@pere@xarxa.example"),
        ("<script>alert(1)</script> el parking sigue cerrado", "es", "@troll@xarxa.example"),
    ]
    return [
        archive.append(
            vilanova,
            Kind.MESSAGE_RECEIVED,
            source=("test.item", n),
            text=text,
            language=lang,
            author=who,
            direction="in",
        )
        for n, (text, lang, who) in enumerate(texts)
    ]


def test_a_spanish_query_finds_a_valencian_comment(api, editor_token, records):
    response = api.get(f"{PATH}?q=aparcamiento", editor_token)
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [item["seq"] for item in items] == [records[0].seq]
    assert items[0]["hash"] == records[0].hash and items[0]["direction"] == "in"


def test_filters_and_pages_work_together(api, editor_token, records):
    first = api.get(f"{PATH}?language=ca&limit=1", editor_token).json()
    assert [item["seq"] for item in first["items"]] == [records[1].seq]
    second = api.get(f"{PATH}?language=ca&limit=1&cursor={first['next_cursor']}", editor_token).json()
    assert [item["seq"] for item in second["items"]] == [records[0].seq]
    assert second["next_cursor"] is None


def test_one_record_comes_with_its_content_and_citizen_text_as_plain_data(api, editor_token, records):
    body = api.get(f"{PATH}/{records[2].seq}", editor_token).json()
    assert body["text"].startswith("<script>") and body["content"] == {}
    assert body["content_digest"] == records[2].content_digest


def test_blocked_records_are_neither_listed_nor_read(api, editor_token, records, alba):
    archive.block(records[0], reason="DATA-5", actor=alba)
    assert api.get(f"{PATH}?q=aparcament", editor_token).json()["items"] == []
    assert api.get(f"{PATH}/{records[0].seq}", editor_token).status_code == 404


def test_readers_contributors_and_tokens_without_the_scope_are_refused(api, vilanova, alba, records):
    for role in (Role.READER, Role.CONTRIBUTOR):
        assert api.get(PATH, make_token(vilanova, alba, role)).status_code == 403
    no_scope = make_token(vilanova, alba, Role.EDITOR, scopes={Resource.INBOX: Access.READ})
    assert api.get(PATH, no_scope).status_code == 403


def test_bad_query_syntax_is_not_an_error(api, editor_token, records):
    for query in ['"unclosed', "AND OR NOT", "-", "*", "((("]:
        assert api.get(f"{PATH}?q={query}", editor_token).status_code == 200
