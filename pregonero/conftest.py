"""Shared personas, across two organisations and the council above one of them.

    diputacion     Diputació de València (provincial council)
      vilanova     Ajuntament de Vilanova de Mar (town hall below the council)
    altea          Ajuntament d'Altea (another town, unrelated to the others)

    ana      editor of vilanova
    carles   contributor of vilanova, department Urbanismo
    pau      approver of vilanova
    vera     reader of vilanova
    alba     admin of vilanova
    diana    admin of diputacion (so admin of vilanova too)
    oscar    admin of altea: must see nothing of vilanova or diputacion

Two-factor authentication is switched off for these organisations so tests can sign in
with ``client.force_login``; the two-factor tests switch it on where they need it.

Tests run in English (the source language), so they read the same whichever
catalogues are compiled; tests about translation choose their language themselves.
"""

from __future__ import annotations

import pytest

from pregonero.accounts.models import Department, Membership, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.testing.browser import chromium, visit  # noqa: F401  (fixtures for browser tests)
from pregonero.testing.dovecot import (  # noqa: F401  (fixtures for the mail tests)
    dovecot,
    dovecot_server,
    mail_account,
    smtp_sink,
)

PASSWORD = "correct horse battery staple"


def make_organisation(slug: str, name: str, parent: Organisation | None = None, **extra) -> Organisation:
    from pregonero.accounts.services import create_organisation

    extra.setdefault("official_languages", ["es", "ca"])
    extra.setdefault("require_two_factor", False)
    return create_organisation(actor=None, slug=slug, name=name, parent=parent, **extra)


def make_person(email: str, full_name: str, organisation: Organisation | None, role: Role | None) -> Person:
    person = Person.objects.create_user(email, PASSWORD, full_name=full_name, language="en")
    if organisation is not None and role is not None:
        Membership.objects.create(person=person, organisation=organisation, role=role)
    return person


@pytest.fixture
def diputacion(db) -> Organisation:
    return make_organisation("diputacio-valencia", "Diputació de València", kind="provincial_council")


@pytest.fixture
def vilanova(diputacion) -> Organisation:
    return make_organisation("vilanova-de-mar", "Ajuntament de Vilanova de Mar", parent=diputacion)


@pytest.fixture
def altea(db) -> Organisation:
    return make_organisation("altea", "Ajuntament d'Altea")


@pytest.fixture
def urbanismo(vilanova) -> Department:
    return Department.objects.create(organisation=vilanova, name="Urbanismo")


@pytest.fixture
def altea_department(altea) -> Department:
    return Department.objects.create(organisation=altea, name="Turisme")


@pytest.fixture
def ana(vilanova) -> Person:
    return make_person("ana@vilanova.example", "Ana Editora", vilanova, Role.EDITOR)


@pytest.fixture
def carles(vilanova, urbanismo) -> Person:
    person = make_person("carles@vilanova.example", "Carles Contribuïdor", vilanova, Role.CONTRIBUTOR)
    person.memberships.get().departments.add(urbanismo)
    return person


@pytest.fixture
def pau(vilanova) -> Person:
    return make_person("pau@vilanova.example", "Pau Aprovador", vilanova, Role.APPROVER)


@pytest.fixture
def vera(vilanova) -> Person:
    return make_person("vera@vilanova.example", "Vera Lectora", vilanova, Role.READER)


@pytest.fixture
def alba(vilanova) -> Person:
    return make_person("alba@vilanova.example", "Alba Administradora", vilanova, Role.ADMIN)


@pytest.fixture
def diana(diputacion) -> Person:
    return make_person("diana@dival.example", "Diana Diputació", diputacion, Role.ADMIN)


@pytest.fixture
def oscar(altea) -> Person:
    return make_person("oscar@altea.example", "Òscar d'Altea", altea, Role.ADMIN)


@pytest.fixture
def client_for(client):
    """``client_for(person)`` returns the test client signed in as that person."""

    def sign_in(person: Person):
        client.force_login(person)
        return client

    return sign_in


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """Compile the translations first, as `make` does, so pytest also works on its own."""
    from pregonero.catalogues import compile_all

    compile_all()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests do not run collectstatic, so static files are served straight from the apps.
    # Personas are created for every test; the production password hasher would
    # dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
