"""BERT's uncased WordPiece tokenizer (what tokenizer.json of all-MiniLM-L6-v2 describes).

1. normalise: drop control characters, whitespace to spaces, lower case, strip accents;
2. split on whitespace, then every punctuation character (and CJK ideograph) stands alone;
3. each word to the longest vocabulary piece from its start, the rest as "##" pieces
   (greedy longest-match-first); a word with no split, or longer than 100 characters, is [UNK];
4. [CLS] ... [SEP], truncated to ``max_length`` ids in all.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Dict, List

MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    # ASCII symbols count as punctuation for BERT ("$", "^", "`" ... too)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F
            or 0x2B820 <= code <= 0x2CEAF or 0xF900 <= code <= 0xFAFF
            or 0x2F800 <= code <= 0x2FA1F)


def normalise(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD:
            continue
        if char in "\t\n\r" or unicodedata.category(char) == "Zs":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    lowered = unicodedata.normalize("NFD", "".join(out).lower())
    return "".join(c for c in lowered if unicodedata.category(c) != "Mn")


def basic_split(text: str) -> List[str]:
    words: List[str] = []
    for chunk in normalise(text).split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


class WordPieceTokenizer:
    def __init__(self, vocab: Dict[str, int], max_length: int = 256) -> None:
        self.vocab = vocab
        self.max_length = max_length
        self.unk, self.cls, self.sep = vocab["[UNK]"], vocab["[CLS]"], vocab["[SEP]"]
        self.pad = vocab["[PAD]"]

    @classmethod
    def from_vocab_file(cls, path: Path, max_length: int = 256) -> WordPieceTokenizer:
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cls({token: i for i, token in enumerate(lines)}, max_length)

    def word_pieces(self, word: str) -> List[str]:
        if len(word) > MAX_WORD_CHARS:
            return ["[UNK]"]
        pieces: List[str] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    break
                end -= 1
            if end == start:
                return ["[UNK]"]
            pieces.append(piece)
            start = end
        return pieces

    def tokenize(self, text: str) -> List[str]:
        return [piece for word in basic_split(text) for piece in self.word_pieces(word)]

    def encode(self, text: str) -> List[int]:
        """[CLS] + the pieces' ids + [SEP], at most ``max_length`` ids."""
        ids = [self.vocab.get(piece, self.unk) for piece in self.tokenize(text)]
        return [self.cls] + ids[: self.max_length - 2] + [self.sep]
