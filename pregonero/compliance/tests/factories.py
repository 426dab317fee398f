"""Builders and fixtures of the compliance tests: territories, elections and scheduled posts.

Test modules import the fixtures they use (``*_fixture`` functions keep short fixture names).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pregonero.accounts.models import Organisation
from pregonero.compliance import elections
from pregonero.compliance.elections import local_today
from pregonero.compliance.models import Election
from pregonero.publishing import review, scheduling
from pregonero.publishing.models import Category, Post, PostState, PostText, Publication, PublicationState


def place(
    organisation: Organisation, region: str, province: str = "", municipality: str = ""
) -> Organisation:
    organisation.region, organisation.province_code, organisation.municipality_code = (
        region,
        province,
        municipality,
    )
    organisation.save(update_fields=["region", "province_code", "municipality_code"])
    return organisation


@pytest.fixture(name="valencian")
def valencian_fixture(diputacion, vilanova, altea):
    """The three organisations placed in the Valencian Community: the council of Valencia
    province, Vilanova (46250) below it, and Altea (03018) in Alicante province."""
    place(diputacion, "ES-VC", "46")
    place(vilanova, "ES-VC", "46", "46250")
    place(altea, "ES-VC", "03", "03018")


def enter(organisation: Organisation, actor, **values) -> Election:
    """An election entered through the service, as an admin does; a general one by default."""
    values.setdefault("name", "Generales")
    values.setdefault("kind", "general")
    election, _held = elections.create_election(organisation, actor=actor, **values)
    return election


def today(organisation: Organisation) -> date:
    return local_today(organisation)


def in_days(days: float):
    """A wall-clock time ``days`` from now, as the schedule form gives it."""
    return (timezone.now() + timedelta(days=days)).replace(tzinfo=None, microsecond=0, second=0)


@pytest.fixture(name="schedule_post")
def schedule_post_fixture(make_post, ana, pau):
    """``schedule_post(days, **values)``: a vilanova post approved and scheduled ``days`` ahead."""

    def make(days: float = 2, **values) -> Post:
        post = make_post(ana, **values)
        review.submit(post, actor=ana)
        review.approve(post, actor=pau)
        return scheduling.schedule(post, actor=ana, local=in_days(days))

    return make


def published_post(organisation: Organisation, author, channel, text: str, *, days_ago: float = 10) -> Post:
    """A post that went out ``days_ago``, built row by row as the dispatcher leaves it."""
    sent_at = timezone.now() - timedelta(days=days_ago)
    post = Post.objects.create(
        organisation=organisation,
        author=author,
        category=Category.SERVICE,
        title=text[:40],
        state=PostState.PUBLISHED,
        scheduled_at=sent_at,
    )
    post.channels.add(channel)
    for language in organisation.official_languages:
        PostText.objects.create(post=post, language=language, body=text)
        variant = post.variants.create(language=language, channel=channel, body=text, parts=[text])
        Publication.objects.create(
            organisation=organisation,
            post=post,
            variant=variant,
            channel=channel,
            state=PublicationState.SENT,
            due_at=sent_at,
            sent_at=sent_at,
        )
    return post


def states(post: Post) -> set[str]:
    return set(post.publications.values_list("state", flat=True))
