"""Eligibility pre-check for the MEL 2026 call ("programmation 2026").

Rules of ``002_d8b0c87053850c6b.txt``: *Structures éligibles*, *Publics
cibles*, *Qualité du projet* (ambitions, droit commun, partenariats), *Egalité
femme/homme*, *Citoyenneté et valeurs de la République*, *Bilan / Évaluation*,
the CPO reminder, the *projets métropolitains* definition (annexe 1) and the
budget rule of annexe 3 (line-by-line budget above 15 000 €).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import quote

from knowledge.services.calendar import format_date_fr
from knowledge.services.siret import AIDE_SANS_SIRET, check_siret

CriterionStatus = Literal["ok", "ko", "a_verifier"]
VerdictValue = Literal["eligible", "non_eligible", "incomplet"]

SEUIL_BUDGET_DETAILLE = 15_000.0
"""Above this amount asked (€), annexe 3 asks for a line-by-line budget."""

AMBITION_IDS: frozenset[str] = frozenset(
    f"{enjeu}.{rang}"
    for enjeu, count in {1: 5, 2: 6, 3: 3, 4: 5, 5: 6, 6: 6}.items()
    for rang in range(1, count + 1))
"""The 31 ambitions of annexe 2 (contracts.md, section 3)."""


@dataclass(frozen=True)
class StructureType:
    """A category of project holder and whether the call accepts it."""

    id: str
    libelle: str
    eligible: bool | None  # None: to be checked with the city's contact
    message: str


_NON_LUCRATIF = "l'appel est ouvert aux organismes à but non lucratif"
_CATEGORIES = {
    "association": StructureType(
        "association", "Association loi 1901", True,
        "Association loi 1901 : structure éligible si elle est régulièrement "
        "déclarée et possède un numéro SIRET."),
    "bailleur_social": StructureType(
        "bailleur_social", "Bailleur social", True,
        "Bailleur social : structure éligible."),
    "etablissement_public": StructureType(
        "etablissement_public", "Établissement public", True,
        "Établissement public : structure éligible."),
    "collectivite": StructureType(
        "collectivite", "Collectivité territoriale", True,
        "Collectivité territoriale : structure éligible."),
    "autre_non_lucratif": StructureType(
        "autre_non_lucratif", "Autre organisme à but non lucratif", True,
        "Organisme à but non lucratif : structure éligible."),
    "cooperative": StructureType(
        "cooperative", "Coopérative (SCOP, SCIC)", None,
        "Une coopérative (SCOP, SCIC) est une société : l'appel vise les "
        "organismes à but non lucratif. Vérifiez votre cas avec le chef de "
        "projet politique de la ville de votre commune avant de déposer."),
    "entreprise": StructureType(
        "entreprise", "Entreprise", False,
        f"Merci pour votre intérêt ! Une entreprise ne peut pas déposer : "
        f"{_NON_LUCRATIF} (associations, bailleurs sociaux, établissements "
        "publics, collectivités). Vous pouvez en revanche être partenaire "
        "d'un projet porté par l'une de ces structures."),
}

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
"""Free text or button value (normalised) → category id of ``_CATEGORIES``."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower()).strip()


