"""Official documents as passages, and a passage search that answers from them.

Two halves:

1. **Splitting** (:func:`split_document`, used by the loader): each versioned
   text of ``knowledge/data/documents/`` (listed in ``documents.csv``) is cut
   into sections (headings, annexes, parts) and passages: a paragraph, a short
   list with its lead-in, one item of a long list, one contact row of a table,
   a few rows of another table. Each passage keeps its section path
   (« Annexe 3 › Éléments d'analyse et d'évaluation du projet »), its 1-based
   line range in the versioned text and a human title for citations
   (« Appel à projets N de la MEL, annexe 3 — Bilan intermédiaire du projet »).
   Pure text processing: no spaCy, no database.

2. **Search** (:func:`search_passages`, :func:`answer_from_documents`): the
   passages are read once from the référentiel database and indexed lazily
   (thread-safe, cached): spaCy lemmas (:mod:`knowledge.nlp`; a word form of the
   documents keeps the lemma spaCy gave it there, so most questions need no
   tagging), BM25 from the ``bm25s`` library over passages and over sections
   (passages under the same heading path), with bigrams, query expansion with the
   field's synonym table (``passages_synonymes.yaml``) and lower weights for words
   found everywhere (« contrat de ville »). Candidates are re-ranked by a weighted
   sum of measured signals: BM25 of the passage and of its section, IDF share of the
   question found in the section and in the nearest heading, cosine of IDF-weighted
   spaCy vectors, and whether the passage holds the kind of answer asked (a figure
   for « combien », a date for « quand »…). Scope rules: a passage is searched only
   for the territories its document answers for (``portee`` column of
   ``documents.csv``); an older campaign's passage is dropped when the newer
   campaign repeats it, and penalised otherwise. Below the threshold (``reglages``
   of the synonym file, chosen on the tuning part of
   ``tests/data/passages_labelled.csv``) the answer is « nothing good enough ».

No French sentence for users is written here: the service returns data (the
quote, the human title, the ``extrait`` payload of contracts §4); the domain
responses hold the lead-in sentences.
"""

from __future__ import annotations

import csv
import logging
import math
import re
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.text import fold

log = logging.getLogger(__name__)

DOCUMENTS_CSV = "documents.csv"
SYNONYMES_YAML = "passages_synonymes.yaml"
PATH_SEPARATOR = " › "


# --- 1. documents ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    """One row of ``documents.csv`` that has a versioned text (``chemin``)."""

    id: str
    fichier: str
    titre: str
    titre_court: str
    territoire: str
    portee: tuple[str, ...]
    campagne: int | None
    url: str
    chemin: str
    source: str


def read_documents(data_dir: Path) -> list[DocumentRow]:
    """The documents of ``documents.csv`` that have a versioned text; data files (CSV of ANCT) are skipped."""
    out: list[DocumentRow] = []
    with (data_dir / DOCUMENTS_CSV).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            if not row.get("chemin"):
                continue
            portee = tuple(p.strip() for p in (row.get("portee") or row["territoire"]).split("|") if p.strip())
            out.append(DocumentRow(
                id=row["id"], fichier=row["fichier"], titre=row["titre"], titre_court=row["titre_court"],
                territoire=row["territoire"], portee=portee,
                campagne=int(row["campagne"]) if row.get("campagne") else None,
                url=row["url"], chemin=row["chemin"], source=row["source"],
            ))
    return out


# --- 2. splitting ------------------------------------------------------------------------------------


@dataclass
class PassageDraft:
    """A passage as the splitter makes it (the loader stores it, the search indexes it)."""

    rang: int
    section: str  # path of headings, " › "-separated
    titre: str  # human title for the citation
    ligne_debut: int  # 1-based, inclusive, in the versioned text
    ligne_fin: int
    texte: str  # clean text, what a quote is taken from
    contexte: str  # headings and lead-in, indexed with the text but not quoted
    genre: str  # paragraphe | liste | element | tableau | contact | libelles | titre | chiffres | sommaire


