"""The pre-submission check through REST, as a porteur goes through it."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def cards(replies: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind]


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


class Conversation:
    def __init__(self, stack, today: str = "2025-09-20") -> None:  # type: ignore[no-untyped-def]
        self.stack = stack
        self.sender = f"form-{uuid.uuid4().hex[:8]}"
        self.today = today

    def say(self, message: str) -> list[dict[str, Any]]:
        return self.stack.send(self.sender, message, metadata={"today": self.today})


HAPPY = [
    ("association loi 1901", "SIRET"),
    ("732 829 320 00074", "commune ou quel quartier"),
    ("Wazemmes", "Décrivez votre projet"),
    ("des ateliers vélo pour les mamans du quartier pour aller travailler", "égalité"),
    ("oui", "engagement républicain"),
    ("oui", "droit commun"),
    ("oui", "partenariats"),
    ("oui", "indicateurs"),
    ("oui", "programmation précédente"),
    ("oui", "CPO"),  # funded by the previous call: the bilan is then required
    ("non", "montant"),
    ("20 000 €", "plusieurs villes"),
]


def test_happy_path_ends_with_verdict_and_fiche(stack) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(stack)
    replies = conv.say("je veux vérifier si mon projet est éligible")
    assert "statut de votre structure" in texts(replies)
    for answer, next_question in HAPPY:
        replies = conv.say(answer)
        assert next_question.lower() in texts(replies).lower(), (answer, texts(replies))
    replies = conv.say("non")
    verdict = cards(replies, "eligibilite")[0]
    assert verdict["verdict"] == "eligible", verdict
    fiche = cards(replies, "fiche")[0]
    assert fiche["mailto"].startswith("mailto:hverkest@mairie-lille.fr")
    assert "15 octobre 2025" in fiche["texte"] and "5.5" in fiche["texte"]
    assert "poste par poste" in texts(replies)  # more than the 2026 threshold
    assert "bilan intermédiaire 2025" in texts(replies) and verdict["campagne"] == 2026


def test_company_is_refused_kindly(stack) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(stack)
    conv.say("je veux vérifier mon projet avant de déposer")
    replies = conv.say('/informer_reponse{"reponse": "entreprise"}')
    assert "ne peut pas déposer" in texts(replies)
    verdict = cards(replies, "eligibilite")[0]
    assert verdict["verdict"] == "non_eligible"
    assert any(c["id"] == "structure" and c["statut"] == "ko" for c in verdict["criteres"])


def test_invalid_then_valid_siret(stack) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(stack)
    conv.say("vérifier mon projet")
    conv.say("association")
    replies = conv.say("123 456 789 00012")
    assert "SIRET" in texts(replies) and "saisissez-le à nouveau" in texts(replies)
    replies = conv.say("73282932000074")
    assert "commune ou quel quartier" in texts(replies)


def test_question_in_the_middle_then_back_to_the_form(stack) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(stack)
    conv.say("vérifier mon projet")
    conv.say("association loi 1901")
    replies = conv.say("c'est quoi un QPV ?")
    assert "quartier prioritaire" in texts(replies)
    assert "SIRET" in texts(replies)  # the form asks its question again
    replies = conv.say("732 829 320 00074")
    assert "commune ou quel quartier" in texts(replies)


def test_a_question_in_the_middle_gets_the_latest_call_s_figures(stack) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(stack)
    conv.say("vérifier mon projet")
    replies = conv.say("que doit contenir le bilan ?")
    said = texts(replies)
    assert "2025" in said and "2 à 5 objectifs" in said, said  # the call's values, not « {annee_precedente} »
    assert "{" not in said and "}" not in said, said
    assert "statut de votre structure" in said  # then the form asks its question again


def test_stop_the_check(stack) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(stack)
    conv.say("vérifier mon projet")
    replies = conv.say("/arreter_verification")
    assert "j'arrête la vérification" in texts(replies)
    follow = conv.say("qui contacter à Loos ?")
    assert "cdemartin@ville-loos.fr" in json.dumps(follow)


def test_objective_check(stack) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(stack)
    replies = conv.say("pouvez-vous vérifier mon objectif opérationnel ?")
    assert "Collez votre objectif" in texts(replies)
    replies = conv.say("organiser des ateliers cuisine pour les familles")
    card = cards(replies, "objectif")[0]
    assert not card["complet"] and "chiffre" in card["manquants"]
    assert "Proposition" in texts(replies)


def test_results_date(stack) -> None:  # type: ignore[no-untyped-def]
    replies = Conversation(stack, today="2025-09-20").say("quand aurons-nous les résultats ?")
    assert "premier trimestre 2026" in texts(replies)


def test_siret_outside_the_form(stack) -> None:  # type: ignore[no-untyped-def]
    replies = Conversation(stack).say("pourriez-vous contrôler ce numéro : 418 654 337 00017 ?")
    card = cards(replies, "siret")[0]
    assert card["numero"] == "41865433700017" and card["statut"] in ("siret_valide", "siret_invalide")
    assert "Très bien" not in texts(replies)


def test_hazebrouck_deadline_is_not_the_mel_one(stack) -> None:  # type: ignore[no-untyped-def]
    replies = Conversation(stack).say("jusqu'à quand peut-on candidater pour un projet à Hazebrouck ?")
    assert "15 octobre" not in texts(replies) and "ne donne pas de date limite" in texts(replies)
    assert not cards(replies, "calendrier")
