"""The registry of official accounts (GOV-1): what the public page lists, what the checker
answers, and the admins' changes to it, each audited."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

import segno
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation
from pregonero.audit import services as audit
from pregonero.channels.connectors import REGISTRY, connector_class
from pregonero.channels.models import Channel
from pregonero.public import official
from pregonero.public.models import OfficialAccount

# Channels inside Pregonero are the public pages themselves, not accounts elsewhere.
NOT_ACCOUNTS = {"website", "email"}


@dataclass(frozen=True)
class Entry:
    """One official account as the public page shows it."""

    ref: str
    network: str
    handle: str
    url: str
    connected: bool
    keys: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CheckResult:
    """The checker's answer: ``key`` is None when the text is no handle or address at all."""

    key: str | None
    matches: tuple[Entry, ...]

    @property
    def is_official(self) -> bool:
        return bool(self.matches)


def account_channels(organisation: Organisation):
    """The organisation's channels that are accounts on a network, with their listing row."""
    return (
        Channel.objects.filter(organisation=organisation, connector__in=REGISTRY.keys())
        .exclude(connector__in=NOT_ACCOUNTS)
        .select_related("official_listing")
        .order_by("connector", "name")
    )


def listing_of(channel: Channel) -> OfficialAccount | None:
    try:
        return channel.official_listing
    except OfficialAccount.DoesNotExist:
        return None


def channel_entry(channel: Channel) -> Entry:
    listing = listing_of(channel)
    handle, url, extra = official.profile(channel.connector, channel.config)
    if listing is not None and listing.url:
        # The admin's address is shown; the worked-out one still identifies the account
        # (a Facebook Page by its name and by its number).
        url, extra = listing.url, [*extra, url]
    return Entry(
        ref=f"c{channel.pk}",
        network=str(connector_class(channel.connector).name),
        handle=handle,
        url=url,
        connected=True,
        keys=frozenset(official.account_keys(handle, url, *extra)),
    )


def listed_entries(organisation: Organisation) -> list[Entry]:
    """Every account citizens may trust: active channels not hidden by an admin, then the
    accounts added by hand, in a stable order."""
    entries = [
        channel_entry(channel)
        for channel in account_channels(organisation).filter(is_active=True)
        if (listing := listing_of(channel)) is None or listing.listed
    ]
    entries = [entry for entry in entries if entry.handle or entry.url]
    extras = OfficialAccount.objects.filter(organisation=organisation, channel__isnull=True, listed=True)
    entries += [
        Entry(
            ref=f"a{row.pk}",
            network=row.network,
            handle=row.handle,
            url=row.url,
            connected=False,
            keys=frozenset(official.account_keys(row.handle, row.url)),
        )
        for row in extras
    ]
    return entries


def last_changed(organisation: Organisation):
    """When the registry last changed, as far as cheaply known (for Last-Modified)."""
    return OfficialAccount.objects.filter(organisation=organisation).aggregate(Max("updated_at"))[
        "updated_at__max"
    ]


def check(organisation: Organisation, text: str) -> CheckResult:
    """Whether ``text`` (a handle or an address a citizen pasted) is one of our accounts."""
    key = official.identity(text)
    if key is None:
        return CheckResult(key=None, matches=())
    return CheckResult(
        key=key, matches=tuple(entry for entry in listed_entries(organisation) if key in entry.keys)
    )


def qr_svg(url: str) -> bytes:
    """An SVG document with the QR code of ``url``, drawn here (no service elsewhere is asked).

    Black on white with the standard quiet zone, so phone cameras read it; the page's
    ``<img>`` carries the text alternative.
    """
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=4, dark="#000", light="#fff")
    return buffer.getvalue()


def qr_etag(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:32]


# Admins' changes.


def set_listed(channel: Channel, listed: bool, url: str, *, actor, request=None) -> OfficialAccount:
    """Show or hide a connected channel on the public page, optionally correcting its address."""
    with transaction.atomic():
        row, _created = OfficialAccount.objects.get_or_create(
            channel=channel, defaults={"organisation": channel.organisation}
        )
        changes = {}
        if row.listed != listed:
            changes["listed"] = [row.listed, listed]
        if row.url != url:
            changes["url"] = [row.url, url]
        row.listed, row.url = listed, url
        row.save()
        if changes:
            audit.record(
                "official_account.channel_listing_changed",
                actor=actor,
                organisation=channel.organisation,
                obj=channel,
                changes=changes,
                request=request,
            )
    return row


def save_account(
    organisation: Organisation, row: OfficialAccount | None, *, actor, request=None, **values
) -> OfficialAccount:
    """Add (``row`` None) or change an account not connected to Pregonero."""
    with transaction.atomic():
        created = row is None
        row = row or OfficialAccount(organisation=organisation)
        changes = {
            name: [getattr(row, name), value] for name, value in values.items() if getattr(row, name) != value
        }
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        audit.record(
            "official_account.added" if created else "official_account.changed",
            actor=actor,
            organisation=organisation,
            obj=row,
            changes=changes,
            request=request,
        )
    return row


def remove_account(row: OfficialAccount, *, actor, request=None) -> None:
    with transaction.atomic():
        audit.record(
            "official_account.removed",
            actor=actor,
            organisation=row.organisation,
            obj=row,
            details={"network": row.network, "handle": row.handle, "url": row.url},
            request=request,
        )
        row.delete()


def describe(result: CheckResult) -> str:
    """A one-line summary of an answer, for screen readers' live region and tests."""
    if result.key is None:
        return _("That does not look like an account name or address.")
    if result.is_official:
        return _("Yes: this is one of our official accounts.")
    return _("No: this account is not in our registry of official accounts.")
