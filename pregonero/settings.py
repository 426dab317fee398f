"""Django settings, read from the environment (see docs/admin.md for every variable)."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from pregonero import env

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.string("PREGONERO_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env.boolean("DEBUG", False)
SECRET_KEY = env.secret("SECRET_KEY", DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50))
# Fernet keys for secrets at rest, newest first; older keys still decrypt (rotation).
ENCRYPTION_KEYS = env.secret(
    "ENCRYPTION_KEYS",
    DATA_DIR / "encryption_keys",
    lambda: base64.urlsafe_b64encode(os.urandom(32)).decode("ascii"),
).split(",")

ALLOWED_HOSTS = env.strings("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS")
SITE_URL = env.string("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "pregonero.core",
    "pregonero.accounts",
    "pregonero.audit",
    "pregonero.channels",
    "pregonero.publishing",
    "pregonero.public",
    "pregonero.compliance",
    "pregonero.agenda",
    "pregonero.api",
    "pregonero.inbound",
    "pregonero.inbox",
    "pregonero.archive",
    "pregonero.moderation",
    "pregonero.exports",
    "pregonero.retention",
]

MIDDLEWARE = [
    "pregonero.core.middleware.ClientAddressMiddleware",
    # Before sessions: the API answers bearer tokens only, never a session cookie.
    "pregonero.api.middleware.ApiRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pregonero.accounts.middleware.PersonLanguageMiddleware",
    "pregonero.accounts.middleware.SessionLifetimeMiddleware",
    "pregonero.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pregonero.core.middleware.OrganisationTimeZoneMiddleware",
]

ROOT_URLCONF = "pregonero.urls"
WSGI_APPLICATION = "pregonero.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pregonero" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "pregonero.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{DATA_DIR / 'pregonero.sqlite3'}"),
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the worker writes; IMMEDIATE takes the write lock
    # at the start of a transaction, so concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Outbound calls to networks never reach private or loopback addresses (a channel's address
# is typed by a person), unless allowed here: for a self-hosted Mastodon on the intranet.
OUTBOUND_ALLOW_PRIVATE = env.boolean("OUTBOUND_ALLOW_PRIVATE", False)
OUTBOUND_ALLOWED_HOSTS = env.strings("OUTBOUND_ALLOWED_HOSTS")

# Machine translation into the co-official language (RULES.md LANG-3): Debian's apertium,
# installed by scripts/ensure-apertium. Optional: without it the "Translate" action says so.
APERTIUM_BINARY = env.string("APERTIUM_BINARY", "apertium")
TRANSLATION_TIMEOUT_SECONDS = env.integer("TRANSLATION_TIMEOUT_SECONDS", 10)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The HTTP API (/api/v1/): requests each token may make per window of this many seconds.
API_RATE_LIMIT = env.integer("API_RATE_LIMIT", 600)
API_RATE_WINDOW_SECONDS = env.integer("API_RATE_WINDOW_SECONDS", 60)

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env.integer("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60

# Sessions end after a period without activity and, in any case, after a maximum age.
SESSION_IDLE_SECONDS = env.integer("SESSION_IDLE_MINUTES", 30) * 60
SESSION_MAX_AGE_SECONDS = env.integer("SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.boolean("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.boolean("BEHIND_TLS_PROXY", False) else None
)
# How many reverse proxies you control stand in front of Pregonero (nginx alone: 1). Their
# X-Forwarded-For entries give the client's address for throttling and consent records.
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing is ever loaded from another host: no CDN, no web fonts, no telemetry.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Spanish")),
    ("ca", _("Catalan / Valencian")),
    ("gl", _("Galician")),
    ("eu", _("Basque")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "pregonero" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.string("TIME_ZONE", "Europe/Madrid")

STATIC_URL = "/static/"
# The project package is not an app, so its own assets are listed here.
STATICFILES_DIRS = [BASE_DIR / "pregonero" / "static"]
STATIC_ROOT = Path(env.string("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploaded images and video: on the local disk (MEDIA_ROOT), or in an S3-compatible bucket.
# Either way they are served through Pregonero, never from the bucket's own address.
MEDIA_STORAGE = env.string("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    if not env.string("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET (see docs/admin.md).")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.string("S3_BUCKET"),
            "endpoint_url": env.string("S3_ENDPOINT_URL") or None,
            "region_name": env.string("S3_REGION") or None,
            "access_key": env.string("S3_ACCESS_KEY_ID") or None,
            "secret_key": env.string("S3_SECRET_ACCESS_KEY") or None,
            "location": env.string("S3_PREFIX"),
            "addressing_style": env.string("S3_ADDRESSING_STYLE", "path"),
            # Private objects; a name already taken gets a new one rather than replacing it.
            "default_acl": None,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}.")

_email_host = env.string("EMAIL_HOST")
if _email_host:
    _email_port = env.integer("EMAIL_PORT", 587)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": _email_port,
                "username": env.string("EMAIL_HOST_USER"),
                "password": env.string("EMAIL_HOST_PASSWORD"),
                "use_tls": env.boolean("EMAIL_USE_TLS", _email_port == 587),
                "use_ssl": env.boolean("EMAIL_USE_SSL", _email_port == 465),
                "timeout": env.integer("EMAIL_TIMEOUT", 30),
            },
        }
    }
else:
    # Without an SMTP server, messages are written as files an admin can read.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "pregonero@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The bulletin goes out this many messages per dispatcher call, with this many seconds between
# calls (0: at once). Mail providers with an hourly quota: e.g. 500 and 3600.
BULLETIN_BATCH_SIZE = env.integer("BULLETIN_BATCH_SIZE", 200)
BULLETIN_BATCH_INTERVAL = env.integer("BULLETIN_BATCH_INTERVAL", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pregonero": {"level": env.string("LOG_LEVEL", "INFO")},
    },
}
