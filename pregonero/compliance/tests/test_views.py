"""The compliance screens: who may open them, and what they do with a form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from pregonero.checks.engine import RULE_IDS
from pregonero.compliance import rulesettings
from pregonero.compliance.models import Election, ElectionReview, ReviewStatus
from pregonero.compliance.tests.factories import (  # noqa: F401 (fixtures)
    enter,
    published_post,
    schedule_post_fixture,
    states,
    today,
)
from pregonero.publishing.models import PostState, PublicationState
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)

CALL = date(2027, 4, 6)
ADMIN_PAGES = ["compliance:elections", "compliance:election_new", "compliance:settings"]
APPROVER_PAGES = ["compliance:overview", "compliance:review"]


def url(name: str, organisation, *args) -> str:
    return reverse(name, args=[organisation.slug, *args])


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_open_for_admins_of_the_organisation_or_above(client_for, alba, diana, vilanova, name):
    assert client_for(alba).get(url(name, vilanova)).status_code == 200
    assert client_for(diana).get(url(name, vilanova)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("persona", ["pau", "vera"])
def test_admin_pages_refuse_other_members(request, client_for, vilanova, name, persona):
    response = client_for(request.getfixturevalue(persona)).get(url(name, vilanova))
    assert response.status_code == 403


@pytest.mark.parametrize("name", APPROVER_PAGES)
def test_approver_pages_open_for_approvers_not_editors_or_readers(client_for, pau, ana, vera, vilanova, name):
    assert client_for(pau).get(url(name, vilanova)).status_code == 200
    assert client_for(ana).get(url(name, vilanova)).status_code == 403
    assert client_for(vera).get(url(name, vilanova)).status_code == 403


@pytest.mark.parametrize("name", ADMIN_PAGES + APPROVER_PAGES)
def test_an_outsider_gets_404(client_for, oscar, vilanova, name):
    assert client_for(oscar).get(url(name, vilanova)).status_code == 404


def test_the_navigation_links_the_screens_for_approvers_only(client_for, pau, vera, vilanova):
    link = f'href="{url("compliance:overview", vilanova)}"'
    assert link in client_for(pau).get(url("core:dashboard", vilanova)).content.decode()
    assert link not in client_for(vera).get(url("core:dashboard", vilanova)).content.decode()


def test_an_admin_enters_an_election_and_sees_its_windows(client_for, alba, vilanova):
    response = client_for(alba).post(
        url("compliance:election_new", vilanova),
        {"name": "Locales 2027", "kind": "local", "region": "", "municipalities": "", "call_date": CALL},
        follow=True,
    )
    election = Election.objects.get()
    assert (election.organisation, election.created_by, election.opens_on) == (vilanova, alba, CALL)
    page = response.content.decode()
    assert "Locales 2027" in page
    assert "The election has been added." in page
    # Campaign from day 38 to day 52 after the call.
    assert response.context["rows"][0]["windows"].campaign_start == CALL + timedelta(days=38)


def test_contradictory_dates_are_shown_on_the_field(client_for, alba, vilanova):
    response = client_for(alba).post(
        url("compliance:election_new", vilanova),
        {"name": "Mal", "kind": "general", "call_date": CALL, "election_date": CALL + timedelta(days=50)},
    )
    assert response.status_code == 200
    assert "LOREG art. 42" in str(response.context["form"].errors["election_date"])
    assert not Election.objects.exists()


def test_entering_an_open_election_says_how_many_posts_it_held(client_for, schedule_post, alba, vilanova):
    schedule_post(2)
    response = client_for(alba).post(
        url("compliance:election_new", vilanova),
        {"name": "Generales", "kind": "general", "call_date": today(vilanova)},
        follow=True,
    )
    assert "1 scheduled post is held for review" in response.content.decode()


def test_an_election_entered_above_is_listed_but_not_editable_below(
    client_for, diana, alba, diputacion, vilanova
):
    election = enter(diputacion, diana, call_date=CALL)
    client = client_for(alba)
    page = client.get(url("compliance:elections", vilanova)).content.decode()
    assert "Diputació de València" in page
    assert url("compliance:election_edit", vilanova, election.pk) not in page
    assert client.get(url("compliance:election_edit", vilanova, election.pk)).status_code == 404
    assert client.post(url("compliance:election_delete", vilanova, election.pk)).status_code == 404


def test_an_admin_changes_and_deletes_an_election(client_for, alba, vilanova):
    election = enter(vilanova, alba, call_date=CALL)
    client = client_for(alba)
    response = client.post(
        url("compliance:election_edit", vilanova, election.pk),
        {"name": "Generales 2027", "kind": "general", "election_date": CALL + timedelta(days=54)},
    )
    assert response.status_code == 302
    election.refresh_from_db()
    assert (election.name, election.election_date) == ("Generales 2027", CALL + timedelta(days=54))
    assert client.get(url("compliance:election_delete", vilanova, election.pk)).status_code == 200
    client.post(url("compliance:election_delete", vilanova, election.pk))
    assert not Election.objects.exists()


def settings_form(client, organisation) -> dict:
    """The settings form as the page fills it, ready to be posted back."""
    form = client.get(url("compliance:settings", organisation)).context["form"]
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, list):
            value = "\n".join(value)
        if value is False or value is None:
            continue
        data[name] = "on" if value is True else value
    return data


def test_the_settings_page_lists_every_rule_with_its_source(client_for, alba, vilanova):
    page = client_for(alba).get(url("compliance:settings", vilanova)).content.decode()
    for rule in RULE_IDS:
        assert f'<th scope="row">{rule}</th>' in page
    assert "Ley 29/2005 art. 4.2" in page


def test_saving_the_settings_form_makes_a_version_shown_in_the_history(client_for, alba, vilanova):
    client = client_for(alba)
    data = settings_form(client, vilanova)
    del data["enabled_a11y_6"]
    data.update(severity_neut_1="block", party_terms="PSPV\nCompromís", note="Campaña 2027")
    response = client.post(url("compliance:settings", vilanova), data, follow=True)
    version = rulesettings.latest_version(vilanova)
    assert (version.number, version.disabled, version.severity) == (1, ["A11Y-6"], {"NEUT-1": "block"})
    assert version.party_terms == ["PSPV", "Compromís"]
    page = response.content.decode()
    assert "Version 1 of the rule settings is in force." in page
    assert "Campaña 2027" in page


def test_a_stale_settings_form_is_refused_with_a_message(client_for, alba, diana, vilanova):
    stale = settings_form(client_for(alba), vilanova)
    rulesettings.save_version(
        vilanova, actor=diana, values={**rulesettings.default_values(), "max_emoji": 1}, based_on=None
    )
    response = client_for(alba).post(url("compliance:settings", vilanova), {**stale, "max_emoji": 2})
    assert response.status_code == 200
    assert "meanwhile" in str(response.context["form"].non_field_errors())
    assert rulesettings.latest_version(vilanova).number == 1


def test_an_admin_applies_a_profile(client_for, alba, vilanova):
    response = client_for(alba).post(
        url("compliance:apply_profile", vilanova), {"profile": "catalunya", "based_on": ""}, follow=True
    )
    assert "Version 1 of the rule settings is in force." in response.content.decode()
    assert "ERC" in rulesettings.latest_version(vilanova).party_terms


def test_applying_a_profile_answers_only_to_post(client_for, alba, oscar, vilanova):
    assert client_for(alba).get(url("compliance:apply_profile", vilanova)).status_code == 405
    assert (
        client_for(oscar)
        .post(url("compliance:apply_profile", vilanova), {"profile": "catalunya"})
        .status_code
        == 404
    )


def test_an_approver_releases_a_held_post_from_the_review(client_for, schedule_post, alba, pau, vilanova):
    post = schedule_post(2)
    enter(vilanova, alba, call_date=today(vilanova))
    review = ElectionReview.objects.get()
    client = client_for(pau)
    page = client.get(url("compliance:review", vilanova)).content.decode()
    assert post.title in page
    response = client.post(
        url("compliance:review_decide", vilanova, review.pk),
        {f"review-{review.pk}-decision": "release", f"review-{review.pk}-note": "Servicio"},
    )
    assert response.status_code == 302
    assert states(post) == {PublicationState.QUEUED}


def test_a_refused_release_shows_why_next_to_the_post(client_for, schedule_post, alba, pau, vilanova):
    post = schedule_post(
        2, texts={"es": "Hemos finalizado las obras del parque.", "ca": "Hem finalitzat les obres."}
    )
    enter(vilanova, alba, call_date=today(vilanova))
    review = ElectionReview.objects.get()
    response = client_for(pau).post(
        url("compliance:review_decide", vilanova, review.pk), {f"review-{review.pk}-decision": "release"}
    )
    assert response.status_code == 200
    assert "ELEC-2" in response.content.decode()
    assert states(post) == {PublicationState.PAUSED}


def test_keeping_a_published_post_needs_a_note(client_for, alba, pau, ana, vilanova, threads):
    published_post(vilanova, ana, threads, "Hemos finalizado las obras del parque.")
    enter(vilanova, alba, call_date=today(vilanova))
    review = ElectionReview.objects.get()
    client = client_for(pau)
    response = client.post(
        url("compliance:review_decide", vilanova, review.pk), {f"review-{review.pk}-decision": "kept"}
    )
    assert "Say why the post may stay online" in response.content.decode()
    client.post(
        url("compliance:review_decide", vilanova, review.pk),
        {
            f"review-{review.pk}-decision": "kept",
            f"review-{review.pk}-note": "Vídeo informativo, no de logros",
        },
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.KEPT


def test_an_approver_withdraws_a_held_post(client_for, schedule_post, alba, pau, vilanova):
    post = schedule_post(2)
    enter(vilanova, alba, call_date=today(vilanova))
    review = ElectionReview.objects.get()
    client_for(pau).post(
        url("compliance:review_decide", vilanova, review.pk), {f"review-{review.pk}-decision": "withdraw"}
    )
    post.refresh_from_db()
    assert post.state == PostState.WITHDRAWN


def test_a_review_of_another_town_is_404(client_for, schedule_post, alba, oscar, altea, vilanova):
    schedule_post(2)
    enter(vilanova, alba, call_date=today(vilanova))
    review = ElectionReview.objects.get()
    response = client_for(oscar).post(
        url("compliance:review_decide", altea, review.pk), {f"review-{review.pk}-decision": "release"}
    )
    assert response.status_code == 404
    assert ElectionReview.objects.get().status == ReviewStatus.PENDING
