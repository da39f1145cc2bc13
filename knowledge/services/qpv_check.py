"""« Est-ce en QPV ? » for the conversation: from a message and its metadata to one answer.

Ways in, in this order: `metadata.position` (the widget's « Utiliser ma position »),
coordinates or a map link typed in the message, then an address (geocoded only when
a geocoder is configured). The answer says which reply to give (`kind`), carries the
`qpv` card and, for a covered QPV, the contacts answer of today.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.exc import SQLAlchemyError

from knowledge.services.contacts_dialogue import ContactsReply, ContactsRequest, answer_contacts
from knowledge.services.geo import QpvCheck, qpv_at
from knowledge.services.geocoder import Geocoder, get_geocoder
from knowledge.services.places import Place, encode, find_place, gazetteer, place_from_key
from knowledge.services.positions import PositionResult, parse_position_metadata, parse_position_text

log = logging.getLogger(__name__)

Kind = Literal[
    "en_qpv",              # inside a covered QPV, far enough from its boundary
    "frontiere",           # within the margin of a QPV boundary (inside or outside): SIG Ville decides
    "hors_qpv",            # in the Nord, in no QPV
    "autre_contrat",       # inside a QPV of another Nord contract
    "hors_nord",           # in France, outside the Nord
    "hors_france",         # outside metropolitan France, or at sea
    "adresse_sans_geocodeur",  # an address, and no geocoder here
    "adresse_introuvable",     # the geocoder found no sure address
    "lieu_sans_position",      # a commune or quartier named, no address nor position
    "demande",                 # nothing to place: ask for an address or a position
    "position_invalide",       # coordinates that cannot be a position (999, NaN, "abc"…)
    "indisponible",            # the référentiel cannot be read
]

# Words of a street address ("12 rue Jean Jaurès", "résidence des Oliveaux").
_STREET = re.compile(
    r"\b(rue|avenue|av|bd|boulevard|place|pl|allee|chemin|impasse|residence|square|quai|cite|route|"
    r"sentier|passage|parvis|rond[- ]point|lotissement|hameau|faubourg|chaussee)\b"
)
_HOUSE_NUMBER = re.compile(r"\b\d{1,4}\s?(?:bis|ter|b)?\b")


@dataclass(frozen=True)
class QpvAnswer:
    kind: Kind
    check: QpvCheck | None = None
    erreur: str | None = None            # the position's error kind (positions.Erreur)
    adresse: str | None = None           # the geocoded address label
    adresse_approximative: bool = False  # the geocoder found a street, not a door
    lieu: Place | None = None            # the recognised commune / QPV, or the covered QPV found
    qpv_du_lieu: tuple[str, ...] = ()    # display names of the recognised place's QPV
    contacts: ContactsReply | None = None  # the contacts answer of today, for a covered QPV
    origine: str | None = None           # metadata | texte | osm | google | adresse
    notes: tuple[str, ...] = field(default_factory=tuple)

    def payload(self) -> dict[str, Any] | None:
        """The `qpv` card (contracts.md §4) when a position was checked, else None."""
        if self.check is None or self.check.hors_zone == "invalide":
            return None
        card = self.check.payload()
        card["a_verifier"] = card["a_verifier"] or self.adresse_approximative
        if self.adresse:
            card["adresse"] = self.adresse
        return card


def check_message(text: object, position: object = None, url: str | None = None,
                  geocoder: Geocoder | None | Literal["auto"] = "auto") -> QpvAnswer:
    """The QPV answer for a message and its `metadata.position` (None when the client sent none)."""
    text = text if isinstance(text, str) else ""
    try:
        if position is not None:
            return _from_position(parse_position_metadata(position), url)
        typed = parse_position_text(text)
        if typed.erreur != "absente":
            return _from_position(typed, url)
        if text.startswith("/"):  # a button payload without a position
            return QpvAnswer("demande")
        return _from_words(text, url, get_geocoder() if geocoder == "auto" else geocoder)
    except (SQLAlchemyError, LookupError, KeyError):
        log.exception("référentiel indisponible pour la vérification QPV")
        return QpvAnswer("indisponible")


def qpv_name_for_form(text: object, position: object = None, url: str | None = None) -> str | None:
    """For the pre-submission form (slot elig_lieu): the covered QPV's display name at the position
    or coordinates given, or None (no position, outside every covered QPV). Never raises."""
    answer = check_message(text, position, url, geocoder=None)
    check = answer.check
    if check is not None and check.en_qpv and check.couvert and answer.kind in ("en_qpv", "frontiere"):
        return check.nom
    return None


def _from_position(parsed: PositionResult, url: str | None, adresse: str | None = None,
                   approximative: bool = False) -> QpvAnswer:
    if parsed.position is None:
        return QpvAnswer("position_invalide", erreur=parsed.erreur)
    lat, lon = parsed.position.lat, parsed.position.lon
    check = qpv_at(lat, lon, url)
    common: dict[str, Any] = {"check": check, "adresse": adresse, "adresse_approximative": approximative,
                              "origine": "adresse" if adresse else parsed.position.origine}
    if check.hors_zone == "invalide":
        return QpvAnswer("position_invalide", erreur="invalide")
    if check.hors_zone == "hors_france":
        if adresse is None and qpv_at(lon, lat, url).hors_zone is None:
            # "3.058, 50.628": longitude first. Said, never swapped silently.
            return QpvAnswer("position_invalide", erreur="inversee")
        return QpvAnswer("hors_france", **common)
    if check.hors_zone == "hors_nord":
        return QpvAnswer("hors_nord", **common)
    if check.en_qpv and not check.couvert:
        return QpvAnswer("autre_contrat", **common)
    if check.a_verifier or (approximative and check.en_qpv):
        return QpvAnswer("frontiere", **common, **_covered(check, url))
    if check.en_qpv:
        return QpvAnswer("en_qpv", **common, **_covered(check, url))
    return QpvAnswer("hors_qpv", **common)


def _covered(check: QpvCheck, url: str | None) -> dict[str, Any]:
    """The covered QPV as a place and its contacts (inside only)."""
    if not (check.en_qpv and check.couvert and check.code):
        return {}
    place = place_from_key("qpv", check.code, url)
    if place is None:
        return {}
    # The contacts dialogue, as if the porteur had just named this QPV.
    reply = answer_contacts(ContactsRequest(text="", intent="informer_lieu", contexte=encode(place)))
    return {"lieu": place, "contacts": reply}


def _from_words(text: str, url: str | None, geocoder: Geocoder | None) -> QpvAnswer:
    from knowledge.text import fold

    folded = fold(text)
    place = find_place(text, url)
    looks_like_address = bool(_STREET.search(folded)) and (
        bool(_HOUSE_NUMBER.search(folded)) or place.kind != "inconnu" or len(folded.split()) >= 3
    )
    if looks_like_address and geocoder is not None:
        found = geocoder.geocode(text)
        if found is None:
            return QpvAnswer("adresse_introuvable", **_place_qpvs(place, url))
        parsed = parse_position_metadata({"lat": found.lat, "lon": found.lon})
        return _from_position(parsed, url, adresse=found.label, approximative=not found.precise)
    if looks_like_address:
        return QpvAnswer("adresse_sans_geocodeur", **_place_qpvs(place, url))
    if place.kind != "inconnu":
        return QpvAnswer("lieu_sans_position", **_place_qpvs(place, url))
    return QpvAnswer("demande")


def _place_qpvs(place: Place, url: str | None) -> dict[str, Any]:
    """The recognised place and the display names of its QPV (a commune's, or the QPV itself)."""
    if place.kind in ("inconnu", "ambigu"):
        return {}
    if place.qpv is not None and place.kind in ("qpv", "quartier"):
        return {"lieu": place, "qpv_du_lieu": (place.qpv.nom,)}
    if place.commune is None:
        return {"lieu": place}
    gaz = gazetteer(url)
    codes = gaz.qpv_by_commune.get(place.commune.insee_cog, []) + gaz.qpv_by_commune.get(place.commune.insee, [])
    names = tuple(dict.fromkeys(gaz.qpvs[c].nom for c in codes if c in gaz.qpvs))
    return {"lieu": place, "qpv_du_lieu": names}


def distance_fr(metres: float | None) -> str:
    """"90 m", "1,2 km" (French decimal comma, by Babel)."""
    from babel.numbers import format_decimal

    if metres is None:
        return ""
    if metres < 1000:
        return f"{int(round(metres))} m"
    return f"{format_decimal(round(metres / 1000, 1), locale='fr_FR')} km"


def contract_label(nom: str | None) -> str:
    """"Contrat de ville de Cambrai" → "contrat de ville de Cambrai" (inside a sentence)."""
    nom = nom or ""
    return nom[:1].lower() + nom[1:] if nom.lower().startswith("contrat") else nom
