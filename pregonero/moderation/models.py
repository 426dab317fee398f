"""The moderation register (RULES.md MOD-1): published participation rules, the decisions that
cite them, their reversals and the citizens' appeals.

Nothing here is ever changed in place in a way that loses what was decided: a new version of
the rules keeps the old ones (decisions point at the rule of the version they cited), undoing a
decision is a new decision that names the one it reverses, and each decision keeps a copy of
the message it acted on, so the original content survives whatever the network does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RuleBook(models.Model):
    """One published version of an organisation's participation rules; never edited afterwards."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="rulebooks"
    )
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="one_rulebook_per_version")
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


def in_language(values: dict, language: str, fallback: str) -> str:
    """The text in ``language``, else in ``fallback``, else any there is."""
    return values.get(language) or values.get(fallback) or next(iter(values.values()), "")


class Rule(models.Model):
    """One rule of one version, with its short code and its title and text per language."""

    rulebook = models.ForeignKey(RuleBook, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("code"), max_length=16)
    position = models.PositiveIntegerField(default=0)
    titles = models.JSONField(_("titles"), default=dict)
    texts = models.JSONField(_("texts"), default=dict)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["rulebook", "code"], name="one_rule_per_code")]

    def __str__(self) -> str:
        return f"{self.code} (v{self.rulebook.version})"

    def title_in(self, language: str, fallback: str = "") -> str:
        return in_language(self.titles, language, fallback)

    def text_in(self, language: str, fallback: str = "") -> str:
        return in_language(self.texts, language, fallback)


class NoticeTemplate(models.Model):
    """The words sent to a citizen whose message or account was moderated, per language.

    The text may name ``{rule}``, ``{rule_title}``, ``{action}``, ``{until}`` and ``{rules_url}``.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="notice_templates"
    )
    name = models.CharField(_("name"), max_length=100)
    texts = models.JSONField(_("texts"), default=dict)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_notice_template_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class Action(models.TextChoices):
    HIDE = "hide", _("Hide the message")
    DELETE = "delete", _("Delete the message")
    BLOCK = "block", _("Block the account")
    UNHIDE = "unhide", _("Show the message again")
    UNBLOCK = "unblock", _("Unblock the account")


# What undoes each action; a deletion cannot be undone on the network.
REVERSAL = {Action.HIDE: Action.UNHIDE, Action.BLOCK: Action.UNBLOCK}
FIRST_ACTIONS = (Action.HIDE, Action.DELETE, Action.BLOCK)


class Outcome(models.TextChoices):
    DONE = "done", _("Done on the network")
    FAILED = "failed", _("The network refused or failed")


class NoticeOutcome(models.TextChoices):
    NONE = "none", _("No notice")
    SENT = "sent", _("Notice sent")
    FAILED = "failed", _("Notice not sent")


class Decision(models.Model):
    """One moderation action and why, as it happened; a row of the register."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="moderation_decisions"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # The message acted on, while it exists; the columns below keep what it was.
    message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation"
    )
    conversation = models.ForeignKey(
        "inbox.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.ForeignKey(
        "channels.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel_name = models.CharField(_("channel"), max_length=200, blank=True)
    network = models.CharField(max_length=40, blank=True)
    message_remote_id = models.CharField(max_length=500, blank=True)
    author_id = models.CharField(max_length=255, blank=True)
    author_handle = models.CharField(_("account"), max_length=255, blank=True)
    content = models.TextField(_("message as it was"), blank=True)
    # The rule of the published version that was cited (RESTRICT: rules that were cited stay).
    rule = models.ForeignKey(
        Rule, on_delete=models.RESTRICT, related_name="decisions", verbose_name=_("rule")
    )
    note = models.TextField(_("note"), blank=True)
    expires_at = models.DateTimeField(_("lifts on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="reversals"
    )
    network_outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    network_error = models.TextField(blank=True)
    # What undoing needs later (a Bluesky block record's key).
    network_reference = models.CharField(max_length=200, blank=True)
    notice_template = models.ForeignKey(
        NoticeTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notice_text = models.TextField(_("notice"), blank=True)
    notice_language = models.CharField(max_length=8, blank=True)
    notice_outcome = models.CharField(
        max_length=10, choices=NoticeOutcome.choices, default=NoticeOutcome.NONE
    )
    notice_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-decided_at"], name="moderation_register"),
            models.Index(fields=["expires_at"], name="moderation_expiry"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.author_handle}"

    @property
    def carried_out(self) -> bool:
        return self.network_outcome == Outcome.DONE

    def reversal(self) -> Decision | None:
        """The decision that undid this one on the network, if any."""
        return next((item for item in self.reversals.all() if item.carried_out), None)

    @property
    def in_effect(self) -> bool:
        return self.action in FIRST_ACTIONS and self.carried_out and self.reversal() is None

    @property
    def reversible(self) -> bool:
        return self.action in REVERSAL and self.in_effect


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Decision upheld")
    GRANTED = "granted", _("Appeal granted: decision reversed")


class Appeal(models.Model):
    """A citizen asked for a decision to be reviewed; who decided what, and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(_("the citizen's appeal"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_note = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.get_outcome_display()}"
