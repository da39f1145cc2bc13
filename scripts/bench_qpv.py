"""Latency of the QPV check (`qpv_at`) after warm-up.

    make bench-qpv     (or: .venv/actions/bin/python scripts/bench_qpv.py)

Builds a fresh SQLite référentiel in a temporary folder, builds the index once
(warm-up, timed apart), then times N calls on a fixed, seeded mix of points: inside
the 27 covered QPV, near their boundaries, elsewhere in the Nord, in Belgium, at sea
and in Paris. Prints one table line with the machine (nproc, CPU model).
Exit code 1 when p95 is above the target (1 ms).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.loader import load  # noqa: E402
from knowledge.services.geo import contours_wgs84, qpv_at  # noqa: E402
from knowledge.services.places import gazetteer  # noqa: E402

CALLS = 20_000
TARGET_P95_MS = 1.0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def points(url: str) -> list[tuple[float, float]]:
    rng = random.Random(14)
    contours = contours_wgs84(url)
    out: list[tuple[float, float]] = []
    gaz = gazetteer(url)
    covered = sorted(code for code, q in gaz.qpvs.items() if gaz.territoires[q.territoire_id].couvert)
    for code in covered:
        inside = contours[code].representative_point()
        out.append((inside.y, inside.x))
        minx, miny, maxx, maxy = contours[code].bounds
        for _ in range(8):  # around the QPV: in, out and near its boundary
            out.append((rng.uniform(miny - 0.003, maxy + 0.003), rng.uniform(minx - 0.003, maxx + 0.003)))
    for _ in range(100):  # anywhere in the Nord's bounding box (Belgium and the sea included)
        out.append((rng.uniform(49.97, 51.09), rng.uniform(2.07, 4.23)))
    out += [(48.8566, 2.3522), (50.6056, 3.3878), (51.15, 2.20)]
    return out


def main() -> int:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    load(url)
    sample = points(url)
    start = time.perf_counter()
    qpv_at(*sample[0], url)
    build_ms = (time.perf_counter() - start) * 1000
    for lat, lon in sample:
        qpv_at(lat, lon, url)
    timings = []
    for i in range(CALLS):
        lat, lon = sample[i % len(sample)]
        start = time.perf_counter()
        qpv_at(lat, lon, url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print("| calls | points | index build | median | p95 | max | nproc | CPU |")
    print(f"| {len(timings)} | {len(sample)} | {build_ms:.0f} ms | {statistics.median(timings):.3f} ms | "
          f"{p95:.3f} ms | {timings[-1]:.2f} ms | {os.cpu_count()} | {cpu_model()} |")
    return 0 if p95 <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
