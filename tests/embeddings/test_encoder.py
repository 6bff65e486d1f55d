"""The numpy MiniLM encoder, by properties that a wrong forward pass would break."""

from __future__ import annotations

import numpy as np
import pytest

from interview_advisor.embeddings import SentenceEncoder


@pytest.fixture(scope="module")
def enc():
    return SentenceEncoder.load(batch_size=4)


def cos(a, b):
    return float(a @ b)


def test_paraphrases_are_closer_than_unrelated_sentences(enc):
    called, ghosted, kitchen = enc.encode([
        "the recruiter never called me back", "they ghosted me after the interview",
        "the office has a nice kitchen"])
    assert cos(called, ghosted) > cos(called, kitchen) + 0.3
    assert cos(called, ghosted) > cos(ghosted, kitchen) + 0.3


def test_matches_the_published_similarity(enc):
    # sentence-transformers' documentation: all-MiniLM-L6-v2 scores this pair 0.7553
    food, bread = enc.encode(["A man is eating food.", "A man is eating a piece of bread."])
    assert cos(food, bread) == pytest.approx(0.7553, abs=0.002)


def test_unit_length_deterministic_and_independent_of_the_batch(enc):
    texts = ["thanks!", "they asked me to do a take-home test for free over the weekend",
             "", "ok", "the salary was never mentioned, and when I asked they changed topic",
             "ok"]
    batched = enc.encode(texts)
    assert batched.shape == (6, 384) and batched.dtype == np.float32
    norms = np.linalg.norm(batched, axis=1)
    assert np.allclose(np.delete(norms, 2), 1.0, atol=1e-5) and norms[2] == 0.0   # "" is zero
    assert np.array_equal(batched, enc.encode(texts))
    singles = np.vstack([enc.encode([t]) for t in texts])
    assert np.allclose(batched, singles, atol=1e-5)
    assert np.array_equal(batched[3], batched[5])


def test_a_text_without_a_known_word_piece_is_the_zero_vector(enc):
    """Found by CI: the model gives emoji-only text, a script outside its vocabulary and the
    empty text one and the same vector, and the classifier read "🦄🦄🦄" as an intent."""
    unknown = enc.encode(["🦄🦄🦄", "", "👍", "\u2603\u2603"])
    assert not unknown.any()
    mixed = enc.encode(["thanks 👍"])
    assert np.linalg.norm(mixed) == pytest.approx(1.0, abs=1e-5)
