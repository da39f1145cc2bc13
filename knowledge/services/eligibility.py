"""Pre-submission check of a project against the rules of a call for projects.

The rules come from the référentiel (``campagnes.yaml`` → table ``regle``) for the latest
campaign of the territory, or the one asked: eligible kinds of structure (``structures_eligibles``),
SIRET (``siret``), QPV public (``public_cible``), ambitions, égalité, contrat d'engagement
républicain, droit commun, partenariats, indicateurs, and the obligations they imply (``bilan``,
``cpo_redepot``, ``budget_detaille`` and its threshold, ``projets_metropolitains``). A rule the
campaign does not state is not checked. Nothing here is French: every criterion, obligation and
line of the fiche is a message key with its values (``bot/domain/eligibilite.yml``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import quote

from babel.numbers import format_decimal
from sqlalchemy.exc import SQLAlchemyError

from knowledge.services.ambitions import match_ambitions
from knowledge.services.calendar import calendar_for, format_date_fr
from knowledge.services.campaigns import DEFAULT_TERRITORY, Campaign, campaign, campaigns
from knowledge.services.contacts import contacts_for
from knowledge.services.messages import Message, Template, keyed, render
from knowledge.services.places import find_place, resolve_place
from knowledge.services.siret import AIDE_SANS_SIRET, check_siret

log = logging.getLogger(__name__)

CriterionStatus = Literal["ok", "ko", "a_verifier"]
VerdictValue = Literal["eligible", "non_eligible", "incomplet"]

AMBITION_IDS: frozenset[str] = frozenset(
    f"{enjeu}.{rang}"
    for enjeu, count in {1: 5, 2: 6, 3: 3, 4: 5, 5: 6, 6: 6}.items()
    for rang in range(1, count + 1))
"""The 31 ambitions of annexe 2 (contracts.md, section 3)."""

STRUCTURE_KINDS = ("association", "bailleur_social", "etablissement_public", "collectivite",
                   "autre_non_lucratif", "cooperative", "entreprise")
_COMMITMENTS = ("egalite", "engagement_republicain", "droit_commun", "partenariats", "indicateurs")
_CRITERIA_RULES = {"structure": "structures_eligibles", "siret": "siret", "public_qpv": "public_cible",
                   "ambitions": "ambition", "egalite": "egalite_femmes_hommes",
                   "engagement_republicain": "engagement_republicain", "droit_commun": "droit_commun",
                   "partenariats": "partenariat", "indicateurs": "evaluation_indicateurs"}
"""Criterion id → the rule of the campaign that makes it a criterion."""

MESSAGE_KEYS = (
    *(f"libelle_structure_{k}" for k in STRUCTURE_KINDS),
    "elig_structure_manquante", "elig_structure_eligible", "elig_structure_association",
    "elig_structure_a_verifier", "elig_structure_entreprise", "elig_structure_non_retenue",
    "elig_siret_absent_exige", "elig_siret_absent_non_exige", "elig_siret_a_indiquer", "elig_siret_non_renseigne",
    "elig_public_qpv_ok", "elig_public_qpv_ko", "elig_public_qpv_a_verifier",
    "elig_ambitions_ok", "elig_ambitions_inconnues", "elig_ambitions_a_preciser", "elig_ambitions_aucune",
    *(f"elig_{c}_{s}" for c in _COMMITMENTS for s in ("ok", "ko", "a_verifier")),
    "elig_engagement_republicain_non_concerne", "elig_territoire_autre_contrat", "fiche_critere_territoire",
    "elig_obligation_bilan", "elig_obligation_cpo", "elig_obligation_budget_detaille",
    "elig_obligation_projet_metropolitain",
    "elig_structure_inconnue", "elig_structure_refusee", "elig_siret_invalide", "elig_siret_abandon",
    "fiche_titre", "fiche_porteur", "fiche_porteur_nom", "fiche_porteur_inconnu", "fiche_sujet_projet",
    "fiche_lieu", "fiche_lieu_inconnu", "fiche_siret",
    "fiche_date_limite", "fiche_contacts", "fiche_contacts_aucun", "fiche_ambitions", "fiche_ambitions_aucune",
    "fiche_diagnostic", "fiche_controle", "fiche_budget", "fiche_budget_montant", "fiche_sujet", "fiche_corps",
    *(f"fiche_critere_{c}" for c in _CRITERIA_RULES),
    *(f"fiche_verdict_{v}" for v in ("eligible", "non_eligible", "incomplet")),
)
_msg = keyed(MESSAGE_KEYS)

STRUCTURE_TYPES: dict[str, str] = {
    # free text (lower case, no accents), checked in this order
    "bailleur": "bailleur_social", "hlm": "bailleur_social",
    "office public de l'habitat": "bailleur_social", "oph": "bailleur_social",
    "entreprise sociale pour l'habitat": "bailleur_social",
    "esh": "bailleur_social", "logement social": "bailleur_social",
    "scop": "cooperative", "scic": "cooperative", "cooperative": "cooperative",
    "association": "association", "asso": "association", "1901": "association",
    "1908": "association", "mission locale": "association",
    "centre social": "autre_non_lucratif",
    "collectivite": "collectivite", "commune": "collectivite",
    "mairie": "collectivite", "ville de": "collectivite",
    "municipalite": "collectivite", "departement": "collectivite",
    "conseil departemental": "collectivite", "region": "collectivite",
    "conseil regional": "collectivite",
    "etablissement public": "etablissement_public", "ccas": "etablissement_public",
    "epci": "etablissement_public", "metropole": "etablissement_public",
    "college": "etablissement_public", "lycee": "etablissement_public",
    "universite": "etablissement_public", "hopital": "etablissement_public",
    "centre hospitalier": "etablissement_public", "epic": "etablissement_public",
    "france travail": "etablissement_public", "gip": "etablissement_public",
    "fondation": "autre_non_lucratif", "fonds de dotation": "autre_non_lucratif",
    "but non lucratif": "autre_non_lucratif", "non lucratif": "autre_non_lucratif",
    "mutuelle": "autre_non_lucratif",
    "entreprise": "entreprise", "societe": "entreprise", "sas": "entreprise",
    "sasu": "entreprise", "sarl": "entreprise", "eurl": "entreprise",
    "sa": "entreprise", "sci": "entreprise", "snc": "entreprise",
    "auto-entrepreneur": "entreprise", "auto entrepreneur": "entreprise",
    "autoentrepreneur": "entreprise", "micro-entreprise": "entreprise",
    "micro entreprise": "entreprise", "microentreprise": "entreprise",
    "micro-entrepreneur": "entreprise", "entrepreneur": "entreprise",
    "eirl": "entreprise", "commerce": "entreprise", "start-up": "entreprise",
    "startup": "entreprise", "freelance": "entreprise",
    # button values (exact match)
    "bailleur_social": "bailleur_social", "etablissement_public": "etablissement_public",
    "autre_non_lucratif": "autre_non_lucratif",
}
"""Free text or button value (normalised) → kind of structure (STRUCTURE_KINDS)."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower()).strip()


