"""Find personal data in free text (RULES.md DATA-1).

Contract: ``find_personal_data(text)`` returns every finding as a ``PersonalData`` whose
``start``/``end`` are Python ``str`` offsets into ``text`` (so ``text[start:end] == .text``),
sorted by position, never overlapping. Kinds:

- ``dni``: 8 digits and a check letter that matches the mod-23 table; separators "-", "." and
  spaces and a lower-case letter are tolerated. A wrong letter is not a DNI (and its digits are
  not reported as a phone either).
- ``nie``: X/Y/Z, 7 digits and a matching check letter.
- ``phone``: Spanish numbers of 9 digits starting 6, 7, 8 or 9, optionally after +34/0034, in
  the usual groupings (612345678, 612 345 678, 612 34 56 78, 91 123 45 67, dots or dashes).
  Amounts ("900.000.000 €"), years, postcodes and dates are not 9-digit groupings, and a
  grouping followed by a currency or "%" is skipped.
- ``email``: ``local@domain.tld``.
- ``iban``: any country, spaced in fours or not, valid by the ISO 13616 mod-97 checksum.
- ``health``: a short Spanish, Catalan/Valencian and Galician term list, whole words, case-
  and accent-insensitive. Advisory: "diagnóstico participativo" is a false positive a person
  dismisses; "tratamiento de datos/aguas/residuos" is skipped because the tool's own
  data-protection notices say it.

When findings overlap, the more specific kind wins (email, iban, nie, dni, phone, health).
``reason`` is a short English note for developers; the interface translates by ``kind``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pregonero.text.fold import fold

__all__ = ["PersonalData", "find_personal_data", "is_valid_dni", "is_valid_iban", "is_valid_nie"]

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_NIE_PREFIX = {"X": "0", "Y": "1", "Z": "2"}

# Digits may be grouped 12.345.678 or 12 345 678; the letter may follow after "-" or a space.
_DNI = regex.compile(
    r"(?<![\w.,])(?P<number>\d{8}|\d{2}(?P<sep>[. ])\d{3}(?P=sep)\d{3})[ -]?(?P<letter>[A-Za-z])(?!\w)"
)
_NIE = regex.compile(r"(?<![\w.,])(?P<prefix>[XYZxyz])[ -]?(?P<number>\d{7})[ -]?(?P<letter>[A-Za-z])(?!\w)")
# The usual Spanish groupings only, so runs of unrelated small numbers do not add up to nine.
_PHONE = regex.compile(
    r"""
    (?<![\w.,/+-]|\d[.,])
    (?:(?:\+|\(\+|00)34\)?[\ .-]?)?
    (?:[6-9]\d{8}
      |[6-9]\d{2}(?P<s1>[\ .-])\d{3}(?P=s1)\d{3}
      |[6-9]\d{2}(?P<s2>[\ .-])\d{2}(?P=s2)\d{2}(?P=s2)\d{2}
      |[6-9]\d(?P<s3>[\ .-])\d{3}(?P=s3)\d{2}(?P=s3)\d{2})
    (?![\w/-]|[.,]\d)
    (?!\s*(?:€|\$|%|eur(?:os?)?\b|de\s+euros\b))
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
_EMAIL = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = regex.compile(r"(?<!\w)[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?!\w)")
_IBAN_COMPACT = regex.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")

# Folded (lower case, no accents) stems; plural endings are spelled out so matches stay whole words.
_HEALTH_TERMS = [
    r"diagnostic(?:o|os)?",  # es/gl diagnóstico, ca diagnòstic
    r"diagnosis?",
    r"enfermedad(?:es)?",
    r"enfermidades?",  # gl
    r"malalti(?:a|es)",
    r"discapacidad(?:es)?",
    r"discapacidades?",  # gl discapacidade
    r"discapacitad(?:o|os|a|as)",
    r"discapacitat(?:s)?",
    r"embaraz(?:o|os|ada|adas)",
    r"embaras(?:sada|sades)?",  # ca embaràs, embarassada
    r"vih",
    r"sida",
    r"cancer(?:es)?",
    r"depresi(?:on|ons|ones)",
    r"depressi(?:o|ons)",
    r"bajas?\s+medicas?",
    r"baix(?:a|es)\s+mediques",
    r"baixa\s+medica",
    r"quimioterapia",
    r"diabet(?:es|is)",
    r"alzheimer",
    r"esquizofrenia",
    r"(?:tratamiento|tractament|tratamento)s?(?!\s+(?:de|del|d')\s*(?:los\s+|les\s+)?"
    r"(?:datos|dades|aguas|aigues|residuos|residus|residuos))",
]
_HEALTH = regex.compile(r"(?<!\w)(?:" + "|".join(_HEALTH_TERMS) + r")(?!\w)")

