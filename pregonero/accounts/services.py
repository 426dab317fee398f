"""Business actions on organisations, departments and memberships. Each one is audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from pregonero.accounts.models import Department, Membership, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit

ORGANISATION_FIELDS = [
    "name",
    "slug",
    "kind",
    "parent",
    "default_language",
    "official_languages",
    "time_zone",
    "region",
    "province_code",
    "municipality_code",
    "require_two_factor",
    "is_active",
]
DEPARTMENT_FIELDS = ["name", "email", "is_active"]


def _set_path(organisation: Organisation) -> None:
    parent_path = organisation.parent.path if organisation.parent_id else ""
    organisation.path = f"{parent_path}{organisation.pk}/"


@transaction.atomic
def create_organisation(*, actor: Person | None, request=None, **values) -> Organisation:
    """Create an organisation. Below a parent, only an admin of the parent may do it."""
    parent = values.get("parent")
    if (
        actor is not None
        and not actor.is_superuser
        and (parent is None or effective_role(actor, parent) != Role.ADMIN)
    ):
        raise PermissionDenied
    organisation = Organisation(**values)
    if not organisation.official_languages:
        organisation.official_languages = [organisation.default_language]
    organisation.full_clean(exclude=["path"])
    organisation.save()
    _set_path(organisation)
    organisation.save(update_fields=["path"])
    audit.record(
        "organisation.created",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        changes=audit.diff({}, audit.snapshot(organisation, ORGANISATION_FIELDS)),
        request=request,
    )
    return organisation


@transaction.atomic
def update_organisation(organisation: Organisation, *, actor: Person, request=None, **values) -> Organisation:
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    new_parent = values.get("parent", organisation.parent)
    if new_parent is not None and (
        new_parent.pk == organisation.pk or new_parent.path.startswith(organisation.path)
    ):
        raise ValidationError({"parent": _("An organisation cannot be placed below itself.")})
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["path"])
    old_path = organisation.path
    _set_path(organisation)
    organisation.save()
    if old_path != organisation.path:
        for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=organisation.pk):
            child.path = organisation.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    changes = audit.diff(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        audit.record(
            "organisation.updated",
            actor=actor,
            organisation=organisation,
            obj=organisation,
            changes=changes,
            request=request,
        )
    return organisation


def _check_department_name(department: Department) -> None:
    """Names are unique per organisation, compared without case so "Urbanismo" and "urbanismo" clash."""
    clash = Department.objects.filter(
        organisation_id=department.organisation_id, name__iexact=department.name
    )
    if department.pk is not None:
        clash = clash.exclude(pk=department.pk)
    if clash.exists():
        raise ValidationError(
            {
                "name": _("There is already a department called “%(name)s” in this organisation.")
                % {"name": department.name}
            }
        )


@transaction.atomic
def create_department(
    organisation: Organisation, *, actor: Person | None, request=None, **values
) -> Department:
    department = Department(organisation=organisation, **values)
    _check_department_name(department)
    department.full_clean()
    department.save()
    audit.record(
        "department.created",
        actor=actor,
        organisation=organisation,
        obj=department,
        changes=audit.diff({}, audit.snapshot(department, DEPARTMENT_FIELDS)),
        request=request,
    )
    return department


@transaction.atomic
def update_department(department: Department, *, actor: Person, request=None, **values) -> Department:
    before = audit.snapshot(department, DEPARTMENT_FIELDS)
    for name, value in values.items():
        setattr(department, name, value)
    _check_department_name(department)
    department.full_clean()
    department.save()
    changes = audit.diff(before, audit.snapshot(department, DEPARTMENT_FIELDS))
    if changes:
        audit.record(
            "department.updated",
            actor=actor,
            organisation=department.organisation,
            obj=department,
            changes=changes,
            request=request,
        )
    return department


def _membership_state(membership: Membership) -> dict:
    return {
        "role": membership.role,
        "departments": sorted(membership.departments.values_list("name", flat=True)),
    }


def _check_keeps_an_admin(membership: Membership, field: str | None = None) -> None:
    """A root organisation must keep an administrator: nobody above it could act as one.

    Raised when ``membership`` is the last admin of a root organisation and is about to
    stop being one (removed, or demoted when ``field`` names the form field to blame).
    """
    organisation = membership.organisation
    if membership.role != Role.ADMIN or organisation.parent_id is not None:
        return
    others = Membership.objects.filter(organisation=organisation, role=Role.ADMIN).exclude(pk=membership.pk)
    if not others.exists():
        message = _("An organisation without a parent must keep at least one administrator.")
        raise ValidationError({field: message} if field else message)


def _check_can_grant(actor: Person | None, organisation: Organisation, role: Role) -> None:
    """An actor never grants more than they hold (a token or person cannot escalate)."""
    if actor is None:
        return
    own = effective_role(actor, organisation)
    if own is None or own != Role.ADMIN or not own.at_least(role):
        raise PermissionDenied


@transaction.atomic
def set_membership(
    organisation: Organisation,
    person: Person,
    role: Role,
    departments: list[Department] | None = None,
    *,
    actor: Person | None,
    request=None,
) -> Membership:
    """Give ``person`` a role in ``organisation`` (creating or changing the membership)."""
    role = Role(role)
    _check_can_grant(actor, organisation, role)
    departments = list(departments or [])
    if any(department.organisation_id != organisation.pk for department in departments):
        raise ValidationError({"departments": _("Departments must belong to this organisation.")})
    membership, created = Membership.objects.get_or_create(
        person=person, organisation=organisation, defaults={"role": role}
    )
    if role != Role.ADMIN:
        _check_keeps_an_admin(membership, field="role")
    before = {} if created else _membership_state(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    membership.departments.set(departments)
    changes = audit.diff(before, _membership_state(membership))
    if created or changes:
        audit.record(
            "membership.created" if created else "membership.changed",
            actor=actor,
            organisation=organisation,
            obj=membership,
            object_repr=f"{person.email} · {role.label}",
            changes=changes,
            details={"person": person.email},
            request=request,
        )
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, actor: Person, request=None) -> None:
    organisation = membership.organisation
    _check_can_grant(actor, organisation, Role(membership.role))
    _check_keeps_an_admin(membership)
    audit.record(
        "membership.removed",
        actor=actor,
        organisation=organisation,
        obj=membership,
        object_repr=f"{membership.person.email} · {membership.get_role_display()}",
        changes=audit.diff(_membership_state(membership), {}),
        details={"person": membership.person.email},
        request=request,
    )
    membership.delete()


def invitation_link(person: Person) -> str:
    """An absolute set-password link, built like Django's password reset so the same view serves both."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send_invitation(person: Person, organisation: Organisation, actor: Person | None) -> None:
    context = {
        "person": person,
        "organisation": organisation,
        "actor": actor,
        "link": invitation_link(person),
        "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    with translation.override(person.language):
        subject = render_to_string("manage/email/invitation_subject.txt", context).strip()
        body = render_to_string("manage/email/invitation_body.txt", context)
    send_mail(subject, body, None, [person.email])


@transaction.atomic
def invite_person(
    organisation: Organisation,
    *,
    email: str,
    full_name: str = "",
    role: Role,
    departments: list[Department] | None = None,
    actor: Person | None,
    request=None,
) -> tuple[Membership, bool]:
    """Add the person with ``email`` to ``organisation``; create and invite them if they are new.

    Returns the membership and whether an invitation was sent. A new person gets an
    unusable password and an e-mail with a link to choose one. The e-mail is sent last,
    inside the transaction, so a failed delivery leaves no half-created person behind.
    """
    role = Role(role)
    _check_can_grant(actor, organisation, role)
    email = Person.objects.normalize_email(email).lower()
    person = Person.objects.filter(email__iexact=email).first()
    if person is not None and Membership.objects.filter(person=person, organisation=organisation).exists():
        raise ValidationError({"email": _("This person is already a member of this organisation.")})
    invited = person is None
    if invited:
        if not full_name.strip():
            raise ValidationError({"full_name": _("Give the full name of a person who has no account yet.")})
        person = Person(email=email, full_name=full_name.strip(), language=organisation.default_language)
        person.set_unusable_password()
        person.full_clean()
        person.save()
        audit.record(
            "person.invited",
            actor=actor,
            organisation=organisation,
            obj=person,
            object_repr=person.email,
            details={"person": person.email, "full_name": person.full_name},
            request=request,
        )
    membership = set_membership(organisation, person, role, departments, actor=actor, request=request)
    if invited:
        _send_invitation(person, organisation, actor)
    return membership, invited
