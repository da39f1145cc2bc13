"""Call calendar: which day is "today", open / closed / unpublished calls."""

import logging
from datetime import date, datetime, timezone

import pytest

from knowledge.services.calendar import (
    MESSAGE_KEYS,
    CampaignInfo,
    calendar_for,
    deadline_message,
    format_date_fr,
    question_kind,
    resolve_today,
)
from knowledge.services.campaigns import MESSAGE_KEYS as CAMPAIGN_KEYS
from knowledge.services.campaigns import answer_calendar
from tests.knowledge.domain_text import TEMPLATE, french

PLATEFORME = "https://www.lillemetropole.fr/politique-de-la-ville"
MEL_2025 = CampaignInfo("MEL", 2025, date(2024, 10, 15), "début 2025", PLATEFORME,
                        "000_f558cfb9ffa5ad59.txt")
MEL_2026 = CampaignInfo("MEL", 2026, date(2025, 10, 15),
                        "fin du premier trimestre 2026", PLATEFORME,
                        "002_d8b0c87053850c6b.txt")
HAZEBROUCK = CampaignInfo("Cœur de Flandre agglo", 2024, None, "", "",
                          "003_791f1140564a3612.txt")
CAMPAIGNS = [MEL_2025, MEL_2026, HAZEBROUCK]


@pytest.mark.parametrize("today, statut, jours", [
    (date(2025, 9, 20), "ouvert", 25),
    (date(2025, 10, 15), "ouvert", 0),
    (date(2025, 10, 16), "clos", None),
    (date(2026, 11, 22), "clos", None),
])
def test_2026_campaign_status(today: date, statut: str, jours: int | None) -> None:
    cal = calendar_for(CAMPAIGNS, today)
    assert cal.campagne == 2026
    assert cal.statut == statut
    assert cal.jours_restants == jours
    assert cal.date_limite == date(2025, 10, 15)


def test_open_payload_is_the_contract() -> None:
    payload = calendar_for(CAMPAIGNS, date(2025, 9, 20)).to_payload()
    expected = {"type": "calendrier", "territoire": "MEL", "campagne": 2026,
                "date_limite": "2025-10-15", "statut": "ouvert",
                "jours_restants": 25, "resultats": "fin du premier trimestre 2026",
                "plateforme": PLATEFORME}
    assert {k: payload[k] for k in expected} == expected
    assert payload["date_limite_texte"] == "15 octobre 2025"
    assert "prochain_appel_publie" not in payload


def test_closed_says_next_call_not_published() -> None:
    payload = calendar_for(CAMPAIGNS, date(2025, 10, 16)).to_payload()
    assert payload["statut"] == "clos" and payload["jours_restants"] is None
    assert payload["prochain_appel_publie"] is False
    assert payload["source"] == "002_d8b0c87053850c6b.txt"


def test_back_dated_today_gets_the_deadline_still_reachable() -> None:
    cal = calendar_for(CAMPAIGNS, date(2024, 10, 1))
    assert (cal.campagne, cal.statut, cal.jours_restants) == (2025, "ouvert", 14)


def test_territory_without_dated_campaign_is_not_published() -> None:
    cal = calendar_for(CAMPAIGNS, date(2025, 9, 20), territoire="cœur de flandre agglo")
    payload = cal.to_payload()
    assert payload["statut"] == "non_publie"
    assert payload["date_limite"] is None and payload["jours_restants"] is None
    assert payload["territoire"] == "Cœur de Flandre agglo"
    assert payload["resultats"] is None and payload["campagne"] == 2024
    assert calendar_for(CAMPAIGNS, date(2025, 9, 20), "Paris").statut == "non_publie"


# --- "today" ---------------------------------------------------------------

NOW = datetime(2025, 9, 20, 12, 0, tzinfo=timezone.utc)


def test_metadata_first() -> None:
    assert resolve_today("2025-10-01", {"BOT_TODAY": "2025-01-01"}, NOW) == date(2025, 10, 1)


def test_env_second() -> None:
    assert resolve_today(None, {"BOT_TODAY": "2025-01-01"}, NOW) == date(2025, 1, 1)


def test_system_date_last() -> None:
    assert resolve_today(None, {}, NOW) == date(2025, 9, 20)


def test_system_date_is_paris_time() -> None:
    late_utc = datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)  # 00:30 in Paris
    assert resolve_today(None, {}, late_utc) == date(2026, 1, 1)


def test_default_env_is_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TODAY", "2025-10-15")
    assert resolve_today(None) == date(2025, 10, 15)
    monkeypatch.delenv("BOT_TODAY")
    assert isinstance(resolve_today(None), date)


