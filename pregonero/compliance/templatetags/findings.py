"""``{% marked text report language %}``: a text with the stretches the checks concern marked.

Each stretch is a ``<mark>`` followed by links to its findings in the findings panel
(``#finding-<number>``), naming the rule in words, so the highlight never rests on colour alone.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _plain(text: str) -> str:
    return linebreaksbr(text, autoescape=True)


@register.simple_tag
def marked(text: str, report, language: str | None) -> SafeString:
    """``text`` escaped, line breaks kept, with the findings of ``report`` in ``language``
    marked; without a report, just the escaped text."""
    if not report:
        return _plain(text)
    pieces, cursor = [], 0
    for mark in report.marks(text, language):
        links = format_html_join(
            " ",
            '<a class="finding-ref" href="#finding-{}"><span class="visually-hidden">{} </span>{}</a>',
            ((issue.number, _("finding"), issue.rule) for issue in mark.issues),
        )
        pieces.append(_plain(text[cursor : mark.start]))
        pieces.append(format_html("<mark>{}</mark> {}", _plain(text[mark.start : mark.end]), links))
        cursor = mark.end
    pieces.append(_plain(text[cursor:]))
    return mark_safe("".join(str(piece) for piece in pieces))  # noqa: S308 -- every piece is escaped above
