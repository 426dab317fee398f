"""Create a person with the administrator role in an organisation, or promote one."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.services import set_membership
from pregonero.audit import services as audit
from pregonero.core.management.commands.createorg import validation_message

ACTOR_LABEL = "command line (createadmin)"


class Command(BaseCommand):
    help = (
        "Make someone an administrator of an organisation, creating the person if needed. "
        "The password is asked for, or read from --password-file; it is set only for new people "
        "unless --password-file is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--full-name", help="Needed when the person does not exist yet.")
        parser.add_argument("--organisation", required=True, help="Slug of the organisation.")
        parser.add_argument("--password-file", type=Path, help="Read the password from this file.")

    def _password(self, options: dict, person: Person | None) -> str | None:
        if options["password_file"]:
            try:
                return options["password_file"].read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"Cannot read the password file: {exc}") from exc
        if person is not None:
            return None
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for the password: use --password-file.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first

    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the short name {options['organisation']!r}.")
        email = Person.objects.normalize_email(options["email"]).lower()
        person = Person.objects.filter(email__iexact=email).first()
        if person is None and not options["full_name"]:
            raise CommandError(f"{email} does not exist yet: give --full-name to create the person.")
        password = self._password(options, person)
        if password is not None:
            candidate = person or Person(email=email, full_name=options["full_name"])
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise CommandError(validation_message(exc)) from exc
        with transaction.atomic():
            if person is None:
                person = Person.objects.create_user(email, password, full_name=options["full_name"])
                audit.record("person.created", organisation=organisation, obj=person, actor_label=ACTOR_LABEL)
                verb = "Created"
            else:
                if password is not None:
                    person.set_password(password)
                    person.save(update_fields=["password"])
                    audit.record(
                        "person.password_set", organisation=organisation, obj=person, actor_label=ACTOR_LABEL
                    )
                verb = "Promoted"
            # Promotion keeps the departments the person already works for.
            current = person.memberships.filter(organisation=organisation).first()
            departments = list(current.departments.all()) if current else []
            set_membership(organisation, person, Role.ADMIN, departments, actor=None)
        self.stdout.write(self.style.SUCCESS(f"{verb} {person.email}: administrator of {organisation.name}."))
