"""Logistic regression over length-normalised features, for intent classification.

Rasa's LogisticRegressionClassifier feeds the summed token counts of a message to scikit-learn.
A 120-word interview story then has a feature vector dozens of times longer than "thanks!", so
long messages get confident predictions and short ones hardly any signal. Scaling every
message's vector to unit length (L2) lets the classifier judge both on the words they contain.
Unit-length vectors are small, so the regularisation has to be weaker: ``C`` (scikit-learn's
inverse regularisation strength, default 1.0 as in scikit-learn) is configurable in config.yml.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix
from sklearn.preprocessing import normalize


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NormalisedLogisticRegressionClassifier(LogisticRegressionClassifier):
    """LogisticRegressionClassifier with each message's feature vector scaled to unit length
    and a configurable ``C``."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0}

    def __init__(self, config: Dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.clf.set_params(C=float(self.config["C"]))

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        return normalize(super()._create_X(messages), norm="l2", copy=False)
