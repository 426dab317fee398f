"""The public data-protection notice and accessibility statement: the organisation's own text
per language, or a sensible default until its admins write one; saving is audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation
from pregonero.audit import services as audit
from pregonero.public.models import AccessibilityStatement, Conformity, PrivacyNotice

PRIVACY_FIELDS = ["controller", "purpose", "legal_basis", "recipients", "rights", "full_text"]
STATEMENT_FIELDS = [
    "conformity",
    "non_accessible",
    "prepared_on",
    "method",
    "reviewed_on",
    "contact",
    "enforcement",
]


def default_privacy(organisation: Organisation, language: str) -> PrivacyNotice:
    """An unsaved notice with the usual layered content of a public body, in ``language``."""
    with translation.override(language):
        return PrivacyNotice(
            organisation=organisation,
            language=language,
            controller=organisation.name,
            purpose=_(
                "Publishing the organisation's information on its official channels, answering the "
                "messages and comments people send through them, and sending the news bulletin to "
                "those who subscribe to it."
            ),
            legal_basis=_(
                "The exercise of public powers and tasks carried out in the public interest (GDPR "
                "art. 6.1.e; LOPDGDD art. 8.2); for the bulletin, the consent of each subscriber "
                "(GDPR art. 6.1.a)."
            ),
            recipients=_(
                "No data is transferred to third parties except where a law requires it. The social "
                "networks you use to write to us process your data under their own terms."
            ),
            rights=_(
                "You may access, rectify and erase your data, object to and restrict its processing, "
                "and withdraw your consent at any time, by writing to the organisation. You may also "
                "complain to the Spanish Data Protection Agency (AEPD)."
            ),
            full_text=_(
                "Messages and comments are kept as public records for as long as the law on archives "
                "requires, and blocked before they are destroyed (LOPDGDD art. 32). A message sent "
                "through a social network is not a formal application: formal applications go to "
                "the electronic office (Law 39/2015, art. 16.4). Contact the data protection officer "
                "through the organisation's electronic office."
            ),
        )


def default_statement(organisation: Organisation, language: str) -> AccessibilityStatement:
    """An unsaved statement following the model of RD 1112/2018, in ``language``."""
    with translation.override(language):
        return AccessibilityStatement(
            organisation=organisation,
            language=language,
            conformity=Conformity.PARTIAL,
            non_accessible=_(
                "Images published before descriptions were required may lack a text alternative. "
                "Documents attached by other organisations may not be accessible."
            ),
            prepared_on=datetime.date(timezone.now().year, 1, 1),
            method=_("Self-assessment by the organisation, with automatic WCAG 2.1 AA checks of every page."),
            reviewed_on=None,
            contact=_(
                "Tell us about any accessibility barrier, or ask for inaccessible content in another "
                "format, through the organisation's electronic office. We answer within 20 working days."
            ),
            enforcement=_(
                "If you receive no satisfactory answer within 20 working days, you may file a claim "
                "with the organisation's accessibility unit as set out in article 13 of Royal Decree "
                "1112/2018 of 7 September."
            ),
        )


def privacy_notice(organisation: Organisation, language: str) -> PrivacyNotice:
    return PrivacyNotice.objects.filter(
        organisation=organisation, language=language
    ).first() or default_privacy(organisation, language)


def accessibility_statement(organisation: Organisation, language: str) -> AccessibilityStatement:
    return AccessibilityStatement.objects.filter(
        organisation=organisation, language=language
    ).first() or default_statement(organisation, language)


def _save(model, default, fields: list[str], action: str, organisation, language, values, actor, request):
    with transaction.atomic():
        row = model.objects.select_for_update().filter(organisation=organisation, language=language).first()
        row = row or default(organisation, language)
        changes = {
            name: [str(getattr(row, name)), str(values[name])]
            for name in fields
            if name in values and getattr(row, name) != values[name]
        }
        for name in fields:
            if name in values:
                setattr(row, name, values[name])
        row.save()
        audit.record(
            action,
            actor=actor,
            organisation=organisation,
            obj=row,
            changes=changes,
            details={"language": language},
            request=request,
        )
    return row


def save_privacy(organisation: Organisation, language: str, values: dict, *, actor, request=None):
    """Store the notice for ``language`` (creating it from the default the first time)."""
    return _save(
        PrivacyNotice,
        default_privacy,
        PRIVACY_FIELDS,
        "privacy_notice.saved",
        organisation,
        language,
        values,
        actor,
        request,
    )


def save_statement(organisation: Organisation, language: str, values: dict, *, actor, request=None):
    """Store the accessibility statement for ``language``."""
    return _save(
        AccessibilityStatement,
        default_statement,
        STATEMENT_FIELDS,
        "accessibility_statement.saved",
        organisation,
        language,
        values,
        actor,
        request,
    )
