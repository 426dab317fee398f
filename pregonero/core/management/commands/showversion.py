from django.core.management.base import BaseCommand

from pregonero import __version__


class Command(BaseCommand):
    requires_system_checks = []
    help = "Print Pregonero's version."

    def handle(self, *args, **options):
        self.stdout.write(f"pregonero {__version__}")
