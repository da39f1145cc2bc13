"""`make report`: what people asked the assistant, for the MEL team, as one static HTML page.

Reads Rasa's SQL tracker store (table ``events``: id, sender_id, type_name, timestamp,
intent_name, action_name, data) from ``TRACKER_DB_URL`` (an SQLAlchemy URL; default
``sqlite:///var/tracker.db``, PostgreSQL in production) and writes ``var/report/index.html`` and
its PNG charts for a period (``--from`` / ``--to``, ISO dates, default the last 30 days).

Every message shown goes through :func:`mask` first: e-mail addresses, phone numbers, SIRET and
SIREN never appear in the page. Charts are drawn by matplotlib, the page by Jinja2 (autoescaped).
"""

# ruff: noqa: E501  (the HTML template below keeps one table row per line)
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = "sqlite:///var/tracker.db"
DEFAULT_OUT = ROOT / "var" / "report"
DEFAULT_DAYS = 30

FALLBACK_INTENT = "nlu_fallback"
# Responses that mean "I could not answer" (domain names, matched as prefixes), and the marks a
# custom payload may carry for the honest "the documents do not answer this" answer.
NO_ANSWER_RESPONSES = ("utter_incompris", "utter_passage_aucun", "utter_sans_reponse")
NO_ANSWER_PAYLOAD_TYPES = ("sans_reponse", "aucune_reponse")
SIMILARITY_THRESHOLD = 60  # rapidfuzz token_set_ratio, 0-100: questions at least this close are grouped
SLOWEST_TURNS = 10
TOP = 15

# --------------------------------------------------------------------------- masking

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_SIRET = re.compile(r"(?<![\d])\d{3}[ .]?\d{3}[ .]?\d{3}[ .]?\d{5}(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:\+33[ .-]?(?:\(0\)[ .-]?)?|0)[1-9](?:[ .-]?\d{2}){4}(?![\d])")
_SIREN = re.compile(r"(?<![\d])\d{3}[ .]?\d{3}[ .]?\d{3}(?![\d])")


def mask(text: str) -> str:
    """The text with e-mails, phone numbers, SIRET and SIREN replaced by a label."""
    text = _EMAIL.sub("[e-mail masqué]", text)
    text = _SIRET.sub("[SIRET masqué]", text)
    text = _PHONE.sub("[téléphone masqué]", text)
    return _SIREN.sub("[SIREN masqué]", text)


# --------------------------------------------------------------------------- reading


@dataclass
class Turn:
    sender: str
    at: float
    text: str
    intent: str | None
    places: list[str]
    answers: list[dict[str, Any]] = field(default_factory=list)  # bot events' data
    answered_at: float | None = None

    @property
    def delay(self) -> float | None:
        return None if self.answered_at is None else self.answered_at - self.at

    @property
    def fallback(self) -> bool:
        return self.intent == FALLBACK_INTENT

    @property
    def no_answer(self) -> bool:
        """No bot message at all, or one that says it cannot answer."""
        if not self.answers:
            return True
        for data in self.answers:
            name = str((data.get("metadata") or {}).get("utter_action") or "")
            if name.startswith(NO_ANSWER_RESPONSES):
                return True
            custom = (data.get("data") or {}).get("custom")
            if isinstance(custom, dict) and (
                custom.get("type") in NO_ANSWER_PAYLOAD_TYPES or custom.get("sans_reponse") is True
            ):
                return True
        return False


@dataclass
class Avis:
    sender: str
    at: float
    note: str
    commentaire: str
    extrait: str
    question: str


def period_bounds(start: dt.date, end: dt.date) -> tuple[float, float]:
    """Epoch seconds of [start 00:00, end+1 00:00) in UTC (the tracker stores epoch seconds)."""
    a = dt.datetime.combine(start, dt.time.min, tzinfo=dt.timezone.utc).timestamp()
    b = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc).timestamp()
    return a, b


def read_events(db_url: str, start: float, end: float) -> list[dict[str, Any]]:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("events"):
                raise SystemExit(f"{db_url} : pas de table `events` (le tracker store SQL de Rasa n'a encore rien écrit).")
            rows = conn.execute(
                sa.text(
                    "SELECT id, sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
                    "WHERE timestamp >= :start AND timestamp < :end ORDER BY sender_id, id"
                ),
                {"start": start, "end": end},
            ).mappings().all()
    finally:
        engine.dispose()
    events = []
    for row in rows:
        try:
            data = json.loads(row["data"] or "{}")
        except ValueError:
            data = {}
        events.append({**row, "data": data if isinstance(data, dict) else {}})
    return events


