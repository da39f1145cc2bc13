"""The next message is read as the answer to the assistant's own question, unless it is a new question."""

from __future__ import annotations

import pytest

from knowledge.services.answers import read_answer


@pytest.mark.parametrize("text, intent", [
    ("Un projet au Virolois", "nlu_fallback"),
    ("centralité de beaulieu", "demander_ambition"),
    ("c'est sur lille sud", "hors_sujet"),
    ("Saint-Glinglin-sur-Deûle", "informer_lieu"),  # unknown, but an answer: said so, not asked again
])
def test_a_place_answer_whatever_the_intent(text: str, intent: str) -> None:
    assert read_answer("lieu", text, intent, 0.9).answer


@pytest.mark.parametrize("text, intent", [
    ("c'est quand la date limite ?", "demander_date_limite"),
    ("Quels documents faut-il joindre au dossier ?", "demander_info_depot"),
    ("merci", "remercier"),
])
def test_a_new_question_is_not_taken_for_a_place(text: str, intent: str) -> None:
    assert not read_answer("lieu", text, intent, 0.92).answer


def test_an_objective_is_an_answer_even_if_it_names_a_theme() -> None:
    text = "Organiser 12 ateliers de cuisine pour 30 familles du quartier entre mars et juin"
    assert read_answer("objectif", text, "demander_contact_mel", 0.8) .answer


def test_a_short_question_during_an_objective_is_a_new_question() -> None:
    assert not read_answer("objectif", "qui est le délégué du préfet à Hem ?", "demander_contact", 0.9).answer


def test_a_place_button_answers_a_quartier_choice() -> None:
    reading = read_answer("quartier", '/informer_lieu{"lieu": "Epeule"}', "informer_lieu", 1.0,
                          [{"entity": "lieu", "value": "Epeule"}])
    assert reading.answer and reading.value == "Epeule"


def test_a_siret_answer_needs_digits_or_saying_there_is_none() -> None:
    assert read_answer("siret", "le voici : 732 829 320 00074", "informer_reponse", 0.5).answer
    assert read_answer("siret", "nous n'avons pas encore de numéro SIRET", "nier", 0.5).answer
    assert not read_answer("siret", "c'est quoi une CPO ?", "demander_info_cpo", 0.95).answer


@pytest.mark.parametrize("bad", [None, "", "   ", 42, "x" * 10_000])
def test_bad_input_is_no_answer_and_no_exception(bad: object) -> None:
    assert read_answer("lieu", bad, "", 0.0).answer in (False, True)
    assert not read_answer("inconnu", "Roubaix", "", 0.0).answer
