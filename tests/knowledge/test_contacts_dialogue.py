"""Decisions of the contacts dialogue, without Rasa: roles, places, unknown places, vacancies, MEL themes."""

from __future__ import annotations

from knowledge.services.contacts_dialogue import ContactsRequest, answer_contacts, answer_mel_contacts, roles_in_text


def keys(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.message.key for s in reply.says]


def test_roles_named_in_a_sentence() -> None:
    assert roles_in_text("prendre contact avec la ville et avec le délégué du préfet") == ["ville", "delegue_prefet"]
    assert roles_in_text("un projet politique de la ville à Loos") == []
    assert roles_in_text("et la région hauts-de-france ?") == ["region"]


def test_no_place_asks_once_then_reads_the_answer() -> None:
    reply = answer_contacts(ContactsRequest(text="je cherche un interlocuteur", intent="demander_contact"))
    assert keys(reply) == ["ask_lieu"] and reply.attente == "lieu"
    answer = answer_contacts(ContactsRequest(text="au Virolois", intent="nlu_fallback", reponse="au Virolois",
                                             attente="lieu"))
    assert keys(answer)[0] == "contacts" and answer.attente is None


def test_commune_and_quartier_typed_together_with_typos() -> None:
    reply = answer_contacts(ContactsRequest(text="marq en bareul briqueterie", intent="demander_contact"))
    assert keys(reply)[0] == "contacts"
    assert reply.says[0].payload["quartier"]["nom"] == "La Briquetterie"


def test_vacancy_gives_who_to_contact_meanwhile() -> None:
    reply = answer_contacts(ContactsRequest(text="le délégué du préfet de Wattignies", intent="demander_contact",
                                            lieux=("Wattignies",), roles=("delegue_prefet",)))
    vacancy = [s.message for s in reply.says if s.message.key == "contacts_vacant"]
    assert vacancy and any(r.values["nom"] == "Julie Montois" for r in vacancy[0].values["relais"])


def test_follow_up_role_keeps_the_place_of_the_conversation() -> None:
    reply = answer_contacts(ContactsRequest(text="et la région ?", intent="demander_contact", roles=("region",),
                                            contexte="commune:59360"))
    payload = reply.says[0].payload
    assert payload["commune"]["nom"] == "Loos" and {c["role"] for c in payload["contacts"]} == {"region"}


def test_payload_sources_are_human_titles() -> None:
    reply = answer_contacts(ContactsRequest(text="qui contacter à Loos", intent="demander_contact", lieux=("Loos",)))
    for contact in reply.says[0].payload["contacts"]:
        assert ".txt" not in contact["source_titre"] and "MEL" in contact["source_titre"]


def test_mel_sub_themes_name_their_own_person() -> None:
    gusp = answer_mel_contacts("le référent MEL pour la GUSP et le cadre de vie")
    names = [line.values["nom"] for line in gusp.says[0].message.values["liste"]]
    assert names == ["Rafael Giguel"]
    sport = answer_mel_contacts("projet métropolitain sport")
    assert len(sport.says[0].message.values["liste"]) >= 2


def test_a_mel_question_that_names_only_a_place_goes_back_to_the_place() -> None:
    reply = answer_mel_contacts("Projet transfrontalier à Tournai en Belgique")
    assert [s.message.key for s in reply.says] == ["lieu_inconnu"]
