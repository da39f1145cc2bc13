"""Call calendar: which date is "today", and is the call open?

"Today" follows section 2 of ``docs/contracts.md``: message metadata ``today``,
then the ``BOT_TODAY`` environment variable, then the system date in
Europe/Paris. French dates are formatted with Babel, never by hand.

The answers are message keys with their values (:mod:`knowledge.services.messages`);
the French wording is in ``bot/domain/calendrier.yml``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date

from knowledge.services.messages import Message, keyed
from knowledge.text import fold

log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
CalendarStatus = Literal["ouvert", "clos", "non_publie"]
QuestionKind = Literal["general", "aujourdhui", "demain", "encore_temps", "resultats"]

MESSAGE_KEYS = (
    "calendrier_ouvert", "calendrier_dernier_jour", "calendrier_clos", "calendrier_resultats",
    "calendrier_inconnu", "calendrier_aujourdhui_non", "calendrier_demain_dernier_jour",
    "calendrier_demain_trop_tard", "calendrier_demain_possible", "calendrier_encore_temps",
    "calendrier_deja_clos",
)
_msg = keyed(MESSAGE_KEYS)


def format_date_fr(d: date) -> str:
    """``date(1999, 10, 15)`` → ``"15 octobre 1999"`` (Babel, CLDR month names);
    the first of the month is written "1er", as French typography wants."""
    text = format_date(d, format="d MMMM y", locale="fr_FR")
    return "1er" + text[1:] if d.day == 1 else text


def _parse_iso(value: object, origin: str) -> date | None:
    """An ISO ``YYYY-MM-DD`` date, or None (with a warning) if invalid."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    log.warning("Date %s ignorée (attendu AAAA-MM-JJ) : %r", origin, value)
    return None


def resolve_today(
    metadata_today: str | None,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> date:
    """The date to use for deadline answers.

    Order: ``metadata_today`` (message metadata), then ``env["BOT_TODAY"]``
    (``os.environ`` by default), then ``now`` (default: the current time)
    seen in Europe/Paris. A naive ``now`` is taken as Paris local time.
    Invalid values are skipped with a warning.
    """
    for value, origin in ((metadata_today, "metadata 'today'"),
                          ((os.environ if env is None else env).get("BOT_TODAY"),
                           "BOT_TODAY")):
        parsed = _parse_iso(value, origin)
        if parsed is not None:
            return parsed
    current = now or datetime.now(PARIS)
    if current.tzinfo is not None:
        current = current.astimezone(PARIS)
    return current.date()


@dataclass(frozen=True)
class CampaignInfo:
    """One call for projects ("programmation N") of a territory."""

    territoire: str
    annee: int
    date_limite: date | None
    resultats: str = ""
    plateforme: str = ""
    source: str = ""
    plateforme_nom: str = ""


@dataclass(frozen=True)
class Calendar:
    """Calendar answer; :meth:`to_payload` gives the ``calendrier`` payload."""

    territoire: str
    campagne: int | None
    date_limite: date | None
    statut: CalendarStatus
    jours_restants: int | None
    resultats: str | None
    plateforme: str | None
    source: str | None = None
    prochain_appel_publie: bool | None = None
    """False when closed / unpublished: the next call is not published yet."""
    plateforme_nom: str | None = None

    @property
    def date_limite_fr(self) -> str | None:
        return format_date_fr(self.date_limite) if self.date_limite else None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": "calendrier",
            "territoire": self.territoire,
            "campagne": self.campagne,
            "date_limite": self.date_limite.isoformat() if self.date_limite else None,
            "statut": self.statut,
            "jours_restants": self.jours_restants,
            "resultats": self.resultats or None,
            "plateforme": self.plateforme or None,
            # extra fields (allowed by the contract)
            "date_limite_texte": self.date_limite_fr,
            "source": self.source,
        }
        if self.prochain_appel_publie is not None:
            payload["prochain_appel_publie"] = self.prochain_appel_publie
        return payload


