"""The questions every applicant asks: a curated answer, a quoted passage, or an honest "not found".

Decisions (issue 9 and issue 10, territories):
- the territory is the place named in the message, else the place of the conversation, else the MEL;
- a place of another Nord contract gets what the sources say of that contract (its planned signature
  date) and the préfecture, never a MEL rule;
- Hazebrouck gets a passage of its own contract (or "its contract does not say", with the right
  contact), never a MEL answer — but definitions that hold everywhere (QPV, NPNRU, droit commun,
  délégué du préfet) are given as they are;
- the MEL: a confident FAQ intent gets its curated answer; otherwise the best passage of the
  latest campaign is quoted with its citation; below the search threshold, the honest answer names
  the human to ask (the commune's contact if a place is known, else the MEL politique de la ville).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.services.contacts_dialogue import ContactsReply
from knowledge.services.messages import Message, keyed
from knowledge.services.places import Place, decode, find_place, resolve_place

log = logging.getLogger(__name__)

MESSAGE_KEYS = (
    "passage", "passage_aucun", "passage_aucun_hazebrouck", "faq_autre_contrat", "faq_autre_contrat_sans_date",
    "contact_humain_ville", "contact_humain_mel", "contact_humain_prefecture", "faq_choix",
)
say = keyed(MESSAGE_KEYS)

FAQ_INTENTS = (
    "demander_info_cvs", "demander_info_qpv", "demander_info_cpo", "demander_info_npnru",
    "demander_info_droit_commun", "demander_info_delegue_prefet", "demander_info_enjeux", "demander_info_depot",
    "demander_info_redepot_cpo", "demander_info_bilan", "demander_info_egalite",
    "demander_info_engagement_republicain", "demander_info_budget", "demander_info_projets_metropolitains",
    "demander_info_cofinanceurs", "demander_info_structures_eligibles", "demander_info_public_cible",
    "demander_info_evaluation",
)
# National definitions, true in every territory: their curated answer may be given in Hazebrouck too.
GENERIC_INTENTS = ("demander_info_qpv", "demander_info_npnru", "demander_info_droit_commun",
                   "demander_info_delegue_prefet")
# Below this confidence the NLU's guess is checked against the documents first. A judgement value,
# not tuned: the labelled passage set has no intent labels to tune it on (next step).
CURATED_CONFIDENCE = 0.75
# Below CURATED_CONFIDENCE, when no passage answers, a curated answer is given on the NLU's guess only if
# that guess leads the next FAQ intent by this much; closer than that, the user chooses between the two.
# A judgement value, like CURATED_CONFIDENCE (« auto-entrepreneur : puis-je demander ? » read 0.40 as
# « redéposer une CPO » and 0.40 as « qui peut déposer »: a confident wrong answer is worse than a choice).
CHOICE_MARGIN = 0.10
# Intents about a role (« what is a délégué du préfet? »). Asked as « who » with a place (« quel délégué du
# préfet dois-je solliciter à Fives ? »), the answer is that place's people, not the definition.
ROLE_INTENTS = ("demander_info_delegue_prefet",)
_ASKS_WHO = re.compile(r"\b(qui|quels?|quelles?|coordonnees|contacter|joindre|solliciter|adresser|interlocuteurs?|"
                       r"nom|noms|mail|courriel|telephone|numero)\b")
_ASKS_WHAT = re.compile(r"\b(role|roles|sert|servent|missions?|definition|c est quoi|qu est ce)\b")


@dataclass(frozen=True)
class FaqRequest:
    intent: str
    confidence: float
    text: str
    lieux: tuple[str, ...] = ()
    contexte: str | None = None
    is_button: bool = False
    alternatives: tuple[tuple[str, float], ...] = ()  # the NLU's next readings (intent, confidence), best first


@dataclass
class FaqReply(ContactsReply):
    curated: str | None = None  # the response `utter_info_…` to send, when the curated answer is the one
    suite: str | None = None  # another answer to give instead (the ambitions of a project described)
    curated_values: dict[str, Any] = field(default_factory=dict)  # the campaign's year, thresholds… for it


def territory_of(request: FaqRequest) -> tuple[str, Place | None]:
    """The territory a question is about, and the place that says so (if any)."""
    place: Place | None = None
    for value in request.lieux:
        candidate = resolve_place(value)
        if candidate.kind != "inconnu":
            place = candidate
            break
    if place is None and not request.is_button:
        candidate = find_place(request.text)
        place = candidate if candidate.kind != "inconnu" else None
    if place is None:
        place = decode(request.contexte)
    if place is not None and place.territoire is not None:
        return place.territoire.id, place
    return "MEL", place


def answer_faq(request: FaqRequest) -> FaqReply:
    reply = _answer(request)
    if reply.curated:
        from knowledge.services.campaigns import campaign_values

        reply.curated_values = campaign_values()  # curated answers are the MEL's: its latest call
    return reply


def _answer(request: FaqRequest) -> FaqReply:
    territory, place = territory_of(request)
    reply = FaqReply()
    if place is not None and place.territoire is not None and not place.territoire.couvert:
        return _other_contract(reply, place)
    faq = request.intent in FAQ_INTENTS
    if request.intent in ROLE_INTENTS and not request.is_button and place is not None and place.found \
            and _asks_who(request.text):
        return _people_of_place(request)
    if request.is_button and faq:
        reply.curated = _curated(request.intent)
        return reply
    if territory == "MEL" and faq and request.confidence >= CURATED_CONFIDENCE:
        reply.curated = _curated(request.intent)
        return reply
    if territory != "MEL" and request.intent in GENERIC_INTENTS and request.confidence >= CURATED_CONFIDENCE:
        reply.curated = _curated(request.intent)
        return reply
    if request.intent == "demander_ambition" and territory == "MEL" and not request.is_button \
            and _describes_a_project(request.text):
        # Unsure, but most likely a project to place in the contract (« on veut faire du porte-à-porte chez
        # les personnes âgées… ça rentre ? »), and its words match ambitions: suggest them.
        reply.suite = "ambitions"
        return reply
    found = _passage(request.text, territory)
    if found is not None:
        reply.add(say("passage", titre=found["titre"], texte=found["texte"], url=found["url"]), payload=found)
        return reply
    if territory == "MEL" and faq and request.confidence >= CURATED_CONFIDENCE / 2:
        rival = next((intent for intent, confidence in request.alternatives
                      if intent in FAQ_INTENTS and intent != request.intent
                      and request.confidence - confidence < CHOICE_MARGIN), None)
        if rival is not None:  # each choice is a button with the intent's label (utter_libelle_<intent>)
            reply.add(say("faq_choix"),
                      buttons=[(Message(f"libelle_{intent}"), f"/{intent}") for intent in (request.intent, rival)])
            return reply
        reply.curated = _curated(request.intent)
        return reply
    if request.intent not in FAQ_INTENTS and not request.is_button and _names_a_place(request):
        # Not understood, but it names a place ("un projet à Paris 18e"): the contacts answer of that
        # place (or « je ne connais pas … ») helps more than « the documents do not say » (when no passage answers).
        return _people_of_place(request)
    key = "passage_aucun_hazebrouck" if territory == "HAZEBROUCK" else "passage_aucun"
    reply.add(say(key))
    _human(reply, place, territory)
    return reply


def _curated(intent: str) -> str:
    """The curated answer of a FAQ intent: ``demander_info_x`` → ``utter_info_x`` (scripts/validate.py too)."""
    return f"utter_{intent.removeprefix('demander_')}"


def _describes_a_project(text: str) -> bool:
    from knowledge.services.ambitions import match_ambitions

    return not match_ambitions(text).aucune


def _asks_who(text: str) -> bool:
    from knowledge.text import fold

    folded = fold(text)  # apostrophes and hyphens become spaces
    return bool(_ASKS_WHO.search(folded)) and not _ASKS_WHAT.search(folded)


def _people_of_place(request: FaqRequest) -> FaqReply:
    from knowledge.services.contacts_dialogue import ContactsRequest, answer_contacts

    contacts = answer_contacts(ContactsRequest(text=request.text, intent="demander_contact", lieux=request.lieux,
                                               contexte=request.contexte))
    return FaqReply(says=contacts.says, contexte=contacts.contexte)


def _names_a_place(request: FaqRequest) -> bool:
    from knowledge.services.places import place_mention

    return (bool(request.lieux) or find_place(request.text).kind != "inconnu"
            or place_mention(request.text, strict=True) is not None)


def _passage(text: str, territory: str) -> dict[str, Any] | None:
    from knowledge.services.passages import answer_from_documents

    answer = answer_from_documents(text, territory=territory)
    return answer.payload if answer.found and answer.payload else None


def _other_contract(reply: FaqReply, place: Place) -> FaqReply:
    from knowledge.services.calendar import format_date_fr
    from knowledge.services.contacts_dialogue import contract_name

    territoire = place.territoire
    assert territoire is not None
    if territoire.date_signature is not None:
        reply.add(say("faq_autre_contrat", lieu=place.label, contrat=contract_name(territoire.nom),
                      date_signature=format_date_fr(territoire.date_signature)))
    else:
        reply.add(say("faq_autre_contrat_sans_date", lieu=place.label, contrat=contract_name(territoire.nom)))
    _human(reply, place, territoire.id)
    return reply


def _human(reply: FaqReply, place: Place | None, territory: str) -> None:
    """The person to ask when the documents do not answer."""
    from knowledge.services.contacts import contacts_for, mel_contacts

    if place is not None and place.found and territory == "MEL":
        answer = contacts_for(place, role="ville")
        people = [c for c in answer.contacts if c.statut == "en_poste" and c.nom] if answer.status == "ok" else []
        if people:
            reply.add(say("contact_humain_ville", lieu=place.label, nom=people[0].nom, email=people[0].email))
            return
    if territory == "MEL":
        for contact in mel_contacts("politique de la ville").contacts:
            if contact.nom and contact.email:
                reply.add(say("contact_humain_mel", nom=contact.nom, email=contact.email))
                return
    reply.add(say("contact_humain_prefecture"))
