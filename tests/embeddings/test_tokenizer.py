"""The WordPiece tokenizer against the model's own vocabulary and tokenizer.json settings."""

from __future__ import annotations

import json

import pytest

from interview_advisor.embeddings.files import model_dir
from interview_advisor.embeddings.tokenizer import WordPieceTokenizer, basic_split


@pytest.fixture(scope="module")
def tok():
    return WordPieceTokenizer.from_vocab_file(model_dir() / "vocab.txt", max_length=16)


def test_vocab_txt_is_the_vocabulary_of_tokenizer_json(tok):
    spec = json.loads((model_dir() / "tokenizer.json").read_text("utf-8"))
    assert spec["model"]["type"] == "WordPiece"
    assert spec["model"]["continuing_subword_prefix"] == "##"
    assert spec["normalizer"]["lowercase"] is True
    assert spec["model"]["vocab"] == tok.vocab


def test_known_bert_uncased_ids(tok):
    # the well-known ids of bert-base-uncased's vocabulary, which MiniLM shares
    assert (tok.pad, tok.unk, tok.cls, tok.sep) == (0, 100, 101, 102)
    assert tok.encode("Hello") == [101, 7592, 102]


def test_lower_case_accents_and_punctuation_split():
    assert basic_split("Héllo,WORLD!! I'm  fine\t(really)") == [
        "hello", ",", "world", "!", "!", "i", "'", "m", "fine", "(", "really", ")"]
    assert basic_split("a\u200bb \x00c") == ["ab", "c"]  # zero-width / control chars dropped


def test_greedy_longest_match_first(tok):
    # "ghosted" is not a vocabulary word: longest prefix "ghost", then "##ed"
    assert tok.tokenize("ghosted") == ["ghost", "##ed"]
    assert tok.tokenize("interview") == ["interview"]
    assert tok.tokenize("unaffable") == ["una", "##ffa", "##ble"]
    assert tok.word_pieces("x" * 101) == ["[UNK]"]  # longer than BERT's 100-character limit


def test_truncation_keeps_cls_and_sep(tok):
    ids = tok.encode("word " * 50)
    assert len(ids) == 16 and ids[0] == tok.cls and ids[-1] == tok.sep
    assert tok.encode("") == [tok.cls, tok.sep]