def classify_structure(text: str | None) -> StructureType | None:
    """The category of a structure named in free text or by a button value.

    ``"SA"`` only counts in capitals (``sa`` is also a French possessive);
    returns None when nothing is recognised.
    """
    if not text or not text.strip():
        return None
    norm = _normalise(text)
    if norm in STRUCTURE_TYPES:
        return _CATEGORIES[STRUCTURE_TYPES[norm]]
    for key, category in STRUCTURE_TYPES.items():
        if key == "sa" and not re.search(r"\bSA\b", text):
            continue
        if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", norm):
            return _CATEGORIES[category]
    return None


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
    """

    structure: str | None = None
    siret: str | Literal[False] | None = None
    public_en_qpv: bool | None = None
    ambitions: Sequence[str] | None = None
    commitments: Commitments = field(default_factory=Commitments)
    finance_2025: bool | None = None
    cpo: bool | None = None
    montant: float | None = None
    nb_communes_qpv: int | None = None
    experimental: bool | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    statut: CriterionStatus
    message: str

    def to_payload(self) -> dict[str, str]:
        return {"id": self.id, "statut": self.statut, "message": self.message}


@dataclass(frozen=True)
class Obligation:
    """Something the project holder must add to the file, given the answers."""

    id: str
    message: str


@dataclass(frozen=True)
class Verdict:
    verdict: VerdictValue
    criteres: tuple[Criterion, ...]
    obligations: tuple[Obligation, ...] = ()

    def critere(self, id_: str) -> Criterion:
        return next(c for c in self.criteres if c.id == id_)

    def to_payload(self) -> dict[str, Any]:
        """The ``eligibilite`` payload of contracts.md (+ ``obligations``)."""
        return {"type": "eligibilite", "verdict": self.verdict,
                "criteres": [c.to_payload() for c in self.criteres],
                "obligations": [{"id": o.id, "message": o.message}
                                for o in self.obligations]}


def _yes_no(id_: str, value: bool | None, ok: str, ko: str, ask: str) -> Criterion:
    if value is None:
        return Criterion(id_, "a_verifier", ask)
    return Criterion(id_, "ok", ok) if value else Criterion(id_, "ko", ko)


def _structure(kind: StructureType | None) -> Criterion:
    if kind is None:
        return Criterion("structure", "a_verifier",
                         "Précisez le statut de votre structure : association loi "
                         "1901, bailleur social, établissement public, collectivité "
                         "territoriale ou autre organisme à but non lucratif.")
    statuts: dict[bool | None, CriterionStatus] = {True: "ok", False: "ko", None: "a_verifier"}
    return Criterion("structure", statuts[kind.eligible], kind.message)


def _siret(value: str | Literal[False] | None, kind: StructureType | None) -> Criterion:
    required = kind is None or kind.id == "association"
    if value is False or (isinstance(value, str) and not value.strip()):
        if required:
            return Criterion("siret", "ko",
                             "Une association doit posséder un numéro SIRET pour "
                             "déposer. " + AIDE_SANS_SIRET)
        return Criterion("siret", "ok", "Pas de SIRET indiqué : il n'est exigé "
                         "explicitement par l'appel que pour les associations.")
    if value is None:
        if required:
            return Criterion("siret", "a_verifier",
                             "Indiquez le numéro SIRET de votre structure "
                             "(14 chiffres).")
        return Criterion("siret", "ok", "SIRET non renseigné : l'appel ne l'exige "
                         "explicitement que pour les associations.")
    check = check_siret(value)
    return Criterion("siret", "ok" if check.ok else "a_verifier", check.message)


def _ambitions(ids: Sequence[str] | None) -> Criterion:
    ask = ("Le projet doit répondre à au moins une des 31 ambitions du contrat "
           "(annexe 2) : décrivez votre projet pour trouver la ou les ambitions "
           "correspondantes.")
    if ids is None:
        return Criterion("ambitions", "a_verifier", ask)
    known = [i for i in ids if i in AMBITION_IDS]
    if known:
        return Criterion("ambitions", "ok",
                         "Ambition(s) du contrat visée(s) : " + ", ".join(known) + ".")
    if ids:
        return Criterion("ambitions", "a_verifier",
                         "Ambition(s) non reconnue(s) : " + ", ".join(ids) + ". " + ask)
    return Criterion("ambitions", "ko",
                     "Aucune ambition du contrat n'est visée : le projet doit "
                     "répondre à au moins une des ambitions de l'annexe 2. "
                     "Recentrez-le sur l'une d'elles, avec le chef de projet de "
                     "votre ville.")


def _obligations(a: EligibilityAnswers, campagne: int) -> tuple[Obligation, ...]:
    prev = campagne - 1
    out: list[Obligation] = []
    if a.finance_2025:
        out.append(Obligation(
            "bilan", f"Projet soutenu en {prev} : complétez le bilan intermédiaire "
            f"{prev} (annexe 3 de l'appel {campagne}) et joignez-le au dossier."))
    if a.cpo:
        out.append(Obligation(
            "cpo", f"Projet en CPO : redéposez-le sur Démarches Simplifiées pour "
            f"{campagne}, avec les éléments de bilan {prev} et les budgets "
            "prévisionnels."))
    if a.montant is not None and a.montant > SEUIL_BUDGET_DETAILLE:
        out.append(Obligation(
            "budget_detaille", "Montant demandé supérieur à 15 000 € : le budget "
            "doit être décrit poste par poste (dépenses et recettes)."))
    if (a.nb_communes_qpv or 0) >= 2 or a.experimental:
        out.append(Obligation(
            "projet_metropolitain", "Projet métropolitain (au moins 2 villes en QPV "
            "ou caractère expérimental avéré, destiné à essaimer) : un "
            "co-financement MEL peut être demandé ; contactez le référent "
            "thématique de la MEL concerné."))
    return tuple(out)


def evaluate(answers: EligibilityAnswers, campagne: int = 2026) -> Verdict:
    """Check each criterion of the call and derive the verdict."""
    kind = classify_structure(answers.structure)
    c = answers.commitments
    needs_cer = kind is None or kind.id in {"association", "autre_non_lucratif"}
    criteres = [
        _structure(kind),
        _siret(answers.siret, kind),
        _yes_no("public_qpv", answers.public_en_qpv,
                "Le projet cible les habitants des quartiers prioritaires (QPV).",
                "Le projet doit cibler les habitants résidant en quartier "
                "prioritaire (QPV) : recentrez le public ou vérifiez les adresses "
                "sur SIG Ville.",
                "Le public habite-t-il en quartier prioritaire (QPV) ? "
                "Vérifiez les adresses sur SIG Ville."),
        _ambitions(answers.ambitions),
        _yes_no("egalite", c.egalite,
                "Les objectifs d'égalité femmes-hommes sont affichés.",
                "Affichez clairement des objectifs d'égalité femmes-hommes et "
                "argumentez les moyens retenus (outils du centre de ressources IREV).",
                "Le dossier doit afficher des objectifs d'égalité femmes-hommes, "
                "avec les moyens retenus : est-ce prévu ?"),
        (_yes_no("engagement_republicain", c.engagement_republicain,
                 "Contrat d'engagement républicain souscrit.",
                 "Toute association ou fondation subventionnée doit souscrire "
                 "le contrat d'engagement républicain : souscrivez-le avant de "
                 "déposer.",
                 "Votre structure souscrit-elle le contrat d'engagement "
                 "républicain (obligatoire pour les associations et fondations) ?")
         if needs_cer else
         Criterion("engagement_republicain", "ok",
                   "Contrat d'engagement républicain : exigé des associations et "
                   "fondations, votre structure n'est pas concernée.")),
        _yes_no("droit_commun", c.droit_commun,
                "Le droit commun a été mobilisé au préalable.",
                "Mobilisez d'abord les financements et dispositifs de droit commun, "
                "puis indiquez-le dans le dossier.",
                "Avez-vous mobilisé au préalable le droit commun ?"),
        _yes_no("partenariats", c.partenariats,
                "Les partenariats avec les acteurs compétents sont décrits.",
                "Décrivez les partenariats avec les structures et acteurs "
                "compétents (le chef de projet de votre ville peut vous orienter).",
                "Avez-vous des partenaires pour cette action ?"),
        _yes_no("indicateurs", c.indicateurs,
                "Les modalités de suivi et les indicateurs sont prévus.",
                "Indiquez les modalités de suivi et d'évaluation, avec des "
                "indicateurs chiffrés.",
                "Avez-vous prévu des indicateurs de suivi et d'évaluation ?"),
    ]
    statuts = {cr.statut for cr in criteres}
    verdict: VerdictValue = ("non_eligible" if "ko" in statuts else
                             "incomplet" if "a_verifier" in statuts else "eligible")
    return Verdict(verdict, tuple(criteres), _obligations(answers, campagne))


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
_VERDICT_FR = {"eligible": "éligible", "non_eligible": "non éligible en l'état",
               "incomplet": "à compléter"}


def fiche_predepot(
    answers: EligibilityAnswers,
    *,
    porteur: str | None = None,
    lieu: str | None = None,
    contacts: Sequence[tuple[str, str]] = (),
    ambitions: Mapping[str, str] | None = None,
    date_limite: date | None = None,
    campagne: int = 2026,
    verdict: Verdict | None = None,
) -> Fiche:
    """A French pre-submission sheet and a ``mailto:`` to ``contacts``.

    ``contacts``: (nom, email) pairs; ``ambitions``: optional labels by id.
    """
    verdict = verdict or evaluate(answers, campagne)
    kind = classify_structure(answers.structure)
    c = answers.commitments
    ok = {cr.id: cr.statut == "ok" if cr.statut != "a_verifier" else None
          for cr in verdict.criteres}
    labels = ambitions or {}
    lines = [f"Pré-dépôt – Contrat de ville et des solidarités, programmation {campagne}",
             "",
             f"Porteur : {porteur or 'non précisé'}"
             + (f" ({kind.libelle})" if kind else ""),
             f"Lieu de l'action : {lieu or 'non précisé'}"]
    if isinstance(answers.siret, str) and answers.siret.strip():
        lines.append(f"SIRET : {answers.siret.strip()}")
    if date_limite:
        lines.append(f"Date limite de dépôt : {format_date_fr(date_limite)}, "
                     "sur Démarches Simplifiées")
    lines += ["", "Contacts :"]
    lines += [f"- {nom} <{email}>" for nom, email in contacts] or ["- à identifier"]
    lines += ["", "Ambitions visées (annexe 2) :"]
    lines += [f"- {i} {labels.get(i, '')}".rstrip() for i in answers.ambitions or []] \
        or ["- à préciser"]
    montant = (f" ({answers.montant:,.0f} € demandés)".replace(",", " ")
               if answers.montant is not None else "")
    lines += ["", f"Diagnostic : {_VERDICT_FR[verdict.verdict]}", "",
              "Liste de contrôle :",
              f"{_MARK[ok['structure']]} Structure éligible",
              f"{_MARK[ok['siret']]} Numéro SIRET",
              f"{_MARK[answers.public_en_qpv]} Public : habitants des QPV",
              f"{_MARK[ok['ambitions']]} Au moins une ambition du contrat",
              f"{_MARK[c.egalite]} Objectifs d'égalité femmes-hommes argumentés",
              f"{_MARK[ok['engagement_republicain']]} Contrat d'engagement républicain",
              f"{_MARK[c.droit_commun]} Droit commun mobilisé au préalable",
              f"{_MARK[c.partenariats]} Partenariats décrits",
              f"{_MARK[c.indicateurs]} Modalités de suivi et indicateurs",
              f"[ ] Budget prévisionnel détaillé{montant}"]
    lines += [f"[ ] {o.message}" for o in verdict.obligations]
    texte = "\n".join(lines)
    sujet = (f"Pré-dépôt CVS {campagne} – {porteur or 'projet'}"
             + (f" – {lieu}" if lieu else ""))
    body = "Bonjour,\n\nVoici la fiche de pré-dépôt de notre projet.\n\n" + texte \
        + "\n\nCordialement,"
    return Fiche(sujet, texte, mailto_url([e for _, e in contacts], sujet, body))