_MD_HEADING = re.compile(r"^\s*#{1,6}\s*(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*\*\*([^*].*?)\*\*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-•●▪◦*]|\d{1,2}[.)])\s+(?=\S)")
_ANNEX_OR_PART = re.compile(r"^(annexe|partie)\s*(\d+)\b\s*[:\-–—.]?\s*(.*)$", re.IGNORECASE)
_LEVEL1_NAMED = re.compile(r"^(signataires|sommaire|[ée]dito)\b", re.IGNORECASE)
"""Document-level sections that are neither an annex nor a part."""
_LEVEL2 = re.compile(r"^(?:enjeu\s*(?:n°\s*)?\d+|\d+\s*[-–]\s*\D|➤|→\s*enjeu)", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SUP = re.compile(r"<sup>.*?</sup>|\^\{([^}]*)\}", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:mailto:)?[^)]+\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_EMPHASIS = re.compile(r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|__")
_BULLET_PREFIX = re.compile(r"^\s*(?:[-•●▪◦]\s+)?(?:[⇒➤→➔]\s*)?")
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_TERMINAL = (".", ";", ",", "!", "?", "…")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")

MAX_TITLE_WORDS = 14
"""A standalone line longer than this is a sentence, not a heading."""
LIST_AS_ONE = 900
"""A list (with its lead-in) up to this many characters is one passage; longer lists give one passage per item."""
CHUNK_CHARS = 550
"""Long paragraphs and plain tables are cut into chunks of about this size."""
MIN_PASSAGE_LETTERS = 25


def clean_inline(line: str) -> str:
    """Markdown and HTML of the converted documents removed; spaces normalised."""
    s = _SUP.sub(lambda m: m.group(1) or "", line)
    s = _MD_LINK.sub(r"\1", s)
    s = _ANGLE_URL.sub(r"\1", s)
    s = s.replace("</li>", " ").replace("<br>", " ").replace("<br/>", " ")
    s = _TAGS.sub(" ", s)
    s = s.replace("\\*", "*").replace("&nbsp;", " ").replace("&amp;", "&")
    s = _EMPHASIS.sub("", s)
    return _SPACES.sub(" ", s).strip()


def _strip_bullet(text: str) -> str:
    return _BULLET_PREFIX.sub("", text, count=1).strip()


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


@dataclass
class _Block:
    start: int  # 1-based line number of the first line
    lines: list[str]  # raw lines

    @property
    def end(self) -> int:
        return self.start + len(self.lines) - 1


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip() or raw.strip() in {"---", "***"}:
            current = None
            continue
        if current is None:
            current = _Block(number, [])
            blocks.append(current)
        current.lines.append(raw)
    return blocks


class _Casing:
    """Sentence case for headings printed in capitals, with the accents the document itself uses."""

    def __init__(self, text: str) -> None:
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for line in text.split("\n"):
            if _is_caps(line):
                continue
            for sentence in re.split(r"[.:;!?•\-–—|(]\s+", clean_inline(line)):
                words = re.findall(r"[\wÀ-ÿœŒ-]+", sentence)
                # The first word of a sentence is capitalised by position, not because it is a name.
                for word in words[1:]:
                    if any(ch.isalpha() for ch in word):
                        forms[fold(word)][word] += 1
        self.forms = forms

    def word(self, word: str, first: bool) -> str:
        if not any(ch.isalpha() for ch in word):
            return word
        if word == "A":  # « A DESTINATION DES QPV », « ACCÈS A L'EMPLOI »: capitals drop the accent of « à »
            out = "à"
        elif not word.isascii():  # the capitals kept their accents: « DÈS », « RÉUSSITE »
            out = word.lower()
        elif known := self.forms.get(fold(word)):
            best = known.most_common(1)[0][0]
            if best.isupper() and len(best) > 1:  # an acronym: QPV, MEL, NPNRU
                return best
            lower_forms = Counter({f.lower(): n for f, n in known.items()})
            out = max(lower_forms, key=lambda f: (lower_forms[f], sum(not c.isascii() for c in f)))
            if sum(n for f, n in known.items() if f[:1].isupper()) > sum(known.values()) / 2:
                out = out[:1].upper() + out[1:]  # a proper noun: Lille, Région
        else:
            out = word.lower()
        return out[:1].upper() + out[1:] if first else out

    def sentence_case(self, text: str) -> str:
        if not _is_caps(text):
            return text
        parts = re.split(r"([\wÀ-ÿœŒ'’-]+)", text)
        out, first = [], True
        for part in parts:
            if re.fullmatch(r"[\wÀ-ÿœŒ'’-]+", part or "-"):
                # Elided articles: "L'ENFANCE" → "l'enfance".
                pieces = re.split(r"(['’])", part)
                rebuilt = "".join(
                    self.word(p, first and i == 0) if p not in {"'", "’", ""} else p for i, p in enumerate(pieces)
                )
                out.append(rebuilt)
                if any(ch.isalpha() for ch in part):
                    first = False
            else:
                out.append(part)
                if part.strip().endswith((":", ".", "!", "?")):
                    first = True
        return "".join(out)


def _title_text(raw: str) -> str:
    text = clean_inline(raw)
    m = _MD_HEADING.match(text)
    if m:
        text = m.group(1)
    text = clean_inline(text)
    text = re.sub(r"^[⇒➤→➔]\s*", "", text).strip()
    return text.rstrip(" :").strip()


def _heading_level(title: str, markdown_depth: int = 0) -> float:
    """1 for an annex or a part, 2 for an enjeu or a numbered section, 3.x below (deeper markdown, higher x)."""
    if _ANNEX_OR_PART.match(title) or _LEVEL1_NAMED.match(title):
        return 1.0
    if _LEVEL2.match(title):
        return 2.0
    return 3.0 + (markdown_depth / 10 if markdown_depth else 0.9)


def _display(title: str, casing: _Casing, limit: int = 80) -> str:
    """A path element as people read it: sentence case, « (s) » plural marks resolved, cut at `limit`."""
    out = casing.sentence_case(title)
    out = re.sub(r"\(s\)", "s", out)
    out = re.sub(r"^(Annexe|Partie)\s*(\d+)\s*[:\-–—.]?\s*", r"\1 \2 : ", out, flags=re.IGNORECASE).rstrip(" :")
    if len(out) > limit:
        cut = out[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
        out = cut + "…"
    return out


_FOOTNOTE = re.compile(r"^\s*(?:<sup>|[¹²³⁴⁵⁶⁷⁸⁹])")


@dataclass(frozen=True)
class _Title:
    text: str
    depth: int  # markdown depth (number of #), 0 for other headings
    strong: bool  # markdown, bold line, annex / enjeu pattern or an entry of the document's sommaire
    sommaire: bool = False


def _standalone_title(block: _Block, sommaire: frozenset[str]) -> _Title | None:
    """The heading when a one-line block is one (markdown, bold line, sommaire entry, short title line)."""
    if len(block.lines) != 1:
        return None
    raw = block.lines[0]
    if "\t" in raw or _FOOTNOTE.match(raw):
        return None
    md = _MD_HEADING.match(raw)
    if md:
        title = _title_text(raw)
        return _Title(title, raw.strip().count("#", 0, len(raw.strip()) - len(raw.strip().lstrip("#"))), True) \
            if _letters(title) >= 2 else None
    if _LIST_ITEM.match(raw):
        return None
    text = clean_inline(raw)
    bare = re.sub(r"^[⇒➤→➔]\s*", "", text).strip()
    if not bare or _letters(bare) < 3:
        return None
    if fold(bare) in sommaire:
        return _Title(bare.rstrip(" :."), 0, True, sommaire=True)
    if _BOLD_LINE.match(raw.strip()) and len(text) <= 120 and not text.endswith((".", ";", ",")):
        return _Title(_title_text(raw), 0, True)
    pattern = bool(_ANNEX_OR_PART.match(bare) or _LEVEL2.match(text))
    if bare.endswith(_TERMINAL) or (bare.endswith(":") and not pattern):
        return None
    if _EMAIL.search(bare) or bare.lower().startswith(("http", "www")) or bare[0].islower():
        return None
    if pattern and len(bare.split()) <= 40:
        return _Title(bare.rstrip(" :"), 0, True)
    if len(bare.split()) > MAX_TITLE_WORDS or len(bare) > 110 or bare.count(",") > 2:
        return None
    return _Title(bare, 0, False)


def _sommaire(blocks: list[_Block]) -> frozenset[str]:
    """Folded entries of the document's own table of contents (« Sommaire »), page numbers removed."""
    out: set[str] = set()
    for index, block in enumerate(blocks):
        if fold(clean_inline(block.lines[0]).strip("# ")) != "sommaire":
            continue
        for following in blocks[index + 1:index + 4]:
            for line in following.lines:
                if _LIST_ITEM.match(line):
                    entry = re.sub(r"^\d+\s*", "", _strip_bullet(clean_inline(line)))
                    if _letters(entry) >= 10:
                        out.add(fold(entry))
    return frozenset(out)


def _is_label(block: _Block) -> bool:
    """A one-line lead-in or form label: « Préambule : », « Objectif(s) opérationnel(s) … : », « Rappel : … ? »."""
    if len(block.lines) != 1 or "\t" in block.lines[0] or _LIST_ITEM.match(block.lines[0]):
        return False
    text = clean_inline(block.lines[0])
    if _MD_HEADING.match(block.lines[0]):
        return False
    return len(text) <= 160 and (text.endswith(":") or (text.endswith("?") and len(text) <= 90))


def _is_fragment(block: _Block) -> bool:
    """Lines of a poster or an infographic (short capital lines, cut words): kept out of the index."""
    if len(block.lines) < 2 or any("\t" in line for line in block.lines):
        return False
    texts = [clean_inline(line) for line in block.lines]
    if any(_LIST_ITEM.match(line) for line in block.lines):
        return False
    mean = sum(len(t) for t in texts) / len(texts)
    caps = sum(_is_caps(t) for t in texts)
    ends = sum(t.endswith((".", "!", "?")) for t in texts)
    return (mean < 45 and ends == 0) or caps >= max(2, len(texts) - 1)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?;])\s+(?=[«A-ZÀ-Ý0-9(])", text)
    return [p.strip() for p in parts if p.strip()]


def _chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    if len(text) <= limit * 1.3:
        return [text]
    out: list[str] = []
    current = ""
    for sentence in _sentences(text):
        if current and len(current) + 1 + len(sentence) > limit:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        if out and len(current) < limit * 0.3:
            out[-1] = f"{out[-1]} {current}"
        else:
            out.append(current)
    return out


def _list_items(block: _Block) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of each item; a line without a bullet continues the item above."""
    items: list[list[Any]] = []
    for offset, raw in enumerate(block.lines):
        number = block.start + offset
        text = clean_inline(raw)
        if not text:
            continue
        if _LIST_ITEM.match(raw) or not items:
            items.append([number, number, _strip_bullet(text)])
        else:
            items[-1][1] = number
            items[-1][2] = f"{items[-1][2]} {_strip_bullet(text)}".strip()
    return [(a, b, t) for a, b, t in items if t]


def _table_rows(block: _Block) -> list[tuple[int, str]]:
    rows = []
    for offset, raw in enumerate(block.lines):
        cells = [clean_inline(c) for c in raw.split("\t")]
        cells = [c for c in cells if c and c not in {"0"}]
        if cells:
            rows.append((block.start + offset, " | ".join(cells)))
    return rows


@dataclass
class _Heading:
    level: float
    title: str
    line: int
    base: float  # the level before nesting
    has_content: bool = False


class _Splitter:
    def __init__(self, doc: DocumentRow, text: str) -> None:
        self.doc = doc
        self.casing = _Casing(text)
        self.blocks = _blocks(text)
        self.sommaire = _sommaire(self.blocks)
        self.heading_counts = Counter(fold(_title_text(b.lines[0])) for b in self.blocks if len(b.lines) == 1)
        self.path: list[_Heading] = []
        self.out: list[PassageDraft] = []
        self.labels: list[tuple[int, int, str]] = []  # pending lead-ins (start, end, text)
        self.content_seen = False

    # -- path and titles --
    def section_path(self, extra: str | None = None) -> list[str]:
        titles = []
        for index, heading in enumerate(self.path):
            m = _ANNEX_OR_PART.match(heading.title)
            if m and index < len(self.path) - 1:
                titles.append(f"{m.group(1).capitalize()} {m.group(2)}")  # « Annexe 3 › … »: the title is in `titre`
            else:
                titles.append(_display(heading.title, self.casing))
        if not titles:
            titles = ["Introduction"]
        if extra:
            titles.append(extra)
        return titles

    def human_title(self) -> str:
        base = self.doc.titre_court
        if not self.path:
            return f"{base} — introduction"
        top = self.path[0]
        m = _ANNEX_OR_PART.match(top.title)
        if top.level == 1 and m:
            kind, number, rest = m.group(1).lower(), m.group(2), m.group(3).strip(" :")
            label = f"{base}, {kind} {number}"
            if rest:
                return f"{label} — {_display(rest, self.casing, limit=70)}"
            if len(self.path) > 1:
                return f"{label} — {_display(self.path[1].title, self.casing, limit=70)}"
            return label
        return f"{base} — {_display(top.title, self.casing, limit=70)}"

    def set_heading(self, title: _Title, line: int) -> None:
        self.flush_labels()
        level = 1.0 if title.sommaire else _heading_level(title.text, title.depth)
        # A page header repeated on every page (Hazebrouck contract) is not a new section.
        for heading in self.path:
            if heading.level == level and fold(heading.title) == fold(title.text):
                self.pop_below(level, keep_equal=True)
                return
        # A heading right under another of the same rank, with nothing between them, is its sub-heading
        # (« Éléments financiers » then « Budget prévisionnel de l'action N-1 »).
        base = level
        last = self.path[-1] if self.path else None
        if last and not last.has_content and re.match(r"(?:et|ou|ainsi que)\s", title.text, re.IGNORECASE):
            # « Budget prévisionnel de l'action N-1 » / « Et bilan intermédiaire … »: one heading on two lines.
            last.title = f"{last.title} {title.text[0].lower()}{title.text[1:]}"
            return
        if last and not last.has_content and last.base == base == last.level and base >= 3:
            level = self.path[-1].level + 0.01
        self.pop_below(level)
        self.path.append(_Heading(level, title.text, line, base))
        if len(title.text.split()) >= 8 and self.content_seen and (level >= 2 or title.sommaire) \
                and self.unique(title.text):
            # A sentence-long heading (« Le département du Nord est l'un des plus pauvres … ») says something.
            self.add(line, line, _display(title.text, self.casing, limit=400), "titre", mark=False)

    def unique(self, title: str) -> bool:
        """False for a heading printed several times (« Les ambitions du contrat … à destination des QPV »)."""
        return self.heading_counts[fold(title)] <= 1

    def pop_below(self, level: float, keep_equal: bool = False) -> None:
        kept = []
        for heading in self.path:
            if heading.level < level or (keep_equal and heading.level == level):
                kept.append(heading)
            elif not heading.has_content and 6 <= len(heading.title.split()) < 8 and self.content_seen \
                    and heading.level >= 3:
                # « La note de cadrage spécifique de l'Etat sera disponible … » has no passage under it.
                self.path = kept + [heading]
                self.add(heading.line, heading.line, _display(heading.title, self.casing, limit=400), "titre")
        self.path = kept

    # -- passages --
    def add(self, start: int, end: int, texte: str, genre: str, lead: str = "", extra: str | None = None,
            mark: bool = True) -> None:
        texte = texte.strip()
        if _letters(texte) < 8 or (_letters(texte) < MIN_PASSAGE_LETTERS and not re.search(r"\d", texte)):
            return
        if mark:
            for heading in self.path:
                heading.has_content = True
        path = self.section_path(extra)
        contexte = " ".join(path + ([lead] if lead else []))
        self.out.append(PassageDraft(
            rang=len(self.out) + 1, section=PATH_SEPARATOR.join(path), titre=self.human_title(),
            ligne_debut=start, ligne_fin=end, texte=texte, contexte=contexte, genre=genre,
        ))

    def take_labels(self) -> tuple[int | None, str, str | None]:
        """(first line, text, path element) of the pending lead-ins, cleared."""
        if not self.labels:
            return None, "", None
        start = self.labels[0][0]
        text = " ".join(t for _, _, t in self.labels)
        colon = [t for _, _, t in self.labels if t.endswith(":")]
        extra = None
        if colon:
            name = re.sub(r"\(s\)", "s", colon[-1].rstrip(" :"))
            name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
            if 0 < len(name) <= 50:
                extra = self.casing.sentence_case(name)
        self.labels = []
        return start, text, extra

    def flush_labels(self) -> None:
        """Lead-ins with nothing after them (a form's field names) become one passage."""
        if not self.labels:
            return
        start, end = self.labels[0][0], self.labels[-1][1]
        lines = [t for _, _, t in self.labels]
        self.labels = []
        self.add(start, end, "\n".join(lines), "libelles")

    def paragraph(self, block: _Block) -> None:
        text = " ".join(clean_inline(line) for line in block.lines).strip()
        start, lead, extra = self.take_labels()
        if lead:
            text = f"{lead} {text}"
        first_line = start or block.start
        for chunk in _chunks(text):
            self.add(first_line, block.end, chunk, "paragraphe", extra=extra)

    def list_block(self, block: _Block) -> None:
        items = _list_items(block)
        start, lead, extra = self.take_labels()
        if self.path and fold(self.path[-1].title) == "sommaire" and not self.path[-1].has_content:
            # A table of contents repeats the headings: kept, but never an answer (genre « sommaire »).
            self.add(block.start, block.end, "\n".join(f"• {t}" for _, _, t in items), "sommaire")
            return
        total = len(lead) + sum(len(t) + 3 for _, _, t in items)
        if total <= LIST_AS_ONE:
            body = "\n".join(f"• {t}" for _, _, t in items)
            text = f"{lead}\n{body}" if lead else body
            self.add(start or block.start, block.end, text, "liste", extra=extra)
            return
        for a, b, t in items:
            for chunk in _chunks(t):
                self.add(a, b, f"• {chunk}", "element", lead=lead, extra=extra)

    def table(self, block: _Block) -> None:
        rows = _table_rows(block)
        _, lead, extra = self.take_labels()
        group: list[tuple[int, str]] = []

        def flush() -> None:
            if group:
                self.add(group[0][0], group[-1][0], "\n".join(t for _, t in group), "tableau", lead=lead, extra=extra)
                group.clear()

        for number, text in rows:
            if _EMAIL.search(text):
                flush()
                self.add(number, number, text, "contact", lead=lead, extra=extra)
                continue
            if group and sum(len(t) for _, t in group) + len(text) > CHUNK_CHARS:
                flush()
            group.append((number, text))
        flush()

    def _short_line(self, block: _Block) -> bool:
        """A name, a signatory, a contact line: a plain title-like block or a short mixed-case block."""
        if any("\t" in line for line in block.lines) or _LIST_ITEM.match(block.lines[0]):
            return False
        title = _standalone_title(block, self.sommaire)
        if title is not None:
            return not title.strong and not _is_caps(title.text) and _heading_level(title.text) >= 3
        texts = [clean_inline(line) for line in block.lines]
        return len(block.lines) <= 4 and all(len(t) < 60 for t in texts) and not _is_caps(" ".join(texts)) \
            and not _is_label(block)

    def short_run(self, index: int) -> int:
        """How many blocks from `index` form a run of short lines (four or more make a list, not headings)."""
        count = 0
        while index + count < len(self.blocks) and self._short_line(self.blocks[index + count]):
            count += 1
        return count if count >= 4 else 0

    def run(self) -> list[PassageDraft]:
        figures: list[tuple[int, int, str]] = []  # key figures of a poster: « 13 », « contrats de ville », « 75 »…

        def flush_figures() -> None:
            joined = " ".join(t for _, _, t in figures)
            if figures and any(ch.isdigit() for ch in joined) and (len(figures) > 1 or _letters(joined) >= 8):
                self.add(figures[0][0], figures[-1][1], joined, "chiffres")
            figures.clear()

        index = 0
        while index < len(self.blocks):
            block = self.blocks[index]
            index += 1
            text = " ".join(clean_inline(line) for line in block.lines).strip()
            poster = (_letters(text) < MIN_PASSAGE_LETTERS or _is_fragment(block)) and len(text) < 120 \
                and not any("\t" in line for line in block.lines) and not _LIST_ITEM.match(block.lines[0])
            if poster and (re.search(r"\d", text) or figures) and not _MD_HEADING.match(block.lines[0]) \
                    and not _is_label(block) and not self.labels:
                figures.append((block.start, block.end, text))
                continue
            flush_figures()
            if self.content_seen and not self.labels:
                run = self.short_run(index - 1)
                if run:
                    group = self.blocks[index - 1:index - 1 + run]
                    lines = [" ".join(clean_inline(line) for line in b.lines) for b in group]
                    self.add(group[0].start, group[-1].end, "\n".join(lines), "liste")
                    self.content_seen = True
                    index += run - 1
                    continue
            if any("\t" in line for line in block.lines):
                self.table(block)
                self.content_seen = True
                continue
            title = _standalone_title(block, self.sommaire)
            if self.labels and title is not None and not title.strong and not _is_caps(title.text):
                # « Définition » right under « Rappel : qu'est-ce qu'un objectif opérationnel ? »: still a lead-in.
                self.labels.append((block.start, block.end, title.text))
                continue
            if title is not None:
                if self.content_seen or _heading_level(title.text) < 3:
                    self.set_heading(title, block.start)
                continue
            if _is_label(block):
                self.labels.append((block.start, block.end, clean_inline(block.lines[0])))
                if len(self.labels) >= 8 or sum(len(t) for _, _, t in self.labels) > 500:
                    self.flush_labels()
                continue
            if _LIST_ITEM.match(block.lines[0]):
                self.list_block(block)
                self.content_seen = True
                continue
            if _is_fragment(block) and _is_caps(text):
                continue
            self.paragraph(block)
            self.content_seen = True
        flush_figures()
        self.flush_labels()
        self.pop_below(0.0)
        return self.out


def split_document(doc: DocumentRow, text: str) -> list[PassageDraft]:
    """Sections and passages of one versioned text (deterministic: same text, same passages)."""
    return _Splitter(doc, text).run()


def document_passages(data_dir: Path) -> list[tuple[DocumentRow, list[PassageDraft]]]:
    """Every document of ``documents.csv`` with its passages (what the loader stores)."""
    out = []
    for doc in read_documents(data_dir):
        text = (data_dir / doc.chemin).read_text(encoding="utf-8")
        out.append((doc, split_document(doc, text)))
    return out



# --- 3. search -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A passage as the search returns it (what the database holds, with its document's data)."""

    document: str
    rang: int
    territoire: str
    campagne: int | None
    section: str
    titre: str
    lignes: tuple[int, int]
    texte: str
    url: str
    genre: str
    source: str


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    score: float  # 0..1: what the threshold applies to
    couverture: float  # IDF share of the question's words (or their synonyms) found in the passage
    similarite: float  # cosine of the centred, IDF-weighted spaCy vectors
    bm25: float  # BM25 of the expanded question (bm25s), before normalisation
    termes: tuple[str, ...]  # the question's lemmas found in the passage
    position: int = field(default=-1, compare=False, repr=False)  # row in the index
    couverture_max: float = 0.0  # the best of `couverture` and the coverage by one of the passage's questions


@dataclass(frozen=True)
class PassageAnswer:
    """The best passage (`found`) or « nothing good enough »; never an exception."""

    found: bool
    raison: str  # ok | vide | trop_faible | hors_perimetre | indisponible
    territoire: str  # the territory searched: given, named in the question, or the default (MEL)
    campagne: int | None  # the campaign searched; None for « the latest loaded »
    best: ScoredPassage | None = None
    texte: str = ""  # the quote: the passage trimmed to the sentences that matter
    payload: dict[str, Any] | None = None  # the `extrait` message of contracts §4
    alternatives: tuple[ScoredPassage, ...] = ()


@dataclass(frozen=True)
class SearchSettings:
    """The `reglages` of passages_synonymes.yaml (chosen on the tuning part of the labelled set)."""

    k1: float = 1.2
    b: float = 0.75
    poids_synonyme: float = 0.6
    candidats: int = 60
    poids_couverture: float = 0.35
    poids_couverture_section: float = 0.15
    poids_vecteurs: float = 0.2
    poids_bm25: float = 0.2
    poids_bm25_section: float = 0.1
    poids_type: float = 0.1
    poids_titre: float = 0.1
    poids_generique: float = 0.3
    poids_bigramme: float = 0.5
    poids_document: dict[str, float] = field(default_factory=dict)
    poids_dense: float = 0.0
    poids_dense_questions: float = 0.0
    poids_bm25_questions: float = 0.0
    dense_plancher: float = 0.75
    candidats_denses: int = 30
    seuil: float = 0.40
    couverture_min: float = 0.30
    penalite_campagne_ancienne: float = 0.85
    doublon_campagne: float = 0.80
    poids_genre: dict[str, float] = field(default_factory=dict)
    longueur_question_max: int = 1000
    extrait_max: int = 600

    @classmethod
    def from_yaml(cls, data: dict[str, Any] | None) -> SearchSettings:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in dict(data or {}).items() if k in known})


