"""SIRET and SIREN checks, in the form and anywhere in a message.

A SIRET is 14 digits: the SIREN (9 digits, the legal entity) followed by the
NIC (5 digits, the establishment). Both end with a Luhn check key, verified
here with python-stdnum (which also knows La Poste's special rule). The
answers are message keys with values; the French is in ``bot/domain/siret.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from knowledge.services.messages import Message, keyed

SiretStatus = Literal["ok", "mauvais_format", "cle_invalide"]
TextKind = Literal["siret_valide", "siret_invalide", "siren_valide", "siren_invalide", "aucun_numero"]

MESSAGE_KEYS = (
    "siret_ok", "siret_cle_invalide", "siret_vide", "siret_non_numerique", "siret_siren", "siret_longueur",
    "siret_aide_sans_siret",
    "siret_texte_valide", "siret_texte_invalide", "siret_texte_longueur", "siren_texte_valide",
    "siren_texte_invalide", "siret_texte_aucun",
)
_msg = keyed(MESSAGE_KEYS)

_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]+")
# A run of digits with single separators between them ("732 829 320 00074", "732.829.320").
_NUMBER = re.compile(r"(?<![\d\w])\d(?:[ .\-\u00a0\u202f]?\d)+(?![\d\w])")

AIDE_SANS_SIRET = _msg("siret_aide_sans_siret")
"""Short factual help for an association that has no SIRET yet (Insee, Sirene, RNA)."""


@dataclass(frozen=True)
class SiretCheck:
    """Result of :func:`check_siret`."""

    statut: SiretStatus
    saisie: str
    """What the user typed, stripped."""
    siret: str | None
    """The 14 digits without separators, when there are exactly 14 digits."""
    message: Message

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


def format_siren(digits: str) -> str:
    """``732829320`` → ``732 829 320``."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:9]}"


def check_siret(text: str) -> SiretCheck:
    """Check a SIRET typed by a user; the message says how to fix it."""
    saisie = (text or "").strip()
    compact = normalise_siret(saisie)
    if not compact:
        return SiretCheck("mauvais_format", saisie, None, _msg("siret_vide"))
    if not compact.isdigit():
        return SiretCheck("mauvais_format", saisie, None, _msg("siret_non_numerique"))
    if len(compact) == 9:
        return SiretCheck("mauvais_format", saisie, None, _msg("siret_siren"))
    if len(compact) != 14:
        return SiretCheck("mauvais_format", saisie, None, _msg("siret_longueur", nombre=len(compact)))
    try:
        stdnum_siret.validate(compact)
    except InvalidChecksum:
        return SiretCheck("cle_invalide", saisie, compact, _msg("siret_cle_invalide", siret=format_siret(compact)))
    except ValidationError:  # pragma: no cover - length/digits already checked
        return SiretCheck("mauvais_format", saisie, None, _msg("siret_longueur", nombre=len(compact)))
    return SiretCheck("ok", saisie, compact, _msg("siret_ok", siret=format_siret(compact)))


@dataclass(frozen=True)
class NumberInText:
    """Result of :func:`check_siret_in_text`: the kind of number found and what to say."""

    kind: TextKind
    numero: str | None
    """The digits found (14 for a SIRET, 9 for a SIREN), without separators."""
    message: Message


def _numbers(text: str) -> list[str]:
    return [normalise_siret(m.group(0)) for m in _NUMBER.finditer(text or "")]


def check_siret_in_text(text: str) -> NumberInText:
    """A SIRET (14 digits) or a SIREN (9 digits) anywhere in a message, with its Luhn key checked.

    The first 14-digit number wins, then the first 9-digit one; a number of 11 to 16 digits
    is taken as a mistyped SIRET. Shorter runs (a year, an amount) and 10 digits (a phone
    number) are not identifiers.
    """
    numbers = _numbers(text)
    siret = next((n for n in numbers if len(n) == 14), None)
    if siret is not None:
        if stdnum_siret.is_valid(siret):
            return NumberInText("siret_valide", siret, _msg("siret_texte_valide", siret=format_siret(siret),
                                                             siren=format_siren(siret)))
        return NumberInText("siret_invalide", siret, _msg("siret_texte_invalide", siret=format_siret(siret)))
    siren = next((n for n in numbers if len(n) == 9), None)
    if siren is not None:
        if stdnum_siren.is_valid(siren):
            return NumberInText("siren_valide", siren, _msg("siren_texte_valide", siren=format_siren(siren)))
        return NumberInText("siren_invalide", siren, _msg("siren_texte_invalide", siren=format_siren(siren)))
    odd = next((n for n in numbers if 11 <= len(n) <= 16), None)
    if odd is not None:
        return NumberInText("siret_invalide", odd, _msg("siret_texte_longueur", saisie=odd, nombre=len(odd)))
    return NumberInText("aucun_numero", None, _msg("siret_texte_aucun"))
