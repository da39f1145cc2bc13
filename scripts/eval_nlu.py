"""Held-out NLU evaluation: intent accuracy and place-entity F1.

    make eval-nlu        (or: .venv/bot/bin/python scripts/eval_nlu.py [--model PATH] [--json OUT])

tests/nlu/heldout.yml is never used in training (data/ does not include it).
Intent accuracy counts a message right when its top intent equals the label
(an `nlu_fallback` counts wrong). Place F1 is computed on `lieu` spans: a
predicted span is right when its text, folded (case, accents, punctuation),
equals a labelled span's text; spans found by DIET and by the lookup table are
merged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", text).strip()


async def evaluate(model: Path, data: Path, as_channel: bool = False) -> dict:
    """Figures on `data`; with `as_channel`, long messages are read sentence by sentence as the REST
    channel reads them (bot/comprehension.py), with the same trained NLU."""
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    from bot import comprehension

    agent = Agent.load(str(model))
    examples = [m for m in load_data(str(data)).intent_examples]
    correct = 0
    confusion: Counter[tuple[str, str]] = Counter()
    tp = fp = fn = 0
    errors: list[dict] = []
    rankings: list[dict] = []
    started = time.perf_counter()
    for message in examples:
        text = message.get("text")
        gold_intent = message.get("intent")
        gold = Counter(fold(text[e["start"]:e["end"]]) for e in message.get("entities") or [] if e["entity"] == "lieu")
        parsed = await agent.parse_message(text)
        if as_channel:
            parsed, _ = await comprehension.analyse(agent, text, parsed)
        intent = (parsed.get("intent") or {}).get("name")
        predicted = Counter(
            fold(text[e["start"]:e["end"]]) for e in parsed.get("entities") or [] if e.get("entity") == "lieu"
        )
        predicted = Counter(set(predicted))  # the same span from two extractors counts once
        ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        best = ranking[0] if ranking else {"name": intent, "confidence": 0.0}
        rankings.append({"attendu": gold_intent, "meilleure": best.get("name"),
                         "confiance": round(float(best.get("confidence") or 0.0), 3)})
        if intent == gold_intent:
            correct += 1
        else:
            confusion[(gold_intent, intent)] += 1
            errors.append({"text": text, "attendu": gold_intent, "predit": intent})
        tp += sum((gold & predicted).values())
        fp += sum((predicted - gold).values())
        fn += sum((gold - predicted).values())
        if gold != predicted:
            errors.append({"text": text, "lieux_attendus": sorted(gold), "lieux_predits": sorted(predicted)})
    seconds = time.perf_counter() - started
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "messages": len(examples),
        "intent_accuracy": round(correct / len(examples), 4),
        "lieu_precision": round(precision, 4),
        "lieu_recall": round(recall, 4),
        "lieu_f1": round(f1, 4),
        "ms_per_message": round(1000 * seconds / len(examples), 1),
        "confusions": [{"attendu": a, "predit": b, "n": n} for (a, b), n in confusion.most_common()],
        "erreurs": errors,
        "classements": rankings,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "assistant.tar.gz"))
    parser.add_argument("--data", default=str(ROOT / "tests" / "nlu" / "heldout.yml"))
    parser.add_argument("--json", default=str(ROOT / "results" / "nlu_eval.json"))
    parser.add_argument("--as-channel", action="store_true",
                        help="read long messages sentence by sentence, as the REST channel does")
    args = parser.parse_args()
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    sys.path.insert(0, str(ROOT))  # bot.components (custom NLU component)
    logging.disable(logging.WARNING)
    result = asyncio.run(evaluate(Path(args.model), Path(args.data), args.as_channel))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"Jeu : {Path(args.data).name}{' (lecture du canal REST : phrase par phrase)' if args.as_channel else ''}")
    print(f"Messages du jeu de test (à moins de 0,9 de tout exemple d'entraînement) : {result['messages']}")
    print(f"Exactitude des intentions : {result['intent_accuracy']:.3f}")
    print(f"Lieux : précision {result['lieu_precision']:.3f}, rappel {result['lieu_recall']:.3f}, "
          f"F1 {result['lieu_f1']:.3f}")
    print(f"Temps d'analyse moyen : {result['ms_per_message']} ms par message")
    for item in result["confusions"][:10]:
        print(f"  confusion : {item['attendu']} → {item['predit']} ({item['n']})")
    print(f"Détail : {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
