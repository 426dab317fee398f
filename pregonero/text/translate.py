"""Machine translation into a co-official language with Apertium (RULES.md LANG-3).

The result is a *draft* for a person to review: the publishing side marks it as machine
translated and the LANG-3 check blocks publishing until someone edits or confirms it.

Contract:

- ``translate(text, source, target, variant=None)`` runs the ``apertium`` program (Debian
  packages installed by ``scripts/ensure-apertium``) once, without a shell, and returns the
  translated text. Pairs: es→ca (``variant="valencia"`` gives Valencian), ca→es, es→gl, gl→es.
  There is no Basque target: Apertium has no Spanish→Basque pair, only a weak Basque→Spanish
  one, and a bad draft in an official language is worse than none.
- What must come out exactly as it went in is protected: URLs, e-mail addresses, @mentions and
  #hashtags are replaced by empty HTML elements and Apertium runs in HTML mode, which passes
  markup through untouched; the text around them is escaped and unescaped. Without this,
  es→gl turns ``.es`` in a URL into ``.é`` and a mention into ``<sent>`` markup. Numbers,
  times, units and phone numbers survive the pairs as they are, so they are not protected.
- Failures are typed so callers can tell the person what happened in their language:
  :class:`ApertiumMissing`, :class:`PairUnavailable`, :class:`TranslationTimeout`,
  :class:`TranslationFailed` (all :class:`TranslationError`).
"""

from __future__ import annotations

import contextlib
import html
import os
import signal
import subprocess
from dataclasses import dataclass

import regex

from pregonero.text.hashtags import find_hashtags, find_mentions

__all__ = [
    "DEFAULT_TIMEOUT",
    "VALENCIAN",
    "ApertiumMissing",
    "PairUnavailable",
    "TranslationError",
    "TranslationFailed",
    "TranslationTimeout",
    "can_translate",
    "mode_for",
    "protect",
    "restore",
    "translate",
    "variant_for",
]

DEFAULT_TIMEOUT = 10.0
VALENCIAN = "valencia"

# (source, target, variant) -> Apertium mode, as Debian's packages name them.
MODES: dict[tuple[str, str, str | None], str] = {
    ("es", "ca", None): "spa-cat",
    ("es", "ca", VALENCIAN): "spa-cat_valencia",
    ("ca", "es", None): "cat-spa",
    ("es", "gl", None): "es-gl",
    ("gl", "es", None): "gl-es",
}
# Regions whose Catalan is Valencian (ISO 3166-2), for the es→ca variant.
VALENCIAN_REGIONS = frozenset({"ES-VC"})

_URL = regex.compile(
    r"(?<![\w@.])(?:https?://|www\.)[^\s<>\"«»]+?(?=[.,;:!?)\]}»'\"]*(?:\s|$))", regex.IGNORECASE
)
_EMAIL = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PLACEHOLDER = '<span data-keep="{}"></span>'
_PLACEHOLDER_SPLIT = regex.compile(r'<span data-keep="(\d+)"></span>')


class TranslationError(Exception):
    """Machine translation could not give a draft; nothing should change."""


class ApertiumMissing(TranslationError):
    """The apertium program is not installed (or not where the setting says)."""


class PairUnavailable(TranslationError):
    """No Apertium mode translates this pair: unsupported, or its package is not installed."""

    def __init__(self, source: str, target: str, variant: str | None = None):
        super().__init__(
            f"no machine translation from {source} to {target}{f' ({variant})' if variant else ''}"
        )
        self.source, self.target, self.variant = source, target, variant


class TranslationTimeout(TranslationError):
    """Apertium took longer than the timeout and was stopped."""


class TranslationFailed(TranslationError):
    """Apertium failed, or its output lost text that had to survive untouched."""


def mode_for(source: str, target: str, variant: str | None = None) -> str:
    """The Apertium mode for the pair; :class:`PairUnavailable` when there is none."""
    try:
        return MODES[(source, target, variant)]
    except KeyError:
        raise PairUnavailable(source, target, variant) from None