def build_turns(events: list[dict[str, Any]]) -> tuple[list[Turn], list[Avis]]:
    turns: list[Turn] = []
    avis: list[Avis] = []
    by_sender: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        by_sender[e["sender_id"]].append(e)
    for sender, evs in by_sender.items():
        current: Turn | None = None
        mine: list[Turn] = []
        for e in evs:
            data = e["data"]
            if e["type_name"] == "user":
                parse = data.get("parse_data") or {}
                intent = e["intent_name"] or (parse.get("intent") or {}).get("name")
                places = [str(x.get("value")) for x in parse.get("entities") or []
                          if isinstance(x, dict) and x.get("entity") == "lieu" and x.get("value")]
                current = Turn(sender, float(e["timestamp"]), str(data.get("text") or ""), intent, places)
                mine.append(current)
            elif e["type_name"] == "bot" and current is not None:
                current.answers.append(data)
                if current.answered_at is None:
                    current.answered_at = float(e["timestamp"])
            elif e["type_name"] == "slot" and data.get("name") == "avis" and isinstance(data.get("value"), dict):
                v = data["value"]
                extrait = str(v.get("extrait") or "")
                avis.append(Avis(sender, float(e["timestamp"]), str(v.get("note") or ""),
                                 str(v.get("commentaire") or ""), extrait, _question_for(mine, extrait)))
        turns.extend(mine)
    return turns, avis


def _question_for(turns: list[Turn], extrait: str) -> str:
    """The user's message that the judged answer followed (matched on the answer's text)."""
    probe = extrait.strip()[:80]
    for turn in reversed(turns):
        for data in turn.answers:
            if probe and str(data.get("text") or "").startswith(probe):
                return turn.text
    return turns[-1].text if turns else ""


# --------------------------------------------------------------------------- analysis


def group_similar(questions: list[str], threshold: int = SIMILARITY_THRESHOLD) -> list[dict[str, Any]]:
    """Greedy grouping: each question joins the first group whose first question is close enough."""
    from rapidfuzz import fuzz, utils

    groups: list[dict[str, Any]] = []
    for q in questions:
        for g in groups:
            if fuzz.token_set_ratio(q, g["exemple"], processor=utils.default_process) >= threshold:
                g["questions"].append(q)
                break
        else:
            groups.append({"exemple": q, "questions": [q]})
    groups.sort(key=lambda g: -len(g["questions"]))
    return groups


def intent_labels() -> dict[str, str]:
    """Readable names of intents, from the domain's `utter_libelle_<intent>` responses."""
    import yaml

    labels: dict[str, str] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variants in responses.items():
            if name.startswith("utter_libelle_") and variants and isinstance(variants[0], dict):
                labels[name[len("utter_libelle_"):]] = str(variants[0].get("text") or "")
    labels.setdefault(FALLBACK_INTENT, "Question non comprise")
    return labels


def analyse(turns: list[Turn], avis: list[Avis]) -> dict[str, Any]:
    labels = intent_labels()
    n = len(turns)
    topics = Counter(t.intent or "inconnue" for t in turns)
    unanswered = [mask(t.text) for t in turns if (t.fallback or t.no_answer) and t.text.strip()]
    places = Counter(p for t in turns for p in t.places)
    timed = sorted((t for t in turns if t.delay is not None), key=lambda t: -(t.delay or 0))
    days = Counter(dt.datetime.fromtimestamp(t.at, dt.timezone.utc).date() for t in turns)
    return {
        "conversations": len({t.sender for t in turns}),
        "messages": n,
        "bot_messages": sum(len(t.answers) for t in turns),
        "topics": [(labels.get(k, k), k, v) for k, v in topics.most_common(TOP)],
        "fallback": sum(t.fallback for t in turns),
        "no_answer": sum((not t.fallback) and t.no_answer for t in turns),
        "fallback_rate": (sum(t.fallback for t in turns) / n) if n else 0.0,
        "no_answer_rate": (sum(t.fallback or t.no_answer for t in turns) / n) if n else 0.0,
        "unanswered_groups": group_similar(unanswered)[:TOP],
        "places": places.most_common(TOP),
        "slowest": [{"delay": t.delay, "text": mask(t.text), "at": t.at} for t in timed[:SLOWEST_TURNS]],
        "positifs": sum(a.note == "positif" for a in avis),
        "negatifs": [
            {"at": a.at, "commentaire": mask(a.commentaire), "extrait": mask(a.extrait), "question": mask(a.question)}
            for a in sorted(avis, key=lambda a: -a.at) if a.note == "negatif"
        ],
        "days": sorted(days.items()),
    }


