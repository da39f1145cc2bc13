"""The sentence encoder of the passage search (knowledge/embeddings.py) and the questions written from passages."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz, utils

from knowledge.embeddings import Embedder
from knowledge.loader import QUESTIONS_CSV

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "knowledge" / "data"


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    return Embedder(cache_dir=tmp_path_factory.mktemp("embeddings"))


def test_a_french_paraphrase_is_nearer_its_passage_than_an_unrelated_one(embedder: Embedder) -> None:
    passages = embedder.passages([
        "Les dossiers sont à déposer sur Démarches Simplifiées avant le 15 janvier.",
        "Le quartier compte une forte proportion de familles monoparentales.",
    ])
    question = embedder.query("jusqu'à quand on peut envoyer notre demande ?")
    assert passages.shape == (2, embedder.dim)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert passages[0] @ question > passages[1] @ question


def test_vectors_are_cached_on_disk_and_read_back_by_the_next_process(tmp_path: Path) -> None:
    first = Embedder(cache_dir=tmp_path)
    texts = ["Le bilan intermédiaire compte de 2 à 5 objectifs opérationnels.", "Un CCAS peut porter une action."]
    vectors = first.passages(texts)
    assert first.path.exists()
    second = Embedder(cache_dir=tmp_path)
    assert second.missing(texts) == 0
    assert np.array_equal(second.passages(texts), vectors)
    assert second.missing(["Un texte jamais vu."]) == 1


def test_a_damaged_cache_file_is_rebuilt_not_fatal(tmp_path: Path) -> None:
    first = Embedder(cache_dir=tmp_path)
    first.path.parent.mkdir(parents=True, exist_ok=True)
    first.path.write_bytes(b"not a numpy file")
    again = Embedder(cache_dir=tmp_path)
    assert again.missing(["Le budget prévisionnel est détaillé poste par poste."]) == 1
    assert again.passages(["Le budget prévisionnel est détaillé poste par poste."]).shape == (1, again.dim)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_written_question_lands_on_a_passage_of_its_document() -> None:
    from knowledge.services.passages import get_index

    index = get_index()
    # The encoder is part of the search (never a silent fallback to the lexical search in tests).
    assert index.passage_vectors is not None and index.passage_vectors.shape[0] == len(index.passages)
    assert index.question_vectors is not None and index.question_vectors.shape[0] == len(index.question_texts)
    assert len(index.question_texts) >= 1000
    assert index.orphan_questions == []
    assert len(index.question_texts) >= len(_rows(DATA / QUESTIONS_CSV))  # a question on shared lines counts twice


def test_written_questions_never_copy_an_evaluation_question() -> None:
    """The questions written from the passages are search data: none may be a near-copy (rapidfuzz ≥ 90,
    as tests/nlu/leaks.py) of a labelled question, or the passage figures would be inflated."""
    labelled = [utils.default_process(r["question"]) for r in _rows(ROOT / "tests" / "data" / "passages_labelled.csv")]
    leaks = []
    for row in _rows(DATA / QUESTIONS_CSV):
        q = utils.default_process(row["question"])
        best = max(labelled, key=lambda lab: fuzz.ratio(q, lab))
        if fuzz.ratio(q, best) >= 90:
            leaks.append((row["question"], best))
    assert leaks == []


def test_the_loader_embeds_exactly_what_the_search_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make load` prepares the vectors so that no server start computes any: every text the index embeds
    must be among those the loader prepared (else each start would embed it again)."""
    import knowledge.embeddings as embeddings
    from knowledge.services import passages

    seen: set[str] = set()

    class Recorder:
        dim = 384

        def passages(self, texts: list[str], progress: object = None) -> np.ndarray:
            seen.update(texts)
            return np.zeros((len(texts), self.dim), dtype=np.float32)

    monkeypatch.setattr(embeddings, "get_embedder", lambda: Recorder())
    counts = passages.prepare_vectors()
    index = passages.get_index()
    assert counts is not None and counts[0] == len(index.passages)
    wanted = {passages.dense_text(p.titre, p.section, p.texte) for p in index.passages} | set(index.question_texts)
    assert wanted - seen == set()
