"""The Rasa featurizer on real Rasa messages, read by the project's intent classifier."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.normalised_lr import NormalisedLogisticRegressionClassifier
from nlu_components.sentence_embeddings import SentenceEmbeddingFeaturizer


def component(cls, tmp_path, **config):
    return cls.create({**cls.get_default_config(), **config}, LocalModelStorage(tmp_path),
                      Resource(cls.__name__), ExecutionContext(GraphSchema({}), "test"))


def test_every_message_gets_one_sentence_feature_an_empty_one_too(tmp_path):
    feat = component(SentenceEmbeddingFeaturizer, tmp_path, weight=2.0)
    messages = [Message(data={TEXT: "they ghosted me"}), Message(data={TEXT: ""})]
    feat.process(messages)
    for msg, norm in zip(messages, (2.0, 0.0)):      # the empty text: the zero vector
        sequence, sentence = msg.get_dense_features(TEXT)
        assert sequence is None and sentence.features.shape == (1, 384)
        assert np.linalg.norm(sentence.features) == pytest.approx(norm, abs=1e-4)


def test_training_skips_turns_without_text(tmp_path):
    feat = component(SentenceEmbeddingFeaturizer, tmp_path)
    with_text, intent_only = Message(data={TEXT: "hi", "intent": "greet"}), \
        Message(data={"intent": "greet"})
    feat.process_training_data(TrainingData([with_text, intent_only]))
    assert with_text.get_dense_features(TEXT)[1] is not None
    assert intent_only.get_dense_features(TEXT)[1] is None


def test_the_classifier_generalises_from_the_embedding_alone(tmp_path):
    # hardly a word shared between training and test: only the sentence meaning can carry over
    feat = component(SentenceEmbeddingFeaturizer, tmp_path)
    clf = component(NormalisedLogisticRegressionClassifier, tmp_path, C=50)
    train = [("the recruiter never called me back", "ghosted"),
             ("no reply from the company for weeks", "ghosted"),
             ("what salary should I ask for", "pay"),
             ("how much money can I negotiate", "pay")]
    examples = [Message(data={TEXT: t, "intent": i}) for t, i in train]
    clf.train(feat.process_training_data(TrainingData(examples)))
    tests = [Message(data={TEXT: "they ghosted me after my interview"}),
             Message(data={TEXT: "is 60k a fair compensation offer"})]
    clf.process(feat.process(tests))
    assert [m.get("intent")["name"] for m in tests] == ["ghosted", "pay"]
