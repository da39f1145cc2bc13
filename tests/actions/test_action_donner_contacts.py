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
    assert messages[0]["response"] == "utter_hors_territoire"
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
    messages, _ = run(ActionDonnerContacts(), tracker, domain)
    assert messages[0]["response"] == "utter_contacts_mel_themes"
    assert len(messages[0]["buttons"]) >= 5


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
