"""Official accounts as citizens meet them: handles and addresses reduced to one comparable key.

Pure functions, no ORM. A citizen may paste ``https://mobile.twitter.com/Vilanova/``,
``x.com/vilanova`` or ``@Vilanova``; the registry may hold ``@vilanova``. :func:`identity`
turns any of them into a key such as ``x:vilanova``; :func:`account_keys` gives every key
an official account answers to. An address or a handle with its network (``@user@host``)
names one account; a bare ``@name`` could be on any network, so it matches only the
``name:`` keys and the answer says on which network that name is ours.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

# Hosts that are the same site: mobile and old names lead to the canonical one.
HOST_ALIASES = {
    "twitter.com": "x.com",
    "mobile.twitter.com": "x.com",
    "mobile.x.com": "x.com",
    "m.facebook.com": "facebook.com",
    "mbasic.facebook.com": "facebook.com",
    "fb.com": "facebook.com",
    "web.facebook.com": "facebook.com",
    "m.youtube.com": "youtube.com",
    "music.youtube.com": "youtube.com",
    "telegram.me": "t.me",
    "telegram.dog": "t.me",
    "m.instagram.com": "instagram.com",
    "instagr.am": "instagram.com",
    "m.tiktok.com": "tiktok.com",
    "mobile.linkedin.com": "linkedin.com",
    "m.linkedin.com": "linkedin.com",
    "es.linkedin.com": "linkedin.com",
    "staging.bsky.app": "bsky.app",
    "api.whatsapp.com": "wa.me",
}
# Networks whose accounts live at ``https://<host>/<username>``.
USERNAME_HOSTS = {"x.com": "x", "instagram.com": "instagram", "t.me": "telegram", "threads.net": "threads"}
# First path segments on those hosts that are pages of the site, not accounts.
RESERVED = {"i", "home", "intent", "share", "search", "explore", "p", "reel", "s", "login", "hashtag"}

USERNAME = re.compile(r"^[\w.\-]{1,100}$")
DID = re.compile(r"^did:(plc|web):[a-z0-9.:%\-]+$")
FEDI_HANDLE = re.compile(r"^@?([\w.\-]+)@([a-z0-9.\-]+\.[a-z]{2,})$")
MATRIX_ID = re.compile(r"^[@#!][^@:\s/]+:[a-z0-9.\-]+(:\d+)?$")
PHONE = re.compile(r"^\+?[\d\s().\-]{7,20}$")


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
    host = HOST_ALIASES.get(host, host)
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = HOST_ALIASES.get(host[len(prefix) :], host[len(prefix) :])
    return host


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _from_url(text: str) -> str | None:
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = _host(parts.netloc)
    if "." not in host:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    first = segments[0] if segments else ""
    lower = [segment.lower() for segment in segments]
    if host in USERNAME_HOSTS and first and lower[0] not in RESERVED:
        return f"{USERNAME_HOSTS[host]}:{lower[0].lstrip('@')}"
    if host == "bsky.app" and len(lower) >= 2 and lower[0] == "profile":
        return f"bluesky:{lower[1].lstrip('@')}"
    if host == "facebook.com":
        if lower[:1] == ["profile.php"]:
            number = parse_qs(parts.query).get("id", [""])[0]
            return f"facebook:{number}" if number else None
        if lower[:1] == ["pages"] and len(segments) >= 3:
            return f"facebook:{lower[-1]}"
        return f"facebook:{lower[0]}" if first else None
    if host == "youtube.com" and first:
        if lower[0] in ("channel", "c", "user") and len(segments) >= 2:
            # Channel ids are case-sensitive; custom and user names are not.
            name = segments[1] if lower[0] == "channel" else lower[1]
            return f"youtube:{lower[0]}/{name}"
        return f"youtube:{lower[0]}" if lower[0].startswith("@") else None
    if host == "tiktok.com" and first.startswith("@"):
        return f"tiktok:{lower[0].lstrip('@')}"
    if host == "linkedin.com" and len(lower) >= 2 and lower[0] in ("company", "school", "showcase", "in"):
        return f"linkedin:{lower[0]}/{lower[1]}"
    if host == "wa.me" and first:
        return f"whatsapp:{_digits(first)}" if _digits(first) else None
    if host == "matrix.to" and parts.fragment:
        return identity(parts.fragment.lstrip("/").split("?", 1)[0])
    if len(segments) == 1 and first.startswith("@") and len(first) > 1:
        # Mastodon and the rest of the fediverse: https://host/@user is @user@host.
        return f"fediverse:{lower[0][1:]}@{host}"
    if len(segments) == 2 and lower[0] == "users":
        return f"fediverse:{lower[1]}@{host}"
    path = "/".join(lower)
    return f"url:{host}/{path}" if path else f"url:{host}"


def identity(text: str) -> str | None:
    """The comparable key of a handle or address a person typed, or None if it is neither."""
    text = text.strip().strip("<>\"'").strip()
    if not text or len(text) > 500:
        return None
    if any(char.isspace() for char in text):
        # Only a phone number is written with spaces.
        return f"whatsapp:{_digits(text)}" if PHONE.match(text) and len(_digits(text)) >= 7 else None
    lower = text.lower()
    if lower.startswith("did:"):
        return f"bluesky:{lower}" if DID.match(lower) else None
    if MATRIX_ID.match(lower):
        return f"matrix:{lower}"
    fedi = FEDI_HANDLE.match(lower)
    if fedi and lower.startswith("@"):
        return f"fediverse:{fedi.group(1)}@{fedi.group(2)}"
    if lower.startswith(("http://", "https://")) or "/" in lower:
        return _from_url(text)
    if PHONE.match(text) and len(_digits(text)) >= 7:
        return f"whatsapp:{_digits(text)}"
    if fedi:
        # user@host without the leading @: an e-mail-like fediverse address.
        return f"fediverse:{fedi.group(1)}@{fedi.group(2)}"
    name = lower.lstrip("@")
    if "." in name and not lower.startswith("@"):
        # "vilanova.example" or "bsky.app/…" without the scheme: an address.
        return _from_url(text)
    return f"name:{name}" if USERNAME.match(name) else None


def _also_known_as(key: str) -> list[str]:
    """The bare name a network key answers to (``x:vilanova`` → ``name:vilanova``); a Bluesky
    handle is also a domain name people may paste without the scheme."""
    network, _sep, rest = key.partition(":")
    if network == "bluesky" and not rest.startswith("did:"):
        return [f"name:{rest}", f"url:{rest}"]
    if network in ("x", "instagram", "telegram", "threads", "tiktok"):
        return [f"name:{rest}"]
    if network == "youtube" and rest.startswith("@"):
        return [f"name:{rest[1:]}"]
    if network == "fediverse":
        return [f"name:{rest.split('@', 1)[0]}"]
    return []


def account_keys(*names: str) -> set[str]:
    """Every key an account with these handles and addresses answers to."""
    keys: set[str] = set()
    for text in names:
        key = identity(text) if text else None
        if key is None:
            continue
        keys.add(key)
        keys.update(_also_known_as(key))
    return keys


def profile(connector: str, config: dict) -> tuple[str, str, list[str]]:
    """(handle as shown, profile address, other identifiers) of a connected channel's account.

    Built from what the connector stored when the account was connected; empty strings when
    the network gives no public address (a WhatsApp number has one, a Matrix room has one).
    """
    # Only where the stored account name is the public account itself: Telegram's names the
    # bot, Matrix's the bot's user, neither of which citizens follow.
    handle = str(config.get("account") or "") if connector in ("mastodon", "bluesky", "x") else ""
    extra: list[str] = []
    url = ""
    if connector == "mastodon":
        url = config.get("account_url") or ""
        if not url and (match := FEDI_HANDLE.match(handle.lower())):
            url = f"https://{match.group(2)}/@{match.group(1)}"
    elif connector == "bluesky":
        handle = f"@{config['handle']}" if config.get("handle") else handle
        if config.get("handle"):
            url = f"https://bsky.app/profile/{config['handle']}"
        if config.get("did"):
            extra.append(config["did"])
    elif connector == "x" and config.get("username"):
        handle, url = f"@{config['username']}", f"https://x.com/{config['username']}"
    elif connector == "instagram" and config.get("ig_username"):
        handle = f"@{config['ig_username']}"
        url = f"https://www.instagram.com/{config['ig_username']}/"
    elif connector == "facebook" and config.get("page_id"):
        handle, url = config.get("page_name") or handle, f"https://www.facebook.com/{config['page_id']}"
    elif connector == "telegram" and config.get("chat_username"):
        handle = f"@{config['chat_username']}"
        url = f"https://t.me/{config['chat_username']}"
    elif connector == "linkedin" and config.get("organization_id"):
        handle = config.get("organization_name") or handle
        url = f"https://www.linkedin.com/company/{config['organization_id']}/"
    elif connector == "whatsapp" and config.get("display_phone_number"):
        handle = config["display_phone_number"]
        url = f"https://wa.me/{_digits(handle)}"
    elif connector == "matrix" and config.get("room"):
        handle = config["room"]
        url = f"https://matrix.to/#/{handle}"
    return handle, url, extra
