"""The archive search page and a record in its context: who may open them and what they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.archive import services
from pregonero.archive.models import Direction, Kind
from pregonero.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

COMMENT = "Quan obriran l'aparcament nou de la plaça?"


def _record(organisation, text, n=0, **fields):
    return services.append(
        organisation,
        fields.pop("kind", Kind.MESSAGE_RECEIVED),
        source=("inbox.message", n),
        text=text,
        direction=fields.pop("direction", Direction.IN),
        **fields,
    )


def _search(client, organisation, **params):
    return client.get(reverse("archive:search", args=[organisation.slug]), params)


def test_an_editor_finds_a_valencian_comment_with_a_spanish_query(client_for, ana, vilanova):
    _record(vilanova, COMMENT, author="Veí (@vei)", conversation_ref=5)
    response = _search(client_for(ana), vilanova, q="aparcamientos plaza")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 record found" in page
    assert "<mark>aparcament</mark>" in page and "<mark>plaça</mark>" in page


def test_a_search_is_audited_with_its_words(client_for, ana, vilanova):
    _search(client_for(ana), vilanova, q="aparcament")
    entry = AuditEntry.objects.get(action="archive.searched")
    assert entry.details["filters"]["q"] == "aparcament"


def test_opening_the_page_without_a_search_lists_nothing_and_audits_nothing(client_for, ana, vilanova):
    _record(vilanova, COMMENT)
    response = _search(client_for(ana), vilanova)
    assert "record found" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="archive.searched").exists()


@pytest.mark.parametrize("person", ["carles", "vera"])
def test_contributors_and_readers_get_403(client_for, vilanova, person, request):
    response = _search(client_for(request.getfixturevalue(person)), vilanova, q="x")
    assert response.status_code == 403


def test_another_organisation_gets_404(client_for, oscar, vilanova):
    record = _record(vilanova, COMMENT)
    client = client_for(oscar)
    assert _search(client, vilanova, q="aparcament").status_code == 404
    assert client.get(reverse("archive:record", args=[vilanova.slug, record.seq])).status_code == 404


def test_an_admin_of_another_organisation_finds_nothing_of_ours(client_for, oscar, altea, vilanova):
    _record(vilanova, COMMENT)
    response = _search(client_for(oscar), altea, q="aparcament")
    assert "0 records found" in response.content.decode()


def test_citizen_text_is_escaped_in_results_and_in_the_record(client_for, ana, vilanova):
    record = _record(vilanova, "<script>alert('aparcament')</script> aparcament")
    client = client_for(ana)
    page = _search(client, vilanova, q="aparcament").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    detail = client.get(reverse("archive:record", args=[vilanova.slug, record.seq]), {"q": "aparcament"})
    assert "<script>alert" not in detail.content.decode()
    assert "<mark>aparcament</mark>" in detail.content.decode()


def test_results_are_paginated(client_for, ana, vilanova):
    for n in range(30):
        _record(vilanova, f"Aparcament {n}", n)
    client = client_for(ana)
    first = _search(client, vilanova, q="aparcament").content.decode()
    assert "30 records found" in first and "Page 1 of 2" in first and "</mark> 29</blockquote>" in first
    second = _search(client, vilanova, q="aparcament", page=2).content.decode()
    assert "</mark> 0</blockquote>" in second and "</mark> 29</blockquote>" not in second


def test_a_filter_alone_searches(client_for, ana, vilanova):
    _record(vilanova, "Hola", 1, language="es")
    _record(vilanova, "Bon dia", 2, language="ca")
    page = _search(client_for(ana), vilanova, language="ca").content.decode()
    assert "Bon dia" in page and "Hola" not in page


def test_a_bad_date_range_is_explained_not_a_500(client_for, ana, vilanova):
    response = _search(client_for(ana), vilanova, date_from="2026-05-01", date_to="2026-03-01")
    assert response.status_code == 200
    assert "The end date must not be before the start date." in response.content.decode()


def test_a_record_opens_with_its_conversation_hash_and_sequence(client_for, ana, vilanova):
    question = _record(vilanova, COMMENT, 1, conversation_ref=5)
    answer = _record(
        vilanova, "Al maig.", 2, conversation_ref=5, direction=Direction.OUT, kind=Kind.MESSAGE_SENT
    )
    _record(vilanova, "Una altra conversa", 3, conversation_ref=6)
    response = client_for(ana).get(reverse("archive:record", args=[vilanova.slug, question.seq]))
    page = response.content.decode()
    assert question.hash in page and answer.hash[:16] in page
    assert "Al maig." in page and "Una altra conversa" not in page
    assert AuditEntry.objects.filter(action="archive.viewed").count() == 1


def test_a_publication_opens_with_the_posts_other_publications_and_removal(client_for, ana, vilanova):
    sent = _record(
        vilanova, "Obres a la plaça", 1, post_ref=9, kind=Kind.POST_PUBLISHED, direction=Direction.OUT
    )
    _record(
        vilanova,
        "Obres a la plaça (Mastodon)",
        2,
        post_ref=9,
        kind=Kind.POST_PUBLISHED,
        direction=Direction.OUT,
    )
    _record(
        vilanova,
        "",
        3,
        post_ref=9,
        kind=Kind.POST_REMOVED,
        direction=Direction.OUT,
        content={"reason": "error"},
    )
    page = client_for(ana).get(reverse("archive:record", args=[vilanova.slug, sent.seq])).content.decode()
    assert "Obres a la plaça (Mastodon)" in page and "Post removed" in page


def test_a_blocked_record_does_not_open(client_for, ana, alba, vilanova):
    record = _record(vilanova, COMMENT)
    services.block(record, reason="DATA-5", actor=alba)
    response = client_for(ana).get(reverse("archive:record", args=[vilanova.slug, record.seq]))
    assert response.status_code == 404


def test_the_navigation_offers_the_archive_to_editors_only(client_for, ana, carles, vilanova):
    url = reverse("archive:search", args=[vilanova.slug])
    assert url in client_for(ana).get(reverse("core:dashboard", args=[vilanova.slug])).content.decode()
    assert url not in client_for(carles).get(reverse("core:dashboard", args=[vilanova.slug])).content.decode()
