"""Eligibility pre-check of the 2026 call, derived obligations, fiche + mailto."""

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from knowledge.services.eligibility import (
    AMBITION_IDS,
    STRUCTURE_TYPES,
    Commitments,
    EligibilityAnswers,
    classify_structure,
    evaluate,
    fiche_predepot,
    mailto_url,
)

ALL_YES = Commitments(egalite=True, engagement_republicain=True, droit_commun=True,
                      partenariats=True, indicateurs=True)
HAPPY = EligibilityAnswers(structure="Association loi 1901", siret="732 829 320 00074",
                           public_en_qpv=True, ambitions=["2.4", "6.1"],
                           commitments=ALL_YES, finance_2025=False, cpo=False,
                           montant=8000, nb_communes_qpv=1, experimental=False)


def test_ambition_ids() -> None:
    assert len(AMBITION_IDS) == 31 and {"1.1", "3.3", "6.6"} <= AMBITION_IDS
    assert "3.4" not in AMBITION_IDS


@pytest.mark.parametrize("text, category", [
    ("association", "association"), ("Association loi 1901", "association"),
    ("asso de quartier", "association"), ("bailleur_social", "bailleur_social"),
    ("bailleur social", "bailleur_social"), ("Entreprise sociale pour l'habitat", "bailleur_social"),
    ("établissement public", "etablissement_public"), ("CCAS de Roubaix", "etablissement_public"),
    ("collectivite", "collectivite"), ("Mairie de Loos", "collectivite"),
    ("Collectivité territoriale", "collectivite"), ("fondation", "autre_non_lucratif"),
    ("autre_non_lucratif", "autre_non_lucratif"), ("autre organisme à but non lucratif", "autre_non_lucratif"),
    ("entreprise", "entreprise"), ("SAS", "entreprise"), ("SARL Dupont", "entreprise"),
    ("SA", "entreprise"), ("EURL", "entreprise"), ("auto-entrepreneur", "entreprise"),
    ("je suis autoentrepreneur", "entreprise"), ("micro-entreprise", "entreprise"),
    ("une société", "entreprise"), ("SCIC", "cooperative"),
    ("sa structure est une association", "association"),
])
def test_classify_structure(text: str, category: str) -> None:
    kind = classify_structure(text)
    assert kind is not None and kind.id == category
    assert STRUCTURE_TYPES  # the mapping is public


@pytest.mark.parametrize("text", [None, "", "   ", "je ne sais pas"])
def test_unknown_structure(text: str | None) -> None:
    assert classify_structure(text) is None
    verdict = evaluate(replace(HAPPY, structure=text))
    assert verdict.critere("structure").statut == "a_verifier"
    assert verdict.verdict == "incomplet"


def test_happy_path() -> None:
    verdict = evaluate(HAPPY)
    assert verdict.verdict == "eligible"
    assert all(c.statut == "ok" for c in verdict.criteres)
    assert verdict.obligations == ()
    payload = verdict.to_payload()
    assert payload["type"] == "eligibilite" and payload["verdict"] == "eligible"
    assert payload["criteres"][0] == {
        "id": "structure", "statut": "ok",
        "message": "Association loi 1901 : structure éligible si elle est "
                   "régulièrement déclarée et possède un numéro SIRET."}
    assert {c["id"] for c in payload["criteres"]} == {
        "structure", "siret", "public_qpv", "ambitions", "egalite",
        "engagement_republicain", "droit_commun", "partenariats", "indicateurs"}


@pytest.mark.parametrize("change, critere, words", [
    ({"structure": "SARL"}, "structure", "but non lucratif"),
    ({"structure": "auto-entrepreneur"}, "structure", "partenaire"),
    ({"siret": False}, "siret", "Insee"),
    ({"public_en_qpv": False}, "public_qpv", "QPV"),
    ({"ambitions": []}, "ambitions", "annexe 2"),
    ({"commitments": replace(ALL_YES, egalite=False)}, "egalite", "égalité"),
    ({"commitments": replace(ALL_YES, engagement_republicain=False)},
     "engagement_republicain", "souscrivez"),
    ({"commitments": replace(ALL_YES, droit_commun=False)}, "droit_commun", "droit commun"),
    ({"commitments": replace(ALL_YES, partenariats=False)}, "partenariats", "partenariats"),
    ({"commitments": replace(ALL_YES, indicateurs=False)}, "indicateurs", "indicateurs"),
])
def test_each_refusal(change: dict, critere: str, words: str) -> None:
    verdict = evaluate(replace(HAPPY, **change))
    assert verdict.verdict == "non_eligible"
    kos = [c for c in verdict.criteres if c.statut == "ko"]
    assert [c.id for c in kos] == [critere]
    assert words in kos[0].message