def classify_structure(text: str | None) -> str | None:
    """The kind of a structure named in free text or by a button value, or None.

    ``"SA"`` only counts in capitals (``sa`` is also a French possessive).
    """
    if not text or not text.strip():
        return None
    norm = _normalise(text)
    if norm in STRUCTURE_TYPES:
        return STRUCTURE_TYPES[norm]
    for key, kind in STRUCTURE_TYPES.items():
        if key == "sa" and not re.search(r"\bSA\b", text):
            continue
        if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", norm):
            return kind
    return None


# --- the rules of a campaign, as the check needs them ---------------------------------------


@dataclass(frozen=True)
class Rules:
    """What the check applies, read from one campaign (see :func:`rules_of`)."""

    annee: int | None
    codes: frozenset[str]
    eligibles: tuple[str, ...] = ()
    a_verifier: tuple[str, ...] = ()
    siret_exige_pour: tuple[str, ...] = ()
    cer_exige_pour: tuple[str, ...] = ()
    seuil_budget: float | None = None
    villes_qpv_min: int | None = None
    plateforme_nom: str = ""
    territoire: str = "MEL"

    @property
    def annee_precedente(self) -> int | None:
        return self.annee - 1 if self.annee else None

    def status_of(self, kind: str | None) -> CriterionStatus:
        if kind is None:
            return "a_verifier"
        return "ok" if kind in self.eligibles else "a_verifier" if kind in self.a_verifier else "ko"


