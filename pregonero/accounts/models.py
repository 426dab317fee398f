"""Organisations (a tree), their departments, the people who work in them and their roles."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.roles import Role
from pregonero.crypto import EncryptedTextField

LANGUAGE_CHOICES = [
    ("es", _("Spanish")),
    ("ca", _("Catalan / Valencian")),
    ("gl", _("Galician")),
    ("eu", _("Basque")),
    ("en", _("English")),
]
LANGUAGE_CODES = [code for code, _label in LANGUAGE_CHOICES]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def validate_languages(value: list) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one official language."))
    unknown = [code for code in value if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            _("Unknown languages: %(codes)s."), params={"codes": ", ".join(map(str, unknown))}
        )


class OrganisationKind(models.TextChoices):
    TOWN_HALL = "town_hall", _("Town hall")
    PROVINCIAL_COUNCIL = "provincial_council", _("Provincial council")
    REGIONAL_MINISTRY = "regional_ministry", _("Regional ministry")
    DIRECTORATE = "directorate", _("Directorate")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A public body. Organisations form a tree through ``parent``.

    ``path`` is a materialised path ("3/17/") kept by :mod:`pregonero.accounts.services`
    so that "this organisation and everything below it" is one indexed prefix query.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.TOWN_HALL
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    default_language = models.CharField(
        _("default language"), max_length=5, choices=LANGUAGE_CHOICES, default="es"
    )
    official_languages = models.JSONField(
        _("official languages"), default=list, validators=[validate_languages]
    )
    time_zone = models.CharField(
        _("time zone"), max_length=60, default="Europe/Madrid", validators=[validate_time_zone]
    )
    region = models.CharField(
        _("autonomous community"),
        max_length=6,
        blank=True,
        help_text=_("ISO 3166-2 code, e.g. ES-VC for the Valencian Community."),
    )
    province_code = models.CharField(
        _("province code"), max_length=2, blank=True, help_text=_("INE code, e.g. 46.")
    )
    municipality_code = models.CharField(
        _("municipality code"), max_length=5, blank=True, help_text=_("INE code, e.g. 46250.")
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=True,
        help_text=_("Every member must use a second factor to sign in (ENS op.acc.6)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.official_languages and self.default_language not in self.official_languages:
            raise ValidationError(
                {"default_language": _("The default language must be one of the official languages.")}
            )

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent of this organisation."""
        return [int(part) for part in self.path.split("/") if part][:-1]

    def descendants(self, include_self: bool = True) -> models.QuerySet[Organisation]:
        queryset = Organisation.objects.filter(path__startswith=self.path)
        return queryset if include_self else queryset.exclude(pk=self.pk)


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="department_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> Person:
        if not email:
            raise ValueError("People need an e-mail address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra) -> Person:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> Person:
        return self.get(email__iexact=username)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. One person, one identity, no shared logins (GOV-4)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(_("interface language"), max_length=5, choices=LANGUAGE_CHOICES, default="es")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the Django admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def has_two_factor(self) -> bool:
        device = getattr(self, "totp_device", None)
        return bool(device and device.confirmed_at)


class Membership(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="memberships",
        verbose_name=_("departments"),
        help_text=_("Contributors work on drafts for these departments."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="one_membership_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organisation} · {self.get_role_display()}"


class TOTPDevice(models.Model):
    """A person's authenticator app. The shared secret is encrypted at rest."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted time step; a code is never accepted twice (replay protection).
    last_counter = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"authenticator of {self.person}"


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost; only its hash is stored."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"recovery code of {self.person}"
