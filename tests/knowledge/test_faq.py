"""The FAQ answer per territory: curated MEL answer, quoted passage, other contracts, honest 'not found'."""

from __future__ import annotations

from knowledge.services.faq import FaqRequest, answer_faq


def keys(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.message.key for s in reply.says]


def test_a_confident_mel_question_gets_its_curated_answer_with_the_campaign_values() -> None:
    reply = answer_faq(FaqRequest("demander_info_budget", 0.93, "que doit contenir le budget ?"))
    assert reply.curated == "utter_info_budget"
    assert reply.curated_values["annee"] and reply.curated_values["seuil_budget"]


def test_hazebrouck_never_gets_a_mel_answer() -> None:
    reply = answer_faq(FaqRequest("demander_info_budget", 0.95, "quel budget pour un projet à Hazebrouck ?",
                                  lieux=("Hazebrouck",)))
    assert reply.curated is None
    for say in reply.says:
        if say.payload:
            assert say.payload["document"] != "appel-2026" and "MEL" not in say.payload["titre"]


def test_a_definition_that_holds_everywhere_is_given_in_hazebrouck_too() -> None:
    reply = answer_faq(FaqRequest("demander_info_qpv", 0.9, "c'est quoi un QPV à Hazebrouck ?", lieux=("Hazebrouck",)))
    assert reply.curated == "utter_info_qpv"


def test_another_nord_contract_gets_its_planned_signature_not_the_mel_one() -> None:
    reply = answer_faq(FaqRequest("demander_info_cvs", 0.8, "Le contrat de ville de Cambrai a été signé quand ?"))
    assert keys(reply)[0] == "faq_autre_contrat"
    message = reply.says[0].message
    assert "Cambrai" in message.values["contrat"] or "Cambrai" in message.values["lieu"]
    assert reply.curated is None


def test_an_unsure_intent_is_answered_from_the_documents() -> None:
    reply = answer_faq(FaqRequest("demander_info_enjeux", 0.4,
                                  "Combien d'objectifs opérationnels faut-il mettre dans le bilan ?"))
    assert keys(reply) == ["passage"]
    payload = reply.says[0].payload
    assert payload["type"] == "extrait" and "5" in payload["texte"]


def test_nothing_good_enough_names_a_human() -> None:
    reply = answer_faq(FaqRequest("nlu_fallback", 0.1, "zzkk blorp"))
    assert keys(reply)[0] == "passage_aucun" and keys(reply)[1] == "contact_humain_mel"
    local = answer_faq(FaqRequest("nlu_fallback", 0.1, "zzkk blorp", contexte="commune:59360"))
    assert keys(local)[1] == "contact_humain_ville"


def test_a_message_not_understood_that_names_a_place_gets_the_place_answer() -> None:
    reply = answer_faq(FaqRequest("nlu_fallback", 0.2, "un projet à Paris 18e"))
    assert keys(reply) == ["lieu_inconnu"] and "Paris 18e" in reply.says[0].message.values["saisie"]
    known = answer_faq(FaqRequest("nlu_fallback", 0.2, "notre truc se passe sur Fives"))
    assert keys(known)[0] == "contacts"
