"""Writing, history, review and scheduling of posts, as business actions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.publishing import media, review, rules, scheduling, services
from pregonero.publishing.models import ApprovalRule, Category, PostState, PublicationState
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    plain_fixture,
    threads_fixture,
)
from pregonero.publishing.tests.fakes import MP4, PNG

LONG = "El lunes se corta el agua en el centro. " * 3


def content(post, **changes) -> dict:
    values = {
        "title": post.title,
        "department": post.department,
        "category": post.category,
        "tags": post.tags,
        "channels": list(post.channels.all()),
        "texts": dict(post.texts.values_list("language", "body")),
    }
    return {**values, **changes}


def edit(post, actor, revision=None, **changes):
    revision = post.revision if revision is None else revision
    return services.save_post(post, actor=actor, revision=revision, **content(post, **changes))


def actions(post) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="publishing.post", object_id=str(post.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_new_post_has_a_first_revision_and_one_variant_per_language(make_post, ana, threads):
    post = make_post(ana)
    assert post.state == PostState.DRAFT
    assert post.revisions.get().number == 1
    assert sorted(post.variants.values_list("language", flat=True)) == ["ca", "es"]
    assert actions(post) == ["post.created"]


def test_each_save_adds_a_revision_with_who_and_what(make_post, ana, pau):
    post = make_post(ana)
    edit(post, pau, texts={"es": "Corte de agua el martes.", "ca": "Tall d'aigua dimarts."})
    latest = post.revisions.first()
    assert (latest.number, latest.author, latest.autosave) == (2, pau, False)
    assert latest.snapshot["texts"]["es"] == "Corte de agua el martes."
    assert actions(post) == ["post.created", "post.saved"]


def test_a_stale_form_is_refused_and_shows_the_version_saved_meanwhile(make_post, ana, pau):
    post = make_post(ana)
    opened = post.revision
    edit(post, pau, texts={"es": "Versión de Pau.", "ca": "Versió d'en Pau."})
    with pytest.raises(services.StaleEdit) as raised:
        edit(post, ana, revision=opened, texts={"es": "Versión de Ana.", "ca": "Versió de l'Ana."})
    assert raised.value.current["texts"]["es"] == "Versión de Pau."
    assert raised.value.by == pau
    post.refresh_from_db()
    assert post.texts.get(language="es").body == "Versión de Pau."


def test_an_autosave_keeps_the_state_and_marks_the_revision(make_post, ana, pau):
    post = make_post(ana)
    review.submit(post, actor=ana)
    services.save_post(post, actor=ana, revision=post.revision, autosave=True, **content(post, title="Nuevo"))
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW
    assert post.revisions.first().autosave


def test_an_autosave_without_changes_adds_no_revision(make_post, ana):
    post = make_post(ana)
    services.save_post(post, actor=ana, revision=post.revision, autosave=True, **content(post))
    assert post.revisions.count() == 1
    assert post.revision == 1


def test_saving_an_approved_post_sends_it_back_to_draft(make_post, ana, pau):
    post = make_post(ana)
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    edit(post, ana, title="Otro título")
    assert post.state == PostState.DRAFT
    assert post.approved_by is None


def test_edited_variants_survive_regeneration(make_post, ana):
    post = make_post(ana)
    variant = post.variants.get(language="es")
    services.edit_variant(variant, actor=ana, body="Texto propio para Fil.")
    edit(post, ana, texts={"es": "Texto nuevo.", "ca": "Text nou."})
    variant.refresh_from_db()
    assert variant.parts == ["Texto propio para Fil."]
    assert post.variants.get(language="ca").parts == ["Text nou."]


def test_a_long_text_is_split_into_a_thread_variant(make_post, ana):
    post = make_post(ana, texts={"es": LONG, "ca": "Curt."})
    assert len(post.variants.get(language="es").parts) > 1


def test_a_contributor_writes_only_for_their_departments(make_post, carles, ana, vilanova):
    other = make_post(ana, department=None)
    with pytest.raises(PermissionDenied):
        edit(other, carles, title="No")
    with pytest.raises(ValidationError):
        services.create_post(vilanova, actor=carles, department=None, texts={"es": "Hola"})
    assert make_post(carles).author == carles


def test_a_reader_cannot_write(vera, vilanova):
    with pytest.raises(PermissionDenied):
        services.create_post(vilanova, actor=vera, texts={"es": "Hola"})


def test_submitting_without_every_official_language_is_refused(make_post, ana):
    post = make_post(ana, texts={"es": "Solo en castellano."})
    with pytest.raises(ValidationError) as raised:
        review.submit(post, actor=ana)
    assert any("LANG-1" in message for message in raised.value.messages)
    assert post.state == PostState.DRAFT


def test_submitting_a_text_that_does_not_fit_a_channel_without_threads_is_refused(make_post, ana, plain):
    post = make_post(ana, channels=[plain], texts={"es": LONG, "ca": "Curt."})
    with pytest.raises(ValidationError, match="no threads"):
        review.submit(post, actor=ana)


def png(name="cartel.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_an_image_without_description_blocks_submission(make_post, ana):
    post = make_post(ana)
    media.add_media(post, actor=ana, file=png())
    with pytest.raises(ValidationError) as raised:
        review.submit(post, actor=ana)
    assert any("A11Y-1" in message for message in raised.value.messages)


def test_a_described_image_lets_the_post_go_to_review(make_post, ana):
    post = make_post(ana)
    media.add_media(post, actor=ana, file=png(), description="Cartel del corte de agua.")
    review.submit(post, actor=ana)
    assert post.state == PostState.IN_REVIEW


def test_a_video_needs_captions_before_submission(make_post, ana, plain):
    post = make_post(ana, channels=[plain])
    media.add_media(post, actor=ana, file=SimpleUploadedFile("v.mp4", MP4, content_type="video/mp4"))
    with pytest.raises(ValidationError, match="A11Y-2"):
        review.submit(post, actor=ana)


def test_images_of_minors_need_recorded_consent(make_post, ana):
    post = make_post(ana)
    with pytest.raises(ValidationError, match="DATA-3"):
        media.add_media(post, actor=ana, file=png(), description="Niños", shows_minors=True)
    media.add_media(
        post, actor=ana, file=png(), description="Niños", shows_minors=True, consent_recorded=True
    )


def test_a_file_too_large_or_of_the_wrong_type_for_a_channel_is_refused(make_post, ana):
    post = make_post(ana)
    with pytest.raises(ValidationError, match="too large"):
        media.add_media(post, actor=ana, file=SimpleUploadedFile("big.png", PNG + b"\x00" * 2000))
    with pytest.raises(ValidationError, match="does not publish"):
        media.add_media(post, actor=ana, file=SimpleUploadedFile("v.mp4", MP4))
    with pytest.raises(ValidationError, match="Upload a JPEG"):
        media.add_media(post, actor=ana, file=SimpleUploadedFile("x.png", b"not an image"))


def test_the_author_cannot_approve_their_own_post(make_post, pau):
    post = make_post(pau)
    review.submit(post, actor=pau)
    with pytest.raises(ValidationError, match="four eyes"):
        review.approve(post, actor=pau)


def test_without_four_eyes_the_author_may_approve(make_post, pau, vilanova):
    policy = rules.policy_for(vilanova)
    policy.four_eyes = False
    policy.save()
    post = make_post(pau)
    review.submit(post, actor=pau)
    assert review.approve(post, actor=pau).state == PostState.APPROVED


def test_an_editor_cannot_approve(make_post, carles, ana):
    post = make_post(carles)
    review.submit(post, actor=carles)
    with pytest.raises(PermissionDenied):
        review.approve(post, actor=ana)


def test_rejecting_needs_a_comment_and_the_author_can_fix_and_resubmit(make_post, carles, pau):
    post = make_post(carles)
    review.submit(post, actor=carles)
    with pytest.raises(ValidationError):
        review.reject(post, actor=pau, comment=" ")
    review.reject(post, actor=pau, comment="Falta la hora.")
    assert (post.state, post.review_comment) == (PostState.REJECTED, "Falta la hora.")
    edit(post, carles, texts={"es": "Corte de agua el lunes a las 9.", "ca": "Tall d'aigua dilluns a les 9."})
    review.submit(post, actor=carles)
    assert post.state == PostState.IN_REVIEW


def test_without_required_approval_a_submitted_post_is_approved_at_once(make_post, ana, vilanova):
    policy = rules.policy_for(vilanova)
    policy.approval = ApprovalRule.NONE
    policy.save()
    post = make_post(ana)
    assert review.submit(post, actor=ana).state == PostState.APPROVED


def test_approval_can_be_required_for_some_categories_only(make_post, ana, vilanova):
    policy = rules.policy_for(vilanova)
    policy.approval, policy.approval_categories = ApprovalRule.CATEGORIES, [Category.CAMPAIGN]
    policy.save()
    assert review.submit(make_post(ana), actor=ana).state == PostState.APPROVED
    campaign = make_post(ana, category=Category.CAMPAIGN)
    assert review.submit(campaign, actor=ana).state == PostState.IN_REVIEW


def test_approval_can_be_required_for_some_channels(make_post, ana, vilanova, threads):
    policy = rules.policy_for(vilanova)
    policy.approval = ApprovalRule.NONE
    policy.save()
    policy.approval_channels.set([threads])
    assert review.submit(make_post(ana), actor=ana).state == PostState.IN_REVIEW


@pytest.fixture
def approved(make_post, ana, pau):
    post = make_post(ana)
    review.submit(post, actor=ana)
    return review.approve(post, actor=pau)


def test_scheduling_creates_one_queued_publication_per_variant(approved, ana):
    when = (timezone.now() + timedelta(days=2)).replace(tzinfo=None, microsecond=0)
    scheduling.schedule(approved, actor=ana, local=when)
    assert approved.state == PostState.SCHEDULED
    assert approved.publications.count() == approved.variants.count() == 2
    assert set(approved.publications.values_list("state", flat=True)) == {PublicationState.QUEUED}


def test_rescheduling_moves_the_waiting_publications(approved, ana):
    scheduling.publish_now(approved, actor=ana)
    later = (timezone.now() + timedelta(days=3)).replace(tzinfo=None, microsecond=0)
    scheduling.schedule(approved, actor=ana, local=later)
    assert approved.publications.count() == 2
    assert len(set(approved.publications.values_list("due_at", flat=True))) == 1


def test_a_past_time_is_refused(approved, ana):
    with pytest.raises(ValidationError, match="already passed"):
        scheduling.schedule(
            approved, actor=ana, local=timezone.now().replace(tzinfo=None) - timedelta(days=1)
        )


def test_only_approved_posts_are_scheduled(make_post, ana):
    with pytest.raises(ValidationError):
        scheduling.publish_now(make_post(ana), actor=ana)


def test_a_contributor_cannot_schedule(approved, carles):
    with pytest.raises(PermissionDenied):
        scheduling.publish_now(approved, actor=carles)


def test_withdrawing_cancels_what_was_waiting(approved, ana):
    scheduling.publish_now(approved, actor=ana)
    review.withdraw(approved, actor=ana, reason="Ya no procede.")
    assert approved.state == PostState.WITHDRAWN
    assert set(approved.publications.values_list("state", flat=True)) == {PublicationState.CANCELLED}


def test_a_post_already_being_sent_cannot_be_withdrawn(approved, ana):
    scheduling.publish_now(approved, actor=ana)
    approved.publications.filter(variant__language="es").update(state=PublicationState.SENDING)
    with pytest.raises(ValidationError, match="already being sent"):
        review.withdraw(approved, actor=ana)
    approved.refresh_from_db()
    assert approved.state == PostState.SCHEDULED
    assert not approved.publications.filter(state=PublicationState.CANCELLED).exists()


def test_every_transition_is_audited(approved, ana):
    scheduling.publish_now(approved, actor=ana)
    review.withdraw(approved, actor=ana)
    assert actions(approved) == [
        "post.created",
        "post.submitted",
        "post.approved",
        "post.publish_now",
        "post.withdrawn",
    ]


def test_the_history_shows_the_words_that_changed(make_post, ana):
    post = make_post(ana)
    edit(post, ana, texts={"es": "Corte de agua el martes.", "ca": "Tall d'aigua dilluns."})
    latest = services.revisions_with_diffs(post)[0]
    assert [change["language"] for change in latest["texts"]] == ["es"]
    assert ("removed", "lunes.") in latest["texts"][0]["diff"]
    assert ("added", "martes.") in latest["texts"][0]["diff"]


def test_publishing_now_asks_a_worker_to_send_at_once(approved, ana, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        scheduling.publish_now(approved, actor=ana)
    assert DBTaskResult.objects.filter(task_path="pregonero.publishing.tasks.dispatch_due").count() == 1