def rules_of(campaign: Campaign) -> Rules:
    """The check's view of a :class:`knowledge.services.campaigns.Campaign`."""
    def values(code: str, name: str) -> tuple[str, ...]:
        return tuple(campaign.value(code, name, ()) or ())

    seuil = campaign.value("budget_detaille", "seuil")
    minimum = campaign.value("projets_metropolitains", "villes_qpv_min")
    return Rules(
        annee=campaign.annee, codes=frozenset(campaign.rules),
        eligibles=values("structures_eligibles", "eligibles"),
        a_verifier=values("structures_eligibles", "a_verifier"),
        siret_exige_pour=values("siret", "exige_pour"),
        cer_exige_pour=values("engagement_republicain", "exige_pour"),
        seuil_budget=float(seuil) if seuil is not None else None,
        villes_qpv_min=int(minimum) if minimum is not None else None,
        plateforme_nom=campaign.plateforme_nom, territoire=campaign.territoire)


def structure_status(text: str | None, rules: Rules) -> CriterionStatus | None:
    """ok / ko / a_verifier for a structure typed by the user; None when not recognised."""
    kind = classify_structure(text)
    return None if kind is None else rules.status_of(kind)


def euros(amount: float) -> str:
    """``12500`` → ``12 500`` (French grouping, Babel)."""
    return format_decimal(amount, format="#,##0.##", locale="fr_FR")


# --- answers, criteria, verdict -------------------------------------------------------------


@dataclass(frozen=True)
class Commitments:
    """Commitments asked by the call (True / False / None = not answered)."""

    egalite: bool | None = None
    engagement_republicain: bool | None = None
    droit_commun: bool | None = None
    partenariats: bool | None = None
    indicateurs: bool | None = None


@dataclass(frozen=True)
class EligibilityAnswers:
    """What the user answered; None means "not answered yet".

    ``siret``: the number typed, or False when the structure has none.
    ``ambitions``: ids of annexe 2 ("2.4"); an empty list means "none fits".
    ``finance_precedente``: financed by the previous campaign ("programmation N-1").
    ``metropolitain``: the user says the project meets the projet métropolitain conditions;
    ``nb_communes_qpv``: covered communes named where the public lives (derived, not asked).
    """

    structure: str | None = None
    siret: str | Literal[False] | None = None
    public_en_qpv: bool | None = None
    ambitions: Sequence[str] | None = None
    commitments: Commitments = field(default_factory=Commitments)
    finance_precedente: bool | None = None
    cpo: bool | None = None
    montant: float | None = None
    nb_communes_qpv: int | None = None
    metropolitain: bool | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    statut: CriterionStatus
    message: Message


@dataclass(frozen=True)
class Obligation:
    """Something the project holder must add to the file, given the answers."""

    id: str
    message: Message


@dataclass(frozen=True)
class Verdict:
    verdict: VerdictValue
    criteres: tuple[Criterion, ...]
    obligations: tuple[Obligation, ...] = ()
    campagne: int | None = None

    def critere(self, id_: str) -> Criterion:
        return next(c for c in self.criteres if c.id == id_)

    def to_payload(self, template: Template) -> dict[str, Any]:
        """The ``eligibilite`` payload of contracts.md (+ ``obligations``, ``campagne``, message keys)."""
        return {"type": "eligibilite", "verdict": self.verdict, "campagne": self.campagne,
                "criteres": [{"id": c.id, "statut": c.statut, "message": render(c.message, template),
                              "cle": c.message.key} for c in self.criteres],
                "obligations": [{"id": o.id, "message": render(o.message, template), "cle": o.message.key}
                                for o in self.obligations]}