# --------------------------------------------------------------------------- charts


def draw_charts(stats: dict[str, Any], out: Path) -> dict[str, str]:
    """PNG files drawn with matplotlib; returns {name: file name}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    charts: dict[str, str] = {}

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        fig.savefig(out / f"{name}.png", dpi=110)
        plt.close(fig)
        charts[name] = f"{name}.png"

    def barh(items: list[tuple[str, int]], name: str, title: str) -> None:
        fig, ax = plt.subplots(figsize=(7, 0.4 * max(len(items), 2) + 1))
        labels = [k for k, _ in items][::-1]
        values = [v for _, v in items][::-1]
        ax.barh(labels, values, color="#005a9c")
        ax.set_title(title)
        ax.set_xlabel("questions")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        save(fig, name)

    barh([(label, v) for label, _, v in stats["topics"]] or [("aucune", 0)], "sujets", "Questions par sujet")
    barh(stats["places"] or [("aucun", 0)], "lieux", "Lieux demandés")

    fig, ax = plt.subplots(figsize=(7, 3))
    days = stats["days"] or [(dt.date.today(), 0)]
    ax.bar([d.strftime("%d/%m") for d, _ in days], [v for _, v in days], color="#005a9c")
    ax.set_title("Messages par jour")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(days) > 10:
        fig.autofmt_xdate()
    save(fig, "jours")

    fig, ax = plt.subplots(figsize=(5, 3))
    n = stats["messages"]
    answered = n - stats["fallback"] - stats["no_answer"]
    ax.bar(["répondu", "sans réponse", "non compris"], [answered, stats["no_answer"], stats["fallback"]],
           color=["#2e7d32", "#b26a00", "#b3261e"])
    ax.set_title("Réponses")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    save(fig, "reponses")
    return charts


# --------------------------------------------------------------------------- page

TEMPLATE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport de l'assistant Contrat de ville — {{ period }}</title>
<style>
 body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1b1b1b; line-height: 1.5; }
 h1 { font-size: 1.6rem; } h2 { color: #00427a; margin-top: 2rem; }
 .kpi { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; }
 .kpi li { background: #f3f5f8; border-radius: .5rem; padding: .75rem 1rem; min-width: 10rem; }
 .kpi strong { display: block; font-size: 1.5rem; color: #00427a; }
 table { border-collapse: collapse; width: 100%; } th, td { text-align: left; border-bottom: 1px solid #ccd; padding: .3rem .5rem; vertical-align: top; }
 img { max-width: 100%; height: auto; } .muted { color: #4a4f55; }
</style>
</head>
<body>
<main>
<h1>Ce que les porteurs de projets ont demandé à l'assistant</h1>
<p class="muted">Du {{ start }} au {{ end }}. Produit le {{ generated }} par <code>make report</code>.
Les adresses e-mail, numéros de téléphone, SIRET et SIREN des messages sont masqués.</p>

<ul class="kpi">
 <li><strong id="nb-conversations">{{ s.conversations }}</strong> conversations</li>
 <li><strong id="nb-messages">{{ s.messages }}</strong> messages reçus</li>
 <li><strong id="taux-fallback">{{ pct(s.fallback_rate) }}</strong> questions non comprises</li>
 <li><strong id="taux-sans-reponse">{{ pct(s.no_answer_rate) }}</strong> sans réponse utile (dont non comprises)</li>
 <li><strong id="nb-avis-positifs">{{ s.positifs }}</strong> réponses jugées utiles</li>
 <li><strong id="nb-avis-negatifs">{{ s.negatifs|length }}</strong> réponses jugées fausses</li>
</ul>

<h2>Activité</h2>
<img src="{{ charts.jours }}" alt="Nombre de messages reçus par jour sur la période">
<img src="{{ charts.reponses }}" alt="Messages répondus, sans réponse utile et non compris : {{ s.messages - s.fallback - s.no_answer }}, {{ s.no_answer }} et {{ s.fallback }}">

<h2>Questions par sujet</h2>
<img src="{{ charts.sujets }}" alt="Nombre de questions par sujet">
<table id="sujets"><thead><tr><th scope="col">Sujet</th><th scope="col">Intention</th><th scope="col">Questions</th></tr></thead>
<tbody>{% for label, intent, n in s.topics %}<tr><td>{{ label }}</td><td><code>{{ intent }}</code></td><td>{{ n }}</td></tr>{% endfor %}</tbody></table>

<h2>Réponses jugées fausses</h2>
{% if s.negatifs %}<table id="avis-negatifs"><thead><tr><th scope="col">Date</th><th scope="col">Question</th><th scope="col">Réponse jugée</th><th scope="col">Commentaire</th></tr></thead><tbody>
{% for a in s.negatifs %}<tr><td>{{ when(a.at) }}</td><td>{{ a.question }}</td><td>{{ a.extrait }}</td><td>{{ a.commentaire or "—" }}</td></tr>{% endfor %}
</tbody></table>{% else %}<p>Aucune réponse jugée fausse sur la période.</p>{% endif %}

<h2>Questions sans réponse, regroupées</h2>
{% if s.unanswered_groups %}<ol id="sans-reponse">{% for g in s.unanswered_groups %}
 <li><strong>{{ g.exemple }}</strong> ({{ g.questions|length }}){% if g.questions|length > 1 %}<ul>{% for q in g.questions[1:6] %}<li>{{ q }}</li>{% endfor %}</ul>{% endif %}</li>{% endfor %}
</ol>{% else %}<p>Aucune sur la période.</p>{% endif %}

<h2>Lieux demandés</h2>
<img src="{{ charts.lieux }}" alt="Nombre de questions par lieu demandé">
<table id="lieux"><thead><tr><th scope="col">Lieu</th><th scope="col">Questions</th></tr></thead>
<tbody>{% for lieu, n in s.places %}<tr><td>{{ lieu }}</td><td>{{ n }}</td></tr>{% endfor %}</tbody></table>

<h2>Réponses les plus lentes</h2>
<table id="lentes"><thead><tr><th scope="col">Délai</th><th scope="col">Date</th><th scope="col">Question</th></tr></thead>
<tbody>{% for t in s.slowest %}<tr><td>{{ "%.1f"|format(t.delay) }} s</td><td>{{ when(t.at) }}</td><td>{{ t.text }}</td></tr>{% endfor %}</tbody></table>
</main>
</body>
</html>
"""


