"""The publishing screens pass the WCAG 2.1 AA audit in headless Chromium and load nothing foreign."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.publishing import review, scheduling, services
from pregonero.publishing.emergency import pause_organisation
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved_with_history(make_post, ana, pau):
    """A post edited once after its first draft, then approved: its history has a text diff."""
    post = make_post(ana)
    services.save_post(
        post,
        actor=ana,
        revision=post.revision,
        title=post.title,
        department=post.department,
        category=post.category,
        tags=["agua"],
        channels=list(post.channels.all()),
        texts={"es": "Corte de agua el martes por la mañana.", "ca": "Tall d'aigua dimarts al matí."},
    )
    review.submit(post, actor=ana)
    return review.approve(post, actor=pau)


@pytest.fixture
def paused_with_one_held(make_post, ana, pau, alba, vilanova):
    post = make_post(ana, title="Fiestas")
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    scheduling.schedule(post, actor=ana, local=scheduling.default_schedule_time(vilanova))
    return pause_organisation(vilanova, alba, "Temporal")


@pytest.mark.parametrize(
    ("name", "of_post"),
    [
        ("list", False),
        ("new", False),
        ("detail", True),
        ("schedule", True),
        ("policy", False),
        ("emergency", False),
    ],
)
def test_every_publishing_page_passes_the_wcag_audit(
    visit, alba, vilanova, approved_with_history, paused_with_one_held, name, of_post
):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    arguments = [vilanova.slug, approved_with_history.pk] if of_post else [vilanova.slug]
    path = reverse(f"publishing:{name}", args=arguments)
    assert visit.go(path).url == visit.base_url + path
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
