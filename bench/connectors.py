"""Throughput of the connectors' pure parsers on inbound payloads (issue 4, "Benchmark").

Run: ``.venv/bin/python bench/connectors.py [COUNT]`` (default 100,000 payloads per network).
Each network's payloads are JSON strings shaped as its documentation shows them (the test
fixtures in ``pregonero/channels/tests/payloads/``), varied in text and ids. For each network
it prints payloads per second through ``json.loads`` + the parser, the same for a bare
``json.loads`` of the same strings, and the ratio, so machines are compared by ratio. E-mail
(the mailbox connector) is compared with a bare ``email.message_from_bytes`` instead. Nothing
is asserted.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregonero.settings")
django.setup()

from pregonero.channels.connectors.bluesky import parse as bluesky  # noqa: E402
from pregonero.channels.connectors.mailbox import parse as mailbox  # noqa: E402
from pregonero.channels.connectors.mastodon import parse as mastodon  # noqa: E402
from pregonero.channels.connectors.matrix import parse as matrix  # noqa: E402
from pregonero.channels.connectors.meta import parse as meta  # noqa: E402
from pregonero.channels.connectors.telegram import parse as telegram  # noqa: E402
from pregonero.channels.connectors.whatsapp import parse as whatsapp  # noqa: E402
from pregonero.channels.connectors.x import parse as x  # noqa: E402
from pregonero.channels.tests.payloads import bluesky as bluesky_payloads  # noqa: E402
from pregonero.channels.tests.payloads import mailbox as mailbox_payloads  # noqa: E402
from pregonero.channels.tests.payloads import mastodon as mastodon_payloads  # noqa: E402
from pregonero.channels.tests.payloads import matrix as matrix_payloads  # noqa: E402
from pregonero.channels.tests.payloads import meta as meta_payloads  # noqa: E402
from pregonero.channels.tests.payloads import telegram as telegram_payloads  # noqa: E402
from pregonero.channels.tests.payloads import whatsapp as whatsapp_payloads  # noqa: E402
from pregonero.channels.tests.payloads import x as x_payloads  # noqa: E402

WORDS = [
    "piscina",
    "obri",
    "dissabte",
    "carrer",
    "Major",
    "🏊",
    "¿A",
    "qué",
    "hora?",
    "東京",
    "Гарна",
    "новина",
    "#Festa",
    "@ajuntament",
]


def _vary(rng: random.Random, payload: dict, number: int) -> str:
    """The payload as JSON with a fresh id and some different words, so no two are alike."""
    text = " ".join(rng.choices(WORDS, k=rng.randint(3, 30)))
    data = json.loads(json.dumps(payload))
    data["id" if "id" in data else "event_id" if "event_id" in data else "uri"] = (
        f"{data.get('uri', '')}{number}"
    )
    for container in (data, data.get("status") or {}, data.get("record") or {}, data.get("content") or {}):
        for key in ("content", "text", "body"):
            if isinstance(container.get(key), str):
                container[key] = f"<p>{text}</p>" if key == "content" else text
    return json.dumps(data)


NETWORKS: dict[str, tuple[list[dict], Callable[[dict], object]]] = {
    "mastodon": (
        mastodon_payloads.NOTIFICATIONS,
        lambda item: mastodon.parse_notifications(
            [item], mastodon_payloads.OWN_ID, mastodon_payloads.INSTANCE_HOST
        ),
    ),
    "matrix": (
        [
            matrix_payloads.REPLY,
            matrix_payloads.THREAD,
            matrix_payloads.EDIT,
            matrix_payloads.IMAGE,
            matrix_payloads.REDACTION_V11,
        ],
        lambda item: matrix.parse_event(item, matrix_payloads.OWN, matrix_payloads.ROOM),
    ),
    "bluesky": (bluesky_payloads.PAGE, bluesky.parse_notification),
    "telegram": (
        telegram_payloads.ALL,
        lambda item: telegram.parse_update(item, telegram_payloads.BOT_ID, "VilanovaAjuntamentBot"),
    ),
    "x": (
        [x_payloads.MENTIONS, {**x_payloads.MENTIONS, "data": [x_payloads.REPLY]}],
        lambda item: x.parse_mentions(item, x_payloads.OWN_ID),
    ),
    "facebook": (
        [
            meta_payloads.page(meta_payloads.COMMENT, meta_payloads.REPLY_TO_COMMENT),
            meta_payloads.page(meta_payloads.EDITED),
            meta_payloads.page(meta_payloads.REMOVED, meta_payloads.REACTION),
            meta_payloads.page(messaging=[meta_payloads.MESSENGER, meta_payloads.MESSENGER_EDIT]),
        ],
        lambda item: meta.parse_webhook(item, meta_payloads.PAGE_ID),
    ),
    "instagram": (
        [meta_payloads.INSTAGRAM_COMMENT, meta_payloads.INSTAGRAM_DIRECT],
        lambda item: meta.parse_webhook(item, meta_payloads.IG_ID),
    ),
    "whatsapp": (
        [
            whatsapp_payloads.call(whatsapp_payloads.TEXT),
            whatsapp_payloads.call(whatsapp_payloads.IMAGE, whatsapp_payloads.REPLY),
            whatsapp_payloads.call(whatsapp_payloads.LOCATION, statuses=[whatsapp_payloads.STATUS]),
        ],
        lambda item: whatsapp.parse_webhook(item, whatsapp_payloads.PHONE_NUMBER_ID),
    ),
}
# Payloads whose text sits deeper than _vary looks; these are varied by _vary_nested.
NESTED = {"telegram", "x", "facebook", "instagram", "whatsapp"}
TEXT_KEYS = {"text", "body", "message", "caption"}


def _vary_nested(rng: random.Random, payload: dict, number: int) -> str:
    """The payload as JSON with every text (at any depth) replaced and ids made unique."""
    text = " ".join(rng.choices(WORDS, k=rng.randint(3, 30)))

    def walk(value):
        if isinstance(value, dict):
            return {
                key: text
                if key in TEXT_KEYS and isinstance(item, str)
                else f"{item}{number}"
                if key in {"id", "mid", "comment_id"} and isinstance(item, str)
                else walk(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return json.dumps(walk(payload), ensure_ascii=False)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f}/s"


def main(count: int) -> None:
    rng = random.Random(4)  # noqa: S311 - varied test data, not secrets
    print(f"{count:,} payloads per network; Python {sys.version.split()[0]}")
    print(f"{'network':<10}{'json.loads':>16}{'json + parse':>16}{'ratio':>8}")
    for name, (samples, parser) in NETWORKS.items():
        vary = _vary_nested if name in NESTED else _vary
        payloads = [vary(rng, samples[i % len(samples)], i) for i in range(count)]
        start = time.perf_counter()
        for raw in payloads:
            json.loads(raw)
        bare = time.perf_counter() - start
        start = time.perf_counter()
        for raw in payloads:
            parser(json.loads(raw))
        parsed = time.perf_counter() - start
        print(f"{name:<10}{_rate(count, bare):>16}{_rate(count, parsed):>16}{parsed / bare:>7.1f}x")
    _mailbox(rng, count)


MAIL_SAMPLES = (
    mailbox_payloads.PLAIN_UTF8,
    mailbox_payloads.LATIN1,
    mailbox_payloads.ALTERNATIVE,
    mailbox_payloads.HTML_ONLY,
    mailbox_payloads.REPLY_TO_OURS,
    mailbox_payloads.WITH_ATTACHMENTS,
)


def _mailbox(rng: random.Random, count: int) -> None:
    """E-mail is bytes, not JSON: the baseline is the standard library's bare
    ``email.message_from_bytes`` of the same messages, each with its own Message-ID."""
    from email import message_from_bytes, policy

    messages = [
        MAIL_SAMPLES[i % len(MAIL_SAMPLES)].replace(
            b"Message-ID: <", f"Message-ID: <{i}.{rng.random()}".encode(), 1
        )
        for i in range(count)
    ]
    start = time.perf_counter()
    for raw in messages:
        message_from_bytes(raw, policy=policy.default)
    bare = time.perf_counter() - start
    start = time.perf_counter()
    for raw in messages:
        mailbox.parse_message(raw, [mailbox_payloads.OWN])
    parsed = time.perf_counter() - start
    print(f"{'mailbox':<10}{_rate(count, bare):>16}{_rate(count, parsed):>16}{parsed / bare:>7.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