def _label(kind: str) -> Message:
    return _msg(f"libelle_structure_{kind}")


def _yes_no(id_: str, value: bool | None) -> Criterion:
    if value is None:
        return Criterion(id_, "a_verifier", _msg(f"elig_{id_}_a_verifier"))
    return Criterion(id_, "ok" if value else "ko", _msg(f"elig_{id_}_{'ok' if value else 'ko'}"))


def _structure(kind: str | None, rules: Rules) -> Criterion:
    liste = [_label(k) for k in rules.eligibles]
    if kind is None:
        return Criterion("structure", "a_verifier", _msg("elig_structure_manquante", liste=liste))
    statut = rules.status_of(kind)
    if statut == "ok":
        key = "elig_structure_association" if kind in rules.siret_exige_pour else "elig_structure_eligible"
        return Criterion("structure", "ok", _msg(key, libelle=_label(kind)))
    if statut == "a_verifier":
        return Criterion("structure", "a_verifier", _msg("elig_structure_a_verifier", libelle=_label(kind)))
    key = "elig_structure_entreprise" if kind == "entreprise" else "elig_structure_non_retenue"
    return Criterion("structure", "ko", _msg(key, libelle=_label(kind), liste=liste))


def _siret(value: str | Literal[False] | None, kind: str | None, rules: Rules) -> Criterion:
    required = kind is None or kind in rules.siret_exige_pour
    exige = [_label(k) for k in rules.siret_exige_pour]
    if value is False or (isinstance(value, str) and not value.strip()):
        if required:
            return Criterion("siret", "ko", _msg("elig_siret_absent_exige", exige_pour=exige, aide=AIDE_SANS_SIRET))
        return Criterion("siret", "ok", _msg("elig_siret_absent_non_exige", exige_pour=exige))
    if value is None:
        if required:
            return Criterion("siret", "a_verifier", _msg("elig_siret_a_indiquer"))
        return Criterion("siret", "ok", _msg("elig_siret_non_renseigne", exige_pour=exige))
    check = check_siret(value)
    return Criterion("siret", "ok" if check.ok else "a_verifier", check.message)


def _ambitions(ids: Sequence[str] | None) -> Criterion:
    if ids is None:
        return Criterion("ambitions", "a_verifier", _msg("elig_ambitions_a_preciser", nombre=len(AMBITION_IDS)))
    known = [i for i in ids if i in AMBITION_IDS]
    if known:
        return Criterion("ambitions", "ok", _msg("elig_ambitions_ok", ids=", ".join(known)))
    if ids:
        return Criterion("ambitions", "a_verifier", _msg("elig_ambitions_inconnues", ids=", ".join(ids),
                                                         nombre=len(AMBITION_IDS)))
    return Criterion("ambitions", "ko", _msg("elig_ambitions_aucune"))


def _values(rules: Rules) -> dict[str, Any]:
    return {"annee": rules.annee, "annee_precedente": rules.annee_precedente,
            "seuil_budget": euros(rules.seuil_budget) if rules.seuil_budget is not None else "",
            "villes_qpv_min": rules.villes_qpv_min, "plateforme_nom": rules.plateforme_nom}


def _obligations(a: EligibilityAnswers, rules: Rules) -> tuple[Obligation, ...]:
    values = _values(rules)
    out: list[Obligation] = []
    if a.finance_precedente and "bilan" in rules.codes:
        out.append(Obligation("bilan", _msg("elig_obligation_bilan", **values)))
    if a.cpo and "cpo_redepot" in rules.codes:
        out.append(Obligation("cpo", _msg("elig_obligation_cpo", **values)))
    if a.montant is not None and rules.seuil_budget is not None and a.montant > rules.seuil_budget:
        out.append(Obligation("budget_detaille", _msg("elig_obligation_budget_detaille", **values)))
    several = rules.villes_qpv_min is not None and (a.nb_communes_qpv or 0) >= rules.villes_qpv_min
    if "projets_metropolitains" in rules.codes and (a.metropolitain or several):
        out.append(Obligation("projet_metropolitain", _msg("elig_obligation_projet_metropolitain", **values)))
    return tuple(out)


