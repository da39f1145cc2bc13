"""Latency of place resolution (`resolve_place`) after warm-up.

    make bench     (or: .venv/actions/bin/python scripts/bench_resolve.py)

Builds a fresh SQLite référentiel in a temporary folder, resolves every
spelling of tests/knowledge/data/orthographes.csv once to warm up, then times
N rounds over the whole table and prints the median, p95 and max per call.
"""

from __future__ import annotations

import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.loader import load  # noqa: E402
from knowledge.services.places import resolve_place  # noqa: E402

ROUNDS = 20


def main() -> int:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    load(url)
    with (ROOT / "tests/knowledge/data/orthographes.csv").open(encoding="utf-8") as handle:
        inputs = [row["saisie"] for row in csv.DictReader(handle)]
    inputs += ["a" * 10_000, "", "qui contacter dans le quartier des oliveaux a loos ?"]
    for text in inputs:
        resolve_place(text, url)
    timings = []
    for _ in range(ROUNDS):
        for text in inputs:
            start = time.perf_counter()
            resolve_place(text, url)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"resolve_place : {len(timings)} appels ({len(inputs)} saisies × {ROUNDS})")
    print(f"  médiane {statistics.median(timings):.3f} ms, p95 {p95:.3f} ms, max {timings[-1]:.3f} ms")
    return 0 if p95 < 5.0 else 1


if __name__ == "__main__":
    sys.exit(main())