DEFAULT_TERRITORY = "MEL"
"""The assistant's territory: a question that names no place is a MEL question."""
MAX_CANDIDATES_ANSWER = 3
"""Passages kept besides the best one in an answer (alternatives)."""

_EXTRA_STOP = {
    "bonjour", "merci", "svp", "stp", "plait", "madame", "monsieur", "falloir", "pouvoir", "devoir", "vouloir",
    "savoir", "etre", "avoir", "faire", "quel", "quelle", "comment", "pourquoi", "combien", "quoi", "oui",
    "non", "bien", "aussi", "ca", "cela", "vraiment", "exactement", "quand", "ou", "meme", "c", "qu", "ya",
    "notre", "nos", "votre", "vos", "on", "nous", "vous", "je", "j", "il", "elle", "est", "ce", "t", "se",
    "le", "la", "les", "un", "une", "des", "du", "de", "d", "l", "a", "au", "aux", "en", "et",
}
_BAD_CHARS = re.compile(r"[^\w\s'’\-.,;:!?€%/()«»\"]+")


def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    # Words the documents need and spaCy calls stop words.
    keep = {"premier", "premiere", "seul", "seule", "personne", "personnes", "vers", "nombre", "trimestre"}
    return frozenset(fold(w) for w in STOP_WORDS | _EXTRA_STOP) - keep


