"""Who to contact for a place: city, délégué(e) du préfet, Région; MEL themes.

Rules (from annexe 1 of the calls):
- a contact row covers a commune's part of a QPV (`insee`, `code_qp`), maybe
  one neighbourhood only (`quartier_id`, Lille in the latest call), or the whole territory
  (`insee` empty: the Région);
- the latest campaign loaded is used unless another is asked;
- the quartier is asked only when the answer changes with it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import fuzz, process
from sqlalchemy.exc import SQLAlchemyError

from knowledge import models as m
from knowledge import repositories as repo
from knowledge.db import read_session
from knowledge.services.places import CommuneRef, Gazetteer, Place, QpvRef, QuartierRef, gazetteer
from knowledge.text import compact, fold, split_list

log = logging.getLogger(__name__)

ROLES = ("ville", "delegue_prefet", "region", "mel", "prefecture", "autre")
ROLE_ORDER = {role: rank for rank, role in enumerate(ROLES)}
Status = Literal["ok", "choix", "ambigu", "hors_territoire", "inconnu", "indisponible"]


_QUOTED = re.compile(r"«\s*(?:[^:»]*:\s*)?([^»]+?)\s*»")


def vacancy_words(note: str) -> str:
    """The source's own words for a vacant post ("En attente de recrutement"), not the curator's note."""
    found = _QUOTED.search(note or "")
    return found.group(1).rstrip(" .") if found else "—"


@dataclass(frozen=True)
class ContactView:
    role: str
    nom: str
    email: str
    telephone: str
    structure: str
    statut: str
    source: str
    email_imprime: str = ""
    email_douteux: bool = False
    email_derive: bool = False
    note: str = ""
    perimetre: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {
            "role": self.role, "nom": self.nom or None, "email": self.email or None,
            "telephone": self.telephone or None, "structure": self.structure or None,
            "statut": self.statut, "source": self.source,
            "email_a_verifier": self.email_douteux, "email_deduit": self.email_derive,
            "note": vacancy_words(self.note) if self.statut == "vacant" else None,
            "perimetre": self.perimetre or None,
        }


@dataclass(frozen=True)
class Option:
    """One answer to "which quartier?" (or which commune of an intercommunal QPV)."""

    nom: str
    code_qp: str
    quartier_id: str | None = None
    commune: CommuneRef | None = None

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code_qp, "nom": self.nom}
        if self.quartier_id:
            out["quartier_id"] = self.quartier_id
        if self.commune is not None:
            out["commune"] = {"nom": self.commune.nom, "insee": self.commune.insee_cog}
        return out


@dataclass(frozen=True)
class ContactsAnswer:
    status: Status
    place: Place | None = None
    territoire_id: str | None = None
    territoire_nom: str | None = None
    campagne: int | None = None
    commune: CommuneRef | None = None
    qpv: QpvRef | None = None
    quartier: QuartierRef | None = None
    contacts: tuple[ContactView, ...] = ()
    options: tuple[Option, ...] = ()
    choix_sur: Literal["quartier", "commune"] | None = None
    perimetre_elargi: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def vacants(self) -> tuple[ContactView, ...]:
        return tuple(c for c in self.contacts if c.statut == "vacant")

    def to_payload(self) -> dict[str, Any]:
        commune = (
            {"nom": self.commune.nom, "insee": self.commune.insee_cog} if self.commune is not None else None
        )
        if self.status == "choix":
            return {"type": "choix_quartier", "commune": commune, "choix_sur": self.choix_sur,
                    "qpv": {"code": self.qpv.code, "nom": self.qpv.nom} if self.qpv else None,
                    "options": [o.to_payload() for o in self.options]}
        quartier: dict[str, Any] | None = None
        if self.qpv is not None:
            quartier = {"code": self.qpv.code, "nom": self.qpv.nom}
            if self.quartier is not None:
                quartier["quartier_id"] = self.quartier.id
                quartier["quartier_nom"] = self.quartier.nom
        return {
            "type": "contacts", "territoire": self.territoire_nom, "territoire_id": self.territoire_id,
            "campagne": self.campagne, "commune": commune, "quartier": quartier,
            "contacts": [c.to_payload() for c in self.contacts], "perimetre_elargi": self.perimetre_elargi,
        }


TERRITOIRE_LABEL = {"MEL": "MEL", "HAZEBROUCK": "Cœur de Flandre agglo"}


def _view(row: m.Contact, perimetre: str = "") -> ContactView:
    email = row.email_confirme or row.email
    return ContactView(
        role=row.role, nom=row.nom, email=email, telephone=row.telephone, structure=row.structure,
        statut=row.statut, source=row.source, email_imprime=row.email,
        email_douteux=row.email_douteux and not row.email_confirme, email_derive=row.email_derive,
        note=row.note, perimetre=perimetre,
    )


def _sorted(views: list[ContactView]) -> tuple[ContactView, ...]:
    seen: set[tuple[str, str, str, str]] = set()
    out: list[ContactView] = []
    for view in sorted(views, key=lambda v: ROLE_ORDER.get(v.role, 99)):  # stable: keeps source order
        key = (view.role, fold(view.nom), view.email.lower(), view.telephone)
        if key not in seen:
            seen.add(key)
            out.append(view)
    return tuple(out)


def _select(rows: list[m.Contact], insee: str, code_qp: str, quartier_id: str | None,
            role: str | None) -> tuple[tuple[ContactView, ...], bool]:
    """Contacts for one commune part of a QPV (and maybe one neighbourhood)."""
    chosen = [
        r for r in rows
        if r.insee is None or (
            r.insee == insee and r.code_qp in (None, code_qp) and r.quartier_id in (None, quartier_id)
        )
    ]
    widened = False
    if not any(r.role == "ville" for r in chosen):
        # No city contact named for this neighbourhood (e.g. Lomme): give those of the whole QPV part.
        part = [r for r in rows if r.insee == insee and r.code_qp == code_qp and r.role == "ville"]
        if part:
            chosen += part
            widened = True
    if role:
        chosen = [r for r in chosen if r.role == role]
    return _sorted([_view(r) for r in chosen]), widened


def _signature(views: tuple[ContactView, ...]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((v.role, fold(v.nom), v.email.lower(), v.statut) for v in views)


def _scope_parts(gaz: Gazetteer, place: Place) -> list[tuple[str, str, str | None, str, CommuneRef | None]]:
    """(insee, code_qp, quartier_id, label, commune) parts the place covers."""
    if place.quartier is not None:
        commune = gaz.communes.get(place.quartier.commune_insee)
        insee = commune.insee_cog if commune else place.quartier.commune_insee
        return [(insee, place.quartier.code_qp, place.quartier.id, place.quartier.nom, commune)]
    if place.kind == "qpv" and place.qpv is not None:
        communes = [place.commune] if place.commune is not None else [
            gaz.communes[i] for i in place.qpv.communes if i in gaz.communes
        ]
        return [(c.insee_cog, place.qpv.code, None, c.nom, c) for c in communes]
    if place.commune is not None:
        commune = place.commune
        if commune.associee_de:
            links = [q for q in gaz.quartiers.values() if q.commune_insee == commune.insee]
            return [(commune.associee_de, q.code_qp, q.id, gaz.qpvs[q.code_qp].nom, commune) for q in links]
        return [
            (commune.insee, code, None, gaz.qpvs[code].nom, commune)
            for code in gaz.qpv_by_commune.get(commune.insee, [])
            if code in gaz.qpvs
        ]
    return []


def contacts_for(place: Place, campagne: int | None = None, role: str | None = None,
                 url: str | None = None) -> ContactsAnswer:
    """The contacts for a resolved place, or the choice to ask, or why none."""
    if role is not None and role not in ROLES:
        role = None
    if place.kind == "inconnu":
        return ContactsAnswer("inconnu", place=place)
    if place.kind == "ambigu":
        return ContactsAnswer("ambigu", place=place)
    try:
        gaz = gazetteer(url)
        if place.kind == "hors_territoire":
            return _outside(place, url)
        territoire_id = place.territoire.id if place.territoire else None
        if territoire_id is None:
            return ContactsAnswer("inconnu", place=place)
        with read_session(url) as session:
            if campagne is None:
                campagne = repo.latest_contact_campaign(session, territoire_id)
            if campagne is None:
                return ContactsAnswer("inconnu", place=place)
            parts = _scope_parts(gaz, place)
            rows_by_insee = {
                insee: list(repo.contacts_in_commune(session, territoire_id, campagne, insee))
                for insee in {p[0] for p in parts}
            }
            if not parts:  # a covered commune without QPV part: territory-wide contacts only
                wide = [r for r in repo.contacts_in_commune(session, territoire_id, campagne, "") if r.insee is None]
                wide_views = [_view(r) for r in wide if role is None or r.role == role]
                return _answer(place, territoire_id, campagne, _sorted(wide_views), False)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour contacts_for")
        return ContactsAnswer("indisponible", place=place)

    # Expand each part into its neighbourhoods when contacts are given per neighbourhood.
    options: list[tuple[Option, tuple[ContactView, ...], bool]] = []
    for insee, code_qp, quartier_id, label, commune in parts:
        rows = rows_by_insee[insee]
        split = sorted({r.quartier_id for r in rows if r.insee == insee and r.code_qp == code_qp and r.quartier_id})
        if quartier_id is None and split:
            for qid in split:
                views, widened = _select(rows, insee, code_qp, qid, role)
                options.append((Option(gaz.quartiers[qid].nom, code_qp, qid, commune), views, widened))
        else:
            views, widened = _select(rows, insee, code_qp, quartier_id, role)
            options.append((Option(label, code_qp, quartier_id, commune), views, widened))

    distinct = {_signature(views) for _, views, _ in options}
    if len(distinct) <= 1:
        views = options[0][1] if options else ()
        widened = any(w for _, _, w in options)
        return _answer(place, territoire_id, campagne, views, widened)
    choix_sur: Literal["quartier", "commune"] = (
        "commune" if place.kind == "qpv" and place.commune is None else "quartier"
    )
    if choix_sur == "commune":
        opts = tuple(Option(o.commune.nom if o.commune else o.nom, o.code_qp, o.quartier_id, o.commune)
                     for o, _, _ in options)
    else:
        opts = tuple(o for o, _, _ in options)
    return ContactsAnswer(
        "choix", place=place, territoire_id=territoire_id, territoire_nom=_territoire_label(place),
        campagne=campagne, commune=place.commune, qpv=place.qpv if place.kind in ("qpv", "quartier") else None,
        options=opts, choix_sur=choix_sur,
    )


def _territoire_label(place: Place) -> str | None:
    if place.territoire is None:
        return None
    return TERRITOIRE_LABEL.get(place.territoire.id, place.territoire.nom)


def _answer(place: Place, territoire_id: str, campagne: int, views: tuple[ContactView, ...],
            widened: bool) -> ContactsAnswer:
    return ContactsAnswer(
        "ok", place=place, territoire_id=territoire_id, territoire_nom=_territoire_label(place), campagne=campagne,
        commune=place.commune, qpv=place.qpv if place.kind in ("qpv", "quartier") else None,
        quartier=place.quartier, contacts=views, perimetre_elargi=widened,
    )


def _outside(place: Place, url: str | None) -> ContactsAnswer:
    """Outside the covered territories: only the departmental préfecture contacts."""
    with read_session(url) as session:
        rows = list(repo.contacts_by_role(session, "prefecture"))
    latest = max((r.campagne for r in rows), default=None)
    views = _sorted([_view(r) for r in rows if r.campagne == latest])
    return ContactsAnswer(
        "hors_territoire", place=place, territoire_id=place.territoire.id if place.territoire else None,
        territoire_nom=place.territoire.nom if place.territoire else None, campagne=latest,
        commune=place.commune, qpv=place.qpv, contacts=views,
    )


def contacts_for_scope(insee: str, code_qp: str | None = None, quartier_id: str | None = None,
                       campagne: int | None = None, role: str | None = None, url: str | None = None) -> ContactsAnswer:
    """Contacts for an explicit scope (commune INSEE, QPV code, neighbourhood id)."""
    from knowledge.services.places import place_from_key

    base = place_from_key("quartier", quartier_id, url) if quartier_id else None
    if base is None and code_qp:
        qpv_place = place_from_key("qpv", code_qp, url)
        commune_place = place_from_key("commune", insee, url)
        if qpv_place is not None and commune_place is not None:
            base = Place("qpv", qpv_place.saisie, commune=commune_place.commune, qpv=qpv_place.qpv,
                         territoire=qpv_place.territoire, score=100.0)
    if base is None:
        base = place_from_key("commune", insee, url)
    if base is None:
        return ContactsAnswer("inconnu")
    return contacts_for(base, campagne=campagne, role=role, url=url)


# --- MEL thematic contacts ---------------------------------------------------


@dataclass(frozen=True)
class MelContactView:
    theme: str
    nom: str
    email: str
    email_derive: bool
    note: str
    source: str

    def to_payload(self) -> dict[str, Any]:
        return {"role": "mel", "nom": self.nom or None, "email": self.email or None, "telephone": None,
                "structure": f"MEL – {self.theme}", "statut": "en_poste" if self.nom else "vacant",
                "source": self.source, "email_deduit": self.email_derive, "note": self.note or None}


@dataclass(frozen=True)
class MelAnswer:
    status: Literal["ok", "themes", "indisponible"]
    campagne: int | None
    theme: str | None
    contacts: tuple[MelContactView, ...] = ()
    themes: tuple[str, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        return {"type": "contacts", "territoire": "MEL", "territoire_id": "MEL", "campagne": self.campagne,
                "commune": None, "quartier": None, "theme": self.theme,
                "contacts": [c.to_payload() for c in self.contacts]}


def mel_contacts(theme_text: str | None, campagne: int | None = None, url: str | None = None,
                 narrow: bool = False) -> MelAnswer:
    """MEL thematic contacts whose theme matches the text; else the list of themes.

    With `narrow`, when the text names a sub-theme that only some people of the theme carry
    ("GUSP", "éducation", "transition écologique"), only those people are given.
    """
    try:
        with read_session(url) as session:
            rows = list(repo.mel_contacts(session, campagne))
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour mel_contacts")
        return MelAnswer("indisponible", None, None)
    if not rows:
        return MelAnswer("indisponible", None, None)
    year = rows[0].campagne
    themes = tuple(dict.fromkeys(r.theme for r in rows))
    theme = _match_theme(rows, theme_text or "")
    if theme is None:
        return MelAnswer("themes", year, None, themes=themes)
    chosen = [r for r in rows if r.theme == theme]
    if narrow:
        specific = [r for r in chosen if _names_sub_theme(r, theme_text or "", rows)]
        chosen = specific or chosen
    views = tuple(MelContactView(r.theme, r.nom, r.email, r.email_derive, r.note, r.source) for r in chosen)
    return MelAnswer("ok", year, theme, contacts=views, themes=themes)


def _names_sub_theme(row: m.ContactMel, text: str, rows: list[m.ContactMel]) -> bool:
    """Does the text name a keyword of this person that the theme's other people do not all share?"""
    query = fold(text)
    words = set(query.split())
    shared = set.intersection(*[{fold(k) for k in split_list(r.themes_cles)} for r in rows if r.theme == row.theme])
    for key in (fold(k) for k in split_list(row.themes_cles)):
        if key in shared or fold(row.theme) == key:
            continue
        if (" " in key and key in query) or key in words:
            return True
    return False


def _match_theme(rows: list[m.ContactMel], text: str) -> str | None:
    query = fold(text)[:200]
    if not query:
        return None
    keys: dict[str, str] = {}
    for r in rows:
        for key in [r.theme, *split_list(r.themes_cles)]:
            keys.setdefault(fold(key), r.theme)
    words = set(query.split())
    for key, theme in sorted(keys.items(), key=lambda kv: -len(kv[0])):
        if (" " in key and key in query) or key in words or compact(key) == compact(query):
            return theme
    match = process.extractOne(query, list(keys), scorer=fuzz.partial_ratio, score_cutoff=90)
    return keys[match[0]] if match else None
