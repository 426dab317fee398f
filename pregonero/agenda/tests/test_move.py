"""Moving a post from the calendar: through publishing's scheduling, with its rules and audit."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from pregonero.agenda.tests.conftest import AUTUMN, MADRID, NEXT_YEAR, SPRING, at
from pregonero.audit.models import AuditEntry
from pregonero.publishing.models import PostState

pytestmark = pytest.mark.django_db


def move(client, post, day: date, clock: str, **extra):
    url = reverse("agenda:move", args=[post.organisation.slug, post.pk])
    return client.post(url, {"date": day.isoformat(), "time": clock, **extra})


def test_moving_a_scheduled_post_moves_its_publications(client_for, ana, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    response = move(client_for(ana), post, date(NEXT_YEAR, 6, 18), "09:15")
    assert response.status_code == 302
    post.refresh_from_db()
    expected = at(date(NEXT_YEAR, 6, 18), 9, 15).replace(tzinfo=MADRID)
    assert post.scheduled_at == expected
    assert post.state == PostState.SCHEDULED
    assert {publication.due_at for publication in post.publications.all()} == {expected}
    assert AuditEntry.objects.filter(action="post.scheduled", object_id=str(post.pk)).count() == 2


def test_moving_a_draft_plans_its_time_and_keeps_it_a_draft(client_for, ana, make_post):
    post = make_post(ana)
    move(client_for(ana), post, date(NEXT_YEAR, 7, 1), "12:00")
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    assert post.scheduled_at == at(date(NEXT_YEAR, 7, 1), 12).replace(tzinfo=MADRID)
    assert not post.publications.exists()
    entry = AuditEntry.objects.get(action="post.planned", object_id=str(post.pk))
    assert entry.actor == ana


def test_a_time_in_the_spring_gap_is_refused_on_the_time_field(client_for, ana, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    response = move(client_for(ana), post, SPRING, "02:30")
    assert response.status_code == 200
    assert "does not exist" in " ".join(response.context["form"].errors["time"])
    post.refresh_from_db()
    assert post.scheduled_at.astimezone(MADRID).date() == date(NEXT_YEAR, 6, 15)


def test_a_repeated_autumn_time_asks_which_one_then_takes_the_second(client_for, ana, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    client = client_for(ana)
    asked = move(client, post, AUTUMN, "02:30")
    assert asked.status_code == 200
    assert asked.context["form"].asks_fold
    assert "happens twice" in " ".join(asked.context["form"].errors["fold"])
    assert move(client, post, AUTUMN, "02:30", fold="1").status_code == 302
    post.refresh_from_db()
    assert post.scheduled_at.astimezone(MADRID).utcoffset() == timedelta(hours=1)


def test_a_past_time_is_refused(client_for, ana, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    response = move(client_for(ana), post, date(2000, 1, 3), "10:00")
    assert "already passed" in " ".join(response.context["form"].errors["time"])


def test_a_published_post_cannot_be_moved(client_for, ana, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    post.state = PostState.PUBLISHED
    post.save()
    response = move(client_for(ana), post, date(NEXT_YEAR, 6, 20), "10:00")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


@pytest.mark.parametrize("persona", ["vera", "carles"])
def test_readers_and_contributors_cannot_move(request, client_for, scheduled, persona):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    response = move(client_for(request.getfixturevalue(persona)), post, date(NEXT_YEAR, 6, 20), "10:00")
    assert response.status_code == 403


def test_an_outsider_gets_404(client_for, oscar, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    assert move(client_for(oscar), post, date(NEXT_YEAR, 6, 20), "10:00").status_code == 404


def test_after_moving_the_person_returns_to_the_calendar_page_they_came_from(client_for, ana, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    back = reverse("agenda:week", args=[post.organisation.slug]) + f"?date={NEXT_YEAR}-06-15"
    response = move(client_for(ana), post, date(NEXT_YEAR, 6, 16), "10:00", next=back)
    assert response["Location"] == back


def test_a_foreign_next_address_is_ignored(client_for, ana, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    response = move(client_for(ana), post, date(NEXT_YEAR, 6, 16), "10:00", next="https://evil.example/")
    assert response["Location"].startswith(reverse("agenda:month", args=[post.organisation.slug]))