def _terms_of(text: str, lemma: str, stop: frozenset[str]) -> list[str]:
    """Index terms of one word: its lemma (or the acronym itself), folded, without stop words."""
    base = text if (text.isupper() and len(text) > 1) else (lemma or text)
    return [part for part in fold(base).split() if part not in stop and (len(part) > 1 or part.isdigit())]


def _token_terms(token: Any, stop: frozenset[str]) -> list[str]:
    if token.is_punct or token.is_space:
        return []
    return _terms_of(token.text, token.lemma_, stop)


def _doc_terms(doc: Any, stop: frozenset[str]) -> list[str]:
    return [t for token in doc for t in _token_terms(token, stop)]


def _bigrams(terms: Sequence[str]) -> list[str]:
    """Consecutive pairs of terms (« objectif_operationnel »): a phrase matched as a whole counts more."""
    return [f"{a}_{b}" for a, b in zip(terms, terms[1:], strict=False)]


@dataclass(frozen=True)
class _Unit:
    """A sentence, list item or table row of a passage, with its terms (for trimming quotes)."""

    text: str
    terms: frozenset[str]
    new_line: bool


def _units(texte: str, doc: Any, stop: frozenset[str]) -> tuple[_Unit, ...]:
    spans: list[tuple[int, int, bool]] = []
    offset = 0
    for line in texte.split("\n"):
        pieces = _sentences(line) if len(line) > 200 else [line]
        cursor = offset
        for index, piece in enumerate(pieces):
            start = texte.find(piece, cursor)
            if start < 0:
                start = cursor
            spans.append((start, start + len(piece), index == 0))
            cursor = start + len(piece)
        offset += len(line) + 1
    units = []
    for start, end, new_line in spans:
        terms = frozenset(t for token in doc if start <= token.idx < end for t in _token_terms(token, stop))
        units.append(_Unit(texte[start:end].strip(), terms, new_line))
    return tuple(u for u in units if u.text)