_PRIORITY = {"email": 0, "iban": 1, "nie": 2, "dni": 3, "phone": 4, "health": 5}


@dataclass(frozen=True, slots=True)
class PersonalData:
    kind: str
    start: int
    end: int
    text: str
    reason: str


def is_valid_dni(value: str) -> bool:
    """Whether ``value`` is 8 digits and the matching mod-23 letter (separators tolerated)."""
    compact = regex.sub(r"[\s.-]", "", value).upper()
    if not regex.fullmatch(r"\d{8}[A-Z]", compact):
        return False
    return _DNI_LETTERS[int(compact[:8]) % 23] == compact[8]


def is_valid_nie(value: str) -> bool:
    """Whether ``value`` is X/Y/Z, 7 digits and the matching letter (separators tolerated)."""
    compact = regex.sub(r"[\s.-]", "", value).upper()
    if not regex.fullmatch(r"[XYZ]\d{7}[A-Z]", compact):
        return False
    return _DNI_LETTERS[int(_NIE_PREFIX[compact[0]] + compact[1:8]) % 23] == compact[8]


def is_valid_iban(value: str) -> bool:
    """Whether ``value`` passes the ISO 13616 mod-97 check (spaces and lower case tolerated)."""
    compact = value.replace(" ", "").upper()
    if not _IBAN_COMPACT.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    # int(c, 36) turns A..Z into 10..35, as the standard asks.
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def find_personal_data(text: str) -> list[PersonalData]:
    """Every personal datum in ``text``, sorted by position, without overlaps."""
    found: list[PersonalData] = []

    # The e-mail pattern is tried at every word; most posts have no "@" to find.
    for m in _EMAIL.finditer(text) if "@" in text else ():
        found.append(_item("email", m.start(), m.end(), text, "e-mail address"))

    for m in _IBAN.finditer(text):
        span = _longest_valid_iban(text, m.start(), m.end())
        if span:
            found.append(_item("iban", *span, text, "IBAN with a valid mod-97 checksum"))

    for m in _NIE.finditer(text):
        if is_valid_nie(m.group()):
            found.append(_item("nie", m.start(), m.end(), text, "NIE with a matching check letter"))

    # Every DNI-shaped span, valid or not, keeps its digits from being read as a phone.
    dni_shaped: list[tuple[int, int]] = []
    for m in _DNI.finditer(text):
        dni_shaped.append(m.span())
        if is_valid_dni(m.group()):
            found.append(_item("dni", m.start(), m.end(), text, "DNI with a matching check letter"))

    for m in _PHONE.finditer(text):
        if not any(_overlaps(m.span(), span) for span in dni_shaped):
            found.append(_item("phone", m.start(), m.end(), text, "Spanish phone number"))

    for m in _HEALTH.finditer(fold(text)):
        found.append(_item("health", m.start(), m.end(), text, "health term (special category data)"))

    return _without_overlaps(found)


def _item(kind: str, start: int, end: int, text: str, reason: str) -> PersonalData:
    return PersonalData(kind=kind, start=start, end=end, text=text[start:end], reason=reason)


def _longest_valid_iban(text: str, start: int, end: int) -> tuple[int, int] | None:
    # A spaced IBAN can run into a following four-letter word ("... 1332 para"): retreat
    # group by group until the checksum holds.
    candidate = text[start:end]
    while len(candidate.replace(" ", "")) >= 15:
        if is_valid_iban(candidate):
            return start, start + len(candidate)
        cut = candidate.rfind(" ")
        if cut == -1:
            return None
        candidate = candidate[:cut]
    return None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _without_overlaps(found: list[PersonalData]) -> list[PersonalData]:
    kept: list[PersonalData] = []
    for item in sorted(found, key=lambda i: (_PRIORITY[i.kind], i.start)):
        if not any(_overlaps((item.start, item.end), (k.start, k.end)) for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda i: i.start)
