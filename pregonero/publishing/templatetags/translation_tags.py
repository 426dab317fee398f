"""``{% translation_offers post as offers %}``: what the translation panel shows to this person.

A tag rather than a view variable, so the composer and the post page need only include
``publishing/_translate.html``.
"""

from __future__ import annotations

from django import template

from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.publishing.forms import LANGUAGE_LABELS
from pregonero.publishing.rules import EDITABLE_STATES, may_write
from pregonero.publishing.translation import offers, region_of
from pregonero.text.translate import variant_for

register = template.Library()


@register.simple_tag(takes_context=True)
def translation_offers(context, post) -> dict:
    """``rows``: one per language with machine translation to offer or to review; ``can_translate``
    and ``can_confirm``: which buttons this person gets on this post in its state."""
    user = context["request"].user
    role = effective_role(user, post.organisation)
    writable = post.state in EDITABLE_STATES and may_write(user, post)
    region = region_of(post.organisation)
    rows = [
        {
            "offer": offer,
            "name": LANGUAGE_LABELS.get(offer.target, offer.target),
            "valencian": variant_for(offer.target, region) is not None,
            "sources": [(source, LANGUAGE_LABELS.get(source, source)) for source in offer.sources],
        }
        for offer in offers(post)
    ]
    return {
        "rows": rows,
        "can_translate": writable and role is not None and role.at_least(Role.EDITOR),
        "can_confirm": writable,
    }
