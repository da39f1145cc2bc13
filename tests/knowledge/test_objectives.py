"""Operational objectives (annexe 3 of the call): verb, figure, unit, time; ages are not deadlines."""


import pytest

from knowledge.services.messages import Message
from knowledge.services.objectives import MESSAGE_KEYS, check_objective, get_nlp, review_objective, time_matches
from tests.knowledge.domain_text import TEMPLATE, french

pytestmark = pytest.mark.slow  # loads spaCy fr_core_news_md

V, N, U, T = "verbe", "chiffre", "unite", "temporalite"

# text, parts expected missing, (verbe, chiffre, unite, temporalite) when checked
CASES: list[tuple[str, set[str], tuple[str | None, ...] | None]] = [
    # complete objectives
    ("Accompagner 20 jeunes du quartier vers un emploi d'ici décembre 2026", set(),
     ("accompagner", "20", "jeunes", "d'ici décembre 2026")),
    ("Organiser dix ateliers de cuisine par mois", set(),
     ("organiser", "dix", "ateliers", "par mois")),
    ("Former deux cents habitants au numérique en 2026", set(),
     ("former", "deux cents", "habitants", "en 2026")),
    ("Atteindre 50 % de femmes parmi les participants sur l'année", set(),
     ("atteindre", "50", "%", "sur l'année")),
    # a deadline wins over a frequency
    ("Mettre en place 3 ateliers chaque semaine avant la fin de l'année", set(),
     ("mettre", "3", "ateliers", "avant la fin de l'année")),
    ("Créer une centaine de jardins sur 6 mois", set(),
     ("créer", "une centaine", "jardins", "sur 6 mois")),
    ("Accueillir 2000 personnes en 2026", set(), ("accueillir", "2000", "personnes", "en 2026")),
    ("Atteindre 50% de femmes en 2026", set(), ("atteindre", "50", "%", "en 2026")),
    ("Tenir 12 réunions mensuelles", set(), ("tenir", "12", "réunions", "mensuelles")),
    ("Favoriser l'accès aux droits de 1 500 habitants tous les 15 jours", set(),
     ("favoriser", "1 500", "habitants", "tous les 15 jours")),
    ("Organiser vingt-cinq sorties culturelles d'ici la fin de l'année", set(),
     ("organiser", "vingt-cinq", "sorties", "d'ici la fin de l'année")),
    ("Proposer 2 séances hebdomadaires de sport à 15 adolescents", set(),
     ("proposer", "2", "séances", "hebdomadaires")),
    ("Installer 4 composteurs collectifs avant l'été 2026", set(), None),
    ("Créer 2 jardins partagés d'ici 6 mois", set(), None),
    ("Organiser 5 permanences d'ici la rentrée 2026", set(), None),
    ("Accompagner 10 demandeurs d'emploi au premier trimestre 2026", set(), None),
    ("En 2026, accompagner 15 femmes vers la formation", set(), None),
    ("Accompagner 25 familles d’ici 2026.", set(), None),
    # ages and durations are not deadlines (issue 10, item 7)
    ("Accompagner 30 jeunes de 16 à 25 ans vers l'emploi d'ici juin 2026", set(),
     ("accompagner", "30", "jeunes", "d'ici juin 2026")),
    ("Former 12 seniors de plus de 60 ans au numérique avant décembre 2026", set(),
     ("former", "12", "seniors", "avant décembre 2026")),
    ("Accueillir 20 enfants âgés de 6 à 11 ans en stage de 5 jours d'ici l'été 2026", set(),
     ("accueillir", "20", "enfants", "d'ici l'été 2026")),
    ("Mobiliser 25 femmes de 30-50 ans sur des ateliers en 2026", set(),
     ("mobiliser", "25", "femmes", "en 2026")),
    ("Organiser 10 ateliers par mois pour 40 habitants de 60 ans et plus jusqu'en décembre 2026", set(),
     ("organiser", "10", "ateliers", "jusqu'en décembre 2026")),
    ("Réaliser 24 séances de sport-santé pour 40 femmes entre janvier et décembre 2026", set(),
     ("réaliser", "24", "séances", "entre janvier et décembre 2026")),
    ("Accompagner 15 jeunes de 18 à 25 ans", {T}, ("accompagner", "15", "jeunes", None)),
    ("Remobiliser 8 jeunes dès 16 ans", {T}, ("remobiliser", "8", "jeunes", None)),
    # something missing
    ("accompagner des jeunes vers l'emploi", {N, T}, ("accompagner", None, "jeunes", None)),
    ("Sensibiliser les parents", {N, T}, None),
    ("Réunir les habitants chaque mois", {N}, None),
    ("Réaliser 12 permanences d'accès aux droits", {T}, None),
    ("Mobiliser 10 bénévoles", {T}, None),
    ("Augmenter de 20 la fréquentation d'ici juin 2026", {U}, None),
    ("Organiser un forum de l'emploi en mars 2026", {N, U}, None),
    ("Améliorer le cadre de vie", {N, U, T}, None),
    ("Lutter contre l'isolement", {N, U, T}, None),
    ("20 jeunes accompagnés d'ici juin 2026", {V}, (None, "20", "jeunes", "d'ici juin 2026")),
    ("L'accompagnement de 30 familles en 2026", {V}, None),
    ("La mise en place de 3 ateliers", {V, T}, None),
    ("L'organisation des ateliers en 2026", {V, N}, None),
    ("Des ateliers pour les enfants", {V, N, T}, None),
    ("", {V, N, U, T}, None),
]


