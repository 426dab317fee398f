"""Throughput of the connectors' pure parsers on inbound payloads (issue 4, "Benchmark").

Run: ``.venv/bin/python bench/connectors.py [COUNT]`` (default 100,000 payloads per network).
Each network's payloads are JSON strings shaped as its documentation shows them (the test
fixtures in ``pregonero/channels/tests/payloads/``), varied in text and ids. For each network
it prints payloads per second through ``json.loads`` + the parser, the same for a bare
``json.loads`` of the same strings, and the ratio, so machines are compared by ratio. Nothing
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
from pregonero.channels.connectors.mastodon import parse as mastodon  # noqa: E402
from pregonero.channels.connectors.matrix import parse as matrix  # noqa: E402
from pregonero.channels.tests.payloads import bluesky as bluesky_payloads  # noqa: E402
from pregonero.channels.tests.payloads import mastodon as mastodon_payloads  # noqa: E402
from pregonero.channels.tests.payloads import matrix as matrix_payloads  # noqa: E402

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
}


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f}/s"


def main(count: int) -> None:
    rng = random.Random(4)  # noqa: S311 - varied test data, not secrets
    print(f"{count:,} payloads per network; Python {sys.version.split()[0]}")
    print(f"{'network':<10}{'json.loads':>16}{'json + parse':>16}{'ratio':>8}")
    for name, (samples, parser) in NETWORKS.items():
        payloads = [_vary(rng, samples[i % len(samples)], i) for i in range(count)]
        start = time.perf_counter()
        for raw in payloads:
            json.loads(raw)
        bare = time.perf_counter() - start
        start = time.perf_counter()
        for raw in payloads:
            parser(json.loads(raw))
        parsed = time.perf_counter() - start
        print(f"{name:<10}{_rate(count, bare):>16}{_rate(count, parsed):>16}{parsed / bare:>7.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
