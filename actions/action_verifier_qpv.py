"""« Est-ce en QPV ? »: a position (metadata or typed), a map link or an address → the answer.

For a point inside a covered QPV, the contacts answer of today follows (the service runs
the contacts dialogue for that QPV). A FollowupAction("action_donner_contacts") would not
do: that action reads the place from the message's entities and text, here coordinates.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import ask_next
from actions.common import in_thread, latest_text, message_metadata
from actions.rendering import utter_says
from knowledge.services.qpv_check import QpvAnswer, check_message, contract_label, distance_fr

RESPONSES = {
    "en_qpv": "utter_qpv_en_qpv", "hors_qpv": "utter_qpv_hors_qpv", "autre_contrat": "utter_qpv_autre_contrat",
    "hors_nord": "utter_qpv_hors_nord", "hors_france": "utter_qpv_hors_france",
    "adresse_introuvable": "utter_qpv_adresse_introuvable", "lieu_sans_position": "utter_qpv_lieu",
    "demande": "utter_qpv_demande", "indisponible": "utter_service_indisponible",
    "frontiere_dedans": "utter_qpv_frontiere_dedans", "frontiere_dehors": "utter_qpv_frontiere_dehors",
    "adresse_sans_geocodeur": "utter_qpv_adresse_sans_geocodeur",
    "adresse_sans_geocodeur_lieu": "utter_qpv_adresse_sans_geocodeur_lieu",
    "hors_bornes": "utter_qpv_position_hors_bornes", "inversee": "utter_qpv_position_inversee",
    "invalide": "utter_qpv_position_invalide",
}


def response_for(answer: QpvAnswer) -> str:
    key: str = answer.kind
    if key == "frontiere":
        key = "frontiere_dedans" if answer.check and answer.check.en_qpv else "frontiere_dehors"
    elif key == "adresse_sans_geocodeur" and answer.qpv_du_lieu:
        key = "adresse_sans_geocodeur_lieu"
    elif key == "position_invalide":
        key = answer.erreur if answer.erreur in ("hors_bornes", "inversee") else "invalide"
    return RESPONSES[key]


class ActionVerifierQpv(Action):
    def name(self) -> str:
        return "action_verifier_qpv"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        answer = await in_thread(check_message, latest_text(tracker), message_metadata(tracker).get("position"))
        check = answer.check
        if answer.adresse:
            adresse = "utter_qpv_adresse_approximative" if answer.adresse_approximative else "utter_qpv_adresse_trouvee"
            dispatcher.utter_message(response=adresse, adresse=answer.adresse)
        dispatcher.utter_message(
            response=response_for(answer), quartier=(check.nom if check else "") or "",
            communes=", ".join(check.communes) if check else "",
            distance=distance_fr(check.distance_frontiere_m) if check else "",
            contrat=contract_label(check.territoire) if check else "",
            lieu=answer.lieu.label if answer.lieu else "", liste=", ".join(answer.qpv_du_lieu),
        )
        payload = answer.payload()
        if payload is not None:
            dispatcher.utter_message(json_message=payload)
        reply = answer.contacts
        if reply is None:
            return []
        utter_says(dispatcher, domain, reply.says)
        events: list[EventType] = [SlotSet("lieu_contexte", reply.contexte), SlotSet("role_en_attente", None),
                                   SlotSet("attente", reply.attente)]
        return events + (ask_next(reply.attente, tracker) if reply.attente else [])