def evaluate(answers: EligibilityAnswers, rules: Rules) -> Verdict:
    """Check each criterion the campaign states, and derive the verdict and the obligations."""
    kind = classify_structure(answers.structure)
    c = answers.commitments
    built: dict[str, Callable[[], Criterion]] = {
        "structure": lambda: _structure(kind, rules),
        "siret": lambda: _siret(answers.siret, kind, rules),
        "public_qpv": lambda: _yes_no("public_qpv", answers.public_en_qpv),
        "ambitions": lambda: _ambitions(answers.ambitions),
        "egalite": lambda: _yes_no("egalite", c.egalite),
        "engagement_republicain": lambda: (
            _yes_no("engagement_republicain", c.engagement_republicain)
            if kind is None or kind in rules.cer_exige_pour else
            Criterion("engagement_republicain", "ok", _msg("elig_engagement_republicain_non_concerne"))),
        "droit_commun": lambda: _yes_no("droit_commun", c.droit_commun),
        "partenariats": lambda: _yes_no("partenariats", c.partenariats),
        "indicateurs": lambda: _yes_no("indicateurs", c.indicateurs),
    }
    criteres = [make() for id_, make in built.items() if _CRITERIA_RULES[id_] in rules.codes]
    statuts = {cr.statut for cr in criteres}
    verdict: VerdictValue = ("non_eligible" if "ko" in statuts else
                             "incomplet" if "a_verifier" in statuts else "eligible")
    return Verdict(verdict, tuple(criteres), _obligations(answers, rules), rules.annee)


# --- fiche de pré-dépôt ---------------------------------------------------------------------


@dataclass(frozen=True)
class Fiche:
    """Copyable summary and a ``mailto:`` link to the local contacts."""

    sujet: str
    texte: str
    mailto: str


def mailto_url(emails: Sequence[str], subject: str, body: str) -> str:
    """RFC 6068 URL: comma-separated addresses, percent-encoded fields,
    line breaks in the body as ``%0D%0A``."""
    seen: list[str] = []
    for e in emails:
        e = e.strip()
        if "@" in e and e.lower() not in (s.lower() for s in seen):
            seen.append(e)
    to = ",".join(quote(e, safe="@") for e in seen)
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{to}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


_MARK = {True: "[x]", False: "[ ]", None: "[?]"}
Line = str | Message | tuple[str, Message]
"""A line of the fiche: data as is, a message, or a prefix ("[ ] ") and a message."""


def _line(line: Line, template: Template) -> str:
    if isinstance(line, str):
        return line
    if isinstance(line, tuple):
        return line[0] + render(line[1], template)
    return render(line, template)


@dataclass(frozen=True)
class FicheData:
    """The fiche as lines (data or message keys), its subject and its recipients ((nom, email) pairs)."""

    lignes: tuple[Line, ...]
    sujet: tuple[Line, ...]
    destinataires: tuple[tuple[str, str], ...]

    def render(self, template: Template) -> Fiche:
        texte = "\n".join(_line(line, template) for line in self.lignes)
        sujet = " – ".join(_line(part, template) for part in self.sujet)
        body = render(_msg("fiche_corps", texte=texte), template)
        return Fiche(sujet, texte, mailto_url([e for _, e in self.destinataires], sujet, body))


