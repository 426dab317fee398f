"""Create the demo town hall, its provincial council and an administrator, once."""

from __future__ import annotations

import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from pregonero.accounts.models import Organisation, OrganisationKind, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.services import create_department, create_organisation, set_membership
from pregonero.audit import services as audit
from pregonero.channels.services import create_channel
from pregonero.public import registry

COUNCIL = {
    "slug": "diputacio-valencia",
    "name": "Diputació de València",
    "kind": OrganisationKind.PROVINCIAL_COUNCIL,
    "default_language": "ca",
    "official_languages": ["ca", "es"],
    "region": "ES-VC",
    "province_code": "46",
    "require_two_factor": True,
}
TOWN_HALL = {
    "slug": "vilanova-de-mar",
    "name": "Ajuntament de Vilanova de Mar / Ayuntamiento de Vilanova de Mar",
    "kind": OrganisationKind.TOWN_HALL,
    "default_language": "ca",
    "official_languages": ["ca", "es"],
    "time_zone": "Europe/Madrid",
    "region": "ES-VC",
    "province_code": "46",
    "require_two_factor": True,
}
DEPARTMENTS = ["Alcaldia", "Urbanisme", "Serveis Socials", "Turisme", "Cultura i Festes", "Comunicació"]
ADMIN_EMAIL = "admin@vilanova.example"
ADMIN_NAME = "Mar Ferrer i Soler"
ACTOR_LABEL = "command line (bootstrap_demo)"


def new_password() -> str:
    """A random password that is easy to copy: four groups of lowercase letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _group in range(4))


@transaction.atomic
def bootstrap() -> str | None:
    """Create the demo data and return the admin's one-time password; None if it already exists."""
    if Organisation.objects.filter(slug=TOWN_HALL["slug"]).exists():
        return None
    council = Organisation.objects.filter(slug=COUNCIL["slug"]).first()
    if council is None:
        council = create_organisation(actor=None, **COUNCIL)
    town_hall = create_organisation(actor=None, parent=council, **TOWN_HALL)
    for name in DEPARTMENTS:
        create_department(town_hall, actor=None, name=name)
    password = new_password()
    person = Person.objects.filter(email=ADMIN_EMAIL).first()
    if person is None:
        person = Person.objects.create_user(ADMIN_EMAIL, password, full_name=ADMIN_NAME, language="es")
        audit.record("person.created", organisation=town_hall, obj=person, actor_label=ACTOR_LABEL)
    else:
        person.set_password(password)
        person.save(update_fields=["password"])
        audit.record("person.password_set", organisation=town_hall, obj=person, actor_label=ACTOR_LABEL)
    set_membership(town_hall, person, Role.ADMIN, actor=None)
    # The two channels that need no outside network, so a new user can publish at once and
    # see the result on the town's public news page and in the bulletin.
    communication = town_hall.departments.get(name="Comunicació")
    for connector, name in DEMO_CHANNELS:
        create_channel(
            town_hall, actor=person, connector=connector, name=name, owner_department=communication
        )
    # Accounts on networks the demo cannot connect to offline, listed by hand on the town's
    # "Our official channels" page (the .example addresses lead nowhere).
    for values in DEMO_OFFICIAL_ACCOUNTS:
        registry.save_account(town_hall, None, actor=person, listed=True, **values)
    return password


DEMO_CHANNELS = [("website", "Web municipal"), ("email", "Butlletí municipal")]
DEMO_OFFICIAL_ACCOUNTS = [
    {
        "network": "Mastodon",
        "handle": "@vilanova@xarxa.vilanova.example",
        "url": "https://xarxa.vilanova.example/@vilanova",
    },
    {
        "network": "YouTube",
        "handle": "@AjuntamentVilanova",
        "url": "https://youtube.example/@AjuntamentVilanova",
    },
]


class Command(BaseCommand):
    help = "Create the demo town hall (Vilanova de Mar), its council and an administrator, once."

    def handle(self, *args, **options) -> None:
        password = bootstrap()
        if password is None:
            self.stdout.write("The demo organisation already exists; nothing was changed.")
            return
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Demo organisation created: Ajuntament de Vilanova de Mar (below Diputació de València).",
                    "Sign in as its administrator with these one-time credentials",
                    "(they are shown only now; the password is not stored anywhere readable):",
                    "",
                    f"    e-mail:    {ADMIN_EMAIL}",
                    f"    password:  {password}",
                    "",
                    "Two-factor authentication is required: you will set up an authenticator app",
                    "at the first sign-in. Change the password from your profile page.",
                    "",
                ]
            )
        )
