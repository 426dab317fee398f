"""The export's accessible PDF summary: tagged PDF/UA-1 from an HTML template, by WeasyPrint.

The HTML has a language, a title, headings, tables with header cells and captions, so the
PDF carries a structure tree screen readers follow (A11Y). Fonts are the machine's own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation
from pregonero.archive.models import Direction, Kind

# WeasyPrint reports every layout step at INFO; an export's log needs none of them.
logging.getLogger("weasyprint").setLevel(logging.WARNING)


def summary_pdf(
    organisation: Organisation,
    summary,
    *,
    parameters: Mapping,
    title: str = "",
    redact: bool = False,
    language: str = "en",
) -> bytes:
    import weasyprint

    with translation.override(language):
        kinds, directions = dict(Kind.choices), dict(Direction.choices)
        context = {
            "language": language,
            "title": title or _("Archive export of %(organisation)s") % {"organisation": organisation.name},
            "organisation": organisation,
            "parameters": sorted((str(k), str(v)) for k, v in parameters.items() if v not in (None, "", [])),
            "summary": summary,
            "by_kind": [(str(kinds.get(k, k)), n) for k, n in summary.by_kind.most_common()],
            "by_channel": [(k or _("No channel"), n) for k, n in summary.by_channel.most_common()],
            "records": [
                {
                    **record,
                    "kind_label": kinds.get(record["kind"], record["kind"]),
                    "direction_label": directions.get(record["direction"], ""),
                }
                for record in summary.listed
            ],
            "more": summary.records - len(summary.listed),
            "redact": redact,
        }
        html = render_to_string("exports/summary_pdf.html", context)
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
