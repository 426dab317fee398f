"""Moderating messages: a rule is always cited, only what the network allows, the original kept,
every decision in the register whatever the network answered, reversals, expiry, notices, appeals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.channels.connectors.base import ConnectorError
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel
from pregonero.inbox.models import Message
from pregonero.inbox.tests.fakes import ChatConnector
from pregonero.moderation import services
from pregonero.moderation.models import (
    Action,
    AppealOutcome,
    Decision,
    NoticeOutcome,
    NoticeTemplate,
    Outcome,
)
from pregonero.moderation.tests import fakes
from pregonero.moderation.tests.conftest import store

pytestmark = pytest.mark.django_db


def test_an_editor_hides_a_message_citing_a_rule_and_the_text_is_kept(ana, insult, respectful):
    decision = services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)

    assert fakes.CALLS == [("hide", "m1", "42", "")]
    assert decision.carried_out and decision.in_effect
    assert decision.rule.code == "R2" and decision.rule.rulebook.version == 1
    assert decision.content == "Sou uns inútils i uns lladres, tots."
    assert decision.decided_by == ana and decision.author_handle == "@maria@fake.example"
    kept = Message.objects.get(pk=insult.pk)
    assert kept.text == "Sou uns inútils i uns lladres, tots." and list(kept.moderation.all()) == [decision]
    entry = AuditEntry.objects.get(action="moderation.decided")
    assert entry.details["rule"] == "R2" and entry.actor == ana


def test_a_rule_of_another_organisation_or_an_earlier_version_is_refused(
    ana, alba, insult, respectful, vilanova
):
    services.save_rule(
        vilanova,
        actor=alba,
        draft=services.RuleDraft("R2", {"ca": "Respecte", "es": "Respeto"}, {"ca": "Sense insults."}),
    )
    with pytest.raises(ValidationError):
        services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    assert not Decision.objects.exists() and fakes.CALLS == []


def test_readers_and_contributors_cannot_moderate(vera, carles, insult, respectful):
    for person in (vera, carles):
        with pytest.raises(PermissionDenied):
            services.moderate(insult, action=Action.HIDE, rule=respectful, actor=person)
    assert fakes.CALLS == []


def test_only_what_the_network_allows_is_possible(vilanova, ana, respectful):
    channel = Channel.objects.create(organisation=vilanova, connector="test_moderation_block", name="Blocks")
    reply = store(channel, "b1", "Spam spam spam")
    assert services.allowed_actions(reply) == [Action.BLOCK]
    with pytest.raises(ValidationError):
        services.moderate(reply, action=Action.HIDE, rule=respectful, actor=ana)


def test_private_messages_can_be_blocked_but_not_hidden_or_deleted(channel, respectful):
    private = store(channel, "dm1", "Sou uns lladres", kind=MessageKind.DIRECT, in_reply_to=None)
    assert services.allowed_actions(private) == [Action.BLOCK]


def test_what_is_in_effect_is_not_offered_again(ana, insult, respectful):
    services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    assert services.allowed_actions(insult) == [Action.DELETE, Action.BLOCK]
    services.moderate(insult, action=Action.DELETE, rule=respectful, actor=ana)
    assert services.allowed_actions(insult) == [Action.BLOCK]


def test_a_refusal_of_the_network_is_recorded_as_not_carried_out(ana, insult, respectful):
    fakes.FAIL["hide"] = ConnectorError("The network refused.", permanent=True)
    decision = services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    assert decision.network_outcome == Outcome.FAILED and decision.network_error == "The network refused."
    assert not decision.in_effect
    assert AuditEntry.objects.get(action="moderation.decided").outcome == "failure"
    # Not in effect: it can be tried again.
    assert Action.HIDE in services.allowed_actions(insult)


def test_a_hide_is_reversed_as_a_new_decision(ana, insult, respectful):
    hidden = services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    undo = services.reverse(hidden, actor=ana, note="Context: it was irony.")
    assert undo.action == Action.UNHIDE and undo.reverses == hidden and undo.carried_out
    assert fakes.CALLS[-1] == ("unhide", "m1", "42", "ref-1")
    hidden.refresh_from_db()
    assert not hidden.in_effect and hidden.reversal() == undo
    assert AuditEntry.objects.filter(action="moderation.reversed").count() == 1
    with pytest.raises(ValidationError):
        services.reverse(hidden, actor=ana)


def test_a_deletion_cannot_be_reversed_nor_given_an_end_date(ana, insult, respectful):
    with pytest.raises(ValidationError):
        services.moderate(
            insult,
            action=Action.DELETE,
            rule=respectful,
            actor=ana,
            expires_at=timezone.now() + timedelta(days=1),
        )
    deleted = services.moderate(insult, action=Action.DELETE, rule=respectful, actor=ana)
    with pytest.raises(ValidationError):
        services.reverse(deleted, actor=ana)


def test_an_expired_block_is_lifted_by_the_clock_and_a_running_one_is_not(ana, channel, insult, respectful):
    other = store(channel, "m2", "Spam", author="77", handle="@pere@fake.example")
    ending = services.moderate(
        insult,
        action=Action.BLOCK,
        rule=respectful,
        actor=ana,
        expires_at=timezone.now() + timedelta(days=30),
    )
    running = services.moderate(
        other, action=Action.BLOCK, rule=respectful, actor=ana, expires_at=timezone.now() + timedelta(days=60)
    )
    assert services.lift_expired(timezone.now() + timedelta(days=31)) == 1
    ending.refresh_from_db()
    lifted = ending.reversal()
    assert (
        lifted.action == Action.UNBLOCK and lifted.decided_by is None and lifted.decided_by_label == "system"
    )
    assert running.in_effect
    assert fakes.CALLS[-1] == ("unblock", "m1", "42", "ref-1")
    assert services.lift_expired(timezone.now() + timedelta(days=31)) == 0


def test_a_block_covers_the_authors_other_messages(ana, channel, insult, respectful):
    later = store(channel, "m3", "Una altra vegada", in_reply_to="post-2")
    services.moderate(insult, action=Action.BLOCK, rule=respectful, actor=ana)
    assert Action.BLOCK not in services.allowed_actions(later)
    assert [decision.action for decision in services.in_effect(later)] == [Action.BLOCK]


def test_a_notice_from_a_template_goes_to_the_citizen_with_the_rule_filled_in(
    ana, vilanova, insult, respectful
):
    template = NoticeTemplate.objects.create(
        organisation=vilanova,
        name="Amagat",
        texts={"ca": "Hem amagat el teu comentari per la norma {rule} ({rule_title}): {rules_url}"},
    )
    decision = services.moderate(
        insult, action=Action.HIDE, rule=respectful, actor=ana, notice_template=template, notice_language="ca"
    )
    assert decision.notice_outcome == NoticeOutcome.SENT
    assert decision.notice_text.startswith("Hem amagat el teu comentari per la norma R2 (")
    assert decision.notice_text.endswith("/p/vilanova-de-mar/participation-rules/v1/")
    assert ChatConnector.REPLIES[-1][1] == f"@maria@fake.example {decision.notice_text}"


def test_a_notice_the_network_refuses_is_recorded_as_not_sent(ana, insult, respectful, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectorError("Chat closed.", permanent=True)

    monkeypatch.setattr(fakes.ModeratedConnector, "reply", refuse)
    decision = services.moderate(
        insult, action=Action.HIDE, rule=respectful, actor=ana, notice_text="Norma {rule}."
    )
    assert decision.carried_out and decision.notice_outcome == NoticeOutcome.FAILED
    assert "Chat closed." in decision.notice_error


def test_a_granted_appeal_reverses_the_decision_and_an_upheld_one_does_not(
    ana, pau, channel, insult, respectful
):
    hidden = services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    appeal = services.record_appeal(hidden, actor=ana, text="No era un insult, era una crítica.")
    services.decide_appeal(appeal, actor=pau, outcome=AppealOutcome.GRANTED, note="Crítica legítima.")
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.GRANTED and appeal.decided_by == pau
    assert hidden.reversal().action == Action.UNHIDE

    other = store(channel, "m4", "Lladres!", author="9", handle="@joan@fake.example")
    blocked = services.moderate(other, action=Action.BLOCK, rule=respectful, actor=ana)
    second = services.record_appeal(blocked, actor=ana, text="Desbloquegeu-me.")
    services.decide_appeal(second, actor=pau, outcome=AppealOutcome.UPHELD, note="Reiterat.")
    assert blocked.in_effect
    assert AuditEntry.objects.filter(action="moderation.appeal_decided").count() == 2


def test_the_archive_hook_sees_every_decision_inside_its_transaction(ana, insult, respectful, monkeypatch):
    seen = []
    monkeypatch.setattr(services, "on_decision", lambda decision: seen.append((decision.action, decision.pk)))
    hidden = services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    undo = services.reverse(hidden, actor=ana)
    assert seen == [(Action.HIDE, hidden.pk), (Action.UNHIDE, undo.pk)]


def test_the_clock_tries_an_expired_block_once_and_leaves_a_refusal_to_a_person(ana, insult, respectful):
    blocked = services.moderate(
        insult, action=Action.BLOCK, rule=respectful, actor=ana, expires_at=timezone.now() + timedelta(days=1)
    )
    fakes.FAIL["unblock"] = ConnectorError("The network is down.")
    later = timezone.now() + timedelta(days=2)
    assert services.lift_expired(later) == 0
    assert services.lift_expired(later) == 0
    assert blocked.reversals.count() == 1 and blocked.reversals.get().network_outcome == Outcome.FAILED
    blocked.refresh_from_db()
    assert blocked.in_effect
    fakes.FAIL.clear()
    assert services.reverse(blocked, actor=ana).carried_out