class _Expander:
    """Finds the synonym table's expressions in a question's lemmas and proposes the others."""

    def __init__(self, vocabulary: dict[str, Any], stop: frozenset[str]) -> None:
        from knowledge.nlp import lemma_docs

        groups: list[list[str]] = [list(map(str, g)) for g in vocabulary.get("equivalents") or []]
        one_way: dict[str, list[str]] = {str(k): list(map(str, v)) for k, v in (vocabulary.get("vers") or {}).items()}
        expressions = sorted({e for g in groups for e in g} | set(one_way) | {e for v in one_way.values() for e in v})
        docs = lemma_docs(expressions)
        self.terms = {e: tuple(_doc_terms(d, stop)) for e, d in zip(expressions, docs, strict=False)}
        self.rules: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
        for group in groups:
            keyed = [self.terms[e] for e in group if self.terms[e]]
            for source in keyed:
                self.rules[source].update(t for t in keyed if t != source)
        for expression, targets in one_way.items():
            if self.terms[expression]:
                self.rules[self.terms[expression]].update(self.terms[t] for t in targets if self.terms[t])
        self.max_len = max((len(k) for k in self.rules), default=1)

    def expand(self, terms: Sequence[str]) -> dict[int, set[tuple[str, ...]]]:
        """For each position of `terms` inside a known expression: the expressions that also cover it."""
        out: dict[int, set[tuple[str, ...]]] = defaultdict(set)
        for start in range(len(terms)):
            for length in range(min(self.max_len, len(terms) - start), 0, -1):
                key = tuple(terms[start:start + length])
                if key in self.rules:
                    for position in range(start, start + length):
                        out[position].update(self.rules[key])
        return out


@dataclass(frozen=True)
class _Query:
    text: str
    terms: tuple[str, ...]  # the question's own terms, in order
    weighted: dict[str, float]  # terms scored by BM25: own terms 1, synonyms `poids_synonyme`
    alternatives: dict[int, tuple[frozenset[str], ...]]  # position → term sets that also cover it
    vector: Any  # centred, normalised, IDF-weighted mean vector (numpy), or None
    types: frozenset[str] = frozenset()  # expected kind of answer: chiffre, date, contact
    weights: tuple[float, ...] = ()  # weight of each own term (generic words weigh less)


_ANSWER_PATTERNS = {
    "chiffre": re.compile(r"\d"),
    "date": re.compile(r"\b(?:19|20)\d\d\b|\b(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|"
                       r"septembre|octobre|novembre|décembre|decembre|trimestre|semestre)\b", re.IGNORECASE),
    "contact": re.compile(r"@|\b0\d(?:[ .]?\d\d){4}\b|\+33"),
    "liste": re.compile(r"^•", re.MULTILINE),
}
"""What a passage must contain to be the kind of answer a question asks for (« combien » wants a figure)."""


