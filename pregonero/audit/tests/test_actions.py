"""Every action the code records has a label people can read, in every catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from pregonero.audit.actions import LABELS, label

PACKAGE = Path(__file__).resolve().parents[2]
# The codes named at the start of a call to `audit.record(...)` or to the publishing
# helper `transition(post, "code", ...)`, or passed as `action="code"`.
CALL = re.compile(r"\b(?:audit\.record|transition)\(")
CODE = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")
KEYWORD = re.compile(r"""action=["']([a-z_]+\.[a-z_]+)["']""")


def recorded_actions() -> set[str]:
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for call in CALL.finditer(source):
            codes.update(CODE.findall(source, call.end(), call.end() + 160))
        codes.update(KEYWORD.findall(source))
    return codes


def test_the_source_records_actions_this_test_can_see():
    # Guards the pattern itself: if it stopped matching, the next test would pass vacuously.
    assert {"post.withdrawn", "inbox.reply_sent", "official_account.changed"} <= recorded_actions()


def test_every_recorded_action_has_a_label():
    assert sorted(recorded_actions() - LABELS.keys()) == []


def test_labels_are_translated_and_unknown_codes_show_as_themselves():
    with translation.override("es"):
        assert label("inbox.reply_sent") == "Respuesta enviada"
    with translation.override("ca"):
        assert label("retention.hold_placed") == "Retenció legal establerta"
    assert label("something.new") == "something.new"
