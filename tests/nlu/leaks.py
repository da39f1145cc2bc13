"""The rule that keeps held-out NLU messages out of the training data (issue 10).

A held-out message "leaks" when, once case, accents, punctuation and entity markup are
folded away, it is within 0.9 similarity (rapidfuzz `fuzz.ratio` ≥ 90) of a training
example. Both the cleaning of the held-out files and their test use this one rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[2]
SIMILARITY = 90.0
_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def fold(text: str) -> str:
    text = _MARKUP.sub(r"\1", text)
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", text).strip()


def examples(path: Path) -> list[str]:
    """The raw example lines (with markup) of an NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[str] = []
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append(line[2:].strip())
    return out


def training_examples() -> list[str]:
    return [fold(e) for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")) for e in examples(path)]


def leaks(heldout: Iterable[str], training: list[str]) -> list[tuple[str, str, float]]:
    """(held-out message, closest training example, similarity) for every leak."""
    found = []
    for message in heldout:
        match = process.extractOne(fold(message), training, scorer=fuzz.ratio, score_cutoff=SIMILARITY)
        if match is not None:
            found.append((message, match[0], float(match[1])))
    return found


def clean(path: Path) -> int:
    """Rewrite a held-out file without its leaks; returns how many were removed."""
    training = training_examples()
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    removed = 0
    header = [line for line in text.splitlines() if line.startswith("#")]
    lines = [*header, 'version: "3.1"', "nlu:"]
    for block in data.get("nlu") or []:
        kept = []
        for example in examples_of_block(block):
            if leaks([example], training):
                removed += 1
            else:
                kept.append(example)
        if kept:
            lines.append(f"- intent: {block['intent']}")
            lines.append("  examples: |")
            lines += [f"    - {e}" for e in kept]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return removed


def examples_of_block(block: dict) -> list[str]:
    return [line.strip()[2:].strip() for line in str(block.get("examples") or "").splitlines()
            if line.strip().startswith("- ")]


if __name__ == "__main__":  # python -m tests.nlu.leaks FILE…: remove the leaks of held-out files
    import sys

    for name in sys.argv[1:]:
        print(f"{name}: {clean(Path(name))} messages retirés (à moins de 0,9 d'un exemple d'entraînement)")