class _Index:
    """Everything the search needs, computed once from the passages of the database."""

    def __init__(self, passages: list[Passage], documents: dict[str, dict[str, Any]], vocabulary: dict[str, Any],
                 settings: SearchSettings, questions: Sequence[tuple[str, int, int, str]] = (),
                 embedder: Any = None) -> None:
        import bm25s
        import numpy as np

        from knowledge.nlp import get_nlp, lemma_docs

        started = time.perf_counter()
        self.np = np
        self.nlp = get_nlp()
        self.settings = settings
        self.passages = passages
        self.documents = documents
        self.stop = _stop_words()
        text_docs = lemma_docs([p.texte for p in passages])
        # Titles and section paths repeat from passage to passage: each distinct one is analysed once.
        contexts = [p.titre + " " + p.section.replace(PATH_SEPARATOR, " ") for p in passages]
        distinct = sorted(set(contexts))
        analysed = dict(zip(distinct, lemma_docs(distinct), strict=False))
        context_docs = [analysed[c] for c in contexts]
        # The nearest heading of each passage, alone: a question often names it (« partenaires », « critères »).
        headings = [p.section.split(PATH_SEPARATOR)[-1] for p in passages]
        heading_docs = dict(zip(sorted(set(headings)), lemma_docs(sorted(set(headings))), strict=False))
        self.heading_sets = [frozenset(_doc_terms(heading_docs[h], self.stop)) for h in headings]
        # spaCy's lemma of every word form of the documents: a question made of known forms needs no tagging.
        lemma_counts: dict[str, Counter[str]] = defaultdict(Counter)
        for d in list(text_docs) + list(analysed.values()):
            for token in d:
                if not (token.is_punct or token.is_space):
                    lemma_counts[token.text.lower()][token.lemma_] += 1
        self.lemma_cache: dict[str, str] = {form: c.most_common(1)[0][0] for form, c in lemma_counts.items()}
        self.units = [_units(p.texte, d, self.stop) for p, d in zip(passages, text_docs, strict=False)]
        corpus = []
        for c, t in zip(context_docs, text_docs, strict=False):
            context_terms, text_terms = _doc_terms(c, self.stop), _doc_terms(t, self.stop)
            corpus.append(context_terms + text_terms + _bigrams(context_terms) + _bigrams(text_terms))
        self.term_sets = [frozenset(terms) for terms in corpus]
        n = len(passages)
        df: Counter[str] = Counter(t for terms in self.term_sets for t in terms)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.idf_unknown = math.log(1 + (n + 0.5) / 0.5)
        self.bm25 = bm25s.BM25(k1=settings.k1, b=settings.b)
        self.bm25.index(corpus, show_progress=False)
        # Sections: the passages under the same heading path, scored together (a question's words are often
        # spread over a heading and the paragraphs under it).
        section_of: dict[tuple[str, str], int] = {}
        self.section_index = np.zeros(n, dtype=np.int32)
        section_terms: list[list[str]] = []
        for i, p in enumerate(passages):
            key = (p.document, p.section)
            if key not in section_of:
                section_of[key] = len(section_terms)
                section_terms.append([])
            self.section_index[i] = section_of[key]
            section_terms[section_of[key]].extend(corpus[i])
        self.section_sets = [frozenset(t) for t in section_terms]
        self.bm25_sections = bm25s.BM25(k1=settings.k1, b=settings.b)
        self.bm25_sections.index(section_terms, show_progress=False)
        # IDF-weighted mean vectors of the content words (text and headings), centred on the corpus mean.
        width = self.nlp.vocab.vectors.shape[1]
        matrix = np.zeros((n, width), dtype=np.float32)
        for i, (c, t) in enumerate(zip(context_docs, text_docs, strict=False)):
            matrix[i] = self._mean_vector([tok for d in (c, t) for tok in d])
        self.mean_vector = matrix.mean(axis=0) if n else np.zeros(width, dtype=np.float32)
        self.vectors = self._normalise(matrix - self.mean_vector)
        self.expander = _Expander(vocabulary, self.stop)
        generic = [str(w) for w in vocabulary.get("generiques") or []]
        self.generic_terms = {tuple(_doc_terms(d, self.stop)) for d in lemma_docs(generic)} - {()}
        self.type_cues = {
            kind: [fold(str(w)) for w in words] for kind, words in (vocabulary.get("types_de_reponse") or {}).items()
            if kind in _ANSWER_PATTERNS
        }
        self.passage_types = [
            frozenset(kind for kind, pattern in _ANSWER_PATTERNS.items() if pattern.search(p.texte)) for p in passages
        ]
        self.territory_words = {
            terr: [fold(w) for w in words] for terr, words in (vocabulary.get("territoires") or {}).items()
        }
        self.superseded, self.older = self._campaigns()
        self.genre_weight = np.array(
            [settings.poids_genre.get(p.genre, 1.0) * settings.poids_document.get(p.document, 1.0) for p in passages],
            dtype=np.float32,
        )
        self._masks: dict[tuple[str, int | None], Any] = {}
        self._index_questions(questions)
        self._index_dense(embedder)
        log.info("Index des passages : %d passages, %d sections, %d documents en %.1f s", n, len(section_terms),
                 len(documents), time.perf_counter() - started)

    # -- questions written from the passages --
    def _index_questions(self, questions: Sequence[tuple[str, int, int, str]]) -> None:
        """Each question goes to the passage of its document whose lines it names (the largest overlap)."""
        np = self.np
        by_document: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.passages):
            by_document[p.document].append(i)
        self.question_texts: list[str] = []
        owners: list[int] = []
        self.orphan_questions: list[tuple[str, int, int, str]] = []
        for document, first, last, text in questions:
            overlaps = [(min(last, self.passages[i].lignes[1]) - max(first, self.passages[i].lignes[0]), i)
                        for i in by_document.get(document, ())]
            overlaps = [(o, i) for o, i in overlaps if o >= 0]
            if not overlaps or not text.strip():
                self.orphan_questions.append((document, first, last, text))
                continue
            # Two passages on the same lines (cells of one table row): the question goes to both.
            best = max(o for o, _ in overlaps)
            for _, i in sorted(x for x in overlaps if x[0] == best):
                owners.append(i)
                self.question_texts.append(text.strip())
        self.question_owner = np.array(owners, dtype=np.int32)
        from knowledge.nlp import lemma_docs

        q_docs = lemma_docs(self.question_texts)
        q_terms = [_doc_terms(d, self.stop) for d in q_docs]
        self.question_sets = [frozenset(t + _bigrams(t)) for t in q_terms]
        self.questions_of: dict[int, list[int]] = defaultdict(list)
        for k, owner in enumerate(owners):
            self.questions_of[owner].append(k)
        self.bm25_questions = None
        if self.question_texts:
            import bm25s

            self.bm25_questions = bm25s.BM25(k1=self.settings.k1, b=self.settings.b)
            self.bm25_questions.index([t + _bigrams(t) for t in q_terms], show_progress=False)

    def _per_passage_max(self, values: Any) -> Any:
        """The best value of each passage's questions (0 for a passage without any)."""
        np = self.np
        out = np.zeros(len(self.passages), dtype=np.float32)
        if len(values):
            np.maximum.at(out, self.question_owner, values.astype(np.float32))
        return out

    # -- sentence embeddings (e5) --
    def _index_dense(self, embedder: Any) -> None:
        """The vectors of every passage and written question (from the cache the loader filled)."""
        np = self.np
        self.embedder = embedder
        self.passage_vectors = self.question_vectors = None
        if embedder is None:
            return
        self.passage_vectors = embedder.passages([dense_text(p.titre, p.section, p.texte) for p in self.passages])
        self.question_vectors = (embedder.passages(self.question_texts) if self.question_texts
                                 else np.zeros((0, embedder.dim), dtype=np.float32))

    def _dense_scores(self, question: str) -> tuple[Any, Any] | None:
        """Cosines of the question with every passage and (best per passage) with the passages' questions."""
        if self.embedder is None or self.passage_vectors is None:
            return None
        v = self.embedder.query(question)
        passage = self.passage_vectors @ v
        via_questions = self._per_passage_max(self.question_vectors @ v)
        return passage, via_questions

    # -- vectors --
    def _mean_vector(self, tokens: Iterable[Any]) -> Any:
        np = self.np
        total = np.zeros(self.nlp.vocab.vectors.shape[1], dtype=np.float32)
        weight = 0.0
        for tok in tokens:
            if not tok.has_vector:
                continue
            terms = _token_terms(tok, self.stop)
            if not terms:
                continue
            w = self.idf.get(terms[0], self.idf_unknown) if hasattr(self, "idf") else 1.0
            total += w * tok.vector
            weight += w
        return total / weight if weight else total

    def _normalise(self, matrix: Any) -> Any:
        norms = self.np.linalg.norm(matrix, axis=-1, keepdims=True)
        return matrix / self.np.where(norms == 0, 1, norms)

    # -- scope --
    def _campaigns(self) -> tuple[Any, Any]:
        """Older calls' passages the latest call repeats (dropped), and the other older ones (penalised)."""
        np = self.np
        latest: dict[str, int] = {}
        for doc in self.documents.values():
            if doc["campagne"] is not None:
                latest[doc["territoire"]] = max(latest.get(doc["territoire"], doc["campagne"]), doc["campagne"])
        superseded = np.zeros(len(self.passages), dtype=bool)
        older = np.zeros(len(self.passages), dtype=bool)
        newest_sets: dict[str, list[frozenset[str]]] = defaultdict(list)
        for i, p in enumerate(self.passages):
            if p.campagne is not None and p.campagne == latest.get(p.territoire):
                newest_sets[p.territoire].append(self.term_sets[i])
        for i, p in enumerate(self.passages):
            if p.campagne is None or p.campagne == latest.get(p.territoire):
                continue
            older[i] = True
            mine = self.term_sets[i]
            for other in newest_sets[p.territoire]:
                if mine and len(mine & other) / len(mine | other) >= self.settings.doublon_campagne:
                    superseded[i] = True
                    break
        return superseded, older

    def mask(self, territory: str, campaign: int | None) -> tuple[Any, int | None]:
        """Passages searchable for this asker, and the campaign actually searched (None: the latest)."""
        docs = [d for d in self.documents.values() if territory in d["portee"]]
        campaigns = {d["campagne"] for d in docs if d["campagne"] is not None}
        if campaign not in campaigns:
            campaign = None
        key = (territory, campaign)
        if key not in self._masks:
            np = self.np
            allowed_docs = {d["id"] for d in docs if campaign is None or d["campagne"] in (None, campaign)}
            mask = np.array([p.document in allowed_docs for p in self.passages], dtype=bool)
            mask &= self.genre_weight > 0
            if campaign is None:
                mask &= ~self.superseded
            self._masks[key] = mask
        return self._masks[key], campaign

    def infer_territory(self, question: str) -> str:
        folded = f" {fold(question)} "
        for territory, words in self.territory_words.items():
            if any(f" {w} " in folded for w in words):
                return territory
        return DEFAULT_TERRITORY

    # -- query --
    def query(self, question: str) -> _Query:
        """Terms, synonyms and vector of a question.

        A word form of the documents takes the lemma spaCy gave it there (most frequent); spaCy tags the
        question only when it has a form the documents do not contain, for those forms. The result depends on
        the question alone (never on the questions asked before).
        """
        np = self.np
        doc = self.nlp.make_doc(question)
        lemmas = [self.lemma_cache.get(t.text.lower()) for t in doc]
        if any(lemma is None and not (t.is_punct or t.is_space) for t, lemma in zip(doc, lemmas, strict=True)):
            from knowledge.nlp import lemma_doc

            doc = lemma_doc(question)
            lemmas = [self.lemma_cache.get(t.text.lower()) or t.lemma_ for t in doc]
        terms = [term for t, lemma in zip(doc, lemmas, strict=True) if not (t.is_punct or t.is_space)
                 for term in _terms_of(t.text, lemma or t.text, self.stop)]
        # Words of every page (« contrat de ville », « MEL », « quartier ») and the territory's own name weigh less.
        generic_positions: set[int] = set()
        for start in range(len(terms)):
            for key in self.generic_terms:
                if tuple(terms[start:start + len(key)]) == key:
                    generic_positions.update(range(start, start + len(key)))
        weights = [self.settings.poids_generique if i in generic_positions else 1.0 for i in range(len(terms))]
        weighted: dict[str, float] = {}
        for term, w in zip(terms, weights, strict=True):
            weighted[term] = max(weighted.get(term, 0.0), w)
        pairs = list(zip(terms, weights, strict=True))
        for (a, wa), (b, wb) in zip(pairs, pairs[1:], strict=False):
            weighted.setdefault(f"{a}_{b}", self.settings.poids_bigramme * min(wa, wb))
        alternatives: dict[int, tuple[frozenset[str], ...]] = {}
        for position, alts in self.expander.expand(terms).items():
            alternatives[position] = tuple(frozenset(a) for a in alts)
            for alt in alts:
                for term in alt:
                    weighted.setdefault(term, self.settings.poids_synonyme)
        v = self._mean_vector(doc)
        vector = None
        if float(np.linalg.norm(v)) > 0:
            vector = self._normalise(v - self.mean_vector)
        folded = f" {fold(question)} "
        types = frozenset(kind for kind, cues in self.type_cues.items() if any(f" {c} " in folded for c in cues))
        return _Query(question, tuple(terms), weighted, alternatives, vector, types, tuple(weights))

    def _bm25(self, retriever: Any, weighted: dict[str, float], size: int) -> Any:
        np = self.np
        scores = np.zeros(size, dtype=np.float32)
        vocab = retriever.vocab_dict
        for term, weight in weighted.items():
            if term in vocab and weight > 0:
                scores += weight * retriever.get_scores([term])
        return scores

    def _coverage(self, q: _Query, present: frozenset[str], idf: list[float], total: float) -> tuple[float, list[str]]:
        covered = 0.0
        found = []
        for position, (term, weight) in enumerate(zip(q.terms, idf, strict=False)):
            if term in present:
                covered += weight
                found.append(term)
            elif any(alt <= present for alt in q.alternatives.get(position, ())):
                covered += weight * self.settings.poids_synonyme
        return covered / total, found

    def features(self, q: _Query, territory: str, campaign: int | None) -> list[dict[str, Any]]:
        """The candidates of a question with their raw signals (the tuning script re-weights these)."""
        np = self.np
        s = self.settings
        if not q.terms:
            return []
        mask, campaign = self.mask(territory, campaign)
        passage_scores = self._bm25(self.bm25, q.weighted, len(self.passages))
        section_scores = self._bm25(self.bm25_sections, q.weighted, len(self.section_sets))
        question_scores = (self._per_passage_max(self._bm25(self.bm25_questions, q.weighted, len(self.question_texts)))
                           if self.bm25_questions is not None else np.zeros(len(self.passages), dtype=np.float32))
        lexical = passage_scores + 0.5 * section_scores[self.section_index] + question_scores
        lexical[~mask] = 0
        order = [int(i) for i in np.argsort(-lexical)[: s.candidats] if lexical[i] > 0]
        dense = self._dense_scores(q.text) if (s.poids_dense or s.poids_dense_questions) else None
        if dense is not None:
            best = np.maximum(dense[0], dense[1])
            best[~mask] = -1
            order += [int(i) for i in np.argsort(-best)[: s.candidats_denses] if best[i] > 0]
            order = list(dict.fromkeys(order))
        weights = q.weights or tuple(1.0 for _ in q.terms)
        idf = [self.idf.get(t, self.idf_unknown) * w for t, w in zip(q.terms, weights, strict=True)]
        total_idf = sum(idf) or 1.0
        bm25_max = sum(w * self.idf.get(t, self.idf_unknown) for t, w in q.weighted.items()) or 1.0

        def scaled(cosine: float) -> float:
            return max(0.0, min(1.0, (cosine - s.dense_plancher) / (1.0 - s.dense_plancher)))

        out = []
        for i in order:
            section = int(self.section_index[i])
            couverture, found = self._coverage(q, self.term_sets[i], idf, total_idf)
            couverture_section, _ = self._coverage(q, self.section_sets[section], idf, total_idf)
            couverture_titre, _ = self._coverage(q, self.heading_sets[i], idf, total_idf)
            couverture_questions = max((self._coverage(q, self.question_sets[k], idf, total_idf)[0]
                                        for k in self.questions_of.get(i, ())), default=0.0)
            out.append({
                "i": i, "couverture": couverture, "couverture_section": couverture_section,
                "couverture_titre": couverture_titre, "couverture_questions": couverture_questions,
                "similarite": float(self.vectors[i] @ q.vector) if q.vector is not None else 0.0,
                "bm25": float(passage_scores[i]), "bm25_rel": min(1.0, float(passage_scores[i]) / bm25_max),
                "bm25_section_rel": min(1.0, float(section_scores[section]) / bm25_max),
                "bm25_questions_rel": min(1.0, float(question_scores[i]) / bm25_max),
                "dense": scaled(float(dense[0][i])) if dense is not None else 0.0,
                "dense_questions": scaled(float(dense[1][i])) if dense is not None else 0.0,
                "genre": float(self.genre_weight[i]),
                "type": 1.0 if q.types and q.types & self.passage_types[i] else 0.0,
                "ancienne": bool(campaign is None and self.older[i]), "termes": found,
            })
        return out

    def combine(self, f: dict[str, Any], s: SearchSettings | None = None) -> float:
        s = s or self.settings
        score = (s.poids_couverture * f["couverture"] + s.poids_couverture_section * f["couverture_section"]
                 + s.poids_vecteurs * max(f["similarite"], 0.0) + s.poids_bm25 * f["bm25_rel"]
                 + s.poids_bm25_section * f["bm25_section_rel"] + s.poids_type * f["type"]
                 + s.poids_titre * f["couverture_titre"] + s.poids_dense * f["dense"]
                 + s.poids_dense_questions * f["dense_questions"] + s.poids_bm25_questions * f["bm25_questions_rel"])
        score *= f["genre"]
        if f["ancienne"]:
            score *= s.penalite_campagne_ancienne
        return min(score, 1.0)

    def search(self, q: _Query, territory: str, campaign: int | None, limit: int) -> list[ScoredPassage]:
        out = []
        for f in self.features(q, territory, campaign):
            out.append(ScoredPassage(self.passages[f["i"]], round(self.combine(f), 4), round(f["couverture"], 4),
                                     round(f["similarite"], 4), round(f["bm25"], 4),
                                     tuple(dict.fromkeys(f["termes"])), f["i"],
                                     round(max(f["couverture"], f["couverture_questions"]), 4)))
        out.sort(key=lambda sp: (-sp.score, sp.passage.document, sp.passage.rang))
        return out[:limit]

    def accepted(self, best: ScoredPassage) -> bool:
        return best.score >= self.settings.seuil and best.couverture_max >= self.settings.couverture_min

    def quote(self, scored: ScoredPassage, question_terms: frozenset[str], limit: int) -> str:
        """The passage trimmed to the sentences (or items, rows) that carry the question's words."""
        texte = scored.passage.texte
        if len(texte) <= limit:
            return texte
        units = self.units[scored.position]
        weights = [sum(self.idf.get(t, 0.0) for t in u.terms & question_terms) for u in units]
        chosen: set[int] = set()
        if units and units[0].text.endswith(":"):
            chosen.add(0)  # the lead-in of a list says what the items are
        length = sum(len(units[i].text) + 1 for i in chosen)
        for i in sorted(range(len(units)), key=lambda i: (-weights[i], i)):
            if i in chosen:
                continue
            if weights[i] <= 0 and chosen - {0}:
                break
            if length + len(units[i].text) + 1 > limit:
                if not chosen - {0}:
                    # One unit longer than the limit: cut it at a word boundary.
                    text = units[i].text[: max(limit - length - 2, 0)].rsplit(" ", 1)[0] + " …"
                    return "\n".join([units[j].text for j in sorted(chosen)] + [text]).strip()
                continue
            chosen.add(i)
            length += len(units[i].text) + 1
        parts: list[str] = []
        previous = None
        for i in sorted(chosen):
            if previous is None:
                separator = ""
            elif previous != i - 1:
                separator = "\n… "
            else:
                separator = "\n" if units[i].new_line else " "
            parts.append(separator + units[i].text)
            previous = i
        return "".join(parts).strip()


