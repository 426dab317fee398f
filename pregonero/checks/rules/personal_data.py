"""DATA: personal data in public text, identity published with a full id, minors in media."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from pregonero.checks.model import CheckInput, Finding, Severity
from pregonero.checks.rules._common import targets
from pregonero.text.personal_data import find_personal_data

SOURCE_DATA = "RGPD art. 5.1.c; LOPDGDD (BOE-A-2018-16673)"
SOURCE_HEALTH = "RGPD art. 9 (categorías especiales)"
SOURCE_IDENTITY = "LOPDGDD disp. adic. 7ª"
SOURCE_MINORS = "LOPDGDD art. 7; LO 1/1996 art. 4"

_SEVERITY: dict[str, Severity] = {
    "dni": "block",
    "nie": "block",
    "iban": "block",
    "phone": "warn",
    "email": "warn",
}
# A personal name: two or more capitalised words, particles allowed ("María de la Fuente").
_NAME = re.compile(
    r"[A-ZÁÉÍÓÚÑÇ][a-záéíóúñçàèòïü]+(?:\s+(?:de\s+|del\s+|la\s+|i\s+|y\s+)*[A-ZÁÉÍÓÚÑÇ][a-záéíóúñçàèòïü]+)+"
)
NAME_WINDOW = 40


def _normalise(value: str) -> str:
    return re.sub(r"[\s.()\-]", "", value).lower().removeprefix("+34").removeprefix("0034")


def _is_own(kind: str, value: str, own: set[str]) -> bool:
    value = _normalise(value)
    if value in own:
        return True
    return kind == "email" and any(value.endswith("@" + o) or value.endswith("." + o) for o in own)


def personal_data(ci: CheckInput) -> list[Finding]:
    """DATA-1: ids, phones, e-mails, IBANs and health terms; DATA-2: a name next to a full id.

    The organisation's own public contacts (``RuleSettings.own_contacts``) are not personal data.
    """
    own = {_normalise(v) for v in ci.settings.own_contacts}
    findings = []
    for target in targets(ci):
        for item in find_personal_data(target.text):
            if _is_own(item.kind, item.text, own):
                continue
            if item.kind == "health":
                severity: Severity = "info"
                message = _(
                    "A health term (%(words)s): make sure it does not concern an identifiable person."
                )
                source = SOURCE_HEALTH
            else:
                severity = _SEVERITY[item.kind]
                message = _(
                    "Personal data (%(words)s) in a public post; move the conversation to a private channel."
                )
                source = SOURCE_DATA
            where = (target.language, target.channel, target.part, (item.start, item.end), (item.text,))
            findings.append(
                Finding("DATA-1", severity, message % {"words": f"«{item.text}»"}, source, *where)
            )
            if item.kind in ("dni", "nie") and _has_name_near(target.text, item.start, item.end):
                findings.append(
                    Finding(
                        "DATA-2",
                        "block",
                        _(
                            "A name next to a full identity number (%(words)s): publish the name with four "
                            "digits of the number at most."
                        )
                        % {"words": f"«{item.text}»"},
                        SOURCE_IDENTITY,
                        *where,
                    )
                )
    return findings


def _has_name_near(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - NAME_WINDOW) : start] + " " + text[end : end + NAME_WINDOW]
    return _NAME.search(window) is not None


def minors_in_media(ci: CheckInput) -> list[Finding]:
    """DATA-3 (block): media showing minors without recorded parental consent."""
    return [
        Finding(
            "DATA-3",
            "block",
            _("Media %(n)d shows minors and no parental consent is recorded.") % {"n": index + 1},
            SOURCE_MINORS,
        )
        for index, media in enumerate(ci.media)
        if media.shows_minors and not media.consent_recorded
    ]
