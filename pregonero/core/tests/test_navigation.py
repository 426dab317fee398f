"""The header offers each person only what their role lets them open."""

from django.urls import reverse


def nav_links(client, organisation) -> str:
    return client.get(reverse("core:dashboard", args=[organisation.slug])).content.decode()


def test_readers_are_not_offered_the_audit_log_or_settings(client_for, vilanova, vera):
    page = nav_links(client_for(vera), vilanova)
    assert reverse("audit:list", args=[vilanova.slug]) not in page
    assert reverse("manage:settings", args=[vilanova.slug]) not in page


def test_approvers_are_offered_the_audit_log_but_not_settings(client_for, vilanova, pau):
    page = nav_links(client_for(pau), vilanova)
    assert reverse("audit:list", args=[vilanova.slug]) in page
    assert reverse("manage:settings", args=[vilanova.slug]) not in page


def test_admins_are_offered_settings(client_for, vilanova, alba):
    assert reverse("manage:settings", args=[vilanova.slug]) in nav_links(client_for(alba), vilanova)


def test_pages_tell_htmx_not_to_insert_inline_styles(client_for, vilanova, vera):
    assert '"includeIndicatorStyles": false' in nav_links(client_for(vera), vilanova)
