"""The contract every connector fulfils (DESIGN.md, "Connector contract").

A connector declares what its network can do (:class:`Capabilities`) and its limits
(:class:`Limits`) as data that the composer, the checks and the tests read, and
implements the capabilities it has. Every failure is a :class:`ConnectorError` that says
whether retrying can help.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_noop

if TYPE_CHECKING:
    from django import forms

    from pregonero.channels.connectors.inbound import InboundBatch
    from pregonero.channels.models import Channel


@dataclass(frozen=True)
class Capabilities:
    publish: bool = True
    thread: bool = False
    media: bool = False
    video: bool = False
    reply: bool = False
    direct_messages: bool = False
    mentions: bool = False
    webhook: bool = False
    metrics: bool = False
    delete: bool = False
    link_preview: bool = False
    # The network accepts a client-chosen key that makes a repeated call harmless.
    idempotent_publish: bool = False
    # What the organisation can do to a citizen's message or account there (RULES.md MOD-1):
    # "hide", "delete", "block" (see pregonero.moderation). Empty: moderate on the network itself.
    moderation: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ModerationTarget:
    """A citizen's message and its author, as a moderation call needs them.

    ``conversation`` is the chat, room or post the message is in, when the network asks for it.
    """

    remote_id: str
    author_id: str
    conversation: str = ""


@dataclass(frozen=True)
class ModerationResult:
    """What the network answered; ``reference`` is what undoing needs later (a record key)."""

    reference: str = ""


@dataclass(frozen=True)
class Limits:
    """How much fits in one post. ``length_method`` is one of pregonero.text.length's methods."""

    max_length: int | None = None
    length_method: str = "characters"
    # Every URL counts as this many characters (Mastodon, X: 23); None counts it as written.
    url_length: int | None = None
    max_thread: int = 1
    max_media: int = 0
    max_image_bytes: int | None = None
    max_video_bytes: int | None = None
    image_types: tuple[str, ...] = ()
    video_types: tuple[str, ...] = ()
    max_alt_text: int | None = None


@dataclass(frozen=True)
class OutgoingMedia:
    path: str
    mime: str
    description: str
    captions_path: str | None = None
    # The file's name in Pregonero's storage (``path`` may be a temporary copy of it).
    name: str = ""


@dataclass(frozen=True)
class OutgoingPart:
    """One post of what goes out: the whole text, or one part of a thread."""

    text: str
    language: str
    index: int
    total: int
    idempotency_key: str
    title: str = ""
    media: tuple[OutgoingMedia, ...] = ()
    # The remote id of the previous part, for threads.
    reply_to: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    url: str = ""


NO_MODERATION = gettext_noop("This network does not let Pregonero do this; do it on the network itself.")


class ConnectorError(Exception):
    """A call to the network failed.

    ``permanent``: retrying the same call cannot succeed (revoked token, content refused).
    ``retry_after``: seconds the network asked us to wait, when it said.
    ``message`` is shown to people: an English source string marked with ``gettext_noop``,
    with ``%(name)s`` placeholders filled from ``params``. It is stored as is and translated
    into each reader's language when shown (:func:`pregonero.core.i18n.stored_message`).
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        params: Mapping[str, object] | None = None,
    ):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = dict(params or {})
        self.permanent = permanent
        self.retry_after = retry_after


class MoreToSend(ConnectorError):
    """Not a failure: the call did part of the work (a bulletin's first few hundred messages)
    and the rest is for the next call, after ``retry_after`` seconds. The dispatcher calls again
    with the same key without counting it against the attempts or the channel's health."""

    progress = True


@dataclass(frozen=True)
class Connected:
    """An account the network accepted: what the channel stores after connecting.

    ``config`` is kept in clear (shown to admins), ``secrets`` encrypted and never shown;
    ``account`` names the account as people know it ("@ayuntamiento@mastodon.social").
    """

    config: dict
    secrets: dict
    account: str


@dataclass(frozen=True)
class Redirect:
    """The person must go to the network to grant access (OAuth) and will come back.

    ``pending`` is what :meth:`Connector.finish_connect` needs then; it is kept encrypted in
    the person's session meanwhile, under the random ``state`` sent along.
    """

    url: str
    state: str
    pending: dict


class Connector:
    """Base class. Subclasses set ``key``, ``name``, ``capabilities``, ``limits``."""

    key: ClassVar[str]
    name: ClassVar[str]
    capabilities: ClassVar[Capabilities] = Capabilities()
    limits: ClassVar[Limits] = Limits()
    # How long after the post's time this channel's publication falls due. A channel that
    # links to what others publish (the bulletin links to the news page) waits for them.
    publish_after: ClassVar[timedelta] = timedelta(0)

    # How an admin connects an account: the form of the first step, or None when the channel
    # needs nothing but a name (the built-in website and bulletin).
    connect_form: ClassVar[type[forms.Form] | None] = None
    # Non-secret settings an admin may change later: a form whose fields are ``config`` keys.
    settings_form: ClassVar[type[forms.Form] | None] = None

    def __init__(self, channel: Channel):
        self.channel = channel

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Connected | Redirect:
        """Connect with what ``connect_form`` cleaned: at once, or by sending the person to
        the network, which sends them back to ``return_url``."""
        raise NotImplementedError

    @classmethod
    def finish_connect(cls, pending: dict, answer: Mapping[str, str], *, return_url: str) -> Connected:
        """Complete a :class:`Redirect` with the query the network sent the person back with."""
        raise NotImplementedError

    def check_health(self) -> str:
        """Ask the network whether this channel's access still works; return a short
        description of the account, or raise :class:`ConnectorError`. Channels inside
        Pregonero have nothing to ask."""
        return ""

    def fetch_inbound(self, cursor: str | None) -> InboundBatch:
        """Messages to the organisation since ``cursor`` (None: the most recent ones), oldest
        first, with the cursor to ask from next time."""
        raise ConnectorError("This network cannot be read from Pregonero.", permanent=True)

    def disconnect(self) -> None:
        """Give the access back to the network (revoke the token) where it allows it; failures
        are ignored, since the secrets are forgotten all the same."""

    def publish(self, part: OutgoingPart) -> PublishResult:
        """Publish one part. Must be safe to call again with the same idempotency key
        when ``capabilities.idempotent_publish`` is true."""
        raise NotImplementedError

    def find_published(self, idempotency_key: str) -> PublishResult | None:
        """Look for a part already published with this key (after a crash); None if absent
        or if the network cannot tell. Connectors that can tell override this."""
        return None

    def delete(self, remote_id: str) -> None:
        raise ConnectorError("This network does not allow deleting posts from Pregonero.", permanent=True)

    # Moderation (RULES.md MOD-1). A connector implements the ones its
    # ``capabilities.moderation`` names; an action already in effect counts as done.
    def hide_message(self, target: ModerationTarget) -> ModerationResult:
        raise ConnectorError(NO_MODERATION, permanent=True)

    def unhide_message(self, target: ModerationTarget, reference: str = "") -> None:
        raise ConnectorError(NO_MODERATION, permanent=True)

    def delete_message(self, target: ModerationTarget) -> ModerationResult:
        raise ConnectorError(NO_MODERATION, permanent=True)

    def block_account(self, target: ModerationTarget) -> ModerationResult:
        raise ConnectorError(NO_MODERATION, permanent=True)

    def unblock_account(self, target: ModerationTarget, reference: str = "") -> None:
        raise ConnectorError(NO_MODERATION, permanent=True)
