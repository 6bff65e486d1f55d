"""A dense featurizer: each message's all-MiniLM-L6-v2 sentence embedding (384 numbers).

Thin Rasa adapter around :mod:`interview_advisor.embeddings` (numpy, no PyTorch). It adds a
sentence-level feature only - the intent classifier (logistic regression) reads sentence
features alone, and the CRF does not use dense features. Every message gets one, an empty
(refused) message too, so all feature vectors have the same length. ``weight`` scales the unit
vector against the sparse counts it is stacked with.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, List

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from interview_advisor.embeddings import SentenceEncoder

#: texts already encoded in this process (training, cross-validation folds, repeated messages)
_CACHE: Dict[str, np.ndarray] = {}
_CACHE_SIZE = 20_000


@functools.lru_cache(maxsize=1)
def _encoder() -> SentenceEncoder:
    """Loaded once per process (training, cross-validation folds and the server share it)."""
    return SentenceEncoder.load()


def embed(texts: List[str]) -> Dict[str, np.ndarray]:
    """Each distinct text's unit vector; the new ones encoded together in batches."""
    new = sorted({t for t in texts if t not in _CACHE})
    if new:
        if len(_CACHE) + len(new) > _CACHE_SIZE:
            _CACHE.clear()
        _CACHE.update(zip(new, _encoder().encode(new)))
    return {t: _CACHE[t] for t in texts}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "weight": 1.0}

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if float(config.get("weight", 1.0)) <= 0:
            raise ValueError("SentenceEmbeddingFeaturizer: weight must be positive")

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self.weight = float(self._config["weight"])
        _encoder()  # load the model now, not on the first message

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> GraphComponent:
        return cls(config, execution_context.node_name)

    def _add(self, messages: List[Message], vectors: Dict[str, np.ndarray]) -> None:
        for message in messages:
            vector = vectors[message.get(TEXT) or ""] * np.float32(self.weight)
            self.add_features_to_message(None, vector[None, :], TEXT, message)

    def process(self, messages: List[Message]) -> List[Message]:
        self._add(messages, embed([m.get(TEXT) or "" for m in messages]))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # intent-only story turns have no text to featurize
        self.process([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data
