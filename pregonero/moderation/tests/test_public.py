"""The citizens' page of the participation rules: no sign-in, the current version in the
visitor's language, earlier versions at their own address, nothing from other hosts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pregonero.moderation import services

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_current_rules_in_their_language(client, alba, vilanova):
    services.publish_rules(
        vilanova,
        actor=alba,
        drafts=[
            services.RuleDraft(
                "R1", {"es": "Sobre el tema", "ca": "Sobre el tema, en valencià"}, {"ca": "Parleu del tema."}
            )
        ],
    )
    page = client.get(
        reverse("participation:rules", args=[vilanova.slug]), HTTP_ACCEPT_LANGUAGE="ca"
    ).content.decode()
    assert "R1. Sobre el tema, en valencià" in page and "Parleu del tema." in page and 'lang="ca"' in page


def test_an_earlier_version_keeps_its_address_and_says_it_is_not_current(client, alba, vilanova):
    services.publish_rules(vilanova, actor=alba, drafts=[services.RuleDraft("R1", {"es": "Primera"}, {})])
    services.publish_rules(vilanova, actor=alba, drafts=[services.RuleDraft("R1", {"es": "Segunda"}, {})])
    old = client.get(reverse("participation:version", args=[vilanova.slug, 1])).content.decode()
    assert "Primera" in old and "Esta es una versión anterior." in old
    current = client.get(reverse("participation:rules", args=[vilanova.slug])).content.decode()
    assert "Segunda" in current and "Esta es una versión anterior." not in current
    assert client.get(reverse("participation:version", args=[vilanova.slug, 9])).status_code == 404


def test_the_page_asks_nothing_from_other_hosts(client, alba, vilanova):
    services.publish_rules(vilanova, actor=alba, drafts=services.standard_rules(vilanova))
    page = client.get(reverse("participation:rules", args=[vilanova.slug])).content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_an_unknown_organisation_has_no_rules_page(client, db):
    assert client.get(reverse("participation:rules", args=["nobody"])).status_code == 404


def test_rule_text_is_shown_escaped(client, alba, vilanova):
    services.publish_rules(
        vilanova,
        actor=alba,
        drafts=[services.RuleDraft("R1", {"es": "<script>x</script>"}, {"es": "<b>y</b>"})],
    )
    page = client.get(reverse("participation:rules", args=[vilanova.slug])).content.decode()
    assert "<script>x</script>" not in page and "&lt;b&gt;y&lt;/b&gt;" in page