def fiche_predepot(
    answers: EligibilityAnswers,
    verdict: Verdict,
    rules: Rules,
    *,
    porteur: str | None = None,
    lieu: str | None = None,
    contacts: Sequence[tuple[str, str]] = (),
    ambitions: dict[str, str] | None = None,
    date_limite: date | None = None,
) -> FicheData:
    """The pre-submission sheet sent to ``contacts``; ``ambitions``: labels by id."""
    kind = classify_structure(answers.structure)
    statut = {cr.id: {"ok": True, "ko": False}.get(cr.statut) for cr in verdict.criteres}
    labels = ambitions or {}
    if porteur and kind:
        who = _msg("fiche_porteur", porteur=porteur, libelle=_label(kind))
    elif porteur or kind:
        who = _msg("fiche_porteur_nom", porteur=porteur or _label(kind or ""))
    else:
        who = _msg("fiche_porteur_inconnu")
    lines: list[Line] = [_msg("fiche_titre", annee=rules.annee), "", who,
                         _msg("fiche_lieu", lieu=lieu) if lieu else _msg("fiche_lieu_inconnu")]
    if isinstance(answers.siret, str) and answers.siret.strip():
        lines.append(_msg("fiche_siret", siret=answers.siret.strip()))
    if date_limite:
        lines.append(_msg("fiche_date_limite", date_limite=format_date_fr(date_limite),
                          plateforme_nom=rules.plateforme_nom))
    lines += ["", _msg("fiche_contacts")]
    lines += [f"- {nom} <{email}>" for nom, email in contacts] or [_msg("fiche_contacts_aucun")]
    lines += ["", _msg("fiche_ambitions")]
    lines += [f"- {i} {labels.get(i, '')}".rstrip() for i in answers.ambitions or []] \
        or [_msg("fiche_ambitions_aucune")]
    lines += ["", _msg("fiche_diagnostic", verdict=_msg(f"fiche_verdict_{verdict.verdict}")), "",
              _msg("fiche_controle")]
    lines += [(f"{_MARK[statut[cr.id]]} ", _msg(f"fiche_critere_{cr.id}")) for cr in verdict.criteres]
    lines.append(("[ ] ", _msg("fiche_budget_montant", montant=euros(answers.montant))
                  if answers.montant is not None else _msg("fiche_budget")))
    lines += [("[ ] ", o.message) for o in verdict.obligations]
    sujet: list[Line] = [_msg("fiche_sujet", annee=rules.annee), porteur or _msg("fiche_sujet_projet")]
    if lieu:
        sujet.append(lieu)
    return FicheData(tuple(lines), tuple(sujet), tuple(contacts))


# --- the whole check, from the form's answers ------------------------------------------------


@dataclass(frozen=True)
class FormAnswers:
    """The form's answers as given: yes/no questions hold "oui", "non" or "inconnu";
    ``siret`` the number, "aucun", or "invalide:<what was typed>"; ``montant`` digits or "inconnu"."""

    structure: str | None = None
    siret: str | None = None
    lieu: str | None = None
    description: str | None = None
    egalite: str | None = None
    engagement_republicain: str | None = None
    droit_commun: str | None = None
    partenariats: str | None = None
    indicateurs: str | None = None
    finance_precedente: str | None = None
    cpo: str | None = None
    montant: str | None = None
    metropolitain: str | None = None


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    rules: Rules
    structure_refusee: bool
    """The structure cannot file: the check stops there (no obligations, no fiche)."""
    fiche: FicheData | None
    destinataires: tuple[tuple[str, str], ...] = ()


def _bool(value: str | None) -> bool | None:
    return {"oui": True, "non": False}.get(value or "")


def _siret_answer(value: str | None) -> str | Literal[False] | None:
    if value == "aucun":
        return False
    return value.removeprefix("invalide:") if isinstance(value, str) else None


def _communes_named(lieu: str, url: str | None) -> int:
    """Covered communes named where the public lives ("Roubaix et Tourcoing" → 2)."""
    communes: set[str] = set()
    for part in re.split(r"\s*(?:,|;|/|\bet\b|\bou\b|&|\+)\s*", lieu):
        place = resolve_place(part, url) if part.strip() else None
        if place is None or not place.found or place.territoire is None or not place.territoire.couvert:
            continue
        if place.commune is not None:
            communes.add(place.commune.insee_cog)
        elif place.qpv is not None:
            communes.update(place.qpv.communes)
    return len(communes)


def check(form: FormAnswers, today: date, *, campagne: int | None = None, url: str | None = None) -> CheckResult | None:
    """The pre-submission check of the latest campaign of the place's territory (or ``campagne``):
    verdict, obligations, fiche de pré-dépôt and its recipients (the city's contacts and the
    délégués du préfet for the place). None when the référentiel has no such campaign."""
    try:
        return _check(form, today, campagne, url)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour la vérification")
        return None


