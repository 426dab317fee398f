"""Create an organisation from the command line."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pregonero.accounts.models import LANGUAGE_CODES, Organisation, OrganisationKind
from pregonero.accounts.services import create_organisation


def validation_message(error: ValidationError) -> str:
    """One line per problem, prefixed with the field it concerns."""
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create an organisation (audited). "
        "Example: createorg 'Ajuntament de Sueca' sueca --parent diputacio-valencia --languages ca,es"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Full official name.")
        parser.add_argument("slug", help="Short name used in addresses, e.g. vilanova-de-mar.")
        parser.add_argument("--parent", help="Slug of the organisation above this one.")
        parser.add_argument("--kind", choices=OrganisationKind.values, default=OrganisationKind.TOWN_HALL)
        parser.add_argument(
            "--languages",
            default="es",
            help=f"Official languages, comma-separated, first is the default ({', '.join(LANGUAGE_CODES)}).",
        )
        parser.add_argument("--time-zone", default="Europe/Madrid")
        parser.add_argument("--region", default="", help="ISO 3166-2 code, e.g. ES-VC.")
        parser.add_argument("--province", default="", help="INE province code, e.g. 46.")
        parser.add_argument("--municipality", default="", help="INE municipality code, e.g. 46250.")
        parser.add_argument(
            "--no-two-factor",
            action="store_true",
            help="Do not require two-factor authentication from members (not recommended).",
        )

    def handle(self, *args, **options) -> None:
        parent = None
        if options["parent"]:
            parent = Organisation.objects.filter(slug=options["parent"]).first()
            if parent is None:
                raise CommandError(f"No organisation has the short name {options['parent']!r}.")
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        try:
            organisation = create_organisation(
                actor=None,
                name=options["name"],
                slug=options["slug"],
                kind=options["kind"],
                parent=parent,
                default_language=languages[0] if languages else "es",
                official_languages=languages,
                time_zone=options["time_zone"],
                region=options["region"],
                province_code=options["province"],
                municipality_code=options["municipality"],
                require_two_factor=not options["no_two_factor"],
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} ({organisation.slug})."))
