"""The checks in the composer and on the post, the gate on submit, approve, schedule and publish
now, and overrides: who may ask, the reason, four eyes on election rules, the audit log."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pregonero.audit.models import AuditEntry
from pregonero.compliance import overrides, preflight
from pregonero.compliance.tests.elections_now import (  # noqa: F401 (fixture)
    BEFORE_THE_PERIOD,
    CAMPAIGN_DAY,
    hold_election_fixture,
    in_days,
    local_field,
)
from pregonero.publishing import review, scheduling
from pregonero.publishing.models import CheckOverride, Media, PostState, PostText
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    plain_fixture,
    threads_fixture,
)
from pregonero.publishing.tests.fakes import PNG

ACHIEVEMENT = "Gracias a la inversión de 2 millones, hemos finalizado las obras."
VALENCIAN = "Dimarts es talla l'aigua a la plaça Major."
VALID_DNI = "12345678Z"
WRONG_DNI = "12345678A"


def url(name: str, post, *args) -> str:
    return reverse(f"publishing:{name}", args=[post.organisation.slug, post.pk, *args])


def said(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def issue_of(post, rule: str, when=None) -> preflight.Issue:
    return next(i for i in preflight.report_for_post(post, when=when).issues if i.rule == rule)


def approved(post, author, approver):
    review.submit(post, actor=author)
    return review.approve(post, actor=approver)


# The findings panel


def test_the_live_preview_lists_findings_with_source_and_marks_the_words(client_for, ana, vilanova, threads):
    response = client_for(ana).post(
        reverse("publishing:preview", args=[vilanova.slug]),
        {"category": "service", "channels": [threads.pk], "text_es": f"Su DNI {VALID_DNI}.", "text_ca": ""},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="findings-list" hx-swap-oob="innerHTML"' in content
    assert "Blocks publication" in content
    assert "DATA-1" in content
    assert "RGPD art. 5.1.c" in content
    assert f"<q>{VALID_DNI}</q>" in content
    assert f"<mark>{VALID_DNI}</mark>" in content


def test_the_live_preview_of_a_saved_post_checks_its_media(client_for, make_post, ana, vilanova):
    post = make_post(ana)
    Media.objects.create(
        organisation=vilanova,
        post=post,
        file=SimpleUploadedFile("foto.png", PNG),
        kind="image",
        mime="image/png",
        uploaded_by=ana,
    )
    response = client_for(ana).post(
        url("preview_saved", post),
        {"category": "service", "text_es": "Corte de agua.", "text_ca": "Tall d'aigua."},
        HTTP_HX_REQUEST="true",
    )
    assert "A11Y-1" in response.content.decode()


@pytest.mark.parametrize(("person", "status"), [("oscar", 404), ("vera", 403)])
def test_the_live_preview_of_a_saved_post_is_for_its_writers(
    client_for, make_post, ana, request, person, status
):
    post = make_post(ana)
    response = client_for(request.getfixturevalue(person)).post(url("preview_saved", post), {})
    assert response.status_code == status


def test_the_composer_shows_the_saved_posts_findings_without_javascript(client_for, make_post, ana):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    content = client_for(ana).get(url("edit", post)).content.decode()
    assert '<div id="findings-list" aria-live="polite">' in content
    assert "DATA-1" in content
    assert f"<mark>{VALID_DNI}</mark>" in content


def test_the_post_page_lists_blocks_beside_the_actions_and_marks_the_texts(client_for, make_post, ana):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    content = client_for(ana).get(url("detail", post)).content.decode()
    assert "The checks block this post" in content
    assert '<a href="#finding-1">DATA-1</a>' in content
    assert f"<mark>{VALID_DNI}</mark>" in content


# The gate


def test_submitting_with_a_valid_dni_is_refused_listing_the_finding(client_for, make_post, ana):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    response = client_for(ana).post(url("submit", post))
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    assert "DATA-1" in said(response)
    assert "RGPD art. 5.1.c" in said(response)


def test_a_dni_with_a_wrong_letter_does_not_block(client_for, make_post, ana):
    post = make_post(ana, texts={"es": f"Expediente {WRONG_DNI}.", "ca": VALENCIAN})
    client_for(ana).post(url("submit", post))
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW


def test_scheduling_inside_the_campaign_is_refused_citing_the_article(
    client_for, make_post, ana, pau, hold_election
):
    hold_election()
    post = approved(make_post(ana, texts={"es": ACHIEVEMENT, "ca": VALENCIAN}), ana, pau)
    response = client_for(ana).post(
        url("schedule", post), {"when": local_field(post.organisation, in_days(CAMPAIGN_DAY))}
    )
    content = response.content.decode()
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    assert response.status_code == 200
    assert "ELEC-2" in content
    assert "LOREG art. 50.2" in content
    assert "Checks at this time" in content


def test_scheduling_before_the_period_goes_out_with_a_neutrality_warning(
    client_for, make_post, ana, pau, hold_election
):
    hold_election()
    post = approved(make_post(ana, texts={"es": ACHIEVEMENT, "ca": VALENCIAN}), ana, pau)
    client = client_for(ana)
    client.post(url("schedule", post), {"when": local_field(post.organisation, in_days(BEFORE_THE_PERIOD))})
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    content = client.get(url("detail", post)).content.decode()
    assert "NEUT-1" in content
    assert "Ley 29/2005 art. 4.1.a" in content
    assert "ELEC-2" not in content


def test_approving_checks_the_post_again_at_its_planned_time(make_post, ana, pau, hold_election):
    hold_election()
    post = make_post(ana, texts={"es": ACHIEVEMENT, "ca": VALENCIAN})
    review.submit(post, actor=ana)
    post.scheduled_at = in_days(CAMPAIGN_DAY)
    post.save(update_fields=["scheduled_at"])
    with pytest.raises(review.ValidationError, match="ELEC-2"):
        review.approve(post, actor=pau)


def test_publish_now_is_refused_while_a_block_remains(client_for, make_post, ana, pau, hold_election):
    post = approved(make_post(ana, texts={"es": ACHIEVEMENT, "ca": VALENCIAN}), ana, pau)
    hold_election(days_to_vote=10)  # an election entered after approval: now is its campaign
    response = client_for(ana).post(url("publish_now", post))
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    assert not post.publications.exists()
    assert "ELEC-2" in said(response)


# Overrides


@pytest.mark.parametrize(("person", "status"), [("oscar", 404), ("carles", 403), ("ana", 403), ("vera", 403)])
def test_only_approvers_and_admins_of_the_town_may_override(
    client_for, make_post, ana, request, person, status
):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    fingerprint = issue_of(post, "DATA-1").fingerprint
    response = client_for(request.getfixturevalue(person)).post(
        url("override", post), {"fingerprint": fingerprint, "reason": "Lo dice el BOE."}
    )
    assert response.status_code == status
    assert not CheckOverride.objects.exists()


def test_a_contributor_is_refused_by_the_service_too(make_post, carles):
    post = make_post(carles, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    with pytest.raises(PermissionDenied):
        overrides.request_override(
            post, actor=carles, fingerprint=issue_of(post, "DATA-1").fingerprint, reason="Urgente."
        )


def test_an_approver_overrides_a_block_with_a_reason_and_the_post_goes_on(client_for, make_post, ana, pau):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    fingerprint = issue_of(post, "DATA-1").fingerprint
    response = client_for(pau).post(
        url("override", post), {"fingerprint": fingerprint, "reason": "Publicación ordenada por el BOE."}
    )
    assert response["Location"] == url("detail", post)
    override = CheckOverride.objects.get()
    assert (override.rule, override.requested_by, override.in_force) == ("DATA-1", pau, True)
    entry = AuditEntry.objects.get(action="post.check_override_requested")
    assert entry.actor == pau
    assert entry.details["reason"] == "Publicación ordenada por el BOE."
    review.submit(post, actor=ana)
    assert post.state == PostState.IN_REVIEW


def test_an_override_needs_a_written_reason(client_for, make_post, ana, pau):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    response = client_for(pau).post(
        url("override", post), {"fingerprint": issue_of(post, "DATA-1").fingerprint, "reason": "  "}
    )
    assert "Write why this post may go out" in said(response)
    assert not CheckOverride.objects.exists()


def test_an_election_override_counts_once_a_second_approver_confirms(
    client_for, make_post, alba, pau, diana, hold_election
):
    hold_election()
    post = approved(make_post(alba, texts={"es": ACHIEVEMENT, "ca": VALENCIAN}), alba, pau)
    when = in_days(CAMPAIGN_DAY)
    local = scheduling.post_time_in(post.organisation, when).replace(tzinfo=None)
    blocks = [i for i in preflight.report_for_post(post, when=when).blocking() if i.rule == "ELEC-2"]
    client = client_for(pau)
    for issue in blocks:
        response = client.post(
            url("override", post),
            {
                "fingerprint": issue.fingerprint,
                "reason": "Aviso de servicio.",
                "when": when.isoformat(),
                "back": "schedule",
            },
        )
    assert response["Location"] == url("schedule", post) + "?when=" + local_field(post.organisation, when)
    assert "a second approver confirms" in said(response)
    with pytest.raises(review.ValidationError, match="ELEC-2"):
        scheduling.schedule(post, actor=pau, local=local)

    override = CheckOverride.objects.first()
    for person, refusal in ((pau, "other than the person who asked"), (alba, "author of the post")):
        response = client_for(person).post(url("override_confirm", post, override.pk), {"confirm": "on"})
        assert refusal in said(response)
    for override in CheckOverride.objects.all():
        client_for(diana).post(url("override_confirm", post, override.pk), {"confirm": "on"})
    assert all(o.confirmed_by == diana for o in CheckOverride.objects.all())
    assert AuditEntry.objects.filter(action="post.check_override_confirmed", actor=diana).count() == len(
        blocks
    )
    scheduling.schedule(post, actor=pau, local=local)
    assert post.state == PostState.SCHEDULED


def test_the_second_approver_sees_what_to_confirm_and_the_asker_does_not(
    client_for, make_post, ana, pau, alba, hold_election
):
    hold_election()
    post = make_post(ana, texts={"es": ACHIEVEMENT, "ca": VALENCIAN})
    when = in_days(CAMPAIGN_DAY)
    issue = next(i for i in preflight.report_for_post(post, when=when).blocking() if i.rule == "ELEC-2")
    overrides.request_override(post, actor=pau, fingerprint=issue.fingerprint, reason="Servicio.", when=when)
    assert "Confirm the override" in client_for(alba).get(url("detail", post)).content.decode()
    assert "Confirm the override" not in client_for(pau).get(url("detail", post)).content.decode()


def test_an_edit_of_the_text_leaves_the_override_behind(make_post, ana, pau):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    overrides.request_override(
        post, actor=pau, fingerprint=issue_of(post, "DATA-1").fingerprint, reason="Orden judicial."
    )
    assert preflight.report_for_post(post).refusals() == []
    PostText.objects.filter(post=post, language="es").update(body=f"Su DNI es {VALID_DNI}.")
    assert any("DATA-1" in refusal for refusal in preflight.report_for_post(post).refusals())


def test_a_finding_that_is_not_there_or_cannot_be_overridden_is_refused(make_post, ana, pau):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    with pytest.raises(review.ValidationError, match="no longer applies"):
        overrides.request_override(post, actor=pau, fingerprint="0" * 64, reason="Porque sí.")
    PostText.objects.filter(post=post, language="ca").update(machine_translated=True)
    with pytest.raises(review.ValidationError, match="LANG-3 cannot be overridden"):
        overrides.request_override(
            post, actor=pau, fingerprint=issue_of(post, "LANG-3").fingerprint, reason="Ya lo leí."
        )
    assert not CheckOverride.objects.exists()


def test_an_override_of_another_towns_post_is_not_found(client_for, make_post, ana, pau, oscar, altea):
    post = make_post(ana, texts={"es": f"Su DNI {VALID_DNI}.", "ca": VALENCIAN})
    override = overrides.request_override(
        post, actor=pau, fingerprint=issue_of(post, "DATA-1").fingerprint, reason="Orden judicial."
    )
    confirm = url("override_confirm", post, override.pk)
    assert client_for(oscar).post(confirm, {"confirm": "on"}).status_code == 404
    elsewhere = reverse("publishing:override_confirm", args=[altea.slug, post.pk, override.pk])
    assert client_for(oscar).post(elsewhere, {"confirm": "on"}).status_code == 404