def _check(form: FormAnswers, today: date, campagne: int | None, url: str | None) -> CheckResult | None:
    place = resolve_place(form.lieu, url) if form.lieu else None
    territoire = place.territoire.id if place is not None and place.found and place.territoire else DEFAULT_TERRITORY
    current = campaign(territoire, campagne, url) or campaign(DEFAULT_TERRITORY, campagne, url)
    if current is None:
        return None
    rules = rules_of(current)
    public = None
    if place is not None:
        covered = place.found and place.territoire is not None and place.territoire.couvert
        public = True if covered else False if place.kind == "hors_territoire" else None
    match = match_ambitions(form.description) if form.description else None
    ambitions = None if match is None else [] if match.aucune else [item.id for item in match.items[:3]]
    montant = float(form.montant) if form.montant and form.montant.isdigit() else None
    answers = EligibilityAnswers(
        structure=form.structure, siret=_siret_answer(form.siret), public_en_qpv=public, ambitions=ambitions,
        commitments=Commitments(_bool(form.egalite), _bool(form.engagement_republicain), _bool(form.droit_commun),
                                _bool(form.partenariats), _bool(form.indicateurs)),
        finance_precedente=_bool(form.finance_precedente), cpo=_bool(form.cpo), montant=montant,
        nb_communes_qpv=_communes_named(form.lieu, url) if form.lieu else None,
        metropolitain=_bool(form.metropolitain))
    verdict = evaluate(answers, rules)
    if place is not None and place.found and territoire != current.territoire and place.territoire is not None:
        # Hazebrouck: its contract publishes no call of its own here, so the MEL's rules only give an idea.
        other = Criterion("territoire", "a_verifier", _msg("elig_territoire_autre_contrat", lieu=place.label,
                                                             contrat=place.territoire.nom))
        value: VerdictValue = "non_eligible" if verdict.verdict == "non_eligible" else "incomplet"
        verdict = Verdict(value, (other, *verdict.criteres), verdict.obligations, verdict.campagne)
    if structure_status(form.structure, rules) == "ko":
        return CheckResult(Verdict(verdict.verdict, verdict.criteres, (), rules.annee), rules, True, None)
    contacts: list[tuple[str, str]] = []
    if place is not None and place.found:
        contacts = [(c.nom, c.email) for c in contacts_for(place, url=url).contacts
                    if c.role in ("ville", "delegue_prefet") and c.email and c.statut == "en_poste"]
    cal = calendar_for(campaigns(current.territoire, url), today, current.territoire)
    deadline = cal.date_limite if cal.statut == "ouvert" and cal.campagne == rules.annee else None
    labels = {item.id: item.libelle for item in match.items} if match else {}
    fiche = fiche_predepot(answers, verdict, rules, lieu=place.label if place is not None and place.found else None,
                           contacts=contacts, ambitions=labels, date_limite=deadline)
    return CheckResult(verdict, rules, False, fiche, tuple(contacts))


def assess_structure(text: str | None, campagne: int | None = None, url: str | None = None) -> Criterion | None:
    """The structure criterion for what the user typed (None: not recognised), for the latest MEL
    campaign or ``campagne``: the form stops at once for a structure the call does not accept."""
    if classify_structure(text) is None:
        return None
    try:
        current = campaign(DEFAULT_TERRITORY, campagne, url)
    except SQLAlchemyError:
        log.exception("référentiel indisponible pour le statut de la structure")
        current = None
    if current is None:
        return None
    return _structure(classify_structure(text), rules_of(current))


# --- reading the form's answers --------------------------------------------------------------

_DONT_KNOW = re.compile(r"\b(je\s+(ne\s+)?sais\s+pas|jsp|aucune\s+id[ée]e|pas\s+encore|ne\s+sais\s+pas)\b", re.I)
_NO_SIRET = re.compile(r"\b(pas\s+(de|d')\s*(num[ée]ro\s+)?siret|sans\s+siret|aucun\s+siret|"
                       r"n'?\s*avons\s+pas|n'?\s*ai\s+pas|pas\s+encore)\b", re.I)
