"""The citizens' inbox: conversations, their messages, internal notes, and how they are routed.

A conversation belongs to one channel and is found again by its ``key`` (see
:mod:`pregonero.inbox.ingest`); a message is unique per channel by the network's id, so the
same message fetched twice (two workers, webhook and polling) is stored once.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    THREAD = "thread", _("Public thread under our post")
    MENTION = "mention", _("Mention")
    PRIVATE = "private", _("Private chat")


class State(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING_CITIZEN = "waiting_citizen", _("Waiting on the citizen")
    WAITING_DEPARTMENT = "waiting_department", _("Waiting on the department")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# States in which the organisation owes nothing more: the clock does not run.
FINISHED_STATES = (State.RESOLVED, State.CLOSED)


class Priority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class Direction(models.TextChoices):
    IN = "in", _("From the citizen")
    OUT = "out", _("From us")


def default_approval_roles() -> list[str]:
    return ["contributor"]


class InboxSettings(models.Model):
    """An organisation's working hours (in its own time zone), for response targets (MOD-2)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="inbox_settings"
    )
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(15, 0))
    # ISO weekdays as Python counts them: Monday 0 ... Sunday 6.
    working_days = models.JSONField(_("working days"), default=list)
    # Roles whose replies wait for an editor's approval before they go out ("contributor", ...).
    approval_roles = models.JSONField(_("replies that need approval"), default=default_approval_roles)
    # DATA-4: the first reply in a private chat carries these (blank: the default text).
    electronic_office_url = models.URLField(_("electronic office address"), max_length=500, blank=True)
    privacy_url = models.URLField(_("data protection information address"), max_length=500, blank=True)
    # {"es": "...", "ca": "..."}: the organisation's own notice per language.
    private_notices = models.JSONField(_("data protection notice"), default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    def days(self) -> frozenset[int]:
        return frozenset(self.working_days or (0, 1, 2, 3, 4))


class ResponseTarget(models.Model):
    """How many business hours the organisation gives itself to answer one kind of conversation."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="response_targets"
    )
    kind = models.CharField(_("category"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("business hours"), max_digits=5, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="one_target_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.hours} h"


class RoutingRule(models.Model):
    """Send conversations to a department when every condition given matches."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="routing_rules"
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("department"),
    )
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas; any of them matches.")
    )
    channel = models.ForeignKey(
        "channels.Channel", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("channel")
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.department_id}: {self.keywords}"

    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class InboundCursor(models.Model):
    """Where the last fetch of a channel's inbound messages stopped."""

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="inbound_cursor"
    )
    cursor = models.CharField(max_length=255, blank=True, default="")
    fetched_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Webhook events (pregonero.inbound) of this channel up to this id have been taken in.
    event_mark = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.cursor}"


class Conversation(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="conversations"
    )
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="conversations")
    # How ingestion finds the conversation again: "dm:<author>", "thread:<post>:<author>", ...
    key = models.CharField(max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The network's id of our post this thread hangs under, when there is one.
    post_remote_id = models.CharField(max_length=500, blank=True)
    citizen_id = models.CharField(max_length=255, blank=True)
    citizen_handle = models.CharField(_("citizen"), max_length=255, blank=True)
    citizen_name = models.CharField(_("display name"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_conversations",
        verbose_name=_("assignee"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        verbose_name=_("department"),
    )
    priority = models.IntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # The suggestion made on arrival: which department, how sure, and why.
    suggested_department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggestion_confidence = models.FloatField(null=True, blank=True)
    suggestion_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    # When the answer the citizen is waiting for falls due; None while nothing is owed.
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="one_conversation_per_key"),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "due_at"]),
            # The list's pages after the overdue ones: latest message first.
            models.Index(fields=["organisation", "-last_message_at"], name="inbox_conv_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.citizen_handle} · {self.get_kind_display()}"

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        # ``due_at`` is cleared by an answer and set again by the citizen's next message.
        return self.due_at is not None and self.due_at < now and self.state not in FINISHED_STATES


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    remote_id = models.CharField(max_length=500)
    in_reply_to = models.CharField(max_length=500, blank=True)
    author_handle = models.CharField(max_length=255, blank=True)
    author_name = models.CharField(max_length=255, blank=True)
    # Who in the organisation wrote an outbound message.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    language = models.CharField(max_length=8, blank=True)
    language_confidence = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    edited = models.BooleanField(default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)
    deleted_seen_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    # Kinds of personal data found in the text ("dni", "phone", ...).
    personal_data = models.JSONField(default=list, blank=True)
    sentiment = models.FloatField(null=True, blank=True)
    # The words that made the score, each with its weight: [["vergüenza", -2.0], ...].
    sentiment_words = models.JSONField(default=list, blank=True)
    # An outbound first reply in a private chat that carried the data-protection notice (DATA-4).
    carried_notice = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "remote_id"], name="one_message_per_remote_id"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.remote_id}"


class MessageRevision(models.Model):
    """The text a message had before an edit or a deletion: nothing a citizen sent is lost."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=10)  # "edited" or "deleted"

    def __str__(self) -> str:
        return f"{self.message_id} ({self.reason})"


class Note(models.Model):
    """An internal note on a conversation; never sent to the citizen."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.text[:40]}"


class RoutingDecision(models.Model):
    """A person sent a conversation to a department: what the classifier learns from."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="routing_decisions")
    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id} → {self.department_id}"


class SavedReply(models.Model):
    """A reply the organisation writes once and reuses (respuesta tipo), in several languages.

    The current text of each language is a :class:`SavedReplyText`; every save also leaves a
    :class:`SavedReplyVersion`, so earlier wording is never lost. ``search_text`` holds the
    title and texts lower-cased without accents, for searching the same way on every database.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="saved_replies"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=100, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_replies",
        verbose_name=_("department"),
    )
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Deleting keeps the row and its versions (who wrote what stays readable); it is hidden.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["category", "title", "pk"]
        indexes = [models.Index(fields=["organisation", "deleted_at"])]

    def __str__(self) -> str:
        return self.title


class SavedReplyText(models.Model):
    saved_reply = models.ForeignKey(SavedReply, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["saved_reply", "language"], name="one_saved_text_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.saved_reply_id} [{self.language}]"


class SavedReplyVersion(models.Model):
    """One language's text as somebody saved it, kept after later edits."""

    saved_reply = models.ForeignKey(SavedReply, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number", "language"]

    def __str__(self) -> str:
        return f"{self.saved_reply_id} v{self.number} [{self.language}]"


class PendingState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    SENT = "sent", _("Approved and sent")
    RETURNED = "returned", _("Returned with a comment")


class PendingReply(models.Model):
    """A reply written by someone whose replies need approval; sent only when approved."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="pending_replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("reply"))
    language = models.CharField(_("language"), max_length=8)
    override_reason = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=PendingState.choices, default=PendingState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "state"])]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.state}"


class ReplyPresence(models.Model):
    """Someone has the reply form of a conversation open and is writing; refreshed every few
    seconds by the form, and stale after :data:`pregonero.inbox.presence.FRESH_FOR`."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="presences")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "person"], name="one_presence_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.conversation_id}"


class SavedView(models.Model):
    """A named set of inbox list filters: a person's own, or shared with the organisation."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    # The list's filters as a query string ("assignee=me&overdue=on").
    query = models.CharField(max_length=1000, blank=True)
    shared = models.BooleanField(_("shared with the organisation"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
