"""The messages of the load benchmark (scripts/locustfile.py, bench_load.py, profile_turns.py).

No import beyond the standard library: the profile driver runs in the `bot` environment.
"""

from __future__ import annotations

TODAY = {"today": "2025-09-20"}  # a fixed date: the deadline answers do not change with the day of the run

# Single-turn contact questions: the answer needs no follow-up, so every message costs the same.
CONTACT_QUESTIONS = [
    "qui contacter à Loos ?",
    "le délégué du préfet de Wattignies",
    "qui est mon interlocuteur à Wattrelos ?",
    "je cherche un contact à Hem",
    "qui contacter à Lys-lez-Lannoy ?",
    "le contact ville de Haubourdin",
    "qui contacter à Valenciennes ?",
    "qui contacter à Loos Oliveaux ?",
]

# A mixed conversation: contacts with follow-ups, deadline, FAQ, ambitions, small talk.
MIXED_CONVERSATION = [
    "Bonjour",
    "qui contacter à Loos ?",
    "et la région ?",
    "c'est quand la date limite ?",
    "c'est quoi un QPV ?",
    "mon projet : des ateliers vélo pour les mamans du quartier",
    "qui contacter à Roubaix ?",
    "Nouveau Roubaix",
    "le délégué du préfet de Wattignies",
    "qu'est-ce qu'une CPO ?",
    "quels sont les enjeux du contrat ?",
    "merci",
]
