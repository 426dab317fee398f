"""Figures for pregonero.checks: corpus precision and recall, latency and throughput.

Run: ``.venv/bin/python bench/checks.py``. Prints

- per-rule precision and recall on the labelled corpus (pregonero/checks/tests/corpus.py);
- median and 99th percentile milliseconds for ``run_checks`` on one post with two languages and
  three variants (two channels in one language, one in the other, one thread of two parts, an
  image), built afresh from random sentences for every call so no cache is measured;
- texts per second over 10,000 single-language posts;
- the same for two baselines timed in the same run (one ``re.search`` of a 30-word alternation,
  and ``pregonero.text`` personal-data detection alone), and the ratios to them, so figures from
  different machines compare by ratio. Nothing is asserted.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

# Messages go through gettext, which needs configured settings and apps; nothing else does.
if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
    settings.configure(USE_I18N=True, INSTALLED_APPS=[])
django.setup()

from pregonero.channels.connectors.base import Limits  # noqa: E402
from pregonero.checks.engine import run_checks  # noqa: E402
from pregonero.checks.model import (  # noqa: E402
    CalendarFacts,
    CheckInput,
    LanguagePolicy,
    MediaInput,
    RuleSettings,
    VariantInput,
)
from pregonero.checks.tests.corpus import CORPUS, PARTY_TERMS  # noqa: E402
from pregonero.checks.tests.evaluation import ELECTION, TERRITORY, score  # noqa: E402
from pregonero.text.personal_data import find_personal_data  # noqa: E402

POSTS = 1_000
BATCH = 10_000
CAMPAIGN = datetime(2027, 5, 12, 9, tzinfo=UTC)
SETTINGS = RuleSettings(party_terms=PARTY_TERMS, own_contacts=("961234567", "vilanovademar.es"))
X = Limits(max_length=280, length_method="weighted", max_thread=25, max_media=4, max_alt_text=1000)
MASTODON = Limits(max_length=500, url_length=23, max_thread=10, max_media=4, max_alt_text=1500)
BLUESKY = Limits(max_length=300, length_method="graphemes", max_thread=10, max_media=4, max_alt_text=2000)
_BASELINE = re.compile(
    r"\b(hemos conseguido|ya es una realidad|gracias a la inversion|cumplimos|record|balance de gestion"
    r"|en cifras|inauguracion|inaugura|primera piedra|hem aconseguit|ja es una realitat|gracies a la inversio"
    r"|inauguracio|primera pedra|nos abandona|ignora|subnormal|minusvalido|PSOE|PP|Vox|Sumar|Podemos"
    r"|Compromis|ERC|Junts|BNG|hemos finalizado|hem finalitzat)\b",
    re.IGNORECASE,
)


def sentences(language: str) -> list[str]:
    return [s.text for s in CORPUS if s.language == language and len(s.text) < 200]


def make_post(rng: random.Random, es: list[str], ca: list[str]) -> CheckInput:
    text_es = " ".join(rng.sample(es, 3))
    text_ca = " ".join(rng.sample(ca, 3))
    short_es = rng.choice(es)
    return CheckInput(
        texts={"es": text_es, "ca": text_ca},
        variants=(
            VariantInput("x", "es", (short_es, rng.choice(es)), X, (0,)),
            VariantInput("mastodon", "es", (text_es,), MASTODON, (0,)),
            VariantInput("bluesky", "ca", (text_ca,), BLUESKY, (0,)),
        ),
        media=(
            MediaInput("image", "Vista de la plaza Mayor con el mercado.", size=500_000, mime="image/jpeg"),
        ),
        scheduled_at=CAMPAIGN,
        now=CAMPAIGN,
        policy=LanguagePolicy(("es", "ca")),
        territory=TERRITORY,
        settings=SETTINGS,
        calendar=CalendarFacts((ELECTION,)),
    )


def single(text: str, language: str) -> CheckInput:
    return CheckInput(texts={language: text}, policy=LanguagePolicy((language,)), settings=SETTINGS)


def time_each(function: Callable[[object], object], items: list) -> list[float]:
    """Milliseconds for each call."""
    timings = []
    for item in items:
        started = time.perf_counter_ns()
        function(item)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    return timings


def p99(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[98]


def main() -> None:
    rng = random.Random(2027)  # noqa: S311 -- sample posts, not secrets
    es, ca = sentences("es"), sentences("ca")

    started = time.perf_counter()
    run_checks(make_post(rng, es, ca))  # loads the language model and compiles patterns
    print(f"First call (model load, pattern compilation): {(time.perf_counter() - started) * 1e3:.0f} ms")

    print(f"\nCorpus: {len(CORPUS)} labelled posts")
    print(f"{'rule':8} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for rule, s in score().items():
        print(f"{rule:8} {s.precision:9.2f} {s.recall:7.2f} {s.tp:4} {s.fp:4} {s.fn:4}")

    posts = [make_post(rng, es, ca) for _ in range(POSTS)]
    post_ms = time_each(run_checks, posts)
    baseline_ms = time_each(lambda p: [_BASELINE.search(t) for t in p.texts.values()], posts)
    print(f"\nOne post, 2 languages, 3 variants ({POSTS} posts):")
    print(f"  run_checks          median {statistics.median(post_ms):7.3f} ms   p99 {p99(post_ms):7.3f} ms")
    ratio = statistics.median(post_ms) / statistics.median(baseline_ms)
    print(
        f"  bare regex baseline median {statistics.median(baseline_ms):7.3f} ms   "
        f"p99 {p99(baseline_ms):7.3f} ms   (run_checks is {ratio:.0f}x)"
    )

    pool = [(s, "es") for s in es] + [(s, "ca") for s in ca]
    batch = [single(*rng.choice(pool)) for _ in range(BATCH)]
    figures = {}
    for name, function in (
        ("run_checks", run_checks),
        ("find_personal_data only", lambda ci: [find_personal_data(t) for t in ci.texts.values()]),
        ("bare regex baseline", lambda ci: [_BASELINE.search(t) for t in ci.texts.values()]),
    ):
        started = time.perf_counter()
        for check_input in batch:
            function(check_input)
        figures[name] = BATCH / (time.perf_counter() - started)
    print(f"\nBatch of {BATCH:,} single-language posts (texts repeat, so caches help here):")
    for name, per_second in figures.items():
        ratio = figures["run_checks"] / per_second
        print(f"  {name:24} {per_second:10,.0f} texts/s   (run_checks at {ratio:.3f}x its rate)")


if __name__ == "__main__":
    main()
