"""Resolve free text to a commune, a QPV, a neighbourhood, or say why not.

The gazetteer (every name and alias of the référentiel, folded) is read once
per process and database, then kept in memory: resolving a place costs no
query. `clear_cache()` forgets it (the loader calls it after a rebuild).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process
from sqlalchemy.exc import SQLAlchemyError

from knowledge import repositories as repo
from knowledge.db import read_session
from knowledge.text import NOT_PLACE_WORDS, compact, fold, split_list

log = logging.getLogger(__name__)

Kind = Literal["commune", "qpv", "quartier", "ambigu", "hors_territoire", "inconnu"]

MAX_INPUT = 200  # longer text is not a place name
MAX_NGRAM = 7
# Words people put around a place name ("le quartier des Oliveaux à Loos").
_FILLERS = {
    "a", "au", "aux", "de", "du", "des", "d", "sur", "en", "la", "le", "les", "l", "et", "pour", "dans", "chez",
    "quartier", "quartiers", "commune", "ville", "mairie", "qpv", "vers", "cote", "pres", "y", "the", "ma", "mon",
}


@dataclass(frozen=True)
class TerritoireRef:
    id: str
    nom: str
    couvert: bool
    date_signature: date | None
    source: str


@dataclass(frozen=True)
class CommuneRef:
    insee: str
    nom: str
    territoire_id: str
    associee_de: str | None = None

    @property
    def insee_cog(self) -> str:
        """The current official code (an associated commune answers with its parent's)."""
        return self.associee_de or self.insee


@dataclass(frozen=True)
class QpvRef:
    code: str
    nom: str
    nom_officiel: str
    territoire_id: str
    communes: tuple[str, ...]
    population: int | None = None


@dataclass(frozen=True)
class QuartierRef:
    id: str
    nom: str
    commune_insee: str
    code_qp: str


@dataclass(frozen=True)
class Place:
    kind: Kind
    saisie: str
    commune: CommuneRef | None = None
    qpv: QpvRef | None = None
    quartier: QuartierRef | None = None
    territoire: TerritoireRef | None = None
    candidates: tuple[Place, ...] = ()
    score: float = 0.0
    # For a commune: do all its QPV share the same contacts? (None when unknown)
    meme_contacts_tous_qpv: bool | None = None

    @property
    def found(self) -> bool:
        return self.kind in ("commune", "qpv", "quartier")

    @property
    def label(self) -> str:
        if self.quartier is not None:
            return self.quartier.nom
        if self.qpv is not None and self.kind == "qpv":
            return self.qpv.nom
        if self.commune is not None:
            return self.commune.nom
        if self.qpv is not None:
            return self.qpv.nom
        return self.saisie

    @property
    def key(self) -> tuple[str, str]:
        if self.quartier is not None:
            return ("quartier", self.quartier.id)
        if self.kind == "qpv" and self.qpv is not None:
            return ("qpv", self.qpv.code)
        if self.commune is not None:
            return ("commune", self.commune.insee)
        if self.qpv is not None:
            return ("qpv", self.qpv.code)
        return (self.kind, self.saisie)


@dataclass
class Gazetteer:
    territoires: dict[str, TerritoireRef]
    communes: dict[str, CommuneRef]
    qpvs: dict[str, QpvRef]
    quartiers: dict[str, QuartierRef]
    qpv_by_commune: dict[str, list[str]]
    # compact name -> targets ("commune"|"qpv"|"quartier", key)
    names: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # compact name -> a readable form

    def add(self, name: str, target: tuple[str, str]) -> None:
        for variant in _variants(name):
            key = compact(variant)
            if len(key) >= 2:
                self.names.setdefault(key, set()).add(target)
                self.display.setdefault(key, variant)


def _variants(name: str) -> list[str]:
    """The name, and the name without a leading article ("Les Oliveaux" → "Oliveaux")."""
    folded = fold(name)
    out = [folded]
    words = folded.split()
    while words and words[0] in {"le", "la", "les", "l"} and len(words) > 1:
        words = words[1:]
        out.append(" ".join(words))
    return out


@lru_cache(maxsize=4)
def gazetteer(url: str | None = None) -> Gazetteer:
    with read_session(url) as session:
        territoires = {
            t.id: TerritoireRef(t.id, t.nom, t.couvert, t.date_signature, t.source) for t in repo.territoires(session)
        }
        qpv_by_commune: dict[str, list[str]] = {}
        communes_by_qpv: dict[str, list[str]] = {}
        for pair in repo.qpv_communes(session):
            qpv_by_commune.setdefault(pair.insee, []).append(pair.code_qp)
            communes_by_qpv.setdefault(pair.code_qp, []).append(pair.insee)
        gaz = Gazetteer(
            territoires=territoires,
            communes={
                c.insee: CommuneRef(c.insee, c.nom, c.territoire_id, c.associee_de) for c in repo.communes(session)
            },
            qpvs={
                q.code: QpvRef(q.code, q.nom_appel, q.nom_officiel, q.territoire_id,
                               tuple(sorted(communes_by_qpv.get(q.code, []))), q.population)
                for q in repo.qpvs(session)
            },
            quartiers={
                q.id: QuartierRef(q.id, q.nom, q.commune_insee, q.code_qp) for q in repo.quartiers(session)
            },
            qpv_by_commune=qpv_by_commune,
        )
        for c in repo.communes(session):
            for name in [c.nom, *split_list(c.aliases)]:
                gaz.add(name, ("commune", c.insee))
        for q in repo.qpvs(session):
            for name in [q.nom_appel, q.nom_officiel, *split_list(q.aliases)]:
                gaz.add(name, ("qpv", q.code))
        for n in repo.quartiers(session):
            for name in [n.nom, *split_list(n.aliases)]:
                gaz.add(name, ("quartier", n.id))
    return gaz


def clear_cache() -> None:
    gazetteer.cache_clear()
    _same_contacts_everywhere.cache_clear()


# ---------------------------------------------------------------------------


def resolve_place(text: object, url: str | None = None) -> Place:
    """Free text → a Place. Never raises on bad input: it answers `inconnu`.

    For a commune of a covered territory, `meme_contacts_tous_qpv` tells whether
    all its QPV share the same contacts (the dialogue then need not ask which).
    """
    place = _resolve(text, url)
    if place.kind == "commune" and place.commune is not None:
        return replace(place, meme_contacts_tous_qpv=_same_contacts_everywhere(place.commune.insee, url))
    return place


@lru_cache(maxsize=512)
def _same_contacts_everywhere(insee: str, url: str | None) -> bool | None:
    from knowledge.services.contacts import contacts_for  # contacts builds on places: import when used

    place = place_from_key("commune", insee, url)
    if place is None:
        return None
    status = contacts_for(place, url=url).status
    return None if status not in ("ok", "choix") else status == "ok"


def _resolve(text: object, url: str | None = None) -> Place:
    saisie = text if isinstance(text, str) else ""
    try:
        gaz = gazetteer(url)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour resolve_place")
        return Place("inconnu", saisie[:MAX_INPUT])
    if not saisie.strip() or len(saisie) > MAX_INPUT:
        return Place("inconnu", saisie[:MAX_INPUT])
    folded = fold(saisie)
    words = [w for w in folded.split() if w]
    if not words:
        return Place("inconnu", saisie)

    # 1. The whole text, then the text without filler words, exactly.
    core = _strip_fillers(words)
    for candidate in dict.fromkeys([" ".join(words), " ".join(core)]):
        key = compact(candidate)
        targets = gaz.names.get(key)
        if targets:
            if len(key) >= 10 and not any(_covered(gaz, t) for t in targets):
                # Outside, but also the start of a name inside: "la briquette" (Valenciennes)
                # may be "la briquetterie" (Marcq-en-Barœul) typed short. Offer both.
                targets = targets | {t for name, ts in gaz.names.items() if name.startswith(key) for t in ts}
            return _place_from_targets(gaz, saisie, targets, 100.0)

    # 2. Known names inside a longer text ("le quartier des oliveaux a loos"), exact first,
    #    then with a typo ("marq en bareul briqueterie", "contact nouveau rubaix").
    found = _scan(gaz, words, fuzzy=True)
    if found:
        return _combine(gaz, saisie, found, words)

    # 3. The beginning of a longer name ("quartier intercommunal").
    for candidate in dict.fromkeys([" ".join(words), " ".join(core)]):
        query = compact(candidate)
        if len(query) >= 8:
            prefixed: set[tuple[str, str]] = set()
            for name, targets in gaz.names.items():
                if name.startswith(query):
                    prefixed |= targets
            if prefixed:
                return _place_from_targets(gaz, saisie, prefixed, 90.0)

    # 4. A typo: fuzzy match of the core words against every name.
    if core:
        fuzzy = _fuzzy(gaz, " ".join(core), saisie)
        if fuzzy is not None:
            return fuzzy
    return Place("inconnu", saisie)


def _strip_fillers(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and words[start] in _FILLERS:
        start += 1
    while end > start and words[end - 1] in _FILLERS:
        end -= 1
    return words[start:end]


def _scan(gaz: Gazetteer, words: list[str], fuzzy: bool = False) -> list[tuple[set[tuple[str, str]], int]]:
    """Longest known names in the text, left to right, without overlap.

    With `fuzzy`, the words left over are matched once more with a typo allowed
    (a high cutoff, long enough chunks only: "rubaix", "marq en bareul").
    """
    found: list[tuple[int, set[tuple[str, str]], int]] = []
    taken = [False] * len(words)
    i = 0
    while i < len(words):
        for size in range(min(MAX_NGRAM, len(words) - i), 0, -1):
            chunk = words[i:i + size]
            if size == 1 and (chunk[0] in _FILLERS or len(chunk[0]) < 3):
                continue
            targets = gaz.names.get("".join(chunk))
            if targets:
                found.append((i, targets, size))
                for k in range(i, i + size):
                    taken[k] = True
                i += size
                break
        else:
            i += 1
    if fuzzy:
        found += _fuzzy_scan(gaz, words, taken)
    found.sort(key=lambda item: item[0])
    return [(targets, size) for _, targets, size in found]


FUZZY_SCAN_WORDS = 80  # a pasted page is split into sentences before it reaches here
FUZZY_MAX_NGRAM = 4


def _fuzzy_scan(gaz: Gazetteer, words: list[str], taken: list[bool]) -> list[tuple[int, set[tuple[str, str]], int]]:
    names = _names_list(gaz)
    out: list[tuple[int, set[tuple[str, str]], int]] = []
    limit = min(len(words), FUZZY_SCAN_WORDS)
    i = 0
    while i < limit:
        best: tuple[float, int, str] | None = None
        for size in range(min(FUZZY_MAX_NGRAM, limit - i), 0, -1):
            chunk = words[i:i + size]
            if any(taken[i:i + size]) or chunk[0] in _FILLERS or chunk[-1] in _FILLERS:
                continue
            if size == 1 and chunk[0] in NOT_PLACE_WORDS:
                continue
            query = "".join(chunk)
            if len(query) < 6:
                continue
            # One typo: 85.7 for 7 letters ("roubais"), 90 for 10; short chunks need more.
            cutoff = (90.0 if len(query) < 7 else 85.0) if size == 1 else 86.0
            match = process.extractOne(query, names, scorer=fuzz.ratio, score_cutoff=cutoff)
            if match and (best is None or match[1] > best[0] + 2.0):
                best = (float(match[1]), size, match[0])
        if best is not None:
            _, size, name = best
            out.append((i, gaz.names[name], size))
            for k in range(i, i + size):
                taken[k] = True
            i += size
        else:
            i += 1
    return out


def _names_list(gaz: Gazetteer) -> list[str]:
    cached = getattr(gaz, "_names_list", None)
    if cached is None:
        cached = [name for name in gaz.names if len(name) >= 5]
        gaz._names_list = cached  # type: ignore[attr-defined]
    return cached


def _fuzzy(gaz: Gazetteer, core: str, saisie: str) -> Place | None:
    query = compact(core)
    if len(query) < 4:
        return None
    cutoff = 88.0 if len(query) <= 6 else 80.0
    matches = process.extract(query, list(gaz.names), scorer=fuzz.ratio, limit=6, score_cutoff=cutoff)
    if not matches:
        return None
    best_score = matches[0][1]
    targets: set[tuple[str, str]] = set()
    for name, score, _ in matches:
        if score >= best_score - 2.0:
            targets |= gaz.names[name]
    return _place_from_targets(gaz, saisie, targets, float(best_score))


def _combine(gaz: Gazetteer, saisie: str, found: list[tuple[set[tuple[str, str]], int]],
             words: list[str] | None = None) -> Place:
    # A name shared by several places, said with a commune ("briqueterie armentieres"):
    # keep the places that lie in that commune.
    named = [next(iter(t)) for t, _ in found if len(t) == 1 and next(iter(t))[0] == "commune"]
    commune_refs = [gaz.communes[key] for _, key in named if key in gaz.communes]
    if commune_refs:
        narrowed = []
        for targets, size in found:
            if len(targets) > 1:
                inside = {t for t in targets
                          if any(_contains(gaz, c, _place_from_target(gaz, saisie, t, 100.0)) for c in commune_refs)}
                targets = inside or targets
            narrowed.append((targets, size))
        found = narrowed
    places = [_place_from_targets(gaz, saisie, targets, 100.0) for targets, _ in found]
    places = [p for p in places if p.kind != "inconnu"]
    if not places:
        return Place("inconnu", saisie)
    if len(places) == 1:
        # "vda quartier de la residence": the commune, and a word of one of its quartiers.
        if places[0].kind == "commune" and places[0].commune is not None and words:
            partial = _partial_in_commune(gaz, saisie, places[0].commune, words)
            if partial is not None:
                return partial
        return places[0]
    # A QPV or neighbourhood and the commune it lies in: keep the precise one.
    specific = [p for p in places if p.quartier is not None or (p.qpv is not None and p.key[0] == "qpv")]
    communes = [p for p in places if p not in specific and p.commune is not None]
    if len(specific) == 1 and all(_contains(gaz, c.commune, specific[0]) for c in communes if c.commune):
        place = specific[0]
        if place.quartier is None and communes and communes[0].commune is not None:
            return replace(place, commune=communes[0].commune)
        return place
    unique = {p.key: p for p in places}
    if len(unique) == 1:
        return next(iter(unique.values()))
    return Place("ambigu", saisie, candidates=tuple(unique.values()))


def _partial_in_commune(gaz: Gazetteer, saisie: str, commune: CommuneRef, words: list[str]) -> Place | None:
    """A QPV or neighbourhood of the commune named by one of its own words ("résidence", "briqueterie")."""
    commune_words = set(fold(commune.nom).split())
    clues = {w for w in words if len(w) >= 4 and w not in _FILLERS and w not in commune_words}
    if not clues:
        return None
    codes = {commune.insee, commune.insee_cog}
    targets: set[tuple[str, str]] = set()
    for code in gaz.qpv_by_commune.get(commune.insee_cog, []):
        zone = gaz.qpvs.get(code)
        if zone is not None and clues & set(fold(zone.nom).split()) | clues & set(fold(zone.nom_officiel).split()):
            targets.add(("qpv", code))
    for quartier in gaz.quartiers.values():
        if quartier.commune_insee in codes and clues & set(fold(quartier.nom).split()):
            targets.add(("quartier", quartier.id))
    if len(targets) != 1:
        return None
    place = _place_from_target(gaz, saisie, next(iter(targets)), 90.0)
    if place.kind == "qpv" and place.commune is None:
        return replace(place, commune=commune)
    return place


def _contains(gaz: Gazetteer, commune: CommuneRef | None, place: Place) -> bool:
    if commune is None:
        return False
    codes = {commune.insee, commune.insee_cog}
    if place.quartier is not None:
        return place.quartier.commune_insee in codes or (
            gaz.communes.get(place.quartier.commune_insee) is not None
            and gaz.communes[place.quartier.commune_insee].associee_de in codes
        )
    if place.qpv is not None:
        return bool(codes & set(place.qpv.communes))
    return False


def _place_from_targets(gaz: Gazetteer, saisie: str, targets: set[tuple[str, str]], score: float) -> Place:
    places = {t: _place_from_target(gaz, saisie, t, score) for t in targets}
    # A name shared by a commune and a QPV or neighbourhood inside it (Hellemmes,
    # Lomme, Denain): the commune is what people mean.
    communes = [gaz.communes[key] for kind, key in targets if kind == "commune" and key in gaz.communes]
    kept = [
        p for t, p in places.items()
        if not (t[0] != "commune" and any(_contains(gaz, c, p) for c in communes))
    ]
    if len(kept) == 1:
        return kept[0]
    # Homonyms inside and outside the territories covered ("Faubourg de Béthune" in Lille and in
    # Douai): people asking this assistant mean the one it covers.
    covered = [p for p in kept if p.kind != "hors_territoire"]
    if covered and len(covered) < len(kept) and len({fold(p.label) for p in kept}) == 1:
        kept = covered
        if len(kept) == 1:
            return kept[0]
    kept.sort(key=lambda p: (p.kind, p.label))
    return Place("ambigu", saisie, candidates=tuple(kept), score=score)


def _covered(gaz: Gazetteer, target: tuple[str, str]) -> bool:
    kind, key = target
    if kind == "commune":
        territoire_id = gaz.communes[key].territoire_id
    elif kind == "qpv":
        territoire_id = gaz.qpvs[key].territoire_id
    else:
        territoire_id = gaz.qpvs[gaz.quartiers[key].code_qp].territoire_id
    territoire = gaz.territoires.get(territoire_id)
    return bool(territoire and territoire.couvert)


def _place_from_target(gaz: Gazetteer, saisie: str, target: tuple[str, str], score: float) -> Place:
    kind, key = target
    if kind == "commune":
        commune = gaz.communes[key]
        territoire = gaz.territoires.get(commune.territoire_id)
        if territoire is None or not territoire.couvert:
            return Place("hors_territoire", saisie, commune=commune, territoire=territoire, score=score)
        return Place("commune", saisie, commune=commune, territoire=territoire, score=score)
    if kind == "qpv":
        zone = gaz.qpvs[key]
        territoire = gaz.territoires.get(zone.territoire_id)
        seule = gaz.communes.get(zone.communes[0]) if len(zone.communes) == 1 else None
        if territoire is None or not territoire.couvert:
            return Place("hors_territoire", saisie, commune=seule, qpv=zone, territoire=territoire, score=score)
        return Place("qpv", saisie, commune=seule, qpv=zone, territoire=territoire, score=score)
    quartier = gaz.quartiers[key]
    sa_commune = gaz.communes.get(quartier.commune_insee)
    son_qpv = gaz.qpvs.get(quartier.code_qp)
    territoire = gaz.territoires.get(son_qpv.territoire_id) if son_qpv else None
    return Place("quartier", saisie, commune=sa_commune, qpv=son_qpv, quartier=quartier, territoire=territoire,
                 score=score)


def place_from_key(kind: str, key: str, url: str | None = None) -> Place | None:
    """Rebuild a Place from its stable key (kept in a dialogue slot)."""
    gaz = gazetteer(url)
    if kind == "commune" and key in gaz.communes:
        return _place_from_target(gaz, gaz.communes[key].nom, ("commune", key), 100.0)
    if kind == "qpv" and key in gaz.qpvs:
        return _place_from_target(gaz, gaz.qpvs[key].nom, ("qpv", key), 100.0)
    if kind == "quartier" and key in gaz.quartiers:
        return _place_from_target(gaz, gaz.quartiers[key].nom, ("quartier", key), 100.0)
    return None


def refine(previous: Place | None, new: Place) -> Place:
    """Keep the dialogue's context when the new place answers a choice.

    "Hautchamps" then "Roubaix" means the Roubaix part of that QPV; "Roubaix"
    then an intercommunal QPV means that QPV's Roubaix part.
    """
    if previous is None:
        return new
    if (previous.kind == "qpv" and previous.qpv is not None and previous.commune is None
            and new.kind == "commune" and new.commune is not None
            and {new.commune.insee, new.commune.insee_cog} & set(previous.qpv.communes)):
        return Place("qpv", new.saisie, commune=new.commune, qpv=previous.qpv, territoire=new.territoire,
                     score=new.score)
    if (new.kind == "qpv" and new.qpv is not None and new.commune is None
            and previous.kind == "commune" and previous.commune is not None
            and {previous.commune.insee, previous.commune.insee_cog} & set(new.qpv.communes)):
        return Place("qpv", new.saisie, commune=previous.commune, qpv=new.qpv, territoire=new.territoire,
                     score=new.score)
    return new


def find_place(text: object, url: str | None = None) -> Place:
    """A place named exactly somewhere in a sentence; no fuzzy guess.

    For messages where the NLU found no place entity: "qui contacter à loos ?"
    still names Loos, while "et la région ?" names nothing.
    """
    saisie = text if isinstance(text, str) else ""
    if not saisie.strip() or len(saisie) > MAX_INPUT:
        return Place("inconnu", saisie[:MAX_INPUT])
    try:
        gaz = gazetteer(url)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour find_place")
        return Place("inconnu", saisie)
    words = fold(saisie).split()
    found = _scan(gaz, words, fuzzy=True)
    return _combine(gaz, saisie, found, words) if found else Place("inconnu", saisie)


def encode(place: Place) -> str | None:
    """A short, stable key of a found place, to keep in a dialogue slot."""
    if place.quartier is not None:
        return f"quartier:{place.quartier.id}"
    if place.kind == "qpv" and place.qpv is not None:
        return f"qpv:{place.qpv.code}:{place.commune.insee if place.commune else ''}"
    if place.commune is not None and place.kind in ("commune", "hors_territoire"):
        return f"commune:{place.commune.insee}"
    return None


def decode(key: object, url: str | None = None) -> Place | None:
    """The Place of a key made by `encode`; None for anything else."""
    if not isinstance(key, str) or ":" not in key:
        return None
    kind, _, rest = key.partition(":")
    try:
        if kind == "qpv":
            code, _, insee = rest.partition(":")
            place = place_from_key("qpv", code, url)
            commune = place_from_key("commune", insee, url) if insee else None
            if place is not None and commune is not None and commune.commune is not None:
                return Place("qpv", place.saisie, commune=commune.commune, qpv=place.qpv, territoire=place.territoire,
                             score=100.0)
            return place
        return place_from_key(kind, rest, url)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour decode")
        return None


_MENTION = re.compile(
    r"(?:^|\s)(?:à|a|au|aux|sur|dans|vers|pour|chez)\s+((?:[A-ZÀ-Ý][\w’'\-]*)(?:\s+(?:(?:en|de|du|des|sur|la|le|les|lez|d’|d')\s+)?"
    r"[A-ZÀ-Ý0-9][\w’'\-]*){0,4})"
)
_MENTION_TAIL = re.compile(r"(?:^|\s)(?:à|a|au|aux|sur|dans|vers|chez)\s+([\w’'\- ]{3,60}?)\s*[?!.]*\s*$", re.I)
_NOT_A_PLACE_START = {"la", "le", "les", "l", "un", "une", "mon", "ma", "mes", "notre", "nos", "votre", "vos", "qui",
                      "quoi", "quel", "quelle", "ce", "cette", "ces", "mel", "metropole", "region", "prefecture",
                      "ville", "mairie", "projet", "programmation", "date", "dossier", "faire", "moi", "vous",
                      "nous", "demarches", "jour", "combien", "partir", "propos", "niveau", "titre", "travers",
                      "quels", "quelles", "comment", "quand", "pourquoi", "ou", "est", "sont", "il", "elle", "on",
                      "des", "du", "de", "chaque", "tout", "tous", "toutes", "plus", "moins"}


def place_mention(text: object, strict: bool = False) -> str | None:
    """The words of a place the message names, known or not ("à Tournai en Belgique" → "Tournai en Belgique").

    Used when nothing in the référentiel matches, to say plainly « je ne connais pas « Tournai » »
    instead of asking for the commune again.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_INPUT:
        return None
    # `strict`: only a capitalised name after a preposition ("à Paris 18e"), not a lower-case tail.
    for pattern in (_MENTION,) if strict else (_MENTION, _MENTION_TAIL):
        for match in pattern.finditer(text):
            words = fold(match.group(1)).split()
            if not words or words[0] in _NOT_A_PLACE_START or words[0] in _FILLERS or not words[0][0].isalpha():
                continue
            if pattern is _MENTION_TAIL and len(words) > 4:
                continue  # a sentence's end, not a place name
            return " ".join(match.group(1).split()).strip(" ?!.,;:")
    return None


def covered_communes(url: str | None = None) -> list[str]:
    """The communes whose QPV the assistant covers (MEL and Hazebrouck), in alphabetical order."""
    try:
        gaz = gazetteer(url)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour covered_communes")
        return []
    names = {
        commune.nom for insee, codes in gaz.qpv_by_commune.items()
        if (commune := gaz.communes.get(insee)) is not None
        and any(_covered(gaz, ("qpv", code)) for code in codes if code in gaz.qpvs)
    }
    return sorted(names, key=fold)
