"""action_donner_contacts: the answer a porteur sees for a place and a role."""

from __future__ import annotations

from typing import Any

from actions.action_donner_contacts import ActionDonnerContacts
from tests.actions.conftest import make_tracker, payloads, run, slot_events


def lieu(value: str) -> dict[str, Any]:
    return {"entity": "lieu", "value": value}


def test_contacts_for_loos(domain: dict[str, Any]) -> None:
    messages, events = run(ActionDonnerContacts(), make_tracker("qui contacter à Loos ?", "demander_contact",
                                                                 [lieu("Loos")]), domain)
    assert messages[0]["response"] == "utter_contacts"
    assert "cdemartin@ville-loos.fr" in messages[0]["liste"]
    assert messages[0]["campagne"] == 2026
    card = payloads(messages)[0]
    assert card["type"] == "contacts" and card["commune"]["insee"] == "59360"
    assert slot_events(events)["lieu_contexte"] == "commune:59360"


def test_place_found_in_text_without_entity(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionDonnerContacts(), make_tracker("qui contacter a lomme", "demander_contact"), domain)
    assert messages[0]["response"] == "utter_contacts"
    assert "Lomme" in messages[0]["lieu"]


def test_missing_place_is_asked(domain: dict[str, Any]) -> None:
    messages, events = run(ActionDonnerContacts(), make_tracker("je cherche un interlocuteur", "demander_contact"),
                           domain)
    assert [m["response"] for m in messages] == ["utter_ask_lieu"]
    assert slot_events(events)["role_en_attente"] is None


def test_role_follow_up_keeps_the_place(domain: dict[str, Any]) -> None:
    tracker = make_tracker("et la région ?", "demander_contact", [{"entity": "interlocuteur", "value": "region"}],
                           slots={"lieu_contexte": "commune:59360"})
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_contacts_role"
    assert "Emma Bécuwe" in messages[0]["liste"] and "Demartin" not in messages[0]["liste"]


def test_quartier_asked_only_when_contacts_differ(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionDonnerContacts(), make_tracker("contacts roubaix", "demander_contact",
                                                           [lieu("roubaix")]), domain)
    assert messages[0]["response"] == "utter_choix_quartier"
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert "Nouveau Roubaix" in titles
    assert payloads(messages)[0]["type"] == "choix_quartier"


def test_choice_answer_keeps_the_qpv(domain: dict[str, Any]) -> None:
    tracker = make_tracker("/informer_lieu", "informer_lieu", [lieu("Roubaix")],
                           slots={"lieu_contexte": "qpv:QN05969M:"})
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_contacts"
    assert "lchabert@ville-roubaix.fr" in messages[0]["liste"]


def test_vacant_post_is_said_with_who_to_contact(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionDonnerContacts(), make_tracker("wattignies", "informer_lieu", [lieu("wattignies")]),
                      domain)
    vacancy = [m for m in messages if m.get("response") == "utter_contacts_vacant"]
    assert vacancy and "Julie Montois" in vacancy[0]["relais"]


def test_outside_territory_never_invents_a_contact(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionDonnerContacts(), make_tracker("valenciennes", "informer_lieu",
                                                           [lieu("valenciennes")]), domain)
    assert messages[0]["response"] == "utter_hors_territoire_prevu"
    assert "Valenciennes" in messages[0]["contrat"] and messages[0]["date_signature"] == "12 avril 2024"
    for card in payloads(messages):
        assert all(c["role"] == "prefecture" for c in card["contacts"])


def test_unknown_place(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionDonnerContacts(), make_tracker("paris 18e", "informer_lieu", [lieu("paris 18e")]),
                      domain)
    assert messages[0]["response"] == "utter_lieu_inconnu"


def test_hazebrouck_is_answered_apart(domain: dict[str, Any]) -> None:
    messages, _ = run(ActionDonnerContacts(), make_tracker("hazebrouck", "informer_lieu", [lieu("hazebrouck")]),
                      domain)
    assert messages[0]["response"] == "utter_hazebrouck"
    card = payloads(messages)[0]
    assert card["territoire"] == "Cœur de Flandre agglo"


def test_mel_without_place_gives_the_thematic_contacts(domain: dict[str, Any]) -> None:
    tracker = make_tracker("qui contacter à la MEL ?", "demander_contact",
                           [{"entity": "interlocuteur", "value": "mel"}])
    messages, events = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_contacts_mel_themes"
    assert len(messages[0]["buttons"]) >= 5
    assert slot_events(events)["attente"] == "theme"  # the next message is read as the theme


def test_a_place_and_two_roles_are_both_answered(domain: dict[str, Any]) -> None:
    text = ("Bonjour, nous voudrions rencontrer la mairie et aussi la déléguée du préfet avant de déposer, "
            "notre local est à Wattignies. Pouvez-vous me donner leurs coordonnées ?")
    tracker = make_tracker(text, "demander_contact", [lieu("Wattignies")])
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    card = payloads(messages)[0]
    assert {c["role"] for c in card["contacts"]} == {"ville", "delegue_prefet"}


def test_two_communes_in_one_message_are_both_answered(domain: dict[str, Any]) -> None:
    tracker = make_tracker("on intervient sur Croix et sur Hem, qui sont les chefs de projet ?", "demander_contact",
                           [lieu("Croix"), lieu("Hem")])
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    communes = {card["commune"]["nom"] for card in payloads(messages)}
    assert communes == {"Croix", "Hem"}


def test_an_unknown_place_is_said_once_not_asked_again(domain: dict[str, Any]) -> None:
    tracker = make_tracker("Notre projet se passe à Namur en Belgique, qui contacter ?", "demander_contact")
    messages, events = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_lieu_inconnu"
    assert "Namur" in messages[0]["saisie"] and "Roubaix" in messages[0]["communes"]
    assert all(m.get("response") != "utter_ask_lieu" for m in messages)  # not asked again…
    assert slot_events(events)["attente"] == "lieu"  # …but a place typed next is read as one


def test_the_answer_to_our_place_question_is_read_as_a_place(domain: dict[str, Any]) -> None:
    tracker = make_tracker("Un projet au Virolois", "nlu_fallback",
                           slots={"attente": "lieu", "reponse_attendue": "Un projet au Virolois"})
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_contacts"
    assert payloads(messages)[0]["quartier"]["nom"] == "Virolois"


def test_an_unknown_answer_to_our_place_question_is_not_asked_again(domain: dict[str, Any]) -> None:
    tracker = make_tracker("Saint-Glinglin", "informer_lieu", [lieu("Saint-Glinglin")],
                           slots={"attente": "lieu", "reponse_attendue": "Saint-Glinglin"})
    messages, events = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_lieu_inconnu_encore"
    assert not slot_events(events).get("attente")


def test_vacancy_with_a_role_still_names_who_to_contact(domain: dict[str, Any]) -> None:
    tracker = make_tracker("le délégué du préfet de Wattignies", "demander_contact",
                           [lieu("Wattignies"), {"entity": "interlocuteur", "value": "delegue_prefet"}])
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    vacancy = [m for m in messages if m.get("response") == "utter_contacts_vacant"]
    assert vacancy and "Julie Montois" in vacancy[0]["relais"]


def test_role_typed_with_typos_keeps_the_place(domain: dict[str, Any]) -> None:
    tracker = make_tracker("et le deleguer du prefet ?", "demander_contact",
                           slots={"lieu_contexte": "quartier:wazemmes"})
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_contacts_role"
    assert "Humez" in messages[0]["liste"] and "Verkest" not in messages[0]["liste"]
