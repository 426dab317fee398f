from django import template

from pregonero.moderation import services

register = template.Library()


@register.simple_tag
def moderation_in_effect(message) -> list:
    """The decisions acting on ``message`` now (hidden, deleted, its author blocked)."""
    return services.in_effect(message)
