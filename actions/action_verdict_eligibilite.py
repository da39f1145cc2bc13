"""The verdict of the pre-submission check, and the fiche de pré-dépôt."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import in_thread, message_metadata
from knowledge.services.calendar import resolve_today
from knowledge.services.eligibility import FormAnswers, check
from knowledge.services.messages import domain_templates, render

# Slot of the form → field of the service's FormAnswers.
FIELDS = {
    "elig_structure": "structure", "elig_siret": "siret", "elig_lieu": "lieu", "elig_description": "description",
    "elig_egalite": "egalite", "elig_engagement": "engagement_republicain", "elig_droit_commun": "droit_commun",
    "elig_partenariats": "partenariats", "elig_indicateurs": "indicateurs",
    "elig_finance_precedente": "finance_precedente", "elig_cpo": "cpo", "elig_montant": "montant",
    "elig_metropolitain": "metropolitain",
}
FORM_SLOTS = list(FIELDS)


class ActionVerdictEligibilite(Action):
    def name(self) -> str:
        return "action_verdict_eligibilite"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        values = {field: tracker.get_slot(slot) for slot, field in FIELDS.items()}
        form = FormAnswers(**{k: v if isinstance(v, str) else None for k, v in values.items()})
        result = await in_thread(check, form, resolve_today(message_metadata(tracker).get("today")))
        reset: list[EventType] = [SlotSet(name, None) for name in FORM_SLOTS] + [SlotSet("elig_siret_essais", 0)]
        if result is None:
            dispatcher.utter_message(response="utter_service_indisponible")
            return reset
        template = domain_templates(domain)
        payload = result.verdict.to_payload(template)
        if result.structure_refusee or result.fiche is None:
            # The check stopped at the structure and the reason was already said: no checklist, no fiche.
            dispatcher.utter_message(json_message=payload)
            return reset
        lines = [f"• {template('utter_libelle_statut_' + c['statut'])} – {c['message']}" for c in payload["criteres"]]
        dispatcher.utter_message(response="utter_elig_verdict",
                                 verdict=template(f"utter_libelle_verdict_{result.verdict.verdict}"),
                                 criteres="\n".join(lines))
        dispatcher.utter_message(json_message=payload)
        if result.verdict.obligations:
            dispatcher.utter_message(response="utter_elig_obligations", obligations="\n".join(
                f"• {render(o.message, template)}" for o in result.verdict.obligations))
        fiche = result.fiche.render(template)
        dispatcher.utter_message(response="utter_elig_fiche", texte=fiche.texte)
        dispatcher.utter_message(json_message={"type": "fiche", "sujet": fiche.sujet, "texte": fiche.texte,
                                               "mailto": fiche.mailto, "campagne": result.rules.annee})
        return reset
