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


def test_asking_who_the_delegue_is_somewhere_gets_that_place_s_people() -> None:
    reply = answer_faq(FaqRequest("demander_info_delegue_prefet", 0.6,
                                  "Notre club est à Wattrelos : quel délégué du préfet faut-il aller voir ?",
                                  lieux=("Wattrelos",)))
    assert keys(reply)[0] in {"contacts", "contacts_role"}, keys(reply)
    roles = {c["role"] for say in reply.says for c in (say.payload or {}).get("contacts") or []}
    assert "delegue_prefet" in roles
    # What the role is stays a definition, with or without a place.
    for text in ("c'est quoi le rôle du délégué du préfet à Wattrelos ?", "qui est le délégué du préfet ?"):
        definition = answer_faq(FaqRequest("demander_info_delegue_prefet", 0.9, text))
        assert definition.curated == "utter_info_delegue_prefet", text


def test_every_value_a_curated_answer_uses_comes_from_the_latest_call() -> None:
    import re
    from pathlib import Path

    import yaml

    from knowledge.services.campaigns import campaign_values

    values = campaign_values()
    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "bot" / "domain" / "faq.yml").read_text("utf-8"))
    used = {name for key, variants in domain["responses"].items() if key.startswith("utter_info_") for v in variants
            for name in re.findall(r"\{(\w+)\}", v.get("text", ""))}
    assert {"annee", "objectifs_min", "objectifs_max"} <= used
    for name in used:
        assert values.get(name) not in (None, ""), name
    assert (values["objectifs_min"], values["objectifs_max"]) == (2, 5)  # annexe 3 of the 2026 call


def test_two_close_readings_without_a_passage_are_offered_as_a_choice() -> None:
    text = "zzkk blorp vlimp"  # no passage answers it
    tied = answer_faq(FaqRequest("demander_info_redepot_cpo", 0.40, text,
                                 alternatives=(("demander_info_structures_eligibles", 0.38), ("saluer", 0.1))))
    assert tied.curated is None and keys(tied) == ["faq_choix"]
    assert [payload for _, payload in tied.says[0].buttons] == ["/demander_info_redepot_cpo",
                                                               "/demander_info_structures_eligibles"]
    assert [title.response for title, _ in tied.says[0].buttons] == [
        "utter_libelle_demander_info_redepot_cpo", "utter_libelle_demander_info_structures_eligibles"]
    clear = answer_faq(FaqRequest("demander_info_redepot_cpo", 0.55, text,
                                  alternatives=(("demander_info_structures_eligibles", 0.20),)))
    assert clear.curated == "utter_info_redepot_cpo" and not any(say.buttons for say in clear.says)
    # A non-FAQ rival (greeting…) is no choice to offer.
    other = answer_faq(FaqRequest("demander_info_redepot_cpo", 0.40, text, alternatives=(("saluer", 0.39),)))
    assert other.curated == "utter_info_redepot_cpo"


def test_an_unsure_project_description_gets_ambitions_not_a_dead_end() -> None:
    text = "on voudrait accompagner les personnes âgées isolées pour qu'elles fassent valoir leurs droits, ça rentre ?"
    reply = answer_faq(FaqRequest("demander_ambition", 0.45, text,
                                  alternatives=(("demander_info_engagement_republicain", 0.43),)))
    assert reply.suite == "ambitions" and not reply.says
    # Not a project: the honest answer stays.
    other = answer_faq(FaqRequest("demander_ambition", 0.45, "zzkk blorp vlimp"))
    assert other.suite is None and keys(other)[0] == "passage_aucun"
