"""What to answer to "who do I contact?": the decisions of the contacts dialogue.

`answer_contacts` reads a request (the message, its entities, the dialogue's
context) and returns the messages to send as keys and values (the French text
is in the domain responses, `utter_<key>`), the payloads for the widget, and
the context to keep. It decides which places and roles were asked (several of
each), when to ask for the place, when a place is unknown (said once, never
asked twice in a row), and who to contact meanwhile when a post is vacant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from knowledge.services.contacts import ROLES, ContactsAnswer, ContactView, contacts_for, vacancy_words
from knowledge.services.messages import Message, keyed
from knowledge.services.places import (
    Place,
    covered_communes,
    decode,
    encode,
    find_place,
    place_mention,
    refine,
    resolve_place,
)
from knowledge.services.referentiel import readable_source
from knowledge.text import fold

MESSAGE_KEYS = (
    "ask_lieu", "contacts", "contacts_role", "contacts_aucun_role", "ligne_contact", "ligne_contact_vacant",
    "contacts_vacant", "contacts_vacant_relais_mel", "contacts_email_douteux", "contacts_perimetre_elargi",
    "contacts_sans_qpv", "choix_quartier", "choix_commune", "lieu_ambigu", "lieu_inconnu", "lieu_inconnu_encore",
    "hors_territoire", "hors_territoire_prevu", "hors_territoire_sans_date", "hors_territoire_sans_contrat",
    "hazebrouck", "service_indisponible", "libelle_role_ville", "libelle_role_delegue_prefet",
    "libelle_role_region", "libelle_role_mel", "libelle_role_prefecture", "libelle_role_autre",
    "libelle_email_deduit", "libelle_email_a_verifier", "contact_relais",
    "contacts_mel", "contacts_mel_derive", "contacts_mel_themes",
)
say = keyed(MESSAGE_KEYS)

MAX_PLACES = 3  # "Roubaix, Tourcoing et Wattrelos": each answered; more is a list, not a question
_ROLE_WORDS = [
    ("delegue_prefet", re.compile(r"\bdeleg\w*\b[^.?!]{0,12}\bpref\w*|\bdp\b|\bddp\b")),
    ("prefecture", re.compile(r"\bprefecture\b")),
    ("region", re.compile(r"\bregion\b|hauts de france")),
    ("ville", re.compile(r"\b(mairie|chef\w* de projet|avec la ville|de la ville\b(?! et des solidarites)"
                         r"(?! de)|la commune)\b")),
]  # "politique de la ville" and "Métropole Européenne de Lille" name no role


def roles_in_text(text: str) -> list[str]:
    """The kinds of contact a message names ("la ville et le délégué du préfet"), in role order."""
    folded = fold(text).replace("politique de la ville", "")
    found = [role for role, pattern in _ROLE_WORDS if pattern.search(folded)]
    return sorted(found, key=ROLES.index)


@dataclass(frozen=True)
class ContactsRequest:
    text: str
    intent: str = ""
    lieux: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    contexte: str | None = None          # the place of the conversation (`encode`)
    role_en_attente: str | None = None   # a role asked before the place was known
    reponse: str | None = None           # the text read as the answer to our own question
    attente: str | None = None           # what we had asked for: "lieu" | "quartier"
    is_button: bool = False


@dataclass(frozen=True)
class Say:
    message: Message
    buttons: tuple[tuple[str | Message, str], ...] = ()  # (title, payload); a Message title is a domain label
    payload: dict[str, Any] | None = None


@dataclass
class ContactsReply:
    says: list[Say] = field(default_factory=list)
    contexte: str | None = None
    role_en_attente: str | None = None
    attente: str | None = None           # ask the next message as a place / quartier / theme

    def add(self, message: Message, buttons: Sequence[tuple[str | Message, str]] = (),
            payload: dict[str, Any] | None = None) -> None:
        self.says.append(Say(message, tuple(buttons), payload))


def answer_contacts(request: ContactsRequest, today: date | None = None) -> ContactsReply:
    roles = _roles(request)
    previous = decode(request.contexte)
    reply = ContactsReply(contexte=request.contexte, role_en_attente=roles[0] if roles else None)
    places, unknown = _places(request)
    if roles == ["mel"] and not places and not unknown:
        # "qui contacter à la MEL ?": the MEL's contacts are thematic, not by place.
        return answer_mel_contacts(request.reponse or request.text, via_contacts=True)
    if not places:
        if unknown:
            again = request.attente in ("lieu", "quartier")
            reply.add(say("lieu_inconnu_encore" if again else "lieu_inconnu", saisie=_short(unknown),
                          communes=", ".join(covered_communes())))
            # Not asked again, but a place typed next ("Bruxelles", "plutôt Roubaix") is read as one.
            reply.attente = None if again else "lieu"
            return reply
        if previous is not None and (roles or request.intent == "informer_lieu"):
            places = [previous]  # "et la Région ?"
        elif request.attente in ("lieu", "quartier"):
            reply.add(say("lieu_inconnu_encore", saisie=_short(request.reponse or request.text),
                          communes=", ".join(covered_communes())))
            return reply
        else:
            reply.add(say("ask_lieu"))
            reply.attente = "lieu"
            return reply
    if len(places) == 1:
        places = [refine(previous, places[0])]
    for place in places:
        _answer_place(reply, place, roles)
    return reply


def _roles(request: ContactsRequest) -> list[str]:
    roles = [r for r in request.roles if r in ROLES]
    if not request.is_button:
        roles += [r for r in roles_in_text(request.text) if r not in roles]
    if not roles and (request.intent == "informer_lieu" or request.reponse) and request.role_en_attente in ROLES:
        roles = [request.role_en_attente]
    return sorted(dict.fromkeys(roles), key=ROLES.index)


def _places(request: ContactsRequest) -> tuple[list[Place], str | None]:
    """The distinct places the message names, and the words of an unknown one."""
    text = request.reponse or request.text
    found: list[Place] = []
    lieux = [v for v in request.lieux if v.strip()]
    if lieux:
        joined = resolve_place(" ".join(lieux)) if len(lieux) > 1 else None
        if joined is not None and joined.found:
            found = [joined]
        else:
            found = [p for p in (resolve_place(v) for v in lieux) if p.kind != "inconnu"]
    if not found and not request.is_button:
        whole = find_place(text)
        if whole.kind == "inconnu" and request.reponse:
            whole = resolve_place(text)
        if whole.kind != "inconnu":
            found = [whole]
    unique: dict[tuple[str, str], Place] = {}
    for place in found:
        unique.setdefault(place.key, place)
    places = list(unique.values())[:MAX_PLACES]
    if places:
        return places, None
    unknown = lieux[0] if lieux else None
    if unknown is None and not request.is_button:
        unknown = place_mention(text) or (request.reponse if request.attente in ("lieu", "quartier") else None)
    return [], unknown


def _answer_place(reply: ContactsReply, place: Place, roles: list[str]) -> None:
    answer = contacts_for(place)
    if answer.status == "indisponible":
        reply.add(say("service_indisponible"))
    elif answer.status == "inconnu":
        reply.add(say("lieu_inconnu", saisie=_short(place.saisie), communes=", ".join(covered_communes())))
    elif answer.status == "ambigu":
        names = [candidate_name(c) for c in place.candidates]
        reply.add(say("lieu_ambigu", saisie=_short(place.saisie)), buttons=choice_buttons(names))
        reply.attente = "lieu"
    elif answer.status == "hors_territoire":
        _outside(reply, answer, place)
        reply.contexte = encode(place) or reply.contexte
    elif answer.status == "choix":
        key = "choix_commune" if answer.choix_sur == "commune" else "choix_quartier"
        reply.add(say(key, lieu=place_label(place)), buttons=choice_buttons([o.nom for o in answer.options]),
                  payload=answer.to_payload())
        reply.attente = "quartier"
        reply.contexte = encode(place) or reply.contexte
    else:
        if answer.territoire_id == "HAZEBROUCK":
            reply.add(say("hazebrouck"))
        _contacts(reply, answer, roles)
        reply.contexte = encode(place) or reply.contexte


def _contacts(reply: ContactsReply, answer: ContactsAnswer, roles: list[str]) -> None:
    place = answer.place
    assert place is not None
    chosen = answer
    key = "contacts_role" if roles else "contacts"
    if roles:
        kept = tuple(c for c in answer.contacts if c.role in roles)
        chosen = _with_contacts(answer, kept) if kept else answer
        if not kept:
            key = "contacts_aucun_role"
    if not chosen.contacts:
        reply.add(say("contacts_sans_qpv", lieu=place_label(place), campagne=answer.campagne))
        return
    reply.add(say(key, lieu=place_label(place), campagne=answer.campagne, territoire=answer.territoire_nom or "",
                  liste=[contact_line(c) for c in chosen.contacts], source=sources(chosen.contacts)),
              payload=with_source_titles(chosen.to_payload()))
    present = [c for c in answer.contacts if c.statut == "en_poste" and c.nom]
    for vacant in chosen.vacants:
        relais = [c for c in present if c.role != vacant.role][:3]
        role = say(f"libelle_role_{vacant.role}")
        if relais:
            reply.add(say("contacts_vacant", role=role, relais=[
                say("contact_relais", nom=c.nom, role=say(f"libelle_role_{c.role}")) for c in relais]))
        else:
            reply.add(say("contacts_vacant_relais_mel", role=role))
    for contact in chosen.contacts:
        if contact.email_douteux:
            reply.add(say("contacts_email_douteux", nom=contact.nom, email=contact.email_imprime))
    if answer.perimetre_elargi:
        reply.add(say("contacts_perimetre_elargi", lieu=place_label(place)))


def _with_contacts(answer: ContactsAnswer, contacts: tuple[ContactView, ...]) -> ContactsAnswer:
    from dataclasses import replace

    return replace(answer, contacts=contacts)


def contact_line(contact: ContactView) -> Message:
    role = say(f"libelle_role_{contact.role}")
    if contact.statut == "vacant":
        return say("ligne_contact_vacant", role=role, note=vacancy_words(contact.note))
    nom = contact.nom or contact.structure
    if contact.role in ("autre", "prefecture") and contact.structure:
        if contact.nom and not contact.structure.startswith(contact.nom):
            nom = f"{contact.nom} ({contact.structure})"
        elif contact.structure.startswith(contact.nom or "\0"):
            nom = contact.structure
    mention: Message | str = ""
    if contact.email and contact.email_derive:
        mention = say("libelle_email_deduit")
    elif contact.email and contact.email_douteux:
        mention = say("libelle_email_a_verifier")
    return say("ligne_contact", role=role, nom=nom, email=f", {contact.email}" if contact.email else "",
               mention=mention, telephone=f", {contact.telephone}" if contact.telephone else "")


def sources(contacts: Sequence[Any]) -> str:
    return " ; ".join(dict.fromkeys(readable_source(c.source) for c in contacts if c.source))


def with_source_titles(payload: dict[str, Any]) -> dict[str, Any]:
    """Each contact of a payload also says its source as people read it (contracts §4)."""
    for item in payload.get("contacts") or []:
        if item.get("source"):
            item["source_titre"] = readable_source(item["source"])
    return payload


def _outside(reply: ContactsReply, answer: ContactsAnswer, place: Place) -> None:
    prefecture = ""
    if answer.contacts:
        prefecture = " : " + " ; ".join(
            ", ".join(part for part in (c.nom, c.email, c.telephone) if part) for c in answer.contacts
        )
    territoire = place.territoire
    if territoire is None:
        reply.add(say("hors_territoire_sans_contrat", lieu=place.label, prefecture=prefecture))
    elif territoire.date_signature is None:
        reply.add(say("hors_territoire_sans_date", lieu=place.label, contrat=contract_name(territoire.nom),
                      prefecture=prefecture))
    else:
        from knowledge.services.calendar import format_date_fr

        reply.add(say("hors_territoire_prevu", lieu=place.label, contrat=contract_name(territoire.nom),
                      date_signature=format_date_fr(territoire.date_signature), prefecture=prefecture))
    if answer.contacts:
        reply.says[-1] = Say(reply.says[-1].message, (), with_source_titles(answer.to_payload()))


def place_label(place: Place) -> str:
    if place.quartier is not None and place.commune is not None:
        return f"{place.quartier.nom} ({place.commune.nom})"
    if place.kind == "qpv" and place.qpv is not None:
        return f"{place.qpv.nom} ({place.commune.nom})" if place.commune is not None else place.qpv.nom
    return place.label


def choice_buttons(names: Sequence[str]) -> list[tuple[str, str]]:
    return [(name, "/informer_lieu" + json.dumps({"lieu": name}, ensure_ascii=False)) for name in names]


def contract_name(nom: str) -> str:
    return nom[:1].lower() + nom[1:] if nom.lower().startswith("contrat") else nom


def candidate_name(candidate: Place) -> str:
    if candidate.quartier is not None:
        return candidate.quartier.nom
    if candidate.qpv is not None and (candidate.kind == "qpv" or candidate.commune is None):
        if candidate.kind == "hors_territoire" and candidate.commune is not None:
            return f"{candidate.qpv.nom} ({candidate.commune.nom})"
        return candidate.qpv.nom
    return candidate.commune.nom if candidate.commune is not None else candidate.saisie


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- MEL thematic contacts ----------------------------------------------------------

def answer_mel_contacts(text: str, themes: Sequence[str] = (), via_contacts: bool = False) -> ContactsReply:
    """The MEL's thematic contacts for the theme named (a sub-theme names its own person), else the themes."""
    from knowledge.services.contacts import mel_contacts

    answer = mel_contacts(" ".join(themes) if themes else text)
    if answer.status == "ok" and not themes:
        # "GUSP et cadre de vie", "éducation et santé": the person of that sub-theme, not the whole team.
        answer = mel_contacts(text, narrow=True)
    reply = ContactsReply()
    if answer.status == "indisponible":
        reply.add(say("service_indisponible"))
    elif (answer.status == "themes" and not themes and not via_contacts
          and (find_place(text).kind != "inconnu" or place_mention(text))):
        # "un projet transfrontalier à Tournai": a question about a place, not a MEL theme.
        return answer_contacts(ContactsRequest(text=text, intent="demander_contact"))
    elif answer.status == "themes":
        reply.add(say("contacts_mel_themes"),
                  buttons=[(theme, f'/demander_contact_mel{json.dumps({"theme": theme}, ensure_ascii=False)}')
                           for theme in answer.themes])
        reply.attente = "theme"
    else:
        lines = []
        for contact in answer.contacts:
            if not contact.nom:
                lines.append(say("ligne_contact_vacant", role=contact.theme, note=contact.note or "—"))
                continue
            lines.append(say("ligne_contact", role=contact.theme, nom=contact.nom,
                             email=f", {contact.email}" if contact.email else "",
                             mention=say("libelle_email_deduit") if contact.email_derive else "",
                             telephone=f" – {contact.note}" if contact.note else ""))
        reply.add(say("contacts_mel", theme=answer.theme, campagne=answer.campagne, liste=lines,
                      source=sources(answer.contacts)), payload=with_source_titles(answer.to_payload()))
        if any(c.email_derive for c in answer.contacts):
            reply.add(say("contacts_mel_derive"))
    return reply