_YES = re.compile(r"^\s*(oui|ouais|yes|oui\s+oui|bien\s+s[uû]r|tout\s+[àa]\s+fait|c'est\s+fait|exact)\b", re.I)
_NO = re.compile(r"^\s*(non|nan|no|pas\s+du\s+tout|pas\s+encore|aucun)\b", re.I)
_AMOUNT = re.compile(r"(\d[\d\s.\u202f\u00a0]*(?:,\d+)?)\s*(k|k€|mille)?", re.I)
UNKNOWN = "inconnu"


def read_yes_no(text: str, intent_says: bool | None = None) -> str | None:
    """ "oui" / "non" / "inconnu" for an answer to a yes/no question, or None when it is no answer.
    ``intent_says``: what the NLU understood (affirm / deny), if anything."""
    if intent_says is True or _YES.match(text):
        return "oui"
    if intent_says is False or _NO.match(text):
        return "non"
    return UNKNOWN if _DONT_KNOW.search(text) else None


def says_no_siret(text: str) -> bool:
    return bool(_NO_SIRET.search(text))


def dont_know(text: str) -> bool:
    return bool(_DONT_KNOW.search(text))


def parse_amount(text: str) -> float | None:
    """ An amount as typed ("12 mille", "20k", "18.000", digits with spaces) → a number; None without a figure."""
    match = _AMOUNT.search(text)
    if not match:
        return None
    digits = re.sub(r"[\s.\u202f\u00a0]", "", match.group(1)).replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    return value * 1000 if match.group(2) else value


Question = Literal["structure", "siret", "lieu", "description", "montant", "oui_non"]


def read_answer(question: Question, text: str, *, said: bool | None = None, lieu: str | None = None,
                is_question: bool = False, url: str | None = None) -> str | None:
    """The value of an answer to one question of the form, or None when the message is no answer.

    ``said``: yes / no as the NLU understood it; ``lieu``: the place the NLU found in the message;
    ``is_question``: the NLU took the message for a question (not a project description).
    """
    if question == "structure":
        return text if classify_structure(text) else None
    if question == "siret":
        if says_no_siret(text) or said is False:
            return "aucun"
        return text if len(re.sub(r"\D", "", text)) >= 9 else None
    if question == "lieu":
        place = resolve_place(lieu, url) if lieu else find_place(text, url)
        if place.kind == "inconnu" and not lieu:
            place = resolve_place(text, url)
        return None if place.kind in ("inconnu", "ambigu") else (lieu or text)
    if question == "description":
        return text if not is_question and len(text.split()) >= 3 else None
    if question == "montant":
        amount = parse_amount(text)
        return UNKNOWN if dont_know(text) else str(int(amount)) if amount is not None else None
    return read_yes_no(text, said)


@dataclass(frozen=True)
class Validation:
    """What to keep of an answer (``valeur``; None: ask again), the tries so far, and what to say."""

    valeur: str | None
    essais: int = 0
    message: Message | None = None


def validate_structure(value: str | None, url: str | None = None) -> Validation:
    criterion = assess_structure(value, url=url)
    if criterion is None:
        return Validation(None, message=_msg("elig_structure_inconnue"))
    if criterion.statut == "ko":
        return Validation(value, message=_msg("elig_structure_refusee", message=criterion.message))
    return Validation(value)


def validate_siret(value: str, tries: int) -> Validation:
    """A SIRET typed in the form: kept when valid; after two wrong ones, noted "à vérifier"."""
    if value == "aucun":
        return Validation("aucun", tries, AIDE_SANS_SIRET)
    result = check_siret(value)
    if result.ok:
        return Validation(result.siret or value, 0)
    if tries + 1 >= 2:
        return Validation(f"invalide:{value}", tries + 1, _msg("elig_siret_abandon"))
    return Validation(None, tries + 1, _msg("elig_siret_invalide", message=result.message))
