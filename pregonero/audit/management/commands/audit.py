from django.core.management.base import BaseCommand, CommandError

from pregonero.audit.services import verify


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` checks every hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Check the hash chains; exit 1 at the first broken link.")
        check.add_argument("--chain", help="Only this chain, e.g. org:3 or global.")

    def handle(self, *args, action: str, chain: str | None = None, **options):
        report = verify(chain)
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {report.entries} entries in {report.chains} chain(s).")
            )
            return
        broken = report.broken
        where = f"entry id {broken.entry_id}" if broken.entry_id else "no row"
        reasons = {
            "altered": "its content does not match its hash (the row was changed)",
            "relinked": "it does not point to the previous entry's hash",
            "missing": "the entry is missing (a row was removed)",
        }
        raise CommandError(
            f"Audit log BROKEN in chain {broken.chain} at sequence {broken.seq} ({where}): "
            f"{reasons[broken.reason]}. Checked {report.entries} entries before stopping.",
            returncode=1,
        )
