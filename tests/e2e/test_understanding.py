"""Issues 9 and 10 through the REST channel, with wordings that are not the issues' examples.

Each test is one mechanism: the answer to the assistant's own question, a long e-mail, two roles,
a territory other than the MEL, an unknown place, a SIRET outside the form, questions answered from
the official texts, and bad input followed by a real question.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def sender() -> str:
    return f"comprendre-{uuid.uuid4().hex[:10]}"


def cards(replies: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind]


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_the_answer_to_our_place_question_is_read_as_a_place(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    first = stack.send(who, "bonjour, avec qui puis-je monter un projet pour les habitants ?")
    assert "commune" in texts(first).lower()
    replies = stack.send(who, "nous sommes à la Bourgogne")
    contacts = cards(replies, "contacts")
    assert contacts and contacts[0]["quartier"]["nom"] == "La Bourgogne", texts(replies)


def test_an_objective_given_after_our_question_is_checked_not_taken_for_a_theme(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    stack.send(who, "pourriez-vous relire un objectif opérationnel de notre bilan ?")
    replies = stack.send(who, "Proposer 10 séances de football en salle à 25 adolescentes entre octobre et mai")
    assert cards(replies, "objectif"), texts(replies)
    assert not cards(replies, "contacts")


def test_a_long_email_asking_for_contacts_gets_the_contacts_first(stack) -> None:  # type: ignore[no-untyped-def]
    email = ("Bonjour, je suis chargée de mission dans une association de quartier à Seclin. "
             "Nous accompagnons des familles depuis dix ans et nous voulons lancer des ateliers de cuisine "
             "avec les parents. Nous n'avons jamais répondu à cet appel à projets. "
             "Pourriez-vous me dire à qui je dois m'adresser pour en parler ? Merci d'avance.")
    replies = stack.send(sender(), email)
    contacts = cards(replies, "contacts")
    assert contacts and contacts[0]["commune"]["nom"] == "Seclin", texts(replies)


def test_two_roles_in_one_message_are_both_given(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "Pour Croix, j'ai besoin des coordonnées de la mairie et du délégué du préfet.")
    roles = {c["role"] for card in cards(replies, "contacts") for c in card["contacts"]}
    assert {"ville", "delegue_prefet"} <= roles, texts(replies)


def test_hazebrouck_deadline_is_not_the_mel_deadline(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "Pour un projet à Hazebrouck, on a jusqu'à quand pour déposer ?",
                         metadata={"today": "2025-09-20"})
    assert not cards(replies, "calendrier"), texts(replies)
    assert "15 octobre" not in texts(replies)


def test_another_nord_contract_is_not_answered_with_the_mel_signature(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "quand a été signé le contrat de ville de Maubeuge ?")
    assert "7 mai 2024" not in texts(replies), texts(replies)


def test_an_unknown_place_is_said_plainly_and_not_asked_again(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    replies = stack.send(who, "qui contacter pour une action à Mouscron en Belgique ?")
    said = texts(replies)
    assert "Mouscron" in said and "préfecture" in said, said
    again = stack.send(who, "Bruxelles")
    assert "Dans quelle commune" not in texts(again)


def test_a_siret_outside_the_form_is_checked(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "voici notre numéro : 732 829 320 00074, il est bon ?")
    assert cards(replies, "siret") and cards(replies, "siret")[0]["statut"] == "siret_valide", texts(replies)


@pytest.mark.parametrize("question, expected", [
    ("Combien d'objectifs opérationnels faut-il mettre dans le bilan ?", "5"),
    ("Sur quels critères notre dossier va-t-il être jugé ?", "diagnostic"),
    ("La Région va-t-elle vraiment financer des projets en 2026 ?", "sous réserve"),
    ("Un CCAS peut-il porter une action ?", "établissements publics"),
    ("Pour une demande de 12 000 €, une description poste par poste est-elle obligatoire ?", "15"),
])
def test_the_questions_of_issue_9_get_the_passage_or_the_curated_answer(stack, question: str,  # type: ignore[no-untyped-def]
                                                                        expected: str) -> None:
    replies = stack.send(sender(), question)
    said = texts(replies) + " ".join(c["texte"] for c in cards(replies, "extrait"))
    assert expected in said, said


def test_a_hazebrouck_question_never_gets_a_mel_passage(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "À Hazebrouck, comment est piloté le contrat de ville ?")
    for card in cards(replies, "extrait"):
        assert "MEL" not in card["titre"] and card["document"] != "appel-2026"
    assert ".txt" not in texts(replies)


def test_bad_input_then_a_real_question(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    for bad in ["", "😀😀😀", "' OR 1=1; --", "x" * 5000]:
        assert stack.send(who, bad), bad
    replies = stack.send(who, "qui contacter à Wattrelos ?")
    assert cards(replies, "contacts")


def test_a_project_description_given_after_our_question_gets_ambitions(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    stack.send(who, "je n'arrive pas à savoir dans quelle ambition rentre notre action")
    replies = stack.send(who, "on organise des sorties à vélo et un atelier de réparation pour les mères de famille")
    found = cards(replies, "ambitions")
    assert found and not found[0]["aucune"], texts(replies)


def test_after_an_awaited_answer_the_context_is_kept(stack) -> None:  # type: ignore[no-untyped-def]
    who = sender()
    stack.send(who, "il me faudrait un interlocuteur")
    assert cards(stack.send(who, "Hem"), "contacts")
    roles = {c["role"] for card in cards(stack.send(who, "et la Région ?"), "contacts") for c in card["contacts"]}
    assert roles == {"region"}


def test_a_project_then_does_it_fit_gets_ambitions(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "Avec des jeunes du quartier, nous voulons réparer et repeindre les bancs du "
                                   "square au pied des immeubles. Est-ce que cela rentre dans le contrat de ville ?")
    found = cards(replies, "ambitions")
    assert found and not found[0]["aucune"], texts(replies)


def test_which_delegue_to_see_in_a_named_quartier_gets_the_people(stack) -> None:  # type: ignore[no-untyped-def]
    replies = stack.send(sender(), "Notre local est à Moulins, à Lille. Quel délégué du préfet devons-nous "
                                   "solliciter pour monter notre action ?")
    roles = {c["role"] for card in cards(replies, "contacts") for c in card["contacts"]}
    assert "delegue_prefet" in roles, texts(replies)