@pytest.mark.parametrize("change, critere", [
    ({"siret": None}, "siret"),
    ({"siret": "123 456 789 00012"}, "siret"),
    ({"siret": "1234"}, "siret"),
    ({"public_en_qpv": None}, "public_qpv"),
    ({"ambitions": None}, "ambitions"),
    ({"ambitions": ["9.9"]}, "ambitions"),
    ({"commitments": Commitments()}, "egalite"),
    ({"structure": "SCOP"}, "structure"),
])
def test_incomplete(change: dict, critere: str) -> None:
    verdict = evaluate(replace(HAPPY, **change))
    assert verdict.verdict == "incomplet"
    assert verdict.critere(critere).statut == "a_verifier"


def test_bad_siret_message_explains() -> None:
    verdict = evaluate(replace(HAPPY, siret="123 456 789 00012"))
    assert "clé de contrôle" in verdict.critere("siret").message


def test_ko_wins_over_a_verifier() -> None:
    verdict = evaluate(EligibilityAnswers(structure="SAS"))
    assert verdict.verdict == "non_eligible"


def test_non_association_needs_no_siret_nor_republican_contract() -> None:
    verdict = evaluate(replace(HAPPY, structure="Collectivité territoriale", siret=None,
                               commitments=replace(ALL_YES, engagement_republicain=None)))
    assert verdict.verdict == "eligible"
    assert "pas concernée" in verdict.critere("engagement_republicain").message


@pytest.mark.parametrize("change, ids", [
    ({"finance_2025": True}, ["bilan"]),
    ({"cpo": True}, ["cpo"]),
    ({"montant": 15000}, []),
    ({"montant": 15000.01}, ["budget_detaille"]),
    ({"nb_communes_qpv": 2}, ["projet_metropolitain"]),
    ({"experimental": True}, ["projet_metropolitain"]),
    ({"finance_2025": True, "cpo": True, "montant": 40000, "nb_communes_qpv": 3},
     ["bilan", "cpo", "budget_detaille", "projet_metropolitain"]),
])
def test_derived_obligations(change: dict, ids: list[str]) -> None:
    verdict = evaluate(replace(HAPPY, **change))
    assert [o.id for o in verdict.obligations] == ids
    assert verdict.verdict == "eligible"  # obligations never change the verdict
    assert [o["id"] for o in verdict.to_payload()["obligations"]] == ids


def test_obligation_messages() -> None:
    verdict = evaluate(replace(HAPPY, finance_2025=True, cpo=True, montant=20000,
                               experimental=True))
    text = " ".join(o.message for o in verdict.obligations)
    assert "bilan intermédiaire 2025" in text and "annexe 3" in text
    assert "Démarches Simplifiées" in text and "poste par poste" in text
    assert "MEL" in text


CONTACTS = [("Céline Demartin", "cdemartin@ville-loos.fr"),
            ("Stéphane Hodé", "stephane.hode@nord.gouv.fr")]


def test_fiche_text() -> None:
    fiche = fiche_predepot(replace(HAPPY, montant=20000), porteur="Les Amis d'Oliveaux",
                           lieu="Loos – Les Oliveaux", contacts=CONTACTS,
                           ambitions={"2.4": "Lever les freins d'accès à l'emploi"},
                           date_limite=date(2025, 10, 15))
    t = fiche.texte
    assert "Les Amis d'Oliveaux (Association loi 1901)" in t
    assert "Loos – Les Oliveaux" in t and "732 829 320 00074" in t
    assert "15 octobre 2025" in t
    assert "- Céline Demartin <cdemartin@ville-loos.fr>" in t
    assert "- 2.4 Lever les freins d'accès à l'emploi" in t and "- 6.1" in t
    assert "[x] Contrat d'engagement républicain" in t
    assert "poste par poste" in t and "Diagnostic : éligible" in t


def test_mailto_encoding() -> None:
    fiche = fiche_predepot(HAPPY, porteur="A&B ? 100 %", lieu="Roubaix",
                           contacts=CONTACTS + [("Doublon", "CDEMARTIN@ville-loos.fr"),
                                                ("Vacant", "")])
    url = fiche.mailto
    assert url.startswith("mailto:cdemartin@ville-loos.fr,stephane.hode@nord.gouv.fr?subject=")
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    for raw in (" ", "&", "?", "\n", "é"):
        assert raw not in parts.query.split("&body=")[1]
    assert "%0D%0A" in url and "%26" in url and "%C3%A9" in url
    query = parse_qs(parts.query)
    assert query["subject"] == [fiche.sujet] == ["Pré-dépôt CVS 2026 – A&B ? 100 % – Roubaix"]
    assert fiche.texte.replace("\n", "\r\n") in query["body"][0]


def test_mailto_without_contacts_is_still_valid() -> None:
    url = mailto_url([], "Sujet", "a\nb")
    assert url == "mailto:?subject=Sujet&body=a%0D%0Ab"
    assert unquote(url.split("body=")[1]) == "a\r\nb"
