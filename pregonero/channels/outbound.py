"""The one way Pregonero talks HTTP to the outside world (DESIGN.md, "Connector contract").

:func:`request` sends one request and either returns a successful response or raises
:class:`HttpError`, a :class:`~pregonero.channels.connectors.base.ConnectorError` that says
whether retrying can help and how long the network asked us to wait:

- 2xx and 3xx: returned.
- 408, 429 and 5xx: transient; ``retry_after`` from ``Retry-After`` or the usual rate-limit
  reset headers.
- any other 4xx: permanent (401/403 say the channel needs reconnecting).
- connection refused or unreachable: retried a few times here, then transient.
- timeouts and dropped connections after the request was sent: transient and ``ambiguous``:
  the network may have acted on the request, so the dispatcher looks before it repeats it.

Targets on loopback, private, link-local and other non-public addresses are refused unless
``settings.OUTBOUND_ALLOW_PRIVATE`` is true or the host (or a network containing its address)
is in ``settings.OUTBOUND_ALLOWED_HOSTS``: a channel's address is typed by a person, and must
not become a way to reach the server's own network.

Messages are English source strings marked for translation, without placeholders, so they can
be stored and translated when shown; technical details go in ``detail``.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext_noop

from pregonero import __version__
from pregonero.channels.connectors.base import ConnectorError

logger = logging.getLogger("pregonero.outbound")
# httpx logs every request at INFO; a worker sending thousands would drown what matters.
logging.getLogger("httpx").setLevel(logging.WARNING)

TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
# Only failures to connect are retried here: the request never left, so repeating it is safe.
CONNECT_RETRIES = 2
CONNECT_BACKOFF = 0.5
USER_AGENT = f"Pregonero/{__version__}"
# Epoch seconds are never this small; smaller numbers are a delay in seconds.
_EPOCH_THRESHOLD = 1_000_000_000

MESSAGES = {
    "private": gettext_noop("The address of this channel is on a private network, which is not allowed."),
    "bad_url": gettext_noop("The address of this channel is not a valid web address."),
    "unreachable": gettext_noop("The network could not be reached; Pregonero will try again."),
    "timeout": gettext_noop("The network did not answer in time; Pregonero will try again."),
    "dropped": gettext_noop("The connection to the network was cut during the call."),
    "busy": gettext_noop("The network is busy or unavailable; Pregonero will try again."),
    "slow_down": gettext_noop("The network asked Pregonero to slow down; it will try again later."),
    "auth": gettext_noop("The network no longer accepts this channel's access; reconnect the channel."),
    "refused": gettext_noop("The network refused the post."),
}


class HttpError(ConnectorError):
    """A failed HTTP exchange. ``status`` is None when no response came back.

    ``ambiguous``: the request may have reached the network and been acted on.
    ``detail``: technical text (status, an excerpt of the answer) for the attempt record.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
        ambiguous: bool = False,
        detail: str = "",
    ):
        super().__init__(message, permanent=permanent, retry_after=retry_after)
        self.status = status
        self.ambiguous = ambiguous
        self.detail = detail


_client: httpx.Client | None = None
_client_lock = threading.Lock()


def client() -> httpx.Client:
    """The process's shared client: keeps connections alive between calls to the same network."""
    global _client
    with _client_lock:
        if _client is None:
            # Redirects are not followed: a redirect could lead to an address the guard refused.
            _client = httpx.Client(
                timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=False
            )
        return _client


def _allowed_networks() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    hosts, networks = set(), []
    for entry in getattr(settings, "OUTBOUND_ALLOWED_HOSTS", ()):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower())
    return hosts, networks


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_target(url: str) -> None:
    """Raise a permanent :class:`HttpError` unless ``url`` may be called from this server.

    Every address the host name resolves to must be public, or allowed by settings. The
    name is resolved again by the HTTP client, so a name whose answers change between the
    two look-ups is not covered; allow-listing instances by name is the strong form.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        raise HttpError(MESSAGES["bad_url"], permanent=True, detail=url[:200])
    if getattr(settings, "OUTBOUND_ALLOW_PRIVATE", False):
        return
    allowed_hosts, allowed_networks = _allowed_networks()
    if host in allowed_hosts:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as error:
        raise HttpError(MESSAGES["unreachable"], detail=f"{host}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not is_public(address) and not any(address in network for network in allowed_networks):
            raise HttpError(MESSAGES["private"], permanent=True, detail=f"{host} -> {address}")


def parse_retry_after(headers: httpx.Headers, now: datetime | None = None) -> float | None:
    """Seconds to wait according to ``Retry-After`` or a rate-limit reset header, or None.

    Understands ``Retry-After`` as seconds or an HTTP date, and ``RateLimit-Reset`` /
    ``X-RateLimit-Reset`` / ``X-Rate-Limit-Reset`` as seconds, epoch seconds (X) or an
    ISO 8601 time (Mastodon).
    """
    now = now or datetime.now(UTC)
    for name in ("retry-after", "ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset"):
        value = headers.get(name)
        if not value:
            continue
        seconds = _seconds_until(value.strip(), now)
        if seconds is not None:
            return max(0.0, seconds)
    return None


def _seconds_until(value: str, now: datetime) -> float | None:
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        return number - now.timestamp() if number > _EPOCH_THRESHOLD else number
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - now).total_seconds()


def error_for(response: httpx.Response) -> HttpError:
    """The :class:`HttpError` that an unsuccessful ``response`` means."""
    status = response.status_code
    detail = f"HTTP {status}: {response.text[:300]}"
    retry_after = parse_retry_after(response.headers)
    if status == 429:
        return HttpError(MESSAGES["slow_down"], retry_after=retry_after, status=status, detail=detail)
    if status == 408 or status >= 500:
        # A gateway that timed out or failed may have passed the request on before it did.
        ambiguous = status in {502, 504}
        return HttpError(
            MESSAGES["busy"], retry_after=retry_after, status=status, ambiguous=ambiguous, detail=detail
        )
    key = "auth" if status in {401, 403} else "refused"
    return HttpError(MESSAGES[key], permanent=True, status=status, detail=detail)


def request(method: str, url: str, **kwargs) -> httpx.Response:
    """Send one request through the guard; return the response or raise :class:`HttpError`.

    ``kwargs`` go to :meth:`httpx.Client.request` (``json``, ``params``, ``headers``...).
    """
    check_target(url)
    attempt = 0
    while True:
        try:
            response = client().request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            if attempt >= CONNECT_RETRIES:
                raise HttpError(MESSAGES["unreachable"], detail=f"{type(error).__name__}: {error}") from error
            logger.info("Cannot connect to %s (%s); trying again", urlsplit(url).hostname, error)
            time.sleep(CONNECT_BACKOFF * 2**attempt)
            attempt += 1
            continue
        except httpx.TimeoutException as error:
            raise HttpError(MESSAGES["timeout"], ambiguous=True, detail=type(error).__name__) from error
        except httpx.TransportError as error:
            raise HttpError(
                MESSAGES["dropped"], ambiguous=True, detail=f"{type(error).__name__}: {error}"
            ) from error
        if response.is_success or response.is_redirect:
            return response
        raise error_for(response)
