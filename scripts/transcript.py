"""Talk to a running assistant through REST and print the conversation (and each answer's time).

    make run                                    # in another terminal
    .venv/actions/bin/python scripts/transcript.py [--url http://localhost:5005] [--today 2025-09-20] [messages…]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid

import requests

DEFAULT = [
    "Bonjour",
    "je cherche un interlocuteur",
    "villeneuve dascq",
    "et la région ?",
    "qui contacter à Roubaix ?",
    "Nouveau Roubaix",
    "le délégué du préfet de Wattignies",
    "c'est quand la date limite ?",
    "quelle ambition pour des ateliers vélo pour les mamans du quartier ?",
    "qui contacter à Valenciennes ?",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--today", default=None)
    parser.add_argument("messages", nargs="*")
    args = parser.parse_args()
    sender = f"transcript-{uuid.uuid4().hex[:6]}"
    for message in args.messages or DEFAULT:
        body: dict = {"sender": sender, "message": message}
        if args.today:
            body["metadata"] = {"today": args.today}
        start = time.perf_counter()
        replies = requests.post(f"{args.url}/webhooks/rest/webhook", json=body, timeout=60).json()
        elapsed = (time.perf_counter() - start) * 1000
        print(f"> {message}")
        for reply in replies:
            if "text" in reply:
                print("  " + reply["text"].replace("\n", "\n  "))
            if reply.get("buttons"):
                print("  [" + "] [".join(b["title"] for b in reply["buttons"]) + "]")
            if "custom" in reply:
                card = json.dumps(reply["custom"], ensure_ascii=False)[:120]
                print(f"  (carte {reply['custom'].get('type')} : {card}…)")
        print(f"  — {elapsed:.0f} ms")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
