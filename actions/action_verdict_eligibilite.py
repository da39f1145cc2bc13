"""The verdict of the pre-submission check, and the fiche de pré-dépôt."""

from __future__ import annotations

from typing import Any, Literal

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import message_metadata, text_of
from knowledge.services.ambitions import match_ambitions
from knowledge.services.calendar import resolve_today
from knowledge.services.campaigns import calendar
from knowledge.services.contacts import contacts_for
from knowledge.services.eligibility import (
    Commitments,
    EligibilityAnswers,
    classify_structure,
    evaluate,
    fiche_predepot,
)
from knowledge.services.places import resolve_place

FORM_SLOTS = ["elig_structure", "elig_siret", "elig_siret_essais", "elig_lieu", "elig_description", "elig_ambitions",
              "elig_egalite", "elig_engagement", "elig_droit_commun", "elig_partenariats", "elig_indicateurs",
              "elig_finance_2025", "elig_cpo", "elig_montant", "elig_metropolitain"]


def _bool(value: Any) -> bool | None:
    return {"oui": True, "non": False}.get(value) if isinstance(value, str) else None


class ActionVerdictEligibilite(Action):
    def name(self) -> str:
        return "action_verdict_eligibilite"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        slot = tracker.get_slot
        siret_value = slot("elig_siret")
        siret: str | Literal[False] | None = None
        if siret_value == "aucun":
            siret = False
        elif isinstance(siret_value, str):
            siret = siret_value.removeprefix("invalide:")
        place = resolve_place(slot("elig_lieu")) if slot("elig_lieu") else None
        public_en_qpv = None
        if place is not None:
            public_en_qpv = True if place.found and place.territoire and place.territoire.couvert else (
                False if place.kind == "hors_territoire" else None)
        description = slot("elig_description")
        match = match_ambitions(description) if description else None
        ambitions = [item.id for item in match.items[:3]] if match and not match.aucune else (
            [] if match else None)
        montant = slot("elig_montant")
        metropolitain = _bool(slot("elig_metropolitain"))
        answers = EligibilityAnswers(
            structure=slot("elig_structure"), siret=siret, public_en_qpv=public_en_qpv, ambitions=ambitions,
            commitments=Commitments(
                egalite=_bool(slot("elig_egalite")), engagement_republicain=_bool(slot("elig_engagement")),
                droit_commun=_bool(slot("elig_droit_commun")), partenariats=_bool(slot("elig_partenariats")),
                indicateurs=_bool(slot("elig_indicateurs")),
            ),
            finance_2025=_bool(slot("elig_finance_2025")), cpo=_bool(slot("elig_cpo")),
            montant=float(montant) if isinstance(montant, str) and montant.isdigit() else None,
            nb_communes_qpv=2 if metropolitain else None, experimental=metropolitain,
        )
        verdict = evaluate(answers)
        structure = classify_structure(answers.structure)
        if structure is not None and structure.eligible is False:
            # The check stopped at the structure and the reason was already said: no checklist, no fiche.
            dispatcher.utter_message(json_message=verdict.to_payload())
            return [SlotSet(name, None) for name in FORM_SLOTS] + [SlotSet("elig_siret_essais", 0)]
        lines = [
            f"• {text_of(domain, f'utter_libelle_statut_{c.statut}')} – {c.message}" for c in verdict.criteres
        ]
        dispatcher.utter_message(response="utter_elig_verdict",
                                 verdict=text_of(domain, f"utter_libelle_verdict_{verdict.verdict}"),
                                 criteres="\n".join(lines))
        dispatcher.utter_message(json_message=verdict.to_payload())
        if verdict.obligations:
            dispatcher.utter_message(response="utter_elig_obligations",
                                     obligations="\n".join(f"• {o.message}" for o in verdict.obligations))
        contacts: list[tuple[str, str]] = []
        lieu = None
        if place is not None and place.found:
            answer = contacts_for(place)
            lieu = place.label
            contacts = [(c.nom, c.email) for c in answer.contacts
                        if c.role in ("ville", "delegue_prefet") and c.email and c.statut == "en_poste"]
        cal = calendar(resolve_today(message_metadata(tracker).get("today")))
        labels = {item.id: item.libelle for item in match.items} if match else {}
        fiche = fiche_predepot(answers, lieu=lieu, contacts=contacts, ambitions=labels,
                               date_limite=cal.date_limite if cal and cal.statut == "ouvert" else None,
                               verdict=verdict)
        dispatcher.utter_message(response="utter_elig_fiche", texte=fiche.texte)
        dispatcher.utter_message(json_message={"type": "fiche", "sujet": fiche.sujet, "texte": fiche.texte,
                                               "mailto": fiche.mailto})
        return [SlotSet(name, None) for name in FORM_SLOTS] + [SlotSet("elig_siret_essais", 0)]
