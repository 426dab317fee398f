"""DATA-4: the first reply in a private chat carries the organisation's data-protection notice
(first layer, LOPDGDD art. 11) and says that a message is not a formal filing, pointing to the
electronic office (Ley 39/2015 art. 16.4).

An organisation writes its own notice per language in the inbox settings; without one, the
default below is used, translated into the reply's language.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from pregonero.inbox.models import Conversation, Direction, InboxSettings, Kind
from pregonero.inbox.variables import fill

# Variables an organisation's own notice may use.
NOTICE_VARIABLES = ("organisation", "electronic_office_url", "privacy_url")


def default_notice(language: str, *, has_privacy_url: bool, has_office_url: bool) -> str:
    """The default text in ``language``, with variables still to fill."""
    with translation.override(language):
        parts = [
            _(
                "Data protection: {organisation} uses your messages only to answer you, in the "
                "exercise of its public tasks (GDPR art. 6.1.e). You can access, correct or erase "
                "your data, object to its use and complain to the data protection authority."
            )
        ]
        if has_privacy_url:
            parts.append(_("More information: {privacy_url}"))
        if has_office_url:
            parts.append(
                _(
                    "A message here is not a formal filing: to submit an application or an appeal, "
                    "use the electronic office: {electronic_office_url}"
                )
            )
        else:
            parts.append(
                _(
                    "A message here is not a formal filing: to submit an application or an appeal, "
                    "use the electronic office of {organisation}."
                )
            )
    return "\n".join(parts)


def notice_text(organisation, language: str, stored: InboxSettings | None = None) -> str:
    """The notice in ``language``: the organisation's own text for it, else the default."""
    if stored is None:
        stored = InboxSettings.objects.filter(organisation=organisation).first()
    office = stored.electronic_office_url if stored else ""
    privacy = stored.privacy_url if stored else ""
    own = ((stored.private_notices or {}).get(language, "") if stored else "").strip()
    template = own or default_notice(language, has_privacy_url=bool(privacy), has_office_url=bool(office))
    return fill(
        template,
        {"organisation": organisation.name, "electronic_office_url": office, "privacy_url": privacy},
    )


def needs_notice(conversation: Conversation) -> bool:
    """A private chat we have not answered yet."""
    return (
        conversation.kind == Kind.PRIVATE
        and not conversation.messages.filter(direction=Direction.OUT).exists()
    )


def with_notice(text: str, notice: str) -> str:
    return f"{text}\n\n{notice}"