def _same_territory(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def calendar_for(
    campaigns: Sequence[CampaignInfo], today: date, territoire: str = "MEL"
) -> Calendar:
    """Status of the call of ``territoire`` (matched case-insensitively) on ``today``.

    - ``ouvert``: a campaign's deadline is today or later (the last day counts,
      with 0 days left). If several are open (only with a back-dated "today"),
      the one with the nearest deadline is the one the user can still meet.
    - ``clos``: every known deadline is past; the last campaign is described
      and the next call is not published yet.
    - ``non_publie``: no campaign of the territory has a deadline.
    """
    mine = [c for c in campaigns if _same_territory(c.territoire, territoire)]
    dated = [(c.date_limite, c) for c in mine if c.date_limite is not None]
    if not dated:
        last = max(mine, key=lambda c: c.annee, default=None)
        return Calendar(last.territoire if last else territoire,
                        last.annee if last else None, None,
                        "non_publie", None,
                        last.resultats if last else None,
                        last.plateforme if last else None,
                        last.source if last else None,
                        prochain_appel_publie=False)
    open_ = [(d, c) for d, c in dated if d >= today]
    if open_:
        d, c = min(open_, key=lambda dc: (dc[0], -dc[1].annee))
        return Calendar(c.territoire, c.annee, d, "ouvert", (d - today).days,
                        c.resultats, c.plateforme, c.source, plateforme_nom=c.plateforme_nom)
    d, c = max(dated, key=lambda dc: (dc[0], dc[1].annee))
    return Calendar(c.territoire, c.annee, d, "clos", None, c.resultats, c.plateforme,
                    c.source, prochain_appel_publie=False, plateforme_nom=c.plateforme_nom)


# Folded text (lower case, no accents, apostrophes as spaces): see knowledge.text.fold.
_TOMORROW = re.compile(r"\bdemain\b")
_TODAY = re.compile(r"\baujourd ?hui\b|\bce jour\b|\bce soir\b|\bdernier jour\b|\bjour j\b")
_STILL = re.compile(r"\bencore (?:le )?temps\b|\btrop tard\b|\bencore (?:possible|ouvert|deposer|candidater)"
                    r"|\btoujours (?:possible|ouvert)|\bpas (?:encore )?(?:clos|ferme|termine)")


def question_kind(text: str | None) -> QuestionKind:
    """Which deadline question is asked: "demain ?", "c'est aujourd'hui ?", "encore temps ?", or the date."""
    folded = fold(text or "")
    if _TOMORROW.search(folded):
        return "demain"
    if _TODAY.search(folded):
        return "aujourdhui"
    if _STILL.search(folded):
        return "encore_temps"
    return "general"


def deadline_message(cal: Calendar, today: date, kind: QuestionKind = "general", source: str = "") -> Message:
    """The answer to a deadline question on ``today``, as a message key and its values."""
    if cal.date_limite is None:
        return _msg("calendrier_inconnu", plateforme=cal.plateforme or "")
    values = {"annee": cal.campagne, "date_limite": cal.date_limite_fr, "jours": cal.jours_restants,
              "resultats": cal.resultats or "", "plateforme": cal.plateforme or "",
              "plateforme_nom": cal.plateforme_nom or "", "source": source}
    if kind == "resultats":
        return _msg("calendrier_resultats", **values)
    if cal.statut != "ouvert" or cal.jours_restants is None:
        return _msg("calendrier_deja_clos" if kind != "general" else "calendrier_clos", **values)
    days = cal.jours_restants
    if days == 0:
        return _msg("calendrier_demain_trop_tard" if kind == "demain" else "calendrier_dernier_jour", **values)
    if kind == "demain":
        return _msg("calendrier_demain_dernier_jour" if days == 1 else "calendrier_demain_possible", **values)
    if kind == "aujourdhui":
        return _msg("calendrier_aujourdhui_non", **values)
    if kind == "encore_temps":
        return _msg("calendrier_encore_temps", **values)
    return _msg("calendrier_ouvert", **values)
