"""Every page of an organisation keeps outsiders out, whatever view is added later.

The pages are collected from the URL resolver: any pattern that takes an organisation
``slug`` is checked, so a new view is covered the day it is added. The citizens' public
pages (namespace ``public``, parameter ``org``) are open by design and tested in
pregonero/public/tests; the walk refuses to see them even if they took a ``slug``.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def _walk(patterns, namespace: str = "", converters: tuple[str, ...] = ()):
    for entry in patterns:
        names = (*converters, *getattr(entry.pattern, "converters", {}).keys())
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", names


PUBLIC_NAMESPACE = "public:"


def organisation_pages() -> list[tuple[str, tuple[str, ...]]]:
    return sorted(
        {
            (name, params)
            for name, params in _walk(get_resolver().url_patterns)
            if "slug" in params and not name.startswith(PUBLIC_NAMESPACE)
        }
    )


def url_for(name: str, params: tuple[str, ...], slug: str) -> str:
    # Other parameters (ids) get a value that may or may not exist: the organisation is
    # checked first, so an outsider is turned away before any object is looked up.
    return reverse(name, kwargs={param: slug if param == "slug" else 1 for param in params})


PAGES = organisation_pages()
PAGE_IDS = [name for name, _params in PAGES]


def test_the_walk_finds_the_organisation_pages():
    found = set(PAGE_IDS)
    assert {"core:dashboard", "manage:members", "manage:member_edit", "audit:export_csv"} <= found
    assert {"publishing:list", "channels:list"} <= found


@pytest.mark.parametrize(("name", "params"), PAGES, ids=PAGE_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target", ["vilanova", "diputacion"])
def test_an_admin_of_another_town_gets_404(request, client_for, oscar, name, params, method, target):
    organisation = request.getfixturevalue(target)
    client = client_for(oscar)
    response = getattr(client, method)(url_for(name, params, organisation.slug))
    if response.status_code == 405:
        # A read-only page refuses POST before looking anything up, the same for every slug,
        # so the refusal reveals nothing about the organisation.
        missing = getattr(client, method)(url_for(name, params, "no-such-town"))
        assert missing.status_code == 405
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(("name", "params"), PAGES, ids=PAGE_IDS)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, vilanova, name, params):
    url = url_for(name, params, vilanova.slug)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "params"), PAGES, ids=PAGE_IDS)
def test_an_unknown_organisation_is_404(client_for, alba, name, params):
    response = client_for(alba).get(url_for(name, params, "no-such-town"))
    assert response.status_code == 404


def test_a_reader_cannot_create_departments(client_for, vera, vilanova):
    response = client_for(vera).post(reverse("manage:departments", args=[vilanova.slug]), {"name": "Festes"})
    assert response.status_code == 403


def test_a_contributor_cannot_see_the_audit_log(client_for, carles, vilanova):
    response = client_for(carles).get(reverse("audit:list", args=[vilanova.slug]))
    assert response.status_code == 403


def test_an_editor_cannot_export_the_audit_log(client_for, ana, vilanova):
    response = client_for(ana).get(reverse("audit:export_csv", args=[vilanova.slug]))
    assert response.status_code == 403


def test_an_admin_of_the_council_can_manage_a_town_below_it(client_for, diana, vilanova):
    response = client_for(diana).get(reverse("manage:settings", args=[vilanova.slug]))
    assert response.status_code == 200


def test_an_admin_of_a_town_cannot_see_the_council_above_it(client_for, alba, diputacion):
    response = client_for(alba).get(reverse("core:dashboard", args=[diputacion.slug]))
    assert response.status_code == 404


def test_a_department_of_another_town_is_404_under_this_town(client_for, alba, vilanova, altea_department):
    url = reverse("manage:department_edit", args=[vilanova.slug, altea_department.pk])
    assert client_for(alba).get(url).status_code == 404


def test_a_membership_of_another_town_is_404_under_this_town(client_for, alba, vilanova, oscar):
    url = reverse("manage:member_edit", args=[vilanova.slug, oscar.memberships.get().pk])
    assert client_for(alba).post(url, {"role": "reader"}).status_code == 404
