"""The project's custom NLU component, on real Rasa messages and features (no training)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from nlu_components import story_fallback
from nlu_components.normalised_lr import NormalisedLogisticRegressionClassifier
from nlu_components.story_fallback import ANALYSIS_INTENTS, StoryAwareFallbackClassifier


def message(counts, intent=None):
    msg = Message(data={TEXT: "x", **({"intent": intent} if intent else {})})
    msg.add_features(Features(csr_matrix(np.array([counts], dtype=float)), "sentence", TEXT,
                              "CountVectorsFeaturizer"))
    return msg


def component(cls, tmp_path, **config):
    """A component as Rasa's graph creates it: its default config overridden by ``config``."""
    return cls.create({**cls.get_default_config(), **config}, LocalModelStorage(tmp_path),
                      Resource(cls.__name__), ExecutionContext(GraphSchema({}), "test"))


@pytest.fixture
def make(tmp_path):
    return lambda **config: component(NormalisedLogisticRegressionClassifier, tmp_path,
                                      **config)


def test_every_message_vector_has_unit_length(make):
    X = make()._create_X([message([30, 40, 0]), message([0, 0, 2]), message([0, 0, 0])])
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1))).ravel()
    assert norms[0] == pytest.approx(1.0) and norms[1] == pytest.approx(1.0)
    assert norms[2] == 0.0  # an empty message stays a zero vector (no division by zero)
    assert X[0, 0] == pytest.approx(0.6) and X[0, 1] == pytest.approx(0.8)


def test_c_comes_from_the_config(make):
    assert make().clf.C == 1.0
    assert make(C=50).clf.C == 50.0


def test_a_short_message_is_classified_like_a_long_one_with_the_same_words(make):
    clf = make(C=50)
    clf.train(TrainingData([message([1, 0], "thank"), message([0, 1], "describe_interview"),
                            message([2, 0], "thank"), message([0, 3], "describe_interview")]))
    short, long = message([0, 1]), message([0, 40])
    clf.process([short, long])
    assert short.get("intent")["name"] == long.get("intent")["name"] == "describe_interview"
    assert short.get("intent")["confidence"] == pytest.approx(long.get("intent")["confidence"])


def ranked(text, *ranking):
    return Message(data={TEXT: text,
                         "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
                         "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]})


STORY = ("Should I keep interviewing there? Everyone I know at the company only says great "
         "things about it and nobody mentions any downsides.")


@pytest.mark.parametrize("text,ranking,fallback", [
    (STORY, [("ask_keep_interviewing", 0.38), ("describe_interview", 0.36)], False),
    (STORY, [("describe_interview", 0.30), ("thank", 0.28)], True),        # could be thanks
    ("should i go?", [("ask_keep_interviewing", 0.38), ("describe_interview", 0.36)], True),
    (STORY, [("describe_interview", 0.95), ("inform", 0.01)], False),     # sure anyway
    ("hmm", [("greet", 0.30), ("thank", 0.25)], True)])
def test_a_story_between_two_analysed_intents_is_not_interrupted(tmp_path, text, ranking,
                                                                  fallback):
    classifier = component(StoryAwareFallbackClassifier, tmp_path, threshold=0.4,
                           ambiguity_threshold=0.05)
    [msg] = classifier.process([ranked(text, *ranking)])
    assert (msg.get("intent")["name"] == "nlu_fallback") is fallback


@pytest.mark.parametrize("text,ranking,fallback", [
    ("the pay is like 15k more than what i get now",
     [("inform", 0.36), ("out_of_scope", 0.25)], False),
    ("tbh im not that into it anymore", [("inform", 0.40), ("deny", 0.26)], False),
    ("the pay is like 15k more than what i get now",
     [("out_of_scope", 0.36), ("inform", 0.25)], True),                  # best guess elsewhere
    ("what do you reckon then", [("inform", 0.36), ("thank", 0.30)], True),   # no fact in it
    ("should i keep interviewing", [("inform", 0.36), ("thank", 0.30)], True)])  # a question
def test_a_statement_of_a_fact_is_not_a_misunderstanding(tmp_path, text, ranking, fallback):
    classifier = component(StoryAwareFallbackClassifier, tmp_path, threshold=0.4,
                           ambiguity_threshold=0.05)
    [msg] = classifier.process([ranked(text, *ranking)])
    assert (msg.get("intent")["name"] == "nlu_fallback") is fallback


@pytest.mark.parametrize("fact_statements", [True, False])
def test_the_rule_base_loads_with_the_model_not_on_a_message(tmp_path, monkeypatch,
                                                             fact_statements):
    """The first unsure message must not wait seconds for the rule base to load."""
    monkeypatch.setattr(story_fallback, "_advisor", None)
    component(StoryAwareFallbackClassifier, tmp_path, fact_statements=fact_statements)
    assert (story_fallback._advisor is not None) is fact_statements


def test_the_story_intents_are_those_the_dialogue_analyses():
    """Keep ANALYSIS_INTENTS in step with data/rules/advice.yml."""
    rules = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "rules" /
                            "advice.yml").read_text("utf-8"))["rules"]
    analysed = {rule["steps"][0]["intent"] for rule in rules
                if len(rule["steps"]) == 2 and "intent" in rule["steps"][0]
                and rule["steps"][1].get("action") == "action_analyze_situation"}
    assert set(ANALYSIS_INTENTS) <= analysed
    assert analysed - set(ANALYSIS_INTENTS) == {"affirm", "deny"}  # short answers, not stories