@pytest.mark.parametrize("bad", ["20/09/2025", "2025-13-01", "demain", "  "])
def test_invalid_metadata_is_ignored_with_warning(
        bad: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert resolve_today(bad, {"BOT_TODAY": "2025-01-02"}, NOW) == date(2025, 1, 2)
    if bad.strip():
        assert "ignorée" in caplog.text


def test_invalid_env_falls_back_to_system(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert resolve_today("nope", {"BOT_TODAY": "bad"}, NOW) == date(2025, 9, 20)
    assert caplog.text.count("ignorée") == 2


@pytest.mark.parametrize("d, text", [
    (date(2025, 10, 15), "15 octobre 2025"),
    (date(2026, 2, 1), "1er février 2026"),
    (date(2025, 8, 31), "31 août 2025"),
    (date(2025, 12, 3), "3 décembre 2025"),
])
def test_french_dates(d: date, text: str) -> None:
    assert format_date_fr(d) == text


# --- "is today the last day?", "tomorrow?", "still time?" (issue 10, item 6) --------------------

@pytest.mark.parametrize("text, kind", [
    ("Aujourd'hui c'est la date butoir, non ?", "aujourdhui"),
    ("c'est ce soir le dernier jour ?", "aujourdhui"),
    ("si j'envoie demain ça passe ?", "demain"),
    ("demain c'est le dernier jour ?", "demain"),
    ("est-il encore temps de candidater ?", "encore_temps"),
    ("c'est trop tard pour déposer ?", "encore_temps"),
    ("on peut encore déposer ?", "encore_temps"),
    ("c'est quand la date limite ?", "general"),
])
def test_question_kind(text: str, kind: str) -> None:
    assert question_kind(text) == kind


@pytest.mark.parametrize("today, kind, key, words", [
    (date(2025, 10, 15), "aujourdhui", "calendrier_dernier_jour", ["aujourd'hui le dernier jour", "15 octobre 2025"]),
    (date(2025, 10, 10), "aujourdhui", "calendrier_aujourdhui_non", ["Non", "15 octobre 2025", "5 jours"]),
    (date(2025, 10, 14), "demain", "calendrier_demain_dernier_jour", ["Oui, demain est le dernier jour"]),
    (date(2025, 10, 15), "demain", "calendrier_demain_trop_tard", ["Demain, il sera trop tard"]),
    (date(2025, 10, 1), "demain", "calendrier_demain_possible", ["Oui", "14 jours"]),
    (date(2025, 9, 20), "encore_temps", "calendrier_encore_temps", ["encore temps", "25 jours"]),
    (date(2025, 10, 16), "encore_temps", "calendrier_deja_clos", ["trop tard", "clos depuis le 15 octobre 2025"]),
    (date(2025, 10, 16), "demain", "calendrier_deja_clos", ["trop tard"]),
    (date(2025, 9, 20), "general", "calendrier_ouvert", ["J-25", "2026"]),
    (date(2025, 9, 20), "resultats", "calendrier_resultats", ["premier trimestre 2026"]),
])
def test_deadline_answers_on_the_day(today: date, kind: str, key: str, words: list[str]) -> None:
    message = deadline_message(calendar_for(CAMPAIGNS, today), today, kind, source="Appel à projets 2026")
    assert message.key == key
    said = french(message)
    assert all(w in said for w in words), said


def test_every_key_has_its_response_in_the_domain() -> None:
    for key in (*MESSAGE_KEYS, *CAMPAIGN_KEYS):
        assert TEMPLATE(f"utter_{key}"), key


def test_mel_deadline_from_the_referentiel() -> None:
    reply = answer_calendar("est-il encore temps ?", date(2025, 9, 20))
    assert reply.message.key == "calendrier_encore_temps"
    assert reply.payload is not None and reply.payload["campagne"] == 2026
    said = french(reply.message)
    assert "15 octobre 2025" in said and "Démarches Simplifiées" in said
    assert ".txt" not in said  # the source is named by its title


@pytest.mark.parametrize("lieu, contexte, precedent", [("Hazebrouck", None, None), (None, "commune:59295", None),
                                                     (None, None, "hazebrouck")])
def test_hazebrouck_never_gets_the_mel_deadline(lieu: str | None, contexte: str | None,
                                                precedent: str | None) -> None:
    reply = answer_calendar("c'est quand la date limite ?", date(2025, 9, 20), lieu=lieu, lieu_contexte=contexte,
                            lieu_precedent=precedent)
    assert reply.message.key == "calendrier_territoire_non_precise"
    assert reply.payload is None
    said = french(reply.message)
    assert "15 octobre" not in said and "ne donne pas de date limite" in said
    assert "elvire.barreira@nord.gouv.fr" in said


def test_another_nord_contract_gets_its_name_and_the_prefecture() -> None:
    reply = answer_calendar("date limite pour déposer ?", date(2025, 9, 20), lieu="Valenciennes")
    assert reply.message.key == "calendrier_hors_territoire"
    said = french(reply.message)
    assert "Valenciennes Métropole" in said and "15 octobre" not in said and "@nord.gouv.fr" in said


def test_unknown_place_is_said_plainly() -> None:
    reply = answer_calendar("date limite à Saint-Glinglin-sur-Deûle ?", date(2025, 9, 20),
                            lieu="Saint-Glinglin-sur-Deûle")
    assert reply.message.key == "calendrier_lieu_inconnu"
    assert "Saint-Glinglin-sur-Deûle" in french(reply.message)


def test_a_mel_place_in_context_keeps_the_mel_deadline() -> None:
    reply = answer_calendar("demain ?", date(2025, 10, 14), lieu_contexte="commune:59360")
    assert reply.message.key == "calendrier_demain_dernier_jour"


def test_an_unknown_earlier_place_does_not_hide_the_mel_deadline() -> None:
    reply = answer_calendar("date limite ?", date(2025, 9, 20), lieu_precedent="Saint-Glinglin")
    assert reply.message.key == "calendrier_ouvert"
