"""SIRET check for the pre-submission assistant.

A SIRET is 14 digits: the SIREN (9 digits, the legal entity) followed by the
NIC (5 digits, the establishment). Its last digit is a Luhn check key, verified
here with python-stdnum (which also knows La Poste's special rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siret as stdnum_siret

SiretStatus = Literal["ok", "mauvais_format", "cle_invalide"]

_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]+")

AIDE_SANS_SIRET = (
    "Pour demander une subvention publique, une association doit être inscrite "
    "au répertoire Sirene de l'Insee : elle reçoit alors un numéro SIREN "
    "(9 chiffres) et un SIRET (14 chiffres) par établissement. L'inscription "
    "est gratuite et se demande en ligne auprès de l'Insee (formulaire M0 Asso, "
    "cerfa n° 15909, avec la copie de l'extrait paru au JOAFE et des statuts). "
    "Le numéro RNA (W suivi de 9 chiffres), reçu lors de la déclaration au "
    "greffe des associations, n'est pas un SIRET. Si votre association emploie "
    "des salariés ou paie la TVA, la démarche est différente : voir la fiche "
    "« Comment obtenir ou retrouver le numéro Siret d'une association ? » sur "
    "service-public.fr. Numéro perdu : cherchez le nom de l'association sur "
    "annuaire-entreprises.data.gouv.fr ou téléchargez son avis de situation "
    "Sirene sur le site de l'Insee."
)
"""Short factual help for an association that has no SIRET yet."""


@dataclass(frozen=True)
class SiretCheck:
    """Result of :func:`check_siret`."""

    statut: SiretStatus
    saisie: str
    """What the user typed, stripped."""
    siret: str | None
    """The 14 digits without separators, when there are exactly 14 digits."""
    message: str

    @property
    def ok(self) -> bool:
        return self.statut == "ok"

    @property
    def siren(self) -> str | None:
        return self.siret[:9] if self.siret else None


def normalise_siret(text: str) -> str:
    """Remove spaces (incl. non-breaking), dots and hyphens."""
    return _SEPARATORS.sub("", text or "")


def format_siret(digits: str) -> str:
    """``73282932000074`` → ``732 829 320 00074`` (SIREN by 3, then the NIC)."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"


def check_siret(text: str) -> SiretCheck:
    """Check a SIRET typed by a user and say, in French, how to fix it."""
    saisie = (text or "").strip()
    compact = normalise_siret(saisie)
    if not compact:
        return SiretCheck("mauvais_format", saisie, None,
                          "Je n'ai pas trouvé de numéro : un SIRET compte "
                          "14 chiffres (ex. 732 829 320 00074).")
    if not compact.isdigit():
        return SiretCheck("mauvais_format", saisie, None,
                          "Un SIRET ne contient que des chiffres (14 au total). "
                          "Retirez les lettres et autres caractères, puis "
                          "saisissez-le à nouveau.")
    if len(compact) == 9:
        return SiretCheck("mauvais_format", saisie, None,
                          "Ce numéro a 9 chiffres : c'est sans doute le SIREN. "
                          "Ajoutez les 5 chiffres du NIC de l'établissement "
                          "pour obtenir le SIRET (14 chiffres).")
    if len(compact) != 14:
        return SiretCheck("mauvais_format", saisie, None,
                          f"Ce numéro a {len(compact)} chiffres alors qu'un SIRET "
                          "en compte 14 (9 du SIREN + 5 du NIC). Vérifiez qu'il "
                          "ne manque pas ou qu'il n'y a pas en trop un chiffre.")
    try:
        stdnum_siret.validate(compact)
    except InvalidChecksum:
        return SiretCheck("cle_invalide", saisie, compact,
                          f"Le numéro {format_siret(compact)} a bien 14 chiffres "
                          "mais sa clé de contrôle est fausse : un chiffre est "
                          "probablement erroné ou inversé. Recopiez-le depuis un "
                          "document officiel (avis de situation Sirene, "
                          "annuaire-entreprises.data.gouv.fr).")
    except ValidationError:  # pragma: no cover - length/digits already checked
        return SiretCheck("mauvais_format", saisie, None,
                          "Ce numéro n'a pas la forme d'un SIRET (14 chiffres).")
    return SiretCheck("ok", saisie, compact,
                      f"SIRET {format_siret(compact)} : format et clé de "
                      "contrôle valides.")
