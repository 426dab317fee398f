"""Posts through the API: roles and scopes, If-Match, idempotency keys, pagination, problems."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregonero.accounts.roles import Role
from pregonero.api.tests.conftest import make_token, tiny_png
from pregonero.channels.models import Channel
from pregonero.publishing.models import Media, Post, PostState, Publication, PublicationState


@pytest.fixture
def website(vilanova):
    return Channel.objects.create(organisation=vilanova, connector="website", name="Web")


@pytest.fixture
def base(vilanova) -> str:
    return f"organisations/{vilanova.slug}"


def create(api, base, token, key="k-1", **body):
    body = {"title": "Festes", "texts": {"es": "Fiestas mayores.", "ca": "Festes majors."}, **body}
    return api.post(f"{base}/posts", token, json=body, headers={"Idempotency-Key": key})


# Roles and scopes


def test_a_reader_token_reads_but_does_not_write(api, base, vilanova, alba):
    reader = make_token(vilanova, alba, Role.READER)
    assert api.get(f"{base}/posts", reader).status_code == 200
    refused = create(api, base, reader)
    assert refused.status_code == 403
    assert refused.json()["title"] == "The token's role or scopes do not allow this."
    assert not Post.objects.exists()


def test_a_token_without_the_posts_scope_cannot_read_posts(api, base, vilanova, alba):
    token = make_token(vilanova, alba, Role.ADMIN, scopes={"channels": "read"})
    assert api.get(f"{base}/posts", token).status_code == 403
    assert api.get(f"{base}/channels", token).status_code == 200


def test_a_read_scope_does_not_write(api, base, vilanova, alba):
    token = make_token(vilanova, alba, Role.ADMIN, scopes={"posts": "read"})
    assert create(api, base, token).status_code == 403


def test_an_editor_token_cannot_approve(api, base, editor_token, website):
    post = create(api, base, editor_token, channels=[website.pk]).json()
    api.post(f"{base}/posts/{post['id']}/submit", editor_token)
    refused = api.post(f"{base}/posts/{post['id']}/approve", editor_token, json={})
    assert refused.status_code == 403
    assert Post.objects.get().state == PostState.IN_REVIEW


def test_an_approver_token_of_the_author_does_not_beat_four_eyes(api, base, vilanova, alba, editor_token):
    post = create(api, base, editor_token).json()
    api.post(f"{base}/posts/{post['id']}/submit", editor_token)
    own_approver = make_token(vilanova, alba, Role.APPROVER)
    refused = api.post(f"{base}/posts/{post['id']}/approve", own_approver, json={})
    assert refused.status_code == 422
    assert "four eyes" in refused.json()["errors"][0]["message"]


def test_a_contributor_token_writes_only_for_its_creators_departments(
    api, base, vilanova, carles, urbanismo, diana
):
    """Diana (admin) creates a contributor token: it writes as a contributor, without departments."""
    token = make_token(vilanova, diana, Role.CONTRIBUTOR)
    refused = create(api, base, token, department=urbanismo.pk)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "department", "message": "Contributors write posts for their own departments only."}
    ]


def test_audit_entries_need_an_auditor_role(api, base, vilanova, alba, editor_token, approver_token):
    assert api.get(f"{base}/audit-entries", editor_token).status_code == 403
    entries = api.get(f"{base}/audit-entries", approver_token)
    assert entries.status_code == 200
    assert "api_token.created" in {entry["action"] for entry in entries.json()["items"]}


# Reading


def test_a_post_reads_whole_with_its_etag(api, base, editor_token, website):
    created = create(api, base, editor_token, channels=[website.pk])
    read = api.get(created["Location"], editor_token)
    assert read.status_code == 200
    assert read["ETag"] == created["ETag"] == f'"{created.json()["id"]}-1"'
    body = read.json()
    assert {(variant["channel"]["id"], variant["language"]) for variant in body["variants"]} == {
        (website.pk, "es"),
        (website.pk, "ca"),
    }
    assert body["state"] == "draft" and body["author"] == "Alba Administradora"


def test_times_carry_their_zone(api, base, editor_token):
    body = create(api, base, editor_token).json()
    assert datetime.fromisoformat(body["created_at"]).utcoffset() == timedelta(0)


def test_posts_come_in_pages_with_a_cursor(api, base, editor_token):
    for number in range(5):
        create(api, base, editor_token, key=f"page-{number}", title=f"Post {number}")
    first = api.get(f"{base}/posts?limit=2", editor_token).json()
    second = api.get(f"{base}/posts?limit=2&cursor={first['next_cursor']}", editor_token).json()
    third = api.get(f"{base}/posts?limit=2&cursor={second['next_cursor']}", editor_token).json()
    titles = [item["title"] for page in (first, second, third) for item in page["items"]]
    assert titles == ["Post 4", "Post 3", "Post 2", "Post 1", "Post 0"]
    assert third["next_cursor"] is None


def test_a_made_up_cursor_is_a_field_error(api, base, editor_token):
    response = api.get(f"{base}/posts?cursor=not-a-cursor", editor_token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_posts_are_filtered(api, base, editor_token):
    create(api, base, editor_token, key="a", title="Draft")
    submitted = create(api, base, editor_token, key="b", title="Sent").json()
    Post.objects.filter(pk=submitted["id"]).update(state=PostState.IN_REVIEW)
    items = api.get(f"{base}/posts?state=in_review", editor_token).json()["items"]
    assert [item["title"] for item in items] == ["Sent"]
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert api.get(f"{base}/posts", editor_token, data={"updated_since": future}).json()["items"] == []


def test_a_time_without_zone_is_refused_in_filters(api, base, editor_token):
    response = api.get(f"{base}/posts", editor_token, data={"updated_since": "2026-01-01T10:00:00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "updated_since"


# Idempotency


def test_a_retried_create_returns_the_first_reply_and_creates_once(api, base, editor_token):
    first = create(api, base, editor_token, key="cms-1")
    again = create(api, base, editor_token, key="cms-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"] and again["Idempotent-Replayed"] == "true"
    assert Post.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api, base, editor_token):
    create(api, base, editor_token, key="cms-1")
    other = create(api, base, editor_token, key="cms-1", title="Other")
    assert other.status_code == 422
    assert other.json()["type"] == "/api/v1/problems/idempotency-key-reused"
    assert Post.objects.count() == 1


def test_keys_belong_to_one_token(api, base, vilanova, diana, editor_token):
    create(api, base, editor_token, key="cms-1")
    create(api, base, make_token(vilanova, diana, Role.EDITOR), key="cms-1")
    assert Post.objects.count() == 2


def test_a_create_without_a_key_is_refused(api, base, editor_token):
    response = api.post(f"{base}/posts", editor_token, json={"title": "x"})
    assert response.status_code == 422
    assert {"field": "Idempotency-Key", "message": "This field is required."} in response.json()["errors"]
    assert not Post.objects.exists()


def test_a_refusal_is_remembered_too(api, base, editor_token):
    first = create(api, base, editor_token, key="bad", channels=[999])
    again = create(api, base, editor_token, key="bad", channels=[999])
    assert first.status_code == again.status_code == 422
    assert again["Idempotent-Replayed"] == "true"


def test_a_retried_upload_stores_the_file_once(api, base, editor_token, website):
    post = create(api, base, editor_token, channels=[website.pk]).json()

    def upload():
        image = SimpleUploadedFile("plaza.png", tiny_png(), content_type="image/png")
        return api.client.post(
            f"/api/v1/{base}/posts/{post['id']}/media",
            {"file": image, "description": "La plaza Mayor."},
            headers={"Authorization": f"Bearer {editor_token}", "Idempotency-Key": "image-1"},
        )

    first, again = upload(), upload()
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Media.objects.count() == 1
    assert first.json()["description"] == "La plaza Mayor."


def test_a_file_that_is_no_image_is_a_field_error(api, base, editor_token, website):
    post = create(api, base, editor_token, channels=[website.pk]).json()
    response = api.client.post(
        f"/api/v1/{base}/posts/{post['id']}/media",
        {"file": SimpleUploadedFile("notes.txt", b"just text")},
        headers={"Authorization": f"Bearer {editor_token}", "Idempotency-Key": "txt"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


# ETag and If-Match


def test_an_update_with_the_current_etag_saves(api, base, editor_token):
    created = create(api, base, editor_token)
    url = created["Location"]
    updated = api.patch(
        url, editor_token, json={"title": "Festes 2027"}, headers={"If-Match": created["ETag"]}
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["title"] == "Festes 2027"
    assert updated["ETag"] != created["ETag"]
    assert {text["language"] for text in updated.json()["texts"]} == {"es", "ca"}


def test_an_update_with_an_old_etag_is_412_and_changes_nothing(api, base, editor_token):
    created = create(api, base, editor_token)
    url, old = created["Location"], created["ETag"]
    api.patch(url, editor_token, json={"title": "First"}, headers={"If-Match": old})
    lost = api.patch(url, editor_token, json={"title": "Second"}, headers={"If-Match": old})
    assert lost.status_code == 412
    assert lost["ETag"] == lost.json()["current_etag"] != old
    assert Post.objects.get().title == "First"


def test_an_update_without_if_match_is_428(api, base, editor_token):
    created = create(api, base, editor_token)
    response = api.patch(created["Location"], editor_token, json={"title": "x"})
    assert response.status_code == 428
    assert Post.objects.get().title == "Festes"


# Problems in the token owner's language


def test_problems_are_in_the_language_of_the_tokens_creator(api, base, alba, editor_token):
    alba.language = "es"
    alba.save(update_fields=["language"])
    response = create(api, base, editor_token, department=999999)
    assert response.status_code == 422
    assert response["Content-Language"] == "es"
    assert response.json()["errors"] == [
        {"field": "department", "message": "Elige un departamento de esta organización."}
    ]


# Scheduling


def _approved(api, base, editor_token, approver_token, website) -> dict:
    post = create(api, base, editor_token, channels=[website.pk]).json()
    api.post(f"{base}/posts/{post['id']}/submit", editor_token)
    approved = api.post(f"{base}/posts/{post['id']}/approve", approver_token, json={})
    assert approved.status_code == 200, approved.content
    return post


def test_a_post_is_scheduled_at_an_instant_with_its_zone(api, base, editor_token, approver_token, website):
    post = _approved(api, base, editor_token, approver_token, website)
    at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    response = api.post(f"{base}/posts/{post['id']}/schedule", editor_token, json={"at": at.isoformat()})
    assert response.status_code == 200, response.content
    assert datetime.fromisoformat(response.json()["scheduled_at"]) == at
    assert Publication.objects.filter(post_id=post["id"]).count() == 2


def test_a_local_time_the_clocks_skip_is_a_field_error_with_a_suggestion(
    api, base, editor_token, approver_token, website
):
    post = _approved(api, base, editor_token, approver_token, website)
    year = timezone.now().year + 1
    # Europe/Madrid: clocks go forward at 02:00 on the last Sunday of March.
    sunday = max(day for day in range(25, 32) if datetime(year, 3, day).weekday() == 6)
    response = api.post(
        f"{base}/posts/{post['id']}/schedule",
        editor_token,
        json={"local_time": f"{year}-03-{sunday:02d}T02:30"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "local_time"
    assert "does not exist" in problem["errors"][0]["message"]
    assert problem["suggestion"].startswith(f"{year}-03-{sunday:02d}T03:00")


def test_a_repeated_local_time_needs_a_fold(api, base, editor_token, approver_token, website):
    post = _approved(api, base, editor_token, approver_token, website)
    year = timezone.now().year + 1
    sunday = max(day for day in range(25, 32) if datetime(year, 10, day).weekday() == 6)
    local = f"{year}-10-{sunday:02d}T02:30"
    ambiguous = api.post(f"{base}/posts/{post['id']}/schedule", editor_token, json={"local_time": local})
    assert ambiguous.status_code == 422
    assert ambiguous.json()["errors"][0]["field"] == "local_time"
    assert len(ambiguous.json()["choices"]) == 2
    chosen = api.post(
        f"{base}/posts/{post['id']}/schedule", editor_token, json={"local_time": local, "fold": 1}
    )
    assert chosen.status_code == 200
    assert chosen.json()["scheduled_at"].startswith(f"{year}-10-{sunday:02d}T01:30")


def test_schedule_needs_exactly_one_time(api, base, editor_token, approver_token, website):
    post = _approved(api, base, editor_token, approver_token, website)
    response = api.post(f"{base}/posts/{post['id']}/schedule", editor_token, json={})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "at"


def test_a_post_is_withdrawn(api, base, editor_token):
    post = create(api, base, editor_token).json()
    response = api.post(f"{base}/posts/{post['id']}/withdraw", editor_token, json={"reason": "Duplicated"})
    assert response.json()["state"] == "withdrawn"


# Publications


def test_an_editor_token_decides_on_a_failed_publication(api, base, editor_token, approver_token, website):
    post = _approved(api, base, editor_token, approver_token, website)
    api.post(f"{base}/posts/{post['id']}/publish-now", editor_token)
    publication = Publication.objects.filter(post_id=post["id"]).first()
    Publication.objects.filter(pk=publication.pk).update(state=PublicationState.FAILED, last_error="Refused.")
    marked = api.post(
        f"{base}/publications/{publication.pk}/mark-sent", editor_token, json={"url": "https://example.org/1"}
    )
    assert marked.status_code == 200, marked.content
    assert marked.json()["state"] == "sent" and marked.json()["remote_url"] == "https://example.org/1"


def test_a_reader_token_cannot_decide_on_publications(
    api, base, vilanova, alba, editor_token, approver_token, website
):
    post = _approved(api, base, editor_token, approver_token, website)
    api.post(f"{base}/posts/{post['id']}/publish-now", editor_token)
    publication = Publication.objects.filter(post_id=post["id"]).first()
    reader = make_token(vilanova, alba, Role.READER)
    assert api.post(f"{base}/publications/{publication.pk}/cancel", reader).status_code == 403
