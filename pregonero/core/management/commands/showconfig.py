from django.conf import settings
from django.core.management.base import BaseCommand

from pregonero import __version__

MASK = "********"


def _masked_url(url: str) -> str:
    """Hide the password in a connection URL."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:{MASK}@{host}" if ":" in credentials else url


class Command(BaseCommand):
    requires_system_checks = []
    help = "Print the effective configuration, with secrets masked."

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        rows = [
            ("version", __version__),
            ("data directory", str(settings.DATA_DIR)),
            ("database engine", database["ENGINE"].rsplit(".", 1)[-1]),
            ("database name", str(database["NAME"])),
            ("database host", database.get("HOST") or "-"),
            ("database user", database.get("USER") or "-"),
            ("database password", MASK if database.get("PASSWORD") else "-"),
            ("SECRET_KEY", MASK),
            ("ENCRYPTION_KEYS", f"{MASK} ({len(settings.ENCRYPTION_KEYS)} key(s))"),
            ("ALLOWED_HOSTS", ", ".join(settings.ALLOWED_HOSTS)),
            ("SITE_URL", settings.SITE_URL),
            ("TIME_ZONE", settings.TIME_ZONE),
            ("DEBUG", str(settings.DEBUG)),
            ("EMAIL_BACKEND", settings.EMAIL_BACKEND.rsplit(".", 2)[-2]),
            ("EMAIL_HOST", getattr(settings, "EMAIL_HOST", "") or "-"),
            ("EMAIL_HOST_PASSWORD", MASK if getattr(settings, "EMAIL_HOST_PASSWORD", "") else "-"),
            ("DEFAULT_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL),
            ("SESSION_IDLE_MINUTES", str(settings.SESSION_IDLE_SECONDS // 60)),
            ("SESSION_MAX_HOURS", str(settings.SESSION_MAX_AGE_SECONDS // 3600)),
            ("STATIC_ROOT", str(settings.STATIC_ROOT)),
            ("MEDIA_ROOT", str(settings.MEDIA_ROOT)),
        ]
        width = max(len(name) for name, _value in rows)
        for name, value in rows:
            self.stdout.write(f"{name.ljust(width)}  {value}")
