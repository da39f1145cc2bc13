"""Who to contact for a place: the answer, the quartier to choose, or why none."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, is_button_payload, latest_intent, latest_text, role_in_text, text_of
from knowledge.services.calendar import format_date_fr
from knowledge.services.contacts import ROLES, ContactsAnswer, ContactView, contacts_for, vacancy_words
from knowledge.services.places import Place, decode, encode, find_place, refine, resolve_place
from knowledge.services.referentiel import readable_source


def contact_lines(domain: dict[str, Any], contacts: tuple[ContactView, ...]) -> str:
    lines = []
    for contact in contacts:
        role = text_of(domain, f"utter_libelle_role_{contact.role}")
        if contact.statut == "vacant":
            lines.append(text_of(domain, "utter_ligne_contact_vacant", role=role, note=vacancy_words(contact.note)))
            continue
        details = ""
        if contact.email:
            details += f", {contact.email}"
            if contact.email_derive:
                details += f" ({text_of(domain, 'utter_libelle_email_deduit')})"
            elif contact.email_douteux:
                details += f" ({text_of(domain, 'utter_libelle_email_a_verifier')})"
        if contact.telephone:
            details += f", {contact.telephone}"
        nom = contact.nom or contact.structure
        if (contact.role in ("autre", "prefecture") and contact.structure and contact.nom
                and not contact.structure.startswith(contact.nom)):
            nom = f"{contact.nom} ({contact.structure})"
        elif contact.role in ("autre", "prefecture") and contact.structure.startswith(contact.nom or "\0"):
            nom = contact.structure
        lines.append(text_of(domain, "utter_ligne_contact", role=role, nom=nom, details=details))
    return "\n".join(lines)


def sources(contacts: tuple[ContactView, ...]) -> str:
    return " ; ".join(dict.fromkeys(readable_source(c.source) for c in contacts if c.source))


def place_label(place: Place) -> str:
    if place.quartier is not None and place.commune is not None:
        return f"{place.quartier.nom} ({place.commune.nom})"
    if place.kind == "qpv" and place.qpv is not None:
        return f"{place.qpv.nom} ({place.commune.nom})" if place.commune is not None else place.qpv.nom
    return place.label


def choice_buttons(names: list[str]) -> list[dict[str, str]]:
    return [
        {"title": name, "payload": "/informer_lieu" + json.dumps({"lieu": name}, ensure_ascii=False)}
        for name in names
    ]


class ActionDonnerContacts(Action):
    def name(self) -> str:
        return "action_donner_contacts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        roles = [r for r in entity_values(tracker, "interlocuteur") if r in ROLES]
        role = roles[0] if roles else None
        text = latest_text(tracker)
        if role is None and latest_intent(tracker) == "demander_contact" and not is_button_payload(text):
            role = role_in_text(text)
        if role is None and latest_intent(tracker) == "informer_lieu":
            role = tracker.get_slot("role_en_attente")
        previous = decode(tracker.get_slot("lieu_contexte"))
        place = self._place_in_message(tracker)
        if role == "mel" and place is None:
            # "qui contacter à la MEL ?": the MEL's contacts are thematic, not by place.
            from actions.action_donner_contacts_mel import ActionDonnerContactsMel

            return [*await ActionDonnerContactsMel().run(dispatcher, tracker, domain), SlotSet("interlocuteur", None)]

        if place is None:
            if previous is not None and role is not None:
                place = previous  # "et la Région ?"
            else:
                dispatcher.utter_message(response="utter_ask_lieu")
                return [SlotSet("role_en_attente", role), SlotSet("lieu", None), SlotSet("interlocuteur", None)]
        place = refine(previous, place)
        answer = contacts_for(place, role=role)
        if answer.status == "ok" and role is not None and not answer.contacts:
            fallback = contacts_for(place)
            self._say_contacts(dispatcher, domain, fallback, "utter_contacts_aucun_role")
        else:
            self._say(dispatcher, domain, answer, role)
        key = encode(place) if answer.status in ("ok", "choix", "hors_territoire") else None
        return [
            SlotSet("lieu_contexte", key or tracker.get_slot("lieu_contexte")),
            SlotSet("role_en_attente", role),
            SlotSet("lieu", None),
            SlotSet("interlocuteur", None),
        ]

    @staticmethod
    def _place_in_message(tracker: Tracker) -> Place | None:
        lieux = entity_values(tracker, "lieu")
        text = latest_text(tracker)
        if lieux:
            place = resolve_place(" ".join(lieux)) if len(lieux) > 1 else resolve_place(lieux[0])
            if place.kind == "inconnu" and not is_button_payload(text):
                found = find_place(text)
                if found.kind != "inconnu":
                    return found
            return place
        if text and not is_button_payload(text):
            found = find_place(text)
            if found.kind != "inconnu":
                return found
        return None

    def _say(self, dispatcher: CollectingDispatcher, domain: dict[str, Any], answer: ContactsAnswer,
             role: str | None) -> None:
        place = answer.place
        assert place is not None or answer.status == "indisponible"
        if answer.status == "indisponible":
            dispatcher.utter_message(response="utter_service_indisponible")
        elif answer.status == "inconnu":
            dispatcher.utter_message(response="utter_lieu_inconnu", saisie=_short(place.saisie if place else ""))
        elif answer.status == "ambigu" and place is not None:
            names = [_candidate_name(c) for c in place.candidates]
            dispatcher.utter_message(response="utter_lieu_ambigu", saisie=_short(place.saisie),
                                     buttons=choice_buttons(names))
        elif answer.status == "hors_territoire" and place is not None:
            self._say_outside(dispatcher, domain, answer, place)
        elif answer.status == "choix" and place is not None:
            response = "utter_choix_commune" if answer.choix_sur == "commune" else "utter_choix_quartier"
            dispatcher.utter_message(response=response, lieu=place_label(place),
                                     buttons=choice_buttons([o.nom for o in answer.options]))
            dispatcher.utter_message(json_message=answer.to_payload())
        else:
            if answer.territoire_id == "HAZEBROUCK":
                dispatcher.utter_message(response="utter_hazebrouck")
            self._say_contacts(dispatcher, domain, answer, "utter_contacts_role" if role else "utter_contacts")

    @staticmethod
    def _say_contacts(dispatcher: CollectingDispatcher, domain: dict[str, Any], answer: ContactsAnswer,
                      response: str) -> None:
        place = answer.place
        if place is None:
            return
        if not answer.contacts:
            dispatcher.utter_message(response="utter_contacts_sans_qpv", lieu=place_label(place),
                                     campagne=answer.campagne)
            return
        dispatcher.utter_message(
            response=response, lieu=place_label(place), campagne=answer.campagne,
            territoire=answer.territoire_nom or "", liste=contact_lines(domain, answer.contacts),
            source=sources(answer.contacts),
        )
        dispatcher.utter_message(json_message=answer.to_payload())
        # Who to contact meanwhile: the people in post for this place, whatever role was asked
        # (looked up again only when a vacancy has to be explained).
        everyone = answer.contacts
        if answer.vacants and answer.place is not None:
            everyone = contacts_for(answer.place).contacts or answer.contacts
        present = [c for c in everyone if c.statut == "en_poste" and c.nom]
        for vacant in answer.vacants:
            relais = [c for c in present if c.role != vacant.role]
            names = ", ".join(
                f"{c.nom} ({text_of(domain, f'utter_libelle_role_{c.role}')})" for c in relais[:3]
            )
            dispatcher.utter_message(
                response="utter_contacts_vacant",
                role=text_of(domain, f"utter_libelle_role_{vacant.role}").lower(),
                relais=names or "l'équipe politique de la ville de la MEL",
            )
        for contact in answer.contacts:
            if contact.email_douteux:
                dispatcher.utter_message(response="utter_contacts_email_douteux", nom=contact.nom,
                                         email=contact.email_imprime)
        if answer.perimetre_elargi:
            dispatcher.utter_message(response="utter_contacts_perimetre_elargi", lieu=place_label(place))

    @staticmethod
    def _say_outside(dispatcher: CollectingDispatcher, domain: dict[str, Any], answer: ContactsAnswer,
                     place: Place) -> None:
        prefecture = ""
        if answer.contacts:
            prefecture = " : " + " ; ".join(
                ", ".join(part for part in (c.nom, c.email, c.telephone) if part) for c in answer.contacts
            )
        territoire = place.territoire
        if territoire is None:
            dispatcher.utter_message(response="utter_hors_territoire_sans_contrat", lieu=place.label,
                                     prefecture=prefecture)
        else:
            if territoire.date_signature is not None:
                dispatcher.utter_message(response="utter_hors_territoire", lieu=place.label,
                                         contrat=_contract_name(territoire.nom),
                                         date_signature=format_date_fr(territoire.date_signature),
                                         prefecture=prefecture)
            else:
                dispatcher.utter_message(response="utter_hors_territoire_sans_date", lieu=place.label,
                                         contrat=_contract_name(territoire.nom), prefecture=prefecture)
        if answer.contacts:
            dispatcher.utter_message(json_message=answer.to_payload())


def _contract_name(nom: str) -> str:
    lowered = nom[:1].lower() + nom[1:] if nom.lower().startswith("contrat") else nom
    return lowered


def _candidate_name(candidate: Place) -> str:
    if candidate.quartier is not None:
        return candidate.quartier.nom
    if candidate.kind in ("qpv",) and candidate.qpv is not None:
        return candidate.qpv.nom
    if candidate.qpv is not None and candidate.commune is None:
        return candidate.qpv.nom
    return candidate.commune.nom if candidate.commune is not None else candidate.saisie


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
