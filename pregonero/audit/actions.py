"""Human-readable names of audit actions.

Entries store a stable action code ("department.created") that scripts and the CSV
export rely on; people read the translated label. An action missing here is shown
by its code, so a new action is never hidden.
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "audit.exported": _("Audit log exported"),
    "department.created": _("Department created"),
    "department.updated": _("Department changed"),
    "encryption.keys_rotated": _("Encryption keys rotated"),
    "login.failed": _("Sign-in failed"),
    "login.succeeded": _("Signed in"),
    "login.throttled": _("Sign-in refused: too many attempts"),
    "logout": _("Signed out"),
    "membership.changed": _("Member's role changed"),
    "membership.created": _("Member added"),
    "membership.removed": _("Member removed"),
    "organisation.created": _("Organisation created"),
    "organisation.updated": _("Organisation settings changed"),
    "password.changed": _("Password changed"),
    "password.reset_completed": _("Password reset"),
    "password.reset_requested": _("Password reset requested"),
    "person.created": _("Person created"),
    "person.invited": _("Person invited"),
    "person.password_set": _("Password set by an administrator"),
    "person.updated": _("Profile changed"),
    "session.expired": _("Session expired"),
    "two_factor.disabled": _("Two-factor authentication turned off"),
    "two_factor.enabled": _("Two-factor authentication turned on"),
    "two_factor.recovery_codes_regenerated": _("New recovery codes created"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))
