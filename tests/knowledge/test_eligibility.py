"""Pre-submission check: rules read from the campaign, derived obligations, fiche + mailto."""

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from knowledge.services import eligibility as elig
from knowledge.services.campaigns import campaign
from knowledge.services.eligibility import (
    AMBITION_IDS,
    MESSAGE_KEYS,
    STRUCTURE_TYPES,
    Commitments,
    EligibilityAnswers,
    FormAnswers,
    Rules,
    check,
    classify_structure,
    evaluate,
    fiche_predepot,
    mailto_url,
    rules_of,
)
from tests.knowledge.domain_text import TEMPLATE, french

ALL_YES = Commitments(egalite=True, engagement_republicain=True, droit_commun=True,
                      partenariats=True, indicateurs=True)
HAPPY = EligibilityAnswers(structure="Association loi 1901", siret="732 829 320 00074",
                           public_en_qpv=True, ambitions=["2.4", "6.1"],
                           commitments=ALL_YES, finance_precedente=False, cpo=False,
                           montant=8000, nb_communes_qpv=1, metropolitain=False)


@pytest.fixture(scope="module")
def rules(db_url: str) -> Rules:
    """The rules of the latest MEL campaign of the référentiel (2026 today)."""
    current = campaign()
    assert current is not None
    return rules_of(current)


def test_rules_come_from_the_referentiel(rules: Rules) -> None:
    assert rules.annee == 2026 and rules.annee_precedente == 2025
    assert rules.seuil_budget == 15000 and rules.villes_qpv_min == 2
    assert "association" in rules.eligibles and "entreprise" not in rules.eligibles
    assert rules.siret_exige_pour == ("association",)
    older = rules_of(campaign(annee=2025))  # the 2025 call had no annexe 3: no bilan, no budget rule
    assert older.annee == 2025 and older.seuil_budget is None and "bilan" not in older.codes


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
    assert classify_structure(text) == category
    assert STRUCTURE_TYPES  # the mapping is public


@pytest.mark.parametrize("text", [None, "", "   ", "je ne sais pas"])
def test_unknown_structure(text: str | None, rules: Rules) -> None:
    assert classify_structure(text) is None
    verdict = evaluate(replace(HAPPY, structure=text), rules)
    assert verdict.critere("structure").statut == "a_verifier"
    assert verdict.verdict == "incomplet"
    assert "association loi 1901, bailleur social" in french(verdict.critere("structure").message)


def test_happy_path(rules: Rules) -> None:
    verdict = evaluate(HAPPY, rules)
    assert verdict.verdict == "eligible"
    assert all(c.statut == "ok" for c in verdict.criteres)
    assert verdict.obligations == ()
    payload = verdict.to_payload(TEMPLATE)
    assert payload["type"] == "eligibilite" and payload["verdict"] == "eligible" and payload["campagne"] == 2026
    assert payload["criteres"][0] == {
        "id": "structure", "statut": "ok", "cle": "elig_structure_association",
        "message": "Structure éligible (association loi 1901) si elle est régulièrement déclarée et possède un "
                   "numéro SIRET."}
    assert {c["id"] for c in payload["criteres"]} == {
        "structure", "siret", "public_qpv", "ambitions", "egalite",
        "engagement_republicain", "droit_commun", "partenariats", "indicateurs"}


