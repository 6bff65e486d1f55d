"""The input guard's NLU components and its action, on real Rasa messages (no training of the
bot, no servers): what reaches understanding, what Rasa's own /intent handler makes of it."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_sdk.executor import CollectingDispatcher

from actions.input_actions import ActionAnswerUnreadableInput
from interview_advisor import guard
from nlu_components.input_guard import GUARD_KEY, InputGuard, InputGuardDecision

from .conftest import ROOT, make_tracker

_DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
#: the bot's intents and entities: what Rasa's /intent handler checks typed shortcuts against
DOMAIN = Domain.from_dict({"intents": _DOMAIN["intents"], "entities": _DOMAIN["entities"]})
CONTEXT = ExecutionContext(GraphSchema({}), "test")


@pytest.fixture
def trained_guard(tmp_path):
    """An InputGuard trained on three intents, saved and loaded back as Rasa does."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("InputGuard")
    component = InputGuard.create({}, storage, resource, CONTEXT)
    data = TrainingData([Message({TEXT: "hi", INTENT: "greet"}),
                         Message({TEXT: "I'm at Acme", INTENT: "inform"}),
                         Message({TEXT: "你好", INTENT: guard.INTENT})])
    component.train(data)
    return InputGuard.load({}, storage, resource, CONTEXT)


def understand(component, text, classified="nlu_fallback"):
    """Run a text through the guard, a stand-in classification, the decision and then Rasa's
    RegexMessageHandler (which always runs last) - returns the parsed message."""
    message = Message({TEXT: text})
    component.process([message])
    message.set(INTENT, {"name": classified, "confidence": 0.3}, add_to_output=True)
    message.set(ENTITIES, [{"entity": "company", "value": "Typed", "start": 0, "end": 1}],
                add_to_output=True)
    InputGuardDecision.create({}, None, None, CONTEXT).process([message])
    return RegexMessageHandler().process([message], DOMAIN)[0]


def test_training_learns_the_payloads_the_fallback_buttons_may_send(trained_guard):
    assert trained_guard.allowed == {"greet", "inform", "out_of_scope"}


def test_a_button_payload_still_sets_its_intent(trained_guard):
    parsed = understand(trained_guard, "/greet")
    assert parsed.get(INTENT)["name"] == "greet" and parsed.get(ENTITIES) == []


@pytest.mark.parametrize("text", ['/inform{"company": "Evil Corp"}', '/greet{"stage": "offer"}',
                                  "/restart", "/session_start", "/nlu_fallback",
                                  f"/{guard.INTENT}", '/inform{"company": ', "/inform@1.0"])
def test_typed_shortcuts_set_no_intent_and_no_entities(trained_guard, text):
    parsed = understand(trained_guard, text, classified="inform")
    assert parsed.get(INTENT)["name"] == guard.INTENT
    assert parsed.get(ENTITIES) == []
    assert parsed.get(GUARD_KEY) == {"problem": guard.SHORTCUT}
    assert parsed.get(TEXT) == ""


def test_without_the_guard_rasa_would_take_slots_from_typed_text():
    """The hole the guard closes: Rasa's own handler turns typed JSON into entities."""
    parsed = RegexMessageHandler().process([Message({TEXT: '/inform{"company": "Evil"}'})],
                                           DOMAIN)[0]
    assert parsed.get(INTENT)["name"] == "inform"
    assert [e["value"] for e in parsed.get(ENTITIES)] == ["Evil"]


def test_a_too_long_message_reaches_understanding_empty(trained_guard):
    parsed = understand(trained_guard, "blah " * 30_000, classified="describe_interview")
    assert parsed.get(TEXT) == "" and parsed.get(INTENT)["name"] == guard.INTENT
    assert parsed.get(GUARD_KEY)["problem"] == guard.TOO_LONG


def test_clean_text_is_what_the_classifier_and_the_actions_see(trained_guard):
    parsed = understand(trained_guard, "the\u200b recruiter\x00 was rude", classified="inform")
    assert parsed.get(TEXT) == "the recruiter was rude"
    assert parsed.get(INTENT)["name"] == "inform" and parsed.get(GUARD_KEY) is None
    assert parsed.as_dict()[TEXT] == "the recruiter was rude"


def test_emoji_the_model_understands_keep_their_intent(trained_guard):
    parsed = understand(trained_guard, "👍", classified="affirm")
    assert parsed.get(INTENT)["name"] == "affirm" and not parsed.get(GUARD_KEY)


def test_emoji_the_model_does_not_understand_are_answered(trained_guard):
    parsed = understand(trained_guard, "🦄🦄🦄")
    assert parsed.get(INTENT)["name"] == guard.INTENT
    assert parsed.get(GUARD_KEY) == {"problem": guard.EMOJI_ONLY}


def test_the_finding_is_in_the_parse_data(trained_guard):
    parsed = understand(trained_guard, "Hola, ayer tuve una entrevista de trabajo y no sé qué.")
    assert parsed.as_dict()[GUARD_KEY] == {"problem": guard.OTHER_LANGUAGE,
                                           "language": "Spanish"}


@pytest.mark.parametrize("finding,expected", [
    ({"problem": guard.TOO_LONG, "length": 100_000, "limit": 5000}, "summarise"),
    ({"problem": guard.OTHER_LANGUAGE, "language": "German"}, "only understand English"),
    ({"problem": guard.SHORTCUT}, "own words"),
    (None, "only understand English"),
    ("not a dict", "only understand English"),
])
def test_the_action_answers_with_the_reason(finding, expected):
    tracker = make_tracker("", intent=guard.INTENT)
    if finding is not None:
        tracker.latest_message[GUARD_KEY] = finding
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerUnreadableInput().run(dispatcher, tracker, {}))
    assert events == []
    assert len(dispatcher.messages) == 1 and expected in dispatcher.messages[0]["text"]
