"""CRISIS-1: one action holds every scheduled publication here and below; emergencies still go."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pregonero.accounts.roles import Role
from pregonero.channels.models import Channel
from pregonero.conftest import make_organisation, make_person
from pregonero.publishing import review, rules, scheduling
from pregonero.publishing.emergency import (
    RESCHEDULE_NEW,
    RESCHEDULE_SHIFT,
    pause_organisation,
    resume_organisation,
)
from pregonero.publishing.models import Category, PublicationState
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)


def local(days: float):
    return (timezone.now() + timedelta(days=days)).replace(tzinfo=None, microsecond=0, second=0)


@pytest.fixture
def scheduled(make_post, ana, pau):
    """``scheduled(**values)``: a post of vilanova approved and scheduled in two days."""

    def make(**values):
        post = make_post(ana, **values)
        review.submit(post, actor=ana)
        review.approve(post, actor=pau)
        return scheduling.schedule(post, actor=ana, local=local(2))

    return make


def states(post) -> set[str]:
    return set(post.publications.values_list("state", flat=True))


def test_pausing_holds_every_scheduled_publication_and_lists_it(scheduled, alba, vilanova):
    post = scheduled()
    held = pause_organisation(vilanova, alba, "Inundaciones")
    assert {publication.post_id for publication in held} == {post.pk}
    assert len(held) == 2
    assert states(post) == {PublicationState.PAUSED}
    assert rules.policy_for(vilanova).paused_at is not None


def test_emergency_posts_keep_going_out(scheduled, alba, vilanova):
    emergency = scheduled(category=Category.EMERGENCY)
    pause_organisation(vilanova, alba, "Inundaciones")
    assert states(emergency) == {PublicationState.QUEUED}


def test_pausing_a_council_holds_the_towns_below_it(scheduled, diana, diputacion, vilanova):
    post = scheduled()
    held = pause_organisation(diputacion, diana, "Temporal")
    assert {publication.organisation_id for publication in held} == {vilanova.pk}
    assert states(post) == {PublicationState.PAUSED}
    assert rules.is_paused(vilanova)


def test_pausing_a_town_leaves_other_towns_alone(scheduled, oscar, altea, vilanova):
    post = scheduled()
    pause_organisation(altea, oscar, "Incendio")
    assert states(post) == {PublicationState.QUEUED}


def test_a_post_scheduled_during_the_pause_is_held(make_post, ana, pau, alba, vilanova):
    pause_organisation(vilanova, alba, "Inundaciones")
    post = make_post(ana)
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    scheduling.schedule(post, actor=ana, local=local(1))
    assert states(post) == {PublicationState.PAUSED}


def test_resuming_keeps_the_times_by_default(scheduled, alba, vilanova):
    post = scheduled()
    due = set(post.publications.values_list("due_at", flat=True))
    pause_organisation(vilanova, alba, "Inundaciones")
    resume_organisation(vilanova, alba)
    assert states(post) == {PublicationState.QUEUED}
    assert set(post.publications.values_list("due_at", flat=True)) == due
    assert rules.policy_for(vilanova).paused_at is None


def test_resuming_can_shift_by_the_pause_duration(scheduled, alba, vilanova):
    post = scheduled()
    (due,) = set(post.publications.values_list("due_at", flat=True))
    pause_organisation(vilanova, alba, "Inundaciones")
    policy = rules.policy_for(vilanova)
    policy.paused_at -= timedelta(hours=3)
    policy.save()
    resume_organisation(vilanova, alba, RESCHEDULE_SHIFT)
    (shifted,) = set(post.publications.values_list("due_at", flat=True))
    assert timedelta(hours=3) <= shifted - due < timedelta(hours=3, minutes=1)
    post.refresh_from_db()
    assert post.scheduled_at == shifted


def test_resuming_can_set_a_new_time(scheduled, alba, vilanova):
    post = scheduled()
    pause_organisation(vilanova, alba, "Inundaciones")
    new = local(5)
    resume_organisation(vilanova, alba, RESCHEDULE_NEW, new)
    expected = scheduling.local_to_utc(vilanova, new)
    assert set(post.publications.values_list("due_at", flat=True)) == {expected}


def test_a_town_paused_on_its_own_stays_paused_when_the_council_resumes(
    scheduled, alba, diana, diputacion, vilanova
):
    post = scheduled()
    pause_organisation(vilanova, alba, "Inundaciones")
    pause_organisation(diputacion, diana, "Temporal")
    resume_organisation(diputacion, diana)
    assert states(post) == {PublicationState.PAUSED}


def test_a_town_resuming_while_its_council_is_paused_stays_held_until_the_council_resumes(
    scheduled, alba, diana, diputacion, vilanova
):
    post = scheduled()
    pause_organisation(vilanova, alba, "Inundaciones")
    pause_organisation(diputacion, diana, "Temporal")
    resume_organisation(vilanova, alba)
    assert states(post) == {PublicationState.PAUSED}
    resume_organisation(diputacion, diana)
    assert states(post) == {PublicationState.QUEUED}


def test_only_admins_press_the_switch(vilanova, pau, ana):
    for person in (pau, ana):
        with pytest.raises(PermissionDenied):
            pause_organisation(vilanova, person, "No")


def test_pausing_twice_or_resuming_without_a_pause_is_refused(vilanova, alba):
    with pytest.raises(ValidationError):
        resume_organisation(vilanova, alba)
    pause_organisation(vilanova, alba, "Inundaciones")
    with pytest.raises(ValidationError):
        pause_organisation(vilanova, alba, "Otra vez")


def test_the_pause_is_recorded_in_the_chains_of_the_towns_it_held(scheduled, diana, diputacion, vilanova):
    from pregonero.audit.models import AuditEntry

    scheduled()
    pause_organisation(diputacion, diana, "Temporal")
    assert AuditEntry.objects.filter(organisation=diputacion, action="publishing.paused").exists()
    assert AuditEntry.objects.filter(organisation=vilanova, action="publishing.paused").exists()


def test_the_emergency_page_pauses_and_shows_what_is_held(client_for, scheduled, alba, vilanova):
    post = scheduled()
    url = reverse("publishing:emergency", args=[vilanova.slug])
    response = client_for(alba).post(url, {"reason": "Inundaciones"}, follow=True)
    assert response.status_code == 200
    assert post.title.encode() in response.content
    response = client_for(alba).post(url, {"reschedule": "keep"})
    assert response.status_code == 302
    assert states(post) == {PublicationState.QUEUED}


def test_the_emergency_page_is_for_admins_only(client_for, pau, vilanova):
    assert client_for(pau).get(reverse("publishing:emergency", args=[vilanova.slug])).status_code == 403


def test_an_admin_of_a_sub_organisation_sees_the_council_pause(client_for, diana, diputacion):
    town = make_organisation("poble", "Poble", parent=diputacion)
    admin = make_person("admin@poble.example", "Admin Poble", town, Role.ADMIN)
    Channel.objects.create(organisation=town, connector="test_threads", name="Fil")
    pause_organisation(diputacion, diana, "Temporal")
    response = client_for(admin).get(reverse("publishing:emergency", args=[town.slug]))
    assert b"An organisation above this one has paused publishing" in response.content
