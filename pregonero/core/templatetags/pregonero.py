from django import template

from pregonero.accounts.roles import AUDITOR_ROLES, Role
from pregonero.accounts.scoping import effective_role
from pregonero.archive.services import ARCHIVE_ROLE
from pregonero.audit import actions
from pregonero.core import i18n

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_role(context, organisation) -> dict:
    """What the navigation may offer the signed-in person in ``organisation``."""
    role = effective_role(context["request"].user, organisation)
    return {
        "role": role,
        "is_admin": role == Role.ADMIN,
        "is_approver": role is not None and role.at_least(Role.APPROVER),
        "is_auditor": role in AUDITOR_ROLES,
        "is_archivist": role is not None and role.at_least(ARCHIVE_ROLE),
    }


@register.filter
def action_label(action: str) -> str:
    """The translated name of an audit action code."""
    return actions.label(action)


@register.simple_tag
def stored_message(message: str, params=None) -> str:
    """A message a worker stored in English, in the reader's language (see core.i18n)."""
    return i18n.stored_message(message, params)


@register.simple_tag(takes_context=True)
def publication_actions(context, publication) -> tuple[str, ...]:
    """The decisions the signed-in person may take on a publication that needs one."""
    from pregonero.publishing.attention import actions_for

    return actions_for(publication, context["request"].user)


@register.inclusion_tag("publishing/_attention_banner.html")
def attention_banner(organisation) -> dict:
    """A link to the publications waiting for a person, when there are any."""
    from pregonero.publishing.attention import needing_attention

    return {"organisation": organisation, "count": needing_attention(organisation).count()}
