"""Apertium translation time per 280-character post (RULES.md LANG-3).

Run: ``.venv/bin/python bench/translate.py [--texts 100] [--timeout 10]``. Builds realistic
Spanish posts of about 280 characters (municipal notices with links, mentions, hashtags, dates
and amounts), translates each once with :func:`pregonero.text.translate.translate` into
Catalan, Valencian and Galician, and prints the median, 95th percentile and maximum time per
post in milliseconds. The baseline runs ``cat`` through the same subprocess path, so the
difference is what Apertium itself costs. Nothing is asserted; compare machines by ratio.

Each call starts the Apertium pipeline anew (about a dozen processes), which is what the
"Translate" button does; the figures are dominated by that start-up, not by the text.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import time

from pregonero.text.translate import protect, translate

LENGTH = 280

SENTENCES = [
    "El Ayuntamiento informa de que mañana se cortará la calle Mayor por obras de alcantarillado.",
    "Los autobuses urbanos desviarán su recorrido por la avenida del Puerto hasta el viernes.",
    "Abre el plazo de inscripción en la escuela de verano del 3 al 14 de junio.",
    "Las plazas son limitadas y se adjudicarán por sorteo público en la Casa de la Cultura.",
    "Consulta el programa completo en https://www.vilanovademar.es/agenda/fiestas-2025",
    "Para cualquier duda, escribid a atencion.ciudadana@vilanovademar.es o llamad al 961 234 567.",
    "Presupuesto participativo 2025: 2.000.000 € para proyectos de barrio. Vota antes del 30/06.",
    "Recordad: la recogida de muebles y enseres es gratuita los martes. #Vilanova",
    "Aviso por lluvias intensas: evitad los desplazamientos y seguid a @EmergenciasVilanova.",
    "La piscina municipal abre este sábado de 10:00 a 20:00 h con entrada gratuita para menores.",
    "El pleno ordinario se celebrará el jueves a las 19 h en el salón de actos del Ayuntamiento.",
    "Se ha ampliado el horario de la biblioteca durante los exámenes: de 8 a 22 h. #Estudia",
]
PAIRS = [("es→ca", "ca", None), ("es→ca valencia", "ca", "valencia"), ("es→gl", "gl", None)]


def make_texts(rng: random.Random, count: int) -> list[str]:
    texts = []
    for _ in range(count):
        text = ""
        while len(text) < LENGTH:
            text += rng.choice(SENTENCES) + " "
        texts.append(text[:LENGTH].rsplit(" ", 1)[0])
    return texts


def time_each(function, texts: list[str]) -> list[float]:
    """Milliseconds for each call, one call per text."""
    timings = []
    for text in texts:
        started = time.perf_counter_ns()
        function(text)
        timings.append((time.perf_counter_ns() - started) / 1_000_000)
    return timings


def cat_through_subprocess(text: str) -> str:
    """The baseline: the same protection and one process, without Apertium's pipeline."""
    return subprocess.run(  # noqa: S603 -- a fixed program found by shutil.which
        [shutil.which("cat") or "/bin/cat"],
        input=protect(text).markup,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=10.0)
    options = parser.parse_args()
    texts = make_texts(random.Random(2025), options.texts)  # noqa: S311 -- sample texts, not secrets
    print(f"{len(texts)} Spanish posts, mean {statistics.mean(map(len, texts)):.0f} characters")
    # Apertium is a dozen processes per call: on a busy machine they wait for a core.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'operation':<18}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'posts/s':>9}")
    rows = {"cat (baseline)": time_each(cat_through_subprocess, texts)}
    for name, target, variant in PAIRS:
        translate(texts[0], "es", target, variant=variant, timeout=options.timeout)  # warm the disk cache
        rows[name] = time_each(
            lambda t, target=target, variant=variant: translate(
                t, "es", target, variant=variant, timeout=options.timeout
            ),
            texts,
        )
    for name, timings in rows.items():
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"{name:<18}{median:>11.1f}{p95:>9.1f}{max(timings):>9.1f}{1000 / median:>9.1f}")


if __name__ == "__main__":
    main()
