"""LANG: the required language versions are there, each is in its language, and none is an
unreviewed machine translation."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pregonero.checks.model import CheckInput, Finding
from pregonero.text.language import DEFAULT_CANDIDATES, identify

SOURCE_REQUIRED = "Política lingüística de la cuenta; Ley 29/2005 art. 9 (campañas)"
SOURCE_IDENTITY = "Política lingüística de la cuenta (RULES.md LANG-2)"
SOURCE_MACHINE = (
    "Ley 29/2005 art. 9 (lenguas cooficiales); la traducción automática es un borrador que revisa "
    "una persona (RULES.md LANG-3)"
)


def _base(code: str) -> str:
    # "ca-valencia" and "ca" are one language to the identifier.
    return code.replace("_", "-").split("-")[0].lower()


def required_versions(ci: CheckInput) -> list[Finding]:
    """LANG-1 (block): a required language has no text, or a channel lacks its variant."""
    present = {_base(lang) for lang, text in ci.texts.items() if text.strip()}
    findings = [
        Finding(
            "LANG-1",
            "block",
            _("The %(language)s version is required and missing.") % {"language": lang},
            SOURCE_REQUIRED,
            language=lang,
        )
        for lang in ci.policy.required
        if _base(lang) not in present
    ]
    by_channel: dict[str, set[str]] = {}
    for variant in ci.variants:
        if any(part.strip() for part in variant.parts):
            by_channel.setdefault(variant.channel, set()).add(_base(variant.language))
    for channel, languages in by_channel.items():
        for lang in ci.policy.required:
            if _base(lang) in present and _base(lang) not in languages:
                findings.append(
                    Finding(
                        "LANG-1",
                        "block",
                        _("%(channel)s has no %(language)s version.")
                        % {"channel": channel, "language": lang},
                        SOURCE_REQUIRED,
                        language=lang,
                        channel=channel,
                    )
                )
    return findings


def version_language(ci: CheckInput) -> list[Finding]:
    """LANG-2 (warn): a version reads as another language, with enough confidence to say so.

    Short texts (a greeting, a hashtag) are not judged: see pregonero.text.language.MIN_LETTERS.
    """
    findings = []
    for lang, text in ci.texts.items():
        claimed = _base(lang)
        if claimed not in DEFAULT_CANDIDATES or not text.strip():
            continue
        result = identify(text, DEFAULT_CANDIDATES)
        if result.language not in (None, claimed) and result.confidence >= ci.settings.language_confidence:
            findings.append(
                Finding(
                    "LANG-2",
                    "warn",
                    _("The %(claimed)s version reads as %(found)s (%(confidence).0f%% sure).")
                    % {"claimed": lang, "found": result.language, "confidence": result.confidence * 100},
                    SOURCE_IDENTITY,
                    language=lang,
                    span=(0, len(text)),
                    evidence=(result.language,),
                )
            )
    return findings


def machine_translations(ci: CheckInput) -> list[Finding]:
    """LANG-3 (block): a version is a machine translation no person has edited or confirmed.

    Apertium drafts the co-official language (pregonero.text.translate); publishing its
    output unread would put the organisation's name to mistakes nobody saw.
    """
    return [
        Finding(
            "LANG-3",
            "block",
            _("The %(language)s version is a machine translation nobody has reviewed: edit it or confirm it.")
            % {"language": lang},
            SOURCE_MACHINE,
            language=lang,
            span=(0, len(ci.texts[lang])),
        )
        for lang in sorted(ci.machine_translated)
        if ci.texts.get(lang, "").strip()
    ]