def render(stats: dict[str, Any], charts: dict[str, str], start: dt.date, end: dt.date) -> str:
    from babel.dates import format_date, format_datetime
    from jinja2 import Environment

    env = Environment(autoescape=True)

    def when(ts: float) -> str:
        return format_datetime(dt.datetime.fromtimestamp(ts, dt.timezone.utc), "d MMM y HH:mm", tzinfo=_paris(),
                               locale="fr_FR")

    def pct(x: float) -> str:
        return f"{100 * x:.0f} %".replace(".", ",")

    return env.from_string(TEMPLATE).render(
        s=stats, charts=charts, when=when, pct=pct,
        start=format_date(start, "d MMMM y", locale="fr_FR"), end=format_date(end, "d MMMM y", locale="fr_FR"),
        period=f"{start.isoformat()} → {end.isoformat()}",
        generated=format_datetime(dt.datetime.now(dt.timezone.utc), "d MMMM y HH:mm", tzinfo=_paris(), locale="fr_FR"),
    )


def _paris() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


def main(argv: list[str] | None = None) -> int:
    today = dt.date.today()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat,
                        default=today - dt.timedelta(days=DEFAULT_DAYS), help="premier jour (AAAA-MM-JJ)")
    parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, default=today, help="dernier jour (AAAA-MM-JJ)")
    parser.add_argument("--db", default=os.environ.get("TRACKER_DB_URL", DEFAULT_DB_URL),
                        help="URL SQLAlchemy du tracker store (défaut : $TRACKER_DB_URL ou sqlite:///var/tracker.db)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="dossier du rapport (défaut : var/report)")
    args = parser.parse_args(argv)
    if args.end < args.start:
        parser.error("--to est avant --from")
    args.out.mkdir(parents=True, exist_ok=True)
    turns, avis = build_turns(read_events(args.db, *period_bounds(args.start, args.end)))
    stats = analyse(turns, avis)
    charts = draw_charts(stats, args.out)
    page = args.out / "index.html"
    page.write_text(render(stats, charts, args.start, args.end), encoding="utf-8")
    print(f"Rapport : {page} ({stats['conversations']} conversations, {stats['messages']} messages, "
          f"{len(stats['negatifs'])} 👎)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
