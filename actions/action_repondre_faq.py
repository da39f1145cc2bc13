"""The questions every applicant asks: curated answer, quoted passage or honest "not found" (`answer_faq`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import other_requests
from actions.common import entity_values, in_thread, is_button_payload, latest_intent, latest_text
from actions.rendering import utter_says
from knowledge.services.faq import FaqRequest, answer_faq


class ActionRepondreFaq(Action):
    def name(self) -> str:
        return "action_repondre_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        intent = latest_intent(tracker)
        ranking = [r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        if intent == "nlu_fallback":  # the NLU's best guess still tells what the question is about
            best = ranking[0] if ranking else {}
            intent, confidence = str(best.get("name") or intent), float(best.get("confidence") or 0.0)
        else:
            confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
        alternatives = tuple((str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking
                             if r.get("name") != intent)
        text = latest_text(tracker)
        reply = await in_thread(answer_faq, FaqRequest(intent=intent, confidence=confidence, text=text,
                                      lieux=tuple(entity_values(tracker, "lieu")),
                                      contexte=tracker.get_slot("lieu_contexte"), is_button=is_button_payload(text),
                                      alternatives=alternatives))
        if reply.suite == "ambitions":
            return [SlotSet("lieu", None), FollowupAction("action_suggerer_ambitions")]
        if reply.curated:
            dispatcher.utter_message(response=reply.curated, **reply.curated_values)
        utter_says(dispatcher, domain, reply.says)
        return [SlotSet("lieu", None), *other_requests(dispatcher, tracker, domain, intent)]
