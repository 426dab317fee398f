"""A person decides what happened to failed and unknown publications."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pregonero.audit.models import AuditEntry
from pregonero.publishing import attention, dispatch, notify
from pregonero.publishing.models import PostState, PublicationState
from pregonero.publishing.tests.conftest import make_channel, make_publication

pytestmark = pytest.mark.django_db

S = PublicationState


@pytest.fixture
def channel(vilanova, sink):
    return make_channel(vilanova, "Xarxa", sink)


@pytest.fixture
def unknown(channel, ana, sink):
    publication = make_publication(channel, ana)
    sink.crash_next()
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.UNKNOWN)
    publication.refresh_from_db()
    return publication


@pytest.fixture
def failed(channel, ana, sink):
    publication = make_publication(channel, ana)
    sink.fail_next(status=422)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.FAILED)
    publication.refresh_from_db()
    return publication


def test_an_unknown_publication_marked_as_published_completes_the_post(unknown, ana):
    attention.mark_sent(unknown, actor=ana, url="https://xarxa.example/@vilanova/1")
    unknown.refresh_from_db()
    assert (unknown.state, unknown.remote_url, unknown.last_error) == (
        S.SENT,
        "https://xarxa.example/@vilanova/1",
        "",
    )
    assert unknown.post.state == PostState.PUBLISHED
    entry = AuditEntry.objects.get(action="publication.marked_sent")
    assert entry.actor == ana
    assert entry.changes == {"state": [S.UNKNOWN, S.SENT]}


def test_marking_as_published_refuses_an_address_that_is_not_one(unknown, ana):
    with pytest.raises(ValidationError) as caught:
        attention.mark_sent(unknown, actor=ana, url="javascript:alert(1)")
    assert "url" in caught.value.message_dict
    unknown.refresh_from_db()
    assert unknown.state == S.UNKNOWN


def test_sending_an_unknown_one_again_needs_the_person_to_have_checked(unknown, ana, sink):
    with pytest.raises(ValidationError):
        attention.retry(unknown, actor=ana)
    unknown.refresh_from_db()
    assert unknown.state == S.UNKNOWN

    attention.retry(unknown, actor=ana, checked=True)
    unknown.refresh_from_db()
    assert unknown.state == S.QUEUED
    assert dispatch.dispatch_next("worker-a") == (unknown.pk, S.SENT)
    unknown.refresh_from_db()
    assert unknown.post.state == PostState.PUBLISHED
    assert AuditEntry.objects.get(action="publication.retried").details["checked_network"] is True


def test_a_failed_publication_sent_again_goes_out_with_the_same_key(failed, ana, sink):
    attention.retry(failed, actor=ana)
    assert dispatch.dispatch_next("worker-a") == (failed.pk, S.SENT)
    assert [call["key"] for call in sink.calls] == [dispatch.part_key(failed, 0)] * 2
    failed.refresh_from_db()
    assert (failed.state, failed.last_error, failed.attempt_count) == (S.SENT, "", 2)


def test_a_cancelled_publication_is_never_sent(failed, ana, sink):
    attention.cancel(failed, actor=ana)
    failed.refresh_from_db()
    assert failed.state == S.CANCELLED
    assert failed.post.state == PostState.FAILED
    with pytest.raises(ValidationError):
        attention.retry(failed, actor=ana)


def test_a_decision_on_what_a_worker_changed_meanwhile_is_refused(failed, ana):
    stale = type(failed).objects.get(pk=failed.pk)
    attention.retry(failed, actor=ana)
    with pytest.raises(ValidationError):
        attention.cancel(stale, actor=ana)
    failed.refresh_from_db()
    assert failed.state == S.QUEUED


def test_only_editors_and_above_decide(failed, carles, vera):
    for person in (carles, vera):
        with pytest.raises(PermissionDenied):
            attention.retry(failed, actor=person)
        assert attention.actions_for(failed, person) == ()


def test_the_attention_list_shows_failed_and_unknown_with_their_translated_error(
    unknown, failed, client_for, ana
):
    client = client_for(ana)
    url = reverse("publishing:attention", args=[unknown.organisation.slug])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    # Both may be marked published, sent again or cancelled.
    assert page.count('action="/o/vilanova-de-mar/posts/publications/') == 6
    assert "The network refused the post." in page
    ana.language = "es"
    ana.save(update_fields=["language"])
    page = client_for(ana).get(url).content.decode()
    assert "La red ha rechazado la publicación." in page
    assert "The network refused the post." not in page


def test_deciding_through_the_screen_comes_back_to_the_list(failed, client_for, ana):
    client = client_for(ana)
    url = reverse("publishing:publication_retry", args=["vilanova-de-mar", failed.pk])
    response = client.post(url, {"back": "attention"})
    assert response.status_code == 302
    assert response.url == reverse("publishing:attention", args=["vilanova-de-mar"])
    failed.refresh_from_db()
    assert failed.state == S.QUEUED


def test_the_screens_are_scoped_to_the_organisation_and_role(failed, client_for, oscar, vera):
    url = reverse("publishing:publication_cancel", args=["vilanova-de-mar", failed.pk])
    assert client_for(oscar).post(url).status_code == 404
    assert client_for(vera).post(url).status_code == 403
    # Another town's slug with this publication's number: not found, not cancelled.
    other = reverse("publishing:publication_cancel", args=["altea", failed.pk])
    assert client_for(oscar).post(other).status_code == 404
    assert client_for(vera).get(url).status_code == 405
    failed.refresh_from_db()
    assert failed.state == S.FAILED


def test_a_failed_publication_is_told_to_its_author_and_approver_in_their_languages(
    channel, ana, pau, sink, mailoutbox, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    publication = make_publication(channel, ana)
    publication.post.approved_by = pau
    publication.post.save(update_fields=["approved_by"])
    pau.language = "es"
    pau.save(update_fields=["language"])
    sink.fail_next(status=422)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch.dispatch_next("worker-a") == (publication.pk, S.FAILED)
    queued = DBTaskResult.objects.get(task_path="pregonero.publishing.tasks.tell_people_about")
    assert queued.args_kwargs["args"] == [publication.pk]

    assert notify.tell_people(publication.pk) == 2
    by_person = {message.to[0]: message for message in mailoutbox}
    assert "could not be published on Xarxa" in by_person[ana.email].subject
    assert "The network refused the post." in by_person[ana.email].body
    assert "Hola" in by_person[pau.email].body
    assert "La red ha rechazado la publicación." in by_person[pau.email].body
    assert f"/o/vilanova-de-mar/posts/{publication.post_id}/" in by_person[pau.email].body


def test_nobody_is_told_about_a_publication_a_person_already_settled(failed, ana, mailoutbox):
    attention.cancel(failed, actor=ana)
    assert notify.tell_people(failed.pk) == 0
    assert mailoutbox == []