# --- 4. the index, built once ------------------------------------------------------------------------------

_lock = threading.Lock()
_indexes: dict[str, _Index] = {}


def clear_cache() -> None:
    """Forget the index (the loader calls it after rebuilding the database)."""
    with _lock:
        _indexes.clear()


def dense_text(titre: str, section: str, texte: str) -> str:
    """What the sentence encoder reads of a passage: its citation title, its heading path, its text."""
    return f"{titre}. {section.replace(PATH_SEPARATOR, ' - ')}. {texte}"


def prepare_vectors(url: str | None = None, progress: Any = None) -> tuple[int, int] | None:
    """Embed now the passages and written questions the vector cache does not hold yet (the loader calls it,
    so that no server start waits for it). No spaCy, no index: cheap when the cache is full.
    Returns (passages, questions), or None when the encoder is unavailable."""
    from knowledge import repositories as repo
    from knowledge.db import read_session
    from knowledge.embeddings import EmbeddingsUnavailable, get_embedder

    with read_session(url) as session:
        texts = [dense_text(p.titre, p.section, p.texte) for p in repo.passages(session)]
        questions = [q.question.strip() for q in repo.passage_questions(session)]
    try:
        embedder = get_embedder()
    except EmbeddingsUnavailable:
        log.exception("encodeur de phrases indisponible : la recherche reste lexicale")
        return None
    embedder.passages(texts, progress)
    embedder.passages(questions, progress)
    return len(texts), len(questions)