@pytest.mark.parametrize("change, critere, words", [
    ({"structure": "SARL"}, "structure", "ne peut pas déposer"),
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
def test_each_refusal(change: dict, critere: str, words: str, rules: Rules) -> None:
    verdict = evaluate(replace(HAPPY, **change), rules)
    assert verdict.verdict == "non_eligible"
    kos = [c for c in verdict.criteres if c.statut == "ko"]
    assert [c.id for c in kos] == [critere]
    assert words in french(kos[0].message)


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
def test_incomplete(change: dict, critere: str, rules: Rules) -> None:
    verdict = evaluate(replace(HAPPY, **change), rules)
    assert verdict.verdict == "incomplet"
    assert verdict.critere(critere).statut == "a_verifier"
    french(verdict.critere(critere).message)


def test_bad_siret_message_explains(rules: Rules) -> None:
    verdict = evaluate(replace(HAPPY, siret="123 456 789 00012"), rules)
    assert "clé de contrôle" in french(verdict.critere("siret").message)


def test_ko_wins_over_a_verifier(rules: Rules) -> None:
    assert evaluate(EligibilityAnswers(structure="SAS"), rules).verdict == "non_eligible"


def test_non_association_needs_no_siret_nor_republican_contract(rules: Rules) -> None:
    verdict = evaluate(replace(HAPPY, structure="Collectivité territoriale", siret=None,
                               commitments=replace(ALL_YES, engagement_republicain=None)), rules)
    assert verdict.verdict == "eligible"
    assert "pas concernée" in french(verdict.critere("engagement_republicain").message)


def test_a_kind_the_campaign_drops_is_refused(rules: Rules) -> None:
    """The eligible kinds are data: a campaign without collectivities refuses them."""
    narrower = replace(rules, eligibles=tuple(k for k in rules.eligibles if k != "collectivite"))
    verdict = evaluate(replace(HAPPY, structure="Mairie de Loos"), narrower)
    assert verdict.critere("structure").statut == "ko"
    assert "collectivité territoriale" in french(verdict.critere("structure").message)


def test_a_rule_the_campaign_does_not_state_is_not_checked(rules: Rules) -> None:
    verdict = evaluate(replace(HAPPY, commitments=replace(ALL_YES, egalite=False)),
                       replace(rules, codes=rules.codes - {"egalite_femmes_hommes"}))
    assert verdict.verdict == "eligible" and "egalite" not in {c.id for c in verdict.criteres}


@pytest.mark.parametrize("change, ids", [
    ({"finance_precedente": True}, ["bilan"]),
    ({"cpo": True}, ["cpo"]),
    ({"montant": 15000}, []),
    ({"montant": 15000.01}, ["budget_detaille"]),
    ({"nb_communes_qpv": 2}, ["projet_metropolitain"]),
    ({"metropolitain": True}, ["projet_metropolitain"]),
    ({"finance_precedente": True, "cpo": True, "montant": 40000, "nb_communes_qpv": 3},
     ["bilan", "cpo", "budget_detaille", "projet_metropolitain"]),
])
def test_derived_obligations(change: dict, ids: list[str], rules: Rules) -> None:
    verdict = evaluate(replace(HAPPY, **change), rules)
    assert [o.id for o in verdict.obligations] == ids
    assert verdict.verdict == "eligible"  # obligations never change the verdict
    assert [o["id"] for o in verdict.to_payload(TEMPLATE)["obligations"]] == ids


def test_obligation_messages_take_years_and_threshold_from_the_campaign(rules: Rules) -> None:
    verdict = evaluate(replace(HAPPY, finance_precedente=True, cpo=True, montant=20000, metropolitain=True), rules)
    text = " ".join(french(o.message) for o in verdict.obligations)
    assert "bilan intermédiaire 2025" in text and "annexe 3 de l'appel 2026" in text
    assert "Démarches Simplifiées pour 2026" in text and "poste par poste" in text
    assert "15\u00a0000 €" in text or "15\u202f000 €" in text
    assert "au moins 2 villes" in text and "MEL" in text


def test_another_threshold_in_the_data_changes_the_obligation(rules: Rules) -> None:
    higher = replace(rules, seuil_budget=20000.0)
    assert evaluate(replace(HAPPY, montant=18000), higher).obligations == ()
    verdict = evaluate(replace(HAPPY, montant=25000), higher)
    assert "20\u202f000" in french(verdict.obligations[0].message).replace("\u00a0", "\u202f")


CONTACTS = [("Céline Demartin", "cdemartin@ville-loos.fr"),
            ("Stéphane Hodé", "stephane.hode@nord.gouv.fr")]


def test_fiche_text(rules: Rules) -> None:
    answers = replace(HAPPY, montant=20000)
    fiche = fiche_predepot(answers, evaluate(answers, rules), rules, porteur="Les Amis d'Oliveaux",
                           lieu="Loos – Les Oliveaux", contacts=CONTACTS,
                           ambitions={"2.4": "Lever les freins d'accès à l'emploi"},
                           date_limite=date(2025, 10, 15)).render(TEMPLATE)
    t = fiche.texte
    assert t.startswith("Pré-dépôt – Contrat de ville et des solidarités, programmation 2026")
    assert "Les Amis d'Oliveaux (association loi 1901)" in t
    assert "Loos – Les Oliveaux" in t and "732 829 320 00074" in t
    assert "15 octobre 2025, sur Démarches Simplifiées" in t
    assert "- Céline Demartin <cdemartin@ville-loos.fr>" in t
    assert "- 2.4 Lever les freins d'accès à l'emploi" in t and "- 6.1" in t
    assert "[x] Contrat d'engagement républicain" in t
    assert "poste par poste" in t and "Diagnostic : éligible" in t
    assert "{" not in t


def test_mailto_encoding(rules: Rules) -> None:
    fiche = fiche_predepot(HAPPY, evaluate(HAPPY, rules), rules, porteur="A&B ? 100 %", lieu="Roubaix",
                           contacts=CONTACTS + [("Doublon", "CDEMARTIN@ville-loos.fr"), ("Vacant", "")]
                           ).render(TEMPLATE)
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
    assert query["body"][0].startswith("Bonjour,")


def test_mailto_without_contacts_is_still_valid() -> None:
    url = mailto_url([], "Sujet", "a\nb")
    assert url == "mailto:?subject=Sujet&body=a%0D%0Ab"
    assert unquote(url.split("body=")[1]) == "a\r\nb"


# --- the whole check, as the form's last step calls it -----------------------------------------

FORM = FormAnswers(structure="association loi 1901", siret="73282932000074", lieu="Wazemmes",
                   description="des ateliers vélo pour les mamans du quartier", egalite="oui",
                   engagement_republicain="oui", droit_commun="oui", partenariats="oui", indicateurs="oui",
                   finance_precedente="oui", cpo="non", montant="20000", metropolitain="non")


def test_check_gives_verdict_fiche_and_recipients(db_url: str) -> None:
    result = check(FORM, date(2025, 9, 20))
    assert result is not None and not result.structure_refusee and result.fiche is not None
    assert result.verdict.verdict == "eligible" and result.rules.annee == 2026
    assert [o.id for o in result.verdict.obligations] == ["bilan", "budget_detaille"]
    emails = {e for _, e in result.destinataires}
    assert "hverkest@mairie-lille.fr" in emails and "sebastien.humez@nord.gouv.fr" in emails
    fiche = result.fiche.render(TEMPLATE)
    assert "15 octobre 2025" in fiche.texte and "Wazemmes" in fiche.texte


def test_check_after_the_deadline_has_no_date_on_the_fiche(db_url: str) -> None:
    result = check(FORM, date(2025, 11, 2))
    assert result is not None and result.fiche is not None
    assert "Date limite" not in result.fiche.render(TEMPLATE).texte


def test_two_communes_named_make_a_projet_metropolitain(db_url: str) -> None:
    result = check(replace(FORM, lieu="Roubaix et Tourcoing", finance_precedente="non", montant="5000"),
                   date(2025, 9, 20))
    assert result is not None
    assert [o.id for o in result.verdict.obligations] == ["projet_metropolitain"]


def test_check_stops_for_a_company(db_url: str) -> None:
    result = check(FormAnswers(structure="une SARL"), date(2025, 9, 20))
    assert result is not None and result.structure_refusee and result.fiche is None
    assert result.verdict.verdict == "non_eligible"


def test_check_of_an_older_campaign(db_url: str) -> None:
    result = check(replace(FORM, montant="40000"), date(2024, 9, 20), campagne=2025)
    assert result is not None and result.rules.annee == 2025
    assert result.verdict.obligations == ()  # 2025: no bilan rule, no budget threshold


@pytest.mark.parametrize("question, text, said, value", [
    ("structure", "nous sommes une asso", None, "nous sommes une asso"),
    ("structure", "c'est quoi un QPV ?", None, None),
    ("siret", "pas de siret pour l'instant", None, "aucun"),
    ("siret", "732 829 320 00074", None, "732 829 320 00074"),
    ("siret", "je ne comprends pas", None, None),
    ("montant", "environ 8000 euros", None, "8000"),
    ("montant", "20k", None, "20000"),
    ("montant", "je ne sais pas encore", None, "inconnu"),
    ("oui_non", "oui bien sûr", None, "oui"),
    ("oui_non", "/nier", False, "non"),
    ("oui_non", "aucune idée", None, "inconnu"),
    ("oui_non", "qui contacter à Loos ?", None, None),
    ("lieu", "à Roubaix", None, "à Roubaix"),
    ("lieu", "Saint-Glinglin", None, None),
])
def test_reading_the_form_answers(question: elig.Question, text: str, said: bool | None, value: str | None) -> None:
    assert elig.read_answer(question, text, said=said) == value


def test_a_question_is_no_description() -> None:
    assert elig.read_answer("description", "qui contacter à Loos ?", is_question=True) is None
    assert elig.read_answer("description", "des ateliers cuisine pour les familles") is not None


def test_siret_validation_gives_two_chances() -> None:
    first = elig.validate_siret("123 456 789 00012", 0)
    assert (first.valeur, first.essais) == (None, 1) and first.message is not None
    assert "clé de contrôle" in french(first.message)
    second = elig.validate_siret("123 456 789 00012", 1)
    assert second.valeur == "invalide:123 456 789 00012" and second.message is not None
    assert elig.validate_siret("732 829 320 00074", 1).valeur == "73282932000074"


def test_every_key_has_its_response_in_the_domain() -> None:
    for key in MESSAGE_KEYS:
        assert TEMPLATE(f"utter_{key}"), key


def test_a_hazebrouck_project_is_not_judged_by_the_mel_rules_alone() -> None:
    from datetime import date

    from knowledge.services.eligibility import FormAnswers, check

    result = check(FormAnswers(structure="association", siret="73282932000074", lieu="Hazebrouck",
                               description="ateliers de cuisine avec les familles", egalite="oui",
                               engagement_republicain="oui", droit_commun="oui", partenariats="oui",
                               indicateurs="oui", finance_precedente="non", cpo="non", montant="5000",
                               metropolitain="non"), date(2025, 9, 20))
    assert result is not None
    territory = result.verdict.critere("territoire")
    assert territory.statut == "a_verifier" and "Hazebrouck" in french(territory.message)
    assert result.verdict.verdict == "incomplet"
