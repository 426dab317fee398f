"""Compile every gettext catalogue under pregonero/locale (.po -> .mo) with Babel.

Django's own compilemessages needs GNU gettext from the system; Babel comes from the
lock file, so a fresh machine needs nothing else. Fuzzy entries are left out, as
msgfmt does by default.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent / "locale"


def compile_all() -> None:
    """Write a .mo beside every .po that is newer than it."""
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


if __name__ == "__main__":
    compile_all()