@pytest.mark.parametrize("text, missing, found", CASES, ids=[c[0][:40] or "vide" for c in CASES])
def test_detects_missing_parts(text: str, missing: set[str],
                               found: tuple[str | None, ...] | None) -> None:
    check = check_objective(text)
    assert set(check.manquants) == missing
    assert check.complet is (not missing)
    if found is not None:
        assert (check.verbe, check.chiffre, check.unite, check.temporalite) == found
    said = french(check.message)
    for part in missing:
        assert french(Message(f"objectif_partie_{part}")) in said
    if not text:
        assert said.startswith("Écrivez votre objectif")
    elif missing:
        assert said.startswith("Il manque")
    else:
        assert said.startswith("Objectif complet")


@pytest.mark.parametrize("text, proposition", [
    ("accompagner des jeunes vers l'emploi",
     "Accompagner [nombre] jeunes vers l'emploi d'ici [échéance]"),
    ("Sensibiliser les parents", "Sensibiliser [nombre] parents d'ici [échéance]"),
    ("Réunir les habitants chaque mois", "Réunir [nombre] habitants chaque mois"),
    ("Mobiliser 10 bénévoles", "Mobiliser 10 bénévoles d'ici [échéance]"),
    ("Améliorer le cadre de vie",
     "Améliorer le cadre de vie pour [nombre] [unité] d'ici [échéance]"),
    ("Organiser un forum de l'emploi en mars 2026",
     "Organiser un forum de l'emploi pour [nombre] [unité] en mars 2026"),
    ("Augmenter de 20 la fréquentation d'ici juin 2026",
     "Augmenter de 20 [unité] la fréquentation d'ici juin 2026"),
    ("20 jeunes accompagnés d'ici juin 2026", "Accompagner 20 jeunes d'ici juin 2026"),
    ("L'accompagnement de 30 familles en 2026", "Accompagner 30 familles en 2026"),
    ("La mise en place de 3 ateliers", "Mettre en place 3 ateliers d'ici [échéance]"),
    ("L'organisation des ateliers en 2026", "Organiser [nombre] ateliers en 2026"),
    ("Des ateliers pour les enfants",
     "[Verbe d'action à l'infinitif] [nombre] ateliers pour les enfants d'ici [échéance]"),
    ("", "[Verbe d'action à l'infinitif] [nombre] [unité] d'ici [échéance]"),
])
def test_rewrite_uses_the_users_words(text: str, proposition: str) -> None:
    check = check_objective(text)
    assert check.proposition == proposition
    if check.manquants and text:
        assert proposition in french(check.message)


def test_complete_objective_is_kept_as_is() -> None:
    text = "Accompagner 20 jeunes du quartier vers un emploi d'ici décembre 2026"
    assert check_objective(text).proposition == text


def test_model_is_loaded_once() -> None:
    assert get_nlp() is get_nlp()


@pytest.mark.parametrize("text", ["jeunes de 16 à 25 ans", "public de 6-11 ans", "seniors de plus de 60 ans",
                                  "habitants de 60 ans et plus", "jeunes âgés de 18 ans"])
def test_ages_are_never_a_time_indication(text: str) -> None:
    matches, ages = time_matches(text)
    assert matches == [] and ages


def test_review_names_the_latest_call(db_url: str) -> None:
    review = review_objective("")
    assert review.check is None and review.annee == 2026


def test_every_key_has_its_response_in_the_domain() -> None:
    for key in MESSAGE_KEYS:
        assert TEMPLATE(f"utter_{key}"), key
