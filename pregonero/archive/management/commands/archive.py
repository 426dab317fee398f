from django.core.management.base import BaseCommand, CommandError

from pregonero.archive.services import verify

REASONS = {
    "altered": "its description does not match its hash (the row was changed)",
    "content": "its text or content does not match the digest it was archived with",
    "relinked": "it does not point to the previous record's hash",
    "missing": "the record is missing (a row was removed)",
    "untombstoned": "its content was erased without the tombstone record a retention run leaves",
}


class Command(BaseCommand):
    help = "Work with the archive. `archive verify` checks every organisation's hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "verify", help="Check the archive's hash chains; exit 1 at the first broken link."
        )
        check.add_argument("--organisation", type=int, help="Only this organisation (its number).")
        export = sub.add_parser(
            "verify-export", help="Check an export ZIP: manifest hashes, chain proof, records."
        )
        export.add_argument("file", help="The export's .zip file.")
        retain = sub.add_parser(
            "retention",
            help="Apply the retention policies now: block what expired, destroy what was blocked long enough.",  # noqa: E501
        )
        retain.add_argument("--organisation", type=int, help="Only this organisation (its number).")

    def handle(self, *args, action: str, organisation: int | None = None, **options):
        if action == "verify-export":
            from pregonero.exports.verify_export import verify as verify_export

            problems = verify_export(options["file"])
            if problems:
                raise CommandError("Export BROKEN:\n" + "\n".join(problems), returncode=1)
            self.stdout.write(self.style.SUCCESS("Export intact: manifest, chain proof and records verify."))
            return
        if action == "retention":
            return self._retention(organisation)
        report = verify(organisation)
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Archive intact: {report.records} records in {report.chains} organisation chain(s)."
                )
            )
            return
        broken = report.broken
        where = f"record id {broken.entry_id}" if broken.entry_id else "no row"
        raise CommandError(
            f"Archive BROKEN in chain {broken.chain} at sequence {broken.seq} ({where}): "
            f"{REASONS[broken.reason]}. Checked {report.records} records before stopping.",
            returncode=1,
        )

    def _retention(self, organisation_id: int | None) -> None:
        from pregonero.accounts.models import Organisation
        from pregonero.retention.services import run

        organisation = None
        if organisation_id is not None:
            organisation = Organisation.objects.filter(pk=organisation_id).first()
            if organisation is None:
                raise CommandError(f"No organisation number {organisation_id}.")
        report = run(organisation=organisation)
        self.stdout.write(
            f"Retention applied: {report.blocked} records blocked, {report.destroyed} destroyed, "
            f"{report.held} kept by a legal hold, {report.conversations_erased} inbox conversations erased."
        )
