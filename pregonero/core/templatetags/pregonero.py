from django import template

from pregonero.accounts.roles import AUDITOR_ROLES, Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import actions

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_role(context, organisation) -> dict:
    """What the navigation may offer the signed-in person in ``organisation``."""
    role = effective_role(context["request"].user, organisation)
    return {"role": role, "is_admin": role == Role.ADMIN, "is_auditor": role in AUDITOR_ROLES}


@register.filter
def action_label(action: str) -> str:
    """The translated name of an audit action code."""
    return actions.label(action)
