"""Official documents as passages and the passage search (knowledge/services/passages.py).

Splitting and the loader need no spaCy; the search tests load fr_core_news_md once (marked slow).
The database is the real SQLite référentiel of tests/conftest.py.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import func, select

from knowledge import models as m
from knowledge.config import DATA_DIR
from knowledge.db import read_session
from knowledge.loader import load
from knowledge.services.passages import (
    PATH_SEPARATOR,
    answer_from_documents,
    document_passages,
    read_documents,
    search_passages,
)

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = {d.id: d for d in read_documents(DATA_DIR)}
RAW_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|\.txt\b")


@pytest.fixture(scope="module")
def split() -> dict[str, list]:
    return {doc.id: drafts for doc, drafts in document_passages(DATA_DIR)}


def _lines(doc_id: str) -> list[str]:
    return (DATA_DIR / DOCUMENTS[doc_id].chemin).read_text(encoding="utf-8").split("\n")


def _find(drafts: list, needle: str):  # type: ignore[no-untyped-def]
    found = [p for p in drafts if needle in p.texte]
    assert found, f"aucun passage ne contient {needle!r}"
    return found[0]


# --- the documents ------------------------------------------------------------------------------------


def test_the_five_documents_are_versioned_copies_with_human_titles_and_official_pages() -> None:
    assert set(DOCUMENTS) == {"appel-2025", "appel-2026", "dossier-presse-mel-2024", "dossier-presse-prefet-2024",
                              "contrat-hazebrouck"}
    for doc in DOCUMENTS.values():
        path = DATA_DIR / doc.chemin
        assert path.is_file() and path.parent == DATA_DIR / "documents"
        assert doc.titre_court and not RAW_FILE_NAME.search(doc.titre_court)
        assert doc.url.startswith("https://")
        assert doc.source.startswith("../shared/seeds/")  # provenance kept; nothing reads it at run time
    assert (DOCUMENTS["appel-2026"].campagne, DOCUMENTS["appel-2025"].campagne) == (2026, 2025)
    assert DOCUMENTS["contrat-hazebrouck"].portee == ("HAZEBROUCK",)
    assert "HAZEBROUCK" not in DOCUMENTS["dossier-presse-prefet-2024"].portee


def test_documents_csv_keeps_the_columns_other_code_reads() -> None:
    from knowledge.services.referentiel import readable_source

    with (DATA_DIR / "documents.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["fichier", "titre", "source"]
    readable = readable_source("002_d8b0c87053850c6b.txt, annexe 1")
    assert readable == "appel à projets 2026 de la MEL (programmation 2026), annexe 1"


# --- splitting --------------------------------------------------------------------------------------------


def test_every_passage_is_quoted_from_its_own_lines(split: dict[str, list]) -> None:
    for doc_id, drafts in split.items():
        lines = _lines(doc_id)
        folded = [re.sub(r"\W+", "", line).lower() for line in lines]
        assert drafts, doc_id
        for p in drafts:
            assert 1 <= p.ligne_debut <= p.ligne_fin <= len(lines), (doc_id, p.rang)
            span = "".join(folded[p.ligne_debut - 1:p.ligne_fin])
            first_word = re.sub(r"\W+", "", p.texte.split()[0].lstrip("•")).lower()
            assert first_word[:6] in span, (doc_id, p.ligne_debut, p.texte[:60])
            assert p.titre.startswith(DOCUMENTS[doc_id].titre_court)
            assert not RAW_FILE_NAME.search(p.titre + p.section)


def test_annex_3_objectives_passage_has_its_section_title_and_lines(split: dict[str, list]) -> None:
    p = _find(split["appel-2026"], "2 au minimum et 5 au plus")
    assert (p.ligne_debut, p.ligne_fin) == (276, 285)
    assert p.section.split(PATH_SEPARATOR)[0] == "Annexe 3"
    assert "Objectifs opérationnels" in p.section
    assert p.titre == "Appel à projets 2026 de la MEL, annexe 3 — Bilan intermédiaire du projet 2025"
    assert "2 au minimum et 5 au plus" in _lines("appel-2026")[275]


def test_named_sections_of_the_call_become_section_titles(split: dict[str, list]) -> None:
    assert _find(split["appel-2026"], "associations loi 1901").section == "Structures éligibles"
    assert _find(split["appel-2026"], "pertinence des besoins").section == "Qualité du projet"
    region = _find(split["appel-2026"], "sous réserve du budget régional 2026")
    assert region.section.startswith("Cadre d'intervention des partenaires financiers")
    budget = _find(split["appel-2026"], "poste par poste")
    assert "Éléments financiers" in budget.section and budget.ligne_debut <= 394 <= budget.ligne_fin


def test_contact_rows_of_annex_1_are_one_passage_per_row(split: dict[str, list]) -> None:
    contacts = [p for p in split["appel-2026"] if p.genre == "contact"]
    assert 15 <= len(contacts) <= 30
    assert all(p.ligne_debut == p.ligne_fin for p in contacts)
    assert all(p.section.startswith("Annexe 1") for p in contacts)


def test_headings_printed_in_capitals_get_their_accents_back(split: dict[str, list]) -> None:
    enjeu1 = _find(split["appel-2026"], "Mieux repérer les élèves en difficulté")
    assert "Enjeu 1 : Lutter contre les inégalités dès l'enfance" in enjeu1.section
    assert "à destination des QPV" in enjeu1.section


def test_table_of_contents_and_posters_are_not_answers(split: dict[str, list]) -> None:
    toc = [p for p in split["dossier-presse-prefet-2024"] if p.genre == "sommaire"]
    assert toc and all(p.ligne_fin <= 54 for p in toc)
    figures = _find(split["dossier-presse-prefet-2024"], "398 500 habitants")
    assert "13 contrats de ville" in figures.texte and figures.genre == "chiffres"


# --- loader -----------------------------------------------------------------------------------------------


def _snapshot(url: str) -> list[tuple]:
    with read_session(url) as session:
        rows = session.execute(select(m.Passage.document_id, m.Passage.rang, m.Passage.section, m.Passage.ligne_debut,
                                      m.Passage.ligne_fin, m.Passage.texte).order_by(m.Passage.document_id,
                                                                                     m.Passage.rang)).all()
    return [tuple(r) for r in rows]


def test_loader_builds_documents_and_passages_idempotently(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ref.db'}"
    first = load(url)
    before = _snapshot(url)
    second = load(url)
    assert first.counts["document"] == second.counts["document"] == 5
    assert first.counts["passage"] == second.counts["passage"] == len(before) > 500
    assert _snapshot(url) == before
    with read_session(url) as session:
        assert session.scalar(select(func.count()).select_from(m.Passage).where(m.Passage.source == "")) == 0
        source = session.scalar(select(m.Passage.source).where(m.Passage.document_id == "appel-2026"))
    assert source.startswith("002_d8b0c87053850c6b.txt, ")  # machines keep the exact provenance


# --- search (spaCy) ---------------------------------------------------------------------------------------


def _best(answer):  # type: ignore[no-untyped-def]
    assert answer.found, answer.raison
    return answer.best.passage


@pytest.mark.slow
@pytest.mark.parametrize(("question", "document", "line", "words"), [
    ("Combien d'objectifs opérationnels faut-il mettre dans le bilan ?", "appel-2026", 276,
     "2 au minimum et 5 au plus"),
    ("Sur quels critères notre dossier va-t-il être jugé ?", "appel-2026", 52, "pertinence des besoins"),
    ("La Région va-t-elle vraiment financer des projets en 2026 ?", "appel-2026", 82,
     "sous réserve du budget régional 2026"),
    ("Un CCAS peut-il porter une action ?", "appel-2026", 48, "établissements publics"),
    ("Pour une demande de 12 000 €, une description poste par poste est-elle obligatoire ?", "appel-2026", 394,
     "15 000€"),
])
def test_the_issue_examples_get_the_passage_that_answers(question: str, document: str, line: int, words: str) -> None:
    answer = answer_from_documents(question)
    p = _best(answer)
    assert (p.document, p.lignes[0] <= line <= p.lignes[1]) == (document, True), (p.document, p.lignes, p.texte[:80])
    assert words in answer.texte


@pytest.mark.slow
def test_extrait_payload_follows_the_contract() -> None:
    answer = answer_from_documents("Combien d'objectifs opérationnels faut-il mettre dans le bilan ?")
    payload = answer.payload
    assert payload is not None
    assert list(payload) == ["type", "document", "titre", "section", "lignes", "texte", "url", "score"]
    assert payload["type"] == "extrait" and payload["document"] == "appel-2026"
    assert payload["titre"] == "Appel à projets 2026 de la MEL, annexe 3 — Bilan intermédiaire du projet 2025"
    assert payload["url"] == "https://www.lillemetropole.fr/politique-de-la-ville"
    assert isinstance(payload["lignes"], list) and len(payload["lignes"]) == 2
    assert 0 < payload["score"] <= 1 and 0 < len(payload["texte"]) <= 600
    assert not RAW_FILE_NAME.search(payload["titre"] + payload["section"] + payload["texte"])


@pytest.mark.slow
def test_long_passages_are_trimmed_to_the_sentences_that_matter() -> None:
    answer = answer_from_documents("Qui est le délégué du préfet à Wattrelos ?")
    assert answer.found and len(answer.texte) <= 600
    assert "Wattrelos" in answer.texte


@pytest.mark.slow
def test_latest_campaign_is_preferred_and_an_older_one_only_when_asked() -> None:
    latest = _best(answer_from_documents("Quelle est la date limite de dépôt des dossiers ?"))
    assert latest.document == "appel-2026"
    older = answer_from_documents("Quelle est la date limite de dépôt des dossiers ?", campaign=2025)
    assert _best(older).document == "appel-2025" and older.campagne == 2025
    # The 2025 call repeats « Structures éligibles » word for word: never shown when 2026 has it.
    for sp in search_passages("Quelles structures sont éligibles ? association loi 1901 SIRET", limit=10):
        assert sp.passage.document != "appel-2025"
    # A campaign no document has is the latest one.
    assert answer_from_documents("date limite de dépôt", campaign=2031).campagne is None


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "Quel est le quartier prioritaire ?", "Qui pilote le contrat de ville ?", "Comment sont financées les actions ?",
    "Quels sont les partenaires signataires ?", "Combien d'objectifs opérationnels faut-il mettre dans le bilan ?",
])
def test_hazebrouck_questions_only_get_hazebrouck_passages(question: str) -> None:
    ranked = search_passages(question, territory="HAZEBROUCK", limit=10)
    assert ranked and {sp.passage.document for sp in ranked} == {"contrat-hazebrouck"}
    answer = answer_from_documents(question, territory="HAZEBROUCK")
    assert not answer.found or answer.best.passage.document == "contrat-hazebrouck"
    assert all(sp.passage.document == "contrat-hazebrouck" for sp in answer.alternatives)


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "Quel est le quartier Pasteur-Foch ?", "Qui pilote le contrat de ville ?",
    "Quels sont les signataires du contrat ?", "Comment fonctionne le conseil citoyen ?",
])
def test_mel_questions_never_get_hazebrouck_passages(question: str) -> None:
    for territory in ("MEL", None):
        for sp in search_passages(question if territory else question, territory=territory, limit=10):
            if territory is None and "Pasteur" in question:
                continue  # the question names Hazebrouck's QPV: see the next test
            assert sp.passage.document != "contrat-hazebrouck"


@pytest.mark.slow
def test_a_question_naming_hazebrouck_is_searched_in_its_contract() -> None:
    answer = answer_from_documents("Combien d'habitants vivent dans le quartier prioritaire d'Hazebrouck ?")
    assert answer.territoire == "HAZEBROUCK"
    assert all(sp.passage.document == "contrat-hazebrouck"
               for sp in search_passages("Combien d'habitants vivent dans le quartier Pasteur-Foch ?", limit=10))


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "", "   ", None, 42, "x" * 10_000, "azerty qsdfgh " * 800, "le la les de du et ou", "😀😀🎉🙏",
    "'; DROP TABLE passage; --", "1 OR 1=1; SELECT * FROM document WHERE '1'='1",
])
def test_bad_input_gets_nothing_good_enough_never_an_exception(question: object) -> None:
    answer = answer_from_documents(question)
    assert answer.found is False and answer.payload is None
    assert isinstance(search_passages(question), list)
    with read_session() as session:  # the text was never run as SQL
        assert session.scalar(select(func.count()).select_from(m.Passage)) > 500


@pytest.mark.slow
def test_questions_the_documents_do_not_answer_get_nothing_good_enough() -> None:
    for question in ("Quel logiciel de comptabilité conseillez-vous pour une petite asso ?",
                     "Quelle est la météo à Lille demain ?",
                     "Comment obtenir une attestation de vigilance URSSAF ?"):
        assert answer_from_documents(question).found is False, question


@pytest.mark.slow
def test_an_unknown_territory_is_outside_the_documents() -> None:
    answer = answer_from_documents("Qui contacter pour le contrat de ville ?", territory="CU_DUNKERQUE")
    assert (answer.found, answer.raison) == (False, "hors_perimetre")


# --- honest measurement -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def evaluation() -> ModuleType:
    """scripts/eval_passages.py, imported as a module (same figures as `make eval-passages`)."""
    spec = importlib.util.spec_from_file_location("eval_passages", ROOT / "scripts" / "eval_passages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_labelled_set_follows_its_split_rule_and_keeps_the_blind_wording(evaluation: ModuleType) -> None:
    rows = evaluation.read_rows()
    assert len(rows) >= 150
    assert [r["id"] for r in rows if r["split"] != evaluation.expected_split(r)] == []
    assert {r["split"] for r in rows if r["writer"] == "dev"} == {"reglage"}
    with (ROOT / "tests" / "data" / "passages_heldout_questions.csv").open(encoding="utf-8", newline="") as handle:
        blind = {r["id"]: r["question"] for r in csv.DictReader(handle)}
    assert {r["id"]: r["question"] for r in rows if r["writer"] == "blind"} == blind
    documents = set(DOCUMENTS)
    for r in rows:
        expected = evaluation.parse_expected(r["attendu"])
        assert expected is None or all(doc in documents and first <= last for doc, first, last in expected), r["id"]


# Issue 9 asks recall@3 ≥ 0.90, recall@1 ≥ 0.75 and ≥ 0.90 honest « no answer » on the held-out part.
# The search does not reach it yet (README, « Measured figures »). With BM25 alone it measured 0.582 / 0.440 /
# 0.741; with the e5 sentence embeddings and the questions written from the passages, 0.681 / 0.516 / 0.815,
# then 0.692 / 0.527 / 0.852 with a second set of written questions.
# These floors sit just under the latter, so that a change that makes the search worse fails here. Raise them
# when the search improves; the issue stays open until the targets hold.
HELD_OUT_FLOOR = {"recall@3": 0.67, "recall@1": 0.50, "aucun": 0.82}


@pytest.mark.slow
def test_held_out_figures_do_not_fall_below_what_was_measured(evaluation: ModuleType) -> None:
    rows = evaluation.read_rows()
    figures = evaluation.evaluate(rows, "test").summary()
    assert figures["questions_avec_reponse"] >= 80 and figures["questions_sans_reponse"] >= 20
    for name, floor in HELD_OUT_FLOOR.items():
        assert figures[name] >= floor, figures
