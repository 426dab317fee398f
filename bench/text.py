"""Timing figures for pregonero.text on 1,000 realistic 280-character posts.

Run: ``.venv/bin/python bench/text.py``. Prints, for each operation, the median and 99th
percentile time per text in microseconds, texts per second, and how many times slower the
median is than two baselines timed in the same run (``len()`` and a bare ``re.findall``), so
figures from different machines can be compared by ratio. Nothing is asserted.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable

from pregonero.text.language import identify
from pregonero.text.length import METHODS, count
from pregonero.text.personal_data import find_personal_data

TEXTS = 1_000
LENGTH = 280

SENTENCES = [
    "El Ayuntamiento informa de que mañana se cortará la calle Mayor por obras de alcantarillado.",
    "Los autobuses urbanos desviarán su recorrido por la avenida del Puerto hasta el viernes.",
    "L'Ajuntament obri el termini d'inscripció a l'escola d'estiu del 3 al 14 de juny.",
    "Les places són limitades i s'adjudicaran per sorteig públic a la Casa de la Cultura.",
    "Consulta el programa completo en https://www.vilanovademar.es/agenda/festes-majors-2025",
    "Para cualquier duda, escribid a atencion.ciudadana@vilanovademar.es o llamad al 96 123 45 67.",
    "Mi DNI es 12345678Z y no me llega la notificación del IBI, ¿me podéis ayudar?",
    "Presupuesto participativo 2025: 2.000.000 € para proyectos de barrio. Vota antes del 30/06.",
    "🎉 Arriben les #FestesMajors! Música, focs i molta festa a la plaça 🎆🎶",
    "Estic de baixa mèdica i no puc anar a l'oficina: es pot fer el tràmit en línia?",
    "Recordad: la recogida de muebles y enseres es gratuita los martes. #Vilanova",
    "Mañá córtase a rúa Maior por obras; desculpen as molestias.",
]


def make_texts(rng: random.Random) -> list[str]:
    texts = []
    for _ in range(TEXTS):
        text = ""
        while len(text) < LENGTH:
            text += rng.choice(SENTENCES) + " "
        texts.append(text[:LENGTH].rsplit(" ", 1)[0])
    return texts


def time_each(function: Callable[[str], object], texts: list[str]) -> list[float]:
    """Microseconds for each call, one call per text."""
    timings = []
    for text in texts:
        started = time.perf_counter_ns()
        function(text)
        timings.append((time.perf_counter_ns() - started) / 1_000)
    return timings


def p99(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[98]


def main() -> None:
    texts = make_texts(random.Random(2025))  # noqa: S311 -- sample texts, not secrets
    started = time.perf_counter()
    identify("Carga del modelo de idioma.")
    load_ms = (time.perf_counter() - started) * 1_000

    baselines = {
        "len()": time_each(len, texts),
        're.findall(r"\\d+")': time_each(lambda t: re.findall(r"\d+", t), texts),
    }
    operations = {
        "find_personal_data": time_each(find_personal_data, texts),
        **{f"count {method}": time_each(lambda t, m=method: count(t, m), texts) for method in METHODS},
        "identify": time_each(identify, texts),
    }

    len_median = statistics.median(baselines["len()"])
    re_median = statistics.median(baselines['re.findall(r"\\d+")'])
    print(f"{TEXTS} texts of about {LENGTH} characters; py3langid model loaded in {load_ms:.0f} ms")
    print(f"{'operation':<22}{'median µs':>11}{'p99 µs':>10}{'texts/s':>11}{'× len()':>11}{'× re':>9}")
    for name, timings in {**baselines, **operations}.items():
        median = statistics.median(timings)
        per_second = len(timings) / (sum(timings) / 1_000_000)
        print(
            f"{name:<22}{median:>11.1f}{p99(timings):>10.1f}{per_second:>11,.0f}"
            f"{median / len_median:>11,.0f}{median / re_median:>9.1f}"
        )


if __name__ == "__main__":
    main()
