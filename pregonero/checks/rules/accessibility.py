"""A11Y: descriptions, captions, text in images, hashtags and emoji, acronyms, readability."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from pregonero.checks.model import CheckInput, Finding
from pregonero.checks.rules._common import Target, targets
from pregonero.text.fold import fold
from pregonero.text.hashtags import (
    emoji_count,
    find_hashtags,
    hashtags_not_at_end,
    is_camel_case,
    is_emoji_only,
)
from pregonero.text.readability import MIN_WORDS, inflesz_band
from pregonero.text.readability import readability as score_readability

SOURCE_ALT = "WCAG 2.1 1.1.1 (EN 301 549; RD 1112/2018)"
SOURCE_CAPTIONS = "WCAG 2.1 1.2.2 (EN 301 549; RD 1112/2018); Ley 29/2005 art. 5"
SOURCE_TEXT_IN_IMAGE = "WCAG 2.1 1.4.5 (EN 301 549; RD 1112/2018)"
SOURCE_STYLE = "Guías de estilo en redes sociales (RULES.md A11Y-4)"
SOURCE_ACRONYMS = "Lectura fácil / lenguaje claro (RULES.md A11Y-5)"
SOURCE_READABILITY = "INFLESZ, Barrio-Cantalejo 2008 (RULES.md A11Y-6)"

# Descriptions that describe nothing: a file name or the word "image".
_GENERIC = {
    "imagen",
    "imatge",
    "imaxe",
    "irudia",
    "image",
    "foto",
    "fotografia",
    "picture",
    "img",
    "captura",
    "cartel",
    "cartell",
}
_FILE_NAME = re.compile(r"^\S+\.(jpe?g|png|gif|webp|heic|mp4)$|^(img|dsc|pxl)[_-]?\d+", re.IGNORECASE)
# With images attached, a text with fewer letters than this cannot be carrying the information.
MIN_LETTERS_BESIDE_IMAGE = 15
# A poster-like image needs its information in a text at least this long (in letters).
MIN_LETTERS_BESIDE_TEXT_IMAGE = 60

# Two to six capitals (digits allowed after the first), not a hashtag, mention or URL piece.
_ACRONYM = re.compile(r"(?<![\w#@/.\-])([A-ZÁÉÍÓÚÑÇÀÈÒÏÜ][A-ZÁÉÍÓÚÑÇÀÈÒÏÜ0-9]{1,5})(?![\w\-])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
# "ES91" opens an IBAN; it is no acronym.
_IBAN_START = re.compile(r"^[A-Z]{2}\d{2}$")


def _words(text: str) -> frozenset[str]:
    """A word list written as words: ``"DNI NIE IVA"``."""
    return frozenset(text.split())


# Known to everyone, so no expansion is needed; organisations add theirs in settings.
WELL_KNOWN_ACRONYMS = _words(
    "DNI NIE NIF CIF IVA IBI IRPF UE ONG ONU OTAN TV PDF URL SMS FAQ ESO COVID DANA EEUU RENFE AVE "
    "DGT BOE ITV GPS WIFI USB QR OK UCI SOS VIH SIDA LGTBI LGTBIQ UNESCO PCR IES CEIP FP EBAU PAU "
    "ADIF AEMET SEPE INSS ONCE DOGV DOGC BOP BOPV DOG CP TIC ID PIN APP "
)
# Capitalised words that shout rather than abbreviate.
_SHOUTED = _words(
    "aviso avis alerta hoy avui ya ja gratis nuevo nou nueva nova urgent urgente ultima ultimo "
    "ultim atencion atencio ojo fin si no horari horario corte tall abierto obert cerrado tancat "
    "agenda plazo termini nota info video foto directo directe en la el de y i mana dema ven veni "
    "gran "
)


def image_descriptions(ci: CheckInput) -> list[Finding]:
    """A11Y-1: an image without a description blocks; a useless or too long one warns."""
    findings = []
    for index, media in enumerate(ci.media):
        if media.kind not in ("image", "gif"):
            continue
        number = {"n": index + 1}
        description = media.description.strip()
        if not description:
            findings.append(
                Finding("A11Y-1", "block", _("Image %(n)d has no text description.") % number, SOURCE_ALT)
            )
        elif fold(description).strip(" .") in _GENERIC or _FILE_NAME.match(description):
            findings.append(
                Finding(
                    "A11Y-1",
                    "warn",
                    _("The description of image %(n)d does not describe it; say what it shows.") % number,
                    SOURCE_ALT,
                    evidence=(description,),
                )
            )
        for variant in ci.variants:
            limit = variant.limits.max_alt_text
            if index in variant.media and limit is not None and len(description) > limit:
                findings.append(
                    Finding(
                        "A11Y-1",
                        "warn",
                        _(
                            "The description of image %(n)d is longer than the %(limit)d characters "
                            "%(channel)s allows."
                        )
                        % {**number, "limit": limit, "channel": variant.channel},
                        SOURCE_ALT,
                        channel=variant.channel,
                    )
                )
    return findings


def video_captions(ci: CheckInput) -> list[Finding]:
    """A11Y-2 (warn): a video without captions."""
    return [
        Finding("A11Y-2", "warn", _("Video %(n)d has no captions.") % {"n": index + 1}, SOURCE_CAPTIONS)
        for index, media in enumerate(ci.media)
        if media.kind == "video" and not media.has_captions
    ]


def text_in_images(ci: CheckInput) -> list[Finding]:
    """A11Y-3 (warn): the information seems to live only inside the images."""
    images = [m for m in ci.media if m.kind in ("image", "gif")]
    if not images:
        return []
    letters = max((sum(c.isalpha() for c in text) for text in ci.texts.values()), default=0)
    if letters < MIN_LETTERS_BESIDE_IMAGE or (
        any(m.contains_text for m in images) and letters < MIN_LETTERS_BESIDE_TEXT_IMAGE
    ):
        return [
            Finding(
                "A11Y-3",
                "warn",
                _("The information seems to be only inside the image; write it in the text of the post too."),
                SOURCE_TEXT_IN_IMAGE,
            )
        ]
    return []


def hashtags_and_emoji(ci: CheckInput) -> list[Finding]:
    """A11Y-4: hashtags in CamelCase, few and at the end; emoji beside words, not instead."""
    findings = []
    for target in targets(ci):
        findings += _hashtags(target, ci.settings.max_hashtags)
        findings += _emoji(target, ci.settings.max_emoji)
    return findings


def _finding(
    target: Target, rule: str, severity, message: str, source: str, span=None, evidence=()
) -> Finding:
    return Finding(
        rule, severity, message, source, target.language, target.channel, target.part, span, evidence
    )


def _hashtags(target: Target, max_hashtags: int) -> list[Finding]:
    findings = []
    tags = find_hashtags(target.text)
    for tag in tags:
        if not is_camel_case(tag.name):
            findings.append(
                _finding(
                    target,
                    "A11Y-4",
                    "warn",
                    _("Write the hashtag %(tag)s in CamelCase so screen readers can read its words.")
                    % {"tag": tag.text},
                    SOURCE_STYLE,
                    (tag.start, tag.end),
                    (tag.text,),
                )
            )
    if len(tags) > max_hashtags:
        findings.append(
            _finding(
                target,
                "A11Y-4",
                "warn",
                _("%(count)d hashtags; use at most %(max)d.") % {"count": len(tags), "max": max_hashtags},
                SOURCE_STYLE,
                (tags[0].start, tags[-1].end),
                tuple(t.text for t in tags),
            )
        )
    for tag in hashtags_not_at_end(target.text):
        findings.append(
            _finding(
                target,
                "A11Y-4",
                "info",
                _("The hashtag %(tag)s is in the middle of the text; hashtags read better at the end.")
                % {"tag": tag.text},
                SOURCE_STYLE,
                (tag.start, tag.end),
                (tag.text,),
            )
        )
    return findings


def _emoji(target: Target, max_emoji: int) -> list[Finding]:
    if is_emoji_only(target.text):
        return [
            _finding(
                target, "A11Y-4", "warn", _("The text is only emoji; say it in words too."), SOURCE_STYLE
            )
        ]
    count = emoji_count(target.text)
    if count > max_emoji:
        return [
            _finding(
                target,
                "A11Y-4",
                "warn",
                _("%(count)d emoji; screen readers read each one aloud. Use at most %(max)d.")
                % {"count": count, "max": max_emoji},
                SOURCE_STYLE,
            )
        ]
    return []


def acronyms(ci: CheckInput) -> list[Finding]:
    """A11Y-5 (warn): an acronym used without its expansion, once per acronym and text.

    Explained means: written as "expansion (ACR)" or "ACR (expansion)", or in the organisation's
    or the built-in list of acronyms everybody knows. A text mostly in capitals is shouting,
    not abbreviating, and is skipped.
    """
    # Party acronyms in the organisation's list are names everybody knows (NEUT-4 watches them).
    known = (
        WELL_KNOWN_ACRONYMS
        | {a.upper() for a in ci.settings.acronym_whitelist}
        | {t for t in ci.settings.party_terms if t.isupper()}
    )
    findings = []
    for target in targets(ci):
        text = target.text
        letters = [c for c in text if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) * 2 > len(letters):
            continue
        reported = set()
        for m in _ACRONYM.finditer(text):
            word = m.group(1)
            if word in reported or not _is_acronym(word, known):
                continue
            reported.add(word)
            if f"({word})" in text or re.match(r"\s*\(", text[m.end() :]):
                continue
            findings.append(
                _finding(
                    target,
                    "A11Y-5",
                    "warn",
                    _("The acronym %(acronym)s is not explained; write what it stands for the first time.")
                    % {"acronym": word},
                    SOURCE_ACRONYMS,
                    m.span(1),
                    (word,),
                )
            )
    return findings


def _is_acronym(word: str, known: frozenset[str] | set[str]) -> bool:
    letters = sum(c.isalpha() for c in word)
    return (
        letters >= 2
        and word not in known
        and not _ROMAN.match(word)
        and not _IBAN_START.match(word)
        and fold(word) not in _SHOUTED
    )


def readability(ci: CheckInput) -> list[Finding]:
    """A11Y-6 (warn, advisory): Spanish texts below the INFLESZ floor (55 by default)."""
    findings = []
    for target in targets(ci):
        if target.language != "es":
            continue
        result = score_readability(target.text)
        # The band is withheld for texts under two sentences, but one long sentence is itself
        # the hardest kind to read: judge it once it has enough words.
        measurable = result.band is not None or len(target.text.split()) >= MIN_WORDS
        if measurable and result.score_inflesz < ci.settings.readability_floor:
            findings.append(
                _finding(
                    target,
                    "A11Y-6",
                    "warn",
                    _(
                        "Hard to read: INFLESZ %(score).0f (%(band)s), below %(floor).0f. Shorter sentences "
                        "and everyday words help."
                    )
                    % {
                        "score": result.score_inflesz,
                        "band": _band_label(inflesz_band(result.score_inflesz)),
                        "floor": ci.settings.readability_floor,
                    },
                    SOURCE_READABILITY,
                    evidence=(f"INFLESZ {result.score_inflesz:.1f}",),
                )
            )
    return findings


def _band_label(band: str) -> str:
    return {
        "very_difficult": _("very difficult"),
        "somewhat_difficult": _("somewhat difficult"),
        "normal": _("normal"),
        "fairly_easy": _("fairly easy"),
        "very_easy": _("very easy"),
    }[band]
