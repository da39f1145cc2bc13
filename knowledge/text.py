"""Text folding shared by the place index and the NLU lookups."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_SEPARATORS = re.compile(r"[\s'’‘`´\-–—_.,;:/()\"«»!?]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def fold(text: str) -> str:
    """Lower case, no accents, œ→oe, punctuation and hyphens as single spaces.

    >>> fold("  Marcq-en-Barœul ")
    'marcq en baroeul'
    >>> fold("Villeneuve d’Ascq")
    'villeneuve d ascq'
    """
    text = _CONTROL.sub(" ", text).translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", text.lower()).strip()


def compact(text: str) -> str:
    """`fold` without spaces: 'villeneuve dascq' and "Villeneuve-d'Ascq" meet."""
    return fold(text).replace(" ", "")


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


# Common words that look like a place name once a letter is changed ("ville" ~ "lille"): never matched
# as a place with a typo, neither by the place resolver nor by the NLU's fuzzy lookup (bot/components.py).
NOT_PLACE_WORDS = frozenset({
    "ville", "villes", "bonjour", "projet", "projets", "contact", "contacts", "contacter", "quartier", "quartiers",
    "association", "centre", "social", "sociale", "mairie", "maison", "merci", "region", "prefet", "prefecture",
    "delegue", "deleguee", "metropole", "commune", "communes", "politique", "habitants", "jeunes", "famille",
    "familles", "numero", "adresse", "monsieur", "madame", "nouveau", "nouvelle", "nouvel", "grand", "grande",
    "saint", "sainte", "residence", "secteur", "centralite", "faubourg", "hotel", "bois", "mons", "haut", "hauts",
})
