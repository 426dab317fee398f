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
        mailer = settings.MAILERS["default"]
        mail_options = mailer.get("OPTIONS", {})
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
            ("e-mail backend", mailer["BACKEND"].rsplit(".", 2)[-2]),
            ("EMAIL_HOST", mail_options.get("host") or "-"),
            ("EMAIL_PORT", str(mail_options.get("port") or "-")),
            ("EMAIL_HOST_USER", mail_options.get("username") or "-"),
            ("EMAIL_HOST_PASSWORD", MASK if mail_options.get("password") else "-"),
            ("e-mail files", mail_options.get("file_path") or "-"),
            ("DEFAULT_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL),
            ("SESSION_IDLE_MINUTES", str(settings.SESSION_IDLE_SECONDS // 60)),
            ("SESSION_MAX_HOURS", str(settings.SESSION_MAX_AGE_SECONDS // 3600)),
            ("STATIC_ROOT", str(settings.STATIC_ROOT)),
            ("MEDIA_STORAGE", settings.MEDIA_STORAGE),
            ("MEDIA_ROOT", str(settings.MEDIA_ROOT)),
        ]
        if settings.MEDIA_STORAGE == "s3":
            bucket = settings.STORAGES["default"]["OPTIONS"]
            rows += [
                ("S3_BUCKET", bucket["bucket_name"]),
                ("S3_ENDPOINT_URL", bucket["endpoint_url"] or "-"),
                ("S3_ACCESS_KEY_ID", bucket["access_key"] or "-"),
                ("S3_SECRET_ACCESS_KEY", MASK if bucket["secret_key"] else "-"),
            ]
        width = max(len(name) for name, _value in rows)
        for name, value in rows:
            self.stdout.write(f"{name.ljust(width)}  {value}")
