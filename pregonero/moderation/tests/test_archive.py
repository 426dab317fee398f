"""REC-2: a hidden or deleted comment keeps its archive copy, with the rule cited and who decided."""

from __future__ import annotations

import pytest

from pregonero.archive import services as archive
from pregonero.archive.models import ArchiveRecord, Kind
from pregonero.moderation import services
from pregonero.moderation.models import Action

pytestmark = pytest.mark.django_db


def test_a_hide_and_its_reversal_are_archived_with_the_message_as_it_was(ana, insult, respectful):
    decision = services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    record = ArchiveRecord.objects.get(kind=Kind.MODERATION)
    assert (record.source_type, record.source_id) == ("moderation.decision", str(decision.pk))
    assert record.text == "Sou uns inútils i uns lladres, tots."
    assert record.content["action"] == "hide"
    assert record.content["rule"] == {"code": "R2", "version": 1}
    assert record.content["decided_by"] == decision.decided_by_label
    assert record.author == "@maria@fake.example"
    services.reverse(decision, actor=ana)
    assert ArchiveRecord.objects.filter(kind=Kind.MODERATION).count() == 2
    assert archive.verify().ok