def can_translate(source: str, target: str) -> bool:
    """Whether a pair exists at all (in any variant); says nothing about installation."""
    return (source, target, None) in MODES


def variant_for(target: str, region: str | None) -> str | None:
    """The variant to ask for: Valencian for Catalan in the Valencian Community, else none."""
    if target == "ca" and (region or "").upper() in VALENCIAN_REGIONS:
        return VALENCIAN
    return None


@dataclass(frozen=True, slots=True)
class Protected:
    """``markup``: the text escaped for Apertium's HTML mode with placeholders; ``kept``: the
    original passages, in placeholder order."""

    markup: str
    kept: tuple[str, ...]


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans to keep, earliest first; URLs and e-mails win over the mentions inside them."""
    candidates = [m.span() for pattern in (_URL, _EMAIL) for m in pattern.finditer(text)]
    candidates += [(tag.start, tag.end) for tag in find_mentions(text) + find_hashtags(text)]
    spans: list[tuple[int, int]] = []
    for start, end in sorted(candidates, key=lambda span: (span[0], -span[1])):
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    return spans


def protect(text: str) -> Protected:
    """Escape ``text`` for Apertium's HTML mode, with each protected passage a placeholder."""
    pieces, kept, position = [], [], 0
    for start, end in _protected_spans(text):
        pieces.append(html.escape(text[position:start], quote=False))
        pieces.append(_PLACEHOLDER.format(len(kept)))
        kept.append(text[start:end])
        position = end
    pieces.append(html.escape(text[position:], quote=False))
    return Protected("".join(pieces), tuple(kept))


def restore(markup: str, kept: tuple[str, ...]) -> str:
    """Undo :func:`protect` on Apertium's output; :class:`TranslationFailed` if a placeholder
    did not come back exactly once (the protected passage would be lost or doubled)."""
    for index, _original in enumerate(kept):
        if markup.count(_PLACEHOLDER.format(index)) != 1:
            raise TranslationFailed(f"protected passage {index} did not survive translation")
    pieces = _PLACEHOLDER_SPLIT.split(markup)
    if len(pieces) != 2 * len(kept) + 1:
        raise TranslationFailed("translation came back with placeholders it was not given")
    # split alternates text and captured indexes: text, index, text, index, ..., text.
    return "".join(
        kept[int(piece)] if position % 2 else html.unescape(piece) for position, piece in enumerate(pieces)
    )


def translate(
    text: str,
    source: str,
    target: str,
    *,
    variant: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    binary: str = "apertium",
) -> str:
    """``text`` translated from ``source`` to ``target`` by Apertium; see the module docstring."""
    mode = mode_for(source, target, variant)
    if not text.strip():
        return text
    protected = protect(text)
    output = _run(binary, ["-u", "-f", "html", mode], protected.markup, timeout)
    if output.returncode != 0:
        if mode not in _installed_modes(binary, timeout):
            raise PairUnavailable(source, target, variant)
        raise TranslationFailed(
            f"apertium {mode} exited with {output.returncode}: {output.stderr.strip()[:300]}"
        )
    return restore(output.stdout, protected.kept)


def _installed_modes(binary: str, timeout: float) -> set[str]:
    listing = _run(binary, ["-l"], "", timeout)
    return set(listing.stdout.split())


def _run(binary: str, arguments: list[str], stdin: str, timeout: float) -> subprocess.CompletedProcess:
    """Run apertium in its own process group, so a timeout stops its whole pipeline."""
    try:
        # No shell; the program comes from the settings, the arguments from MODES.
        process = subprocess.Popen(  # noqa: S603
            [binary, *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
    except (FileNotFoundError, PermissionError, NotADirectoryError) as error:
        raise ApertiumMissing(f"cannot run {binary!r}: {error}") from error
    try:
        stdout, stderr = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise TranslationTimeout(f"apertium took more than {timeout:g} s") from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