def _build_index(url: str | None) -> _Index:
    from knowledge import repositories as repo
    from knowledge.config import get_settings
    from knowledge.db import read_session

    data_dir = get_settings().data_dir
    with (data_dir / SYNONYMES_YAML).open(encoding="utf-8") as handle:
        vocabulary = yaml.safe_load(handle) or {}
    settings = SearchSettings.from_yaml(vocabulary.get("reglages"))
    with read_session(url) as session:
        documents: dict[str, dict[str, Any]] = {
            d.id: {"id": d.id, "territoire": d.territoire, "portee": tuple(d.portee.split("|")),
                   "campagne": d.campagne, "url": d.url, "titre_court": d.titre_court}
            for d in repo.documents(session)
        }
        passages = [
            Passage(
                document=p.document_id, rang=p.rang, territoire=documents[p.document_id]["territoire"],
                campagne=documents[p.document_id]["campagne"], section=p.section, titre=p.titre,
                lignes=(p.ligne_debut, p.ligne_fin), texte=p.texte, url=documents[p.document_id]["url"],
                genre=p.genre, source=p.source,
            )
            for p in repo.passages(session)
        ]
        questions = [(q.document_id, q.ligne_debut, q.ligne_fin, q.question) for q in repo.passage_questions(session)]
    embedder = None
    if settings.poids_dense or settings.poids_dense_questions:
        from knowledge.embeddings import EmbeddingsUnavailable, get_embedder

        try:
            embedder = get_embedder()
        except EmbeddingsUnavailable:
            log.exception("encodeur de phrases indisponible : la recherche reste lexicale")
    return _Index(passages, documents, vocabulary, settings, questions, embedder)


def get_index(url: str | None = None) -> _Index:
    """The passage index of the database at `url` (default DATABASE_URL), built on first use (thread-safe).

    The sentence vectors come from the cache the loader filled (`prepare_vectors`); a text missing from it
    is embedded here, once."""
    from knowledge.config import get_settings

    key = url or get_settings().database_url
    index = _indexes.get(key)
    if index is None:
        with _lock:
            index = _indexes.get(key)
            if index is None:
                index = _indexes[key] = _build_index(url)
    return index


SHORT_QUOTE = 200  # characters: a shorter best passage is quoted with the next ones of its section


def warm_up(url: str | None = None) -> None:
    """Build the index now (the action server may call it at start, in the background)."""
    answer_from_documents("bilan", url=url)


# --- 5. public API ----------------------------------------------------------------------------------------


def _clean_question(question: object, limit: int) -> str:
    if not isinstance(question, str):
        return ""
    text = unicodedata.normalize("NFC", question)[:limit]
    text = _BAD_CHARS.sub(" ", text)  # emoji, symbols, control characters
    return _SPACES.sub(" ", text).strip()


def _territory(index: _Index, question: str, territory: object) -> str:
    if isinstance(territory, str) and territory.strip():
        return territory.strip().upper()
    return index.infer_territory(question)


def _campaign(campaign: object) -> int | None:
    if isinstance(campaign, bool):
        return None
    if isinstance(campaign, int):
        return campaign
    if isinstance(campaign, str) and campaign.strip().isdigit():
        return int(campaign.strip())
    return None


def search_passages(question: object, territory: str | None = None, campaign: int | None = None,
                    limit: int = 5, url: str | None = None) -> list[ScoredPassage]:
    """Passages that answer `question`, best first, with their scores; [] for empty or unusable input.

    `territory` is the asker's territory (``MEL``, ``HAZEBROUCK``…; None: named in the question, else MEL):
    only the documents whose ``portee`` includes it are searched. `campaign` (a call's year) restricts the
    calls to that year; None searches the latest call and drops an older call's passage it repeats.
    No threshold is applied here (see :func:`answer_from_documents`).
    """
    try:
        index = get_index(url)
        text = _clean_question(question, index.settings.longueur_question_max)
        if not text:
            return []
        limit = max(1, min(int(limit), 50))
        return index.search(index.query(text), _territory(index, text, territory), _campaign(campaign), limit)
    except Exception:  # the search must never break a conversation
        log.exception("recherche de passages impossible")
        return []


def answer_from_documents(question: object, territory: str | None = None, campaign: int | None = None,
                          url: str | None = None) -> PassageAnswer:
    """The best passage for `question` with its quote and `extrait` payload, or « nothing good enough ».

    `found` is False (with `raison`) for empty or unusable input, a territory no document covers, or when
    the best passage is below the threshold; the caller then says so and gives the right human contact.
    """
    asked_campaign = _campaign(campaign)
    try:
        index = get_index(url)
    except Exception:
        log.exception("index des passages indisponible")
        return PassageAnswer(False, "indisponible", DEFAULT_TERRITORY, asked_campaign)
    try:
        s = index.settings
        text = _clean_question(question, s.longueur_question_max)
        terr = _territory(index, text, territory)
        if not text:
            return PassageAnswer(False, "vide", terr, asked_campaign)
        if not any(terr in d["portee"] for d in index.documents.values()):
            return PassageAnswer(False, "hors_perimetre", terr, asked_campaign)
        _, searched_campaign = index.mask(terr, asked_campaign)
        q = index.query(text)
        if not q.terms:
            return PassageAnswer(False, "vide", terr, searched_campaign)
        ranked = index.search(q, terr, asked_campaign, MAX_CANDIDATES_ANSWER + 1)
        if not ranked or not index.accepted(ranked[0]):
            return PassageAnswer(False, "trop_faible", terr, searched_campaign, alternatives=tuple(ranked))
        best = ranked[0]
        quote = index.quote(best, frozenset(q.terms) | frozenset(q.weighted), s.extrait_max)
        p = best.passage
        last_line = p.lignes[1]
        # A one-sentence passage ("Une attention particulière sera portée…") is often the first of a
        # section that answers as a whole: the next passages of the same section are quoted with it,
        # within the same length limit.
        position = best.position + 1
        while len(quote) < SHORT_QUOTE and position < len(index.passages):
            following = index.passages[position]
            if (following.document, following.section) != (p.document, p.section):
                break
            if len(quote) + len(following.texte) + 1 > s.extrait_max:
                break
            quote, last_line, position = f"{quote}\n{following.texte}", following.lignes[1], position + 1
        payload = {
            "type": "extrait", "document": p.document, "titre": p.titre, "section": p.section,
            "lignes": [p.lignes[0], last_line], "texte": quote, "url": p.url, "score": round(best.score, 2),
        }
        return PassageAnswer(True, "ok", terr, searched_campaign, best, quote, payload, tuple(ranked[1:]))
    except Exception:
        log.exception("réponse par les documents impossible")
        return PassageAnswer(False, "indisponible", DEFAULT_TERRITORY, asked_campaign)
