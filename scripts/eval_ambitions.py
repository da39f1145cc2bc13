"""Accuracy and latency of the ambition matcher (knowledge/services/ambitions.py).

Run from the repository root: ``python scripts/eval_ambitions.py``.

For each part of ``tests/data/ambitions_labelled.csv`` (``reglage`` = tuning,
``test`` = held out), prints top-1 and top-3 accuracy on project descriptions,
the rate of ``aucune`` on unrelated texts, then the latency of one call on a
200-word description (after a warm-up). Exits 1 when a held-out target is
missed or when the ``partie`` column does not follow the split rule of
``tests/data/README.md``.

``--erreurs`` lists the misses of the ``reglage`` part only: the held-out part
is never inspected example by example, so that it stays held out.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge.services.ambitions import match_ambitions  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "ambitions_labelled.csv"
TARGETS = {"top3": 0.90, "top1": 0.70, "aucune": 0.90}
LATENCY_RUNS = 200

# 200 words, as an association would paste its project summary.
LATENCY_TEXT = (
    "Notre association, implantée depuis quinze ans au cœur de la résidence des Oliveaux, "
    "accompagne chaque semaine plus de deux cents familles. Le projet que nous présentons pour la "
    "programmation 2026 vise à renforcer l'accompagnement scolaire des enfants et le soutien aux parents. "
    "Trois soirs par semaine, des bénévoles et une animatrice proposent une aide aux devoirs "
    "aux élèves de primaire et aux collégiens repérés par les enseignants comme étant en difficulté. "
    "En parallèle, nous organisons un café des parents mensuel à l'école maternelle, des ateliers sur "
    "les écrans et le sommeil, ainsi que des sorties familiales pendant les vacances scolaires. "
    "Nous souhaitons aussi développer des activités sportives et culturelles régulières : atelier "
    "théâtre le mercredi, initiation à la boxe éducative et visites de la médiathèque. Les familles les "
    "plus isolées seront contactées en porte-à-porte par nos médiatrices afin de les informer de leurs "
    "droits et de les aider dans leurs démarches administratives en ligne, notamment auprès de la CAF. "
    "Le projet est construit avec le centre social, le collège et la ville, et il sera évalué chaque "
    "trimestre avec les partenaires à partir d'indicateurs simples : assiduité des enfants, progression "
    "scolaire et participation des parents aux ateliers proposés par l'équipe."
)


def expected_partie(row_id: str, groupe_ids: list[str]) -> str:
    """The split rule (tests/data/README.md): every third row of a group, in SHA-1 order of the ids, is `test`."""
    ordered = sorted(groupe_ids, key=lambda i: hashlib.sha1(i.encode("utf-8")).hexdigest())
    return "test" if ordered.index(row_id) % 3 == 0 else "reglage"


def read_rows(path: Path = LABELLED) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def split_errors(rows: list[dict[str, str]]) -> list[str]:
    """Rows whose `partie` is not the one the split rule gives."""
    groups: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        groups[r["attendu"].split("|")[0]].append(r["id"])
    return [r["id"] for r in rows if r["partie"] != expected_partie(r["id"], groups[r["attendu"].split("|")[0]])]


@dataclass
class PartResult:
    partie: str
    n_projets: int
    top1: float
    top3: float
    n_hors: int
    aucune: float
    erreurs: list[str]


def evaluate(rows: list[dict[str, str]], partie: str) -> PartResult:
    """Top-1 / top-3 accuracy on descriptions and `aucune` rate on unrelated texts of one part."""
    part = [r for r in rows if r["partie"] == partie]
    projets = [r for r in part if r["attendu"] != "aucune"]
    hors = [r for r in part if r["attendu"] == "aucune"]
    hit1 = hit3 = 0
    erreurs: list[str] = []
    for r in projets:
        attendu = set(r["attendu"].split("|"))
        res = match_ambitions(r["description"])
        ids = [i.id for i in res.items]
        hit1 += bool(ids and ids[0] in attendu)
        hit3 += bool(attendu & set(ids[:3]))
        if not (ids and ids[0] in attendu):
            got = ", ".join(f"{i.id} {i.score:.2f} {list(i.termes)[:4]}" for i in res.items[:3]) or "aucune"
            erreurs.append(f"{r['id']} attendu {r['attendu']} -> {got}\n      {r['description'][:140]}")
    n_aucune = 0
    for r in hors:
        res = match_ambitions(r["description"])
        n_aucune += res.aucune
        if not res.aucune:
            got = ", ".join(f"{i.id} {i.score:.2f} {list(i.termes)[:4]}" for i in res.items[:3])
            erreurs.append(f"{r['id']} attendu aucune -> {got}\n      {r['description'][:140]}")
    return PartResult(partie, len(projets), hit1 / max(len(projets), 1), hit3 / max(len(projets), 1),
                      len(hors), n_aucune / max(len(hors), 1), erreurs)


def latency(runs: int = LATENCY_RUNS) -> tuple[float, float, float]:
    """(first call incl. model load, median, p95) in ms for the 200-word description."""
    started = time.perf_counter()
    match_ambitions(LATENCY_TEXT)
    first = (time.perf_counter() - started) * 1000
    for _ in range(5):
        match_ambitions(LATENCY_TEXT)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        match_ambitions(LATENCY_TEXT)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return first, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--erreurs", action="store_true", help="list the misses of the reglage part")
    args = parser.parse_args(argv)

    rows = read_rows()
    bad_split = split_errors(rows)
    first, median, p95 = latency()
    print(f"Latence (description de {len(LATENCY_TEXT.split())} mots) : premier appel {first:.0f} ms "
          f"(chargement du modèle), puis médiane {median:.1f} ms, p95 {p95:.1f} ms sur {LATENCY_RUNS} appels")
    results = {}
    for partie in ("reglage", "test"):
        res = results[partie] = evaluate(rows, partie)
        print(f"[{partie:7}] {res.n_projets:3d} descriptions : top-1 {res.top1:.3f}  top-3 {res.top3:.3f}  |  "
              f"{res.n_hors:2d} hors sujet : aucune {res.aucune:.3f}")
    if args.erreurs:
        print("\nErreurs (reglage seulement ; top-1 manqué ou top-3 manqué) :")
        for e in results["reglage"].erreurs:
            print("  " + e)

    test = results["test"]
    missed = [name for name, value in (("top3", test.top3), ("top1", test.top1), ("aucune", test.aucune))
              if value < TARGETS[name]]
    if bad_split:
        print(f"ÉCHEC : colonne partie contraire à la règle de partage pour {bad_split}")
    if missed:
        print(f"ÉCHEC : objectifs non atteints sur la partie test : {', '.join(missed)} "
              f"(cibles top-3 ≥ {TARGETS['top3']}, top-1 ≥ {TARGETS['top1']}, aucune ≥ {TARGETS['aucune']})")
    if bad_split or missed:
        return 1
    print("OK : objectifs atteints sur la partie test.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
