"""The offline spaCy pipeline and the word normaliser shared by every pattern.

Nothing here is downloaded: the pipeline is ``spacy.blank("en")`` (tokenizer only) and the
lemmas come from the lookup table shipped in ``spacy-lookups-data``.  Each token gets a *key*:
its lower-cased, contraction-expanded form ("n't" -> "not", "wo" -> "will"), with British
spellings and small typos mapped onto the vocabulary of the rule base, then lemmatised.
Patterns are compiled to the same keys, so "responsibilites" matches ``responsibility`` and
"don't want" matches ``do not want``.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from ._quiet import import_spacy_without_tensorflow

import_spacy_without_tensorflow()

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

_EXTRA_NORMS = {
    # chat spellings that the tokenizer keeps whole (one word each)
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "tho": "though",
    "altho": "although",
    "nvr": "never",
    "ppl": "people",
    "mgr": "manager",
    "comms": "communication",
    "convo": "conversation",
    "convos": "conversation",
    "info": "information",
    "ghoster": "ghost",
    "'d": "would",
    "’d": "would",
    "'ll": "will",
    "’ll": "will",
    "'ve": "have",
    "’ve": "have",
    "idk": "idk",
    "dunno": "idk",
    "ngl": "ngl",
    "bcuz": "because",
    "wat": "what",
    "wht": "what",
    "abt": "about",
    "w/e": "whatever",
    "ghosting": "ghost",
}

_lock = threading.Lock()

# "'d" before one of these (or a word in -ed) is "had", not "would": "i'd done", "they'd told me"
_PARTICIPLES = frozenset({"done", "been", "gone", "had", "seen", "said", "heard", "got", "gotten",
                          "made", "taken", "given", "told", "known", "thought", "sent", "left",
                          "met", "spoken", "written", "forgotten", "already", "just", "never"})


# "'s" before one of these is "has", not "is": "nobody's told me", "she's been great" (a passive
# "is told" is rare in chat; participles that are often passive - "it's done", "it's based" - stay)
_HAS_PARTICIPLES = frozenset({"been", "told", "said", "got", "gotten", "gone", "had", "heard",
                              "spoken"})


def _participle(word: str) -> bool:
    lower = word.lower()
    return lower in _PARTICIPLES or (len(lower) > 4 and lower.endswith("ed") and
                                     lower not in ("need", "feed", "speed", "breed", "proceed",
                                                   "succeed", "exceed"))

# amounts of money ("95k", "$120,000", "£45-50k", "110k/yr") become one key that patterns can use
MONEY = "<money>"
_MONEY = re.compile(r"^[$£€]?\d{1,3}([.,]\d{3})+$|^[$£€]?\d+(\.\d+)?[kK]$|^[$£€]\d+(\.\d+)?$|"
                    r"^[$£€]?\d+(\.\d+)?[kK]?-[$£€]?\d+(\.\d+)?[kK]$|^[$£€]$")


@lru_cache(maxsize=1)
def blank_pipeline() -> spacy.language.Language:
    """The tokenizer-only English pipeline (built once per process)."""
    return spacy.blank("en")


@lru_cache(maxsize=1)
def lemma_table() -> Dict[str, str]:
    """Word form -> lemma, from spacy-lookups-data's English lookup table (offline)."""
    import spacy_lookups_data
    import srsly

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    table = srsly.read_gzip_json(path)
    return {form: lemma for form, lemma in table.items() if form.islower() and lemma.islower()}


@lru_cache(maxsize=1)
def dictionary_words() -> FrozenSet[str]:
    """Every base form WordNet knows as a noun, verb, adjective or adverb (spacy-lookups-data's
    English lemma index, offline; about 90,000 words, "honest" and "honestly" among them)."""
    import spacy_lookups_data
    import srsly

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_index.json.gz"
    index = srsly.read_gzip_json(path)
    return frozenset(word for words in index.values() for word in words)


@lru_cache(maxsize=1)
def word_classes() -> Dict[str, FrozenSet[str]]:
    """Base form -> the word classes WordNet gives it ("noun", "verb", "adj", "adv"), from the
    same offline index as :func:`dictionary_words` ("swift": adj and noun; "kestrel": noun)."""
    import spacy_lookups_data
    import srsly

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_index.json.gz"
    classes: Dict[str, Set[str]] = {}
    for pos, words in srsly.read_gzip_json(path).items():
        for word in words:
            classes.setdefault(word, set()).add(pos)
    return {word: frozenset(pos) for word, pos in classes.items()}


@lru_cache(maxsize=1)
def _known_words() -> Set[str]:
    table = lemma_table()
    return set(table) | set(table.values())


def _deletes(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1:] for i in range(len(word)))


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of at most one (insert, delete, substitute, swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


_BRITISH = (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"),
            ("our", "or"), ("tre", "ter"), ("ogue", "og"), ("lled", "led"), ("lling", "ling"))


class Normaliser:
    """Maps tokens to pattern keys: contractions, chat words, British spelling, typos, lemmas."""

    MIN_TYPO_LENGTH = 5

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.nlp = blank_pipeline()
        self.lemmas = lemma_table()
        self.known = _known_words()
        self._surface: Set[str] = set()
        self._index: Dict[str, Set[str]] = {}
        self._cache: Dict[str, str] = {}
        self._tokenized: Dict[str, Tuple[str, ...]] = {}  # phrase keys (no typos: pure)
        self.extend(vocabulary)

    # -- vocabulary ---------------------------------------------------------------------------
    def extend(self, keys: Iterable[str]) -> None:
        """Add pattern keys (lemmas) to the vocabulary that typos are corrected towards."""
        inflections: Dict[str, List[str]] = {}
        new = {k for k in keys if k.isalpha()} - self._surface
        if not new:
            return
        for form, lemma in self.lemmas.items():
            if lemma in new:
                inflections.setdefault(lemma, []).append(form)
        for key in new:
            for form in [key, *inflections.get(key, [])]:
                if form in self._surface:
                    continue
                self._surface.add(form)
                if len(form) >= self.MIN_TYPO_LENGTH - 1:
                    for deleted in [form, *_deletes(form)]:
                        self._index.setdefault(deleted, set()).add(form)
        self._cache.clear()

    # -- keys ---------------------------------------------------------------------------------
    def word_key(self, lower: str) -> str:
        """The key of one lower-cased word (already contraction-expanded by the tokenizer)."""
        cached = self._cache.get(lower)
        if cached is not None:
            return cached
        word = self._spell(lower)
        key = self.lemmas.get(word, word)
        if len(self._cache) < 50_000:
            self._cache[lower] = key
        return key

    def _spell(self, word: str) -> str:
        if word in self._surface or not word.isalpha() or word == MONEY:
            return word
        for british, american in _BRITISH:
            if word.endswith(british):
                variant = word[: -len(british)] + american
                if variant in self._surface:
                    return variant
        if len(word) < self.MIN_TYPO_LENGTH or word in self.known:
            return word
        candidates: Set[str] = set(self._index.get(word, ()))
        for deleted in _deletes(word):
            candidates |= self._index.get(deleted, set())
        best: Optional[str] = None
        for candidate in sorted(candidates):
            # prefer the candidate sharing the first letter: typos rarely hit it
            if _within_one_edit(word, candidate) and \
                    (best is None or (candidate[0] == word[0] and best[0] != word[0])):
                best = candidate
        return best or word

    def token_word(self, text: str, norm: str) -> str:
        """The lower-cased word a token stands for (contractions and chat spellings expanded)."""
        lower = text.lower()
        extra = _EXTRA_NORMS.get(lower)
        if extra:
            return extra
        if lower in ("'s", "\u2019s"):
            return "be"  # "it's", "company's going"; possessives map the same way in patterns
        if _MONEY.match(lower):
            return MONEY
        return norm

    def doc(self, text: str) -> Doc:
        """Tokenize ``text`` and set each token's NORM to its key (used by the Matcher)."""
        with _lock:  # the tokenizer's caches are not documented as thread-safe
            doc = self.nlp.make_doc(text)
        for token in doc:
            token.norm_ = self.word_key(self.token_word(token.text, token.norm_))
        for token in doc[:-1]:
            if token.text.lower() in ("'d", "\u2019d") and _participle(token.nbor().text):
                token.norm_ = self.word_key("have")  # "whether i'd done well": had, not would
            elif token.text.lower() in ("'s", "\u2019s") and \
                    token.nbor().text.lower() in _HAS_PARTICIPLES:
                token.norm_ = self.word_key("have")  # "nobody's told me": has, not is
        return doc

    def phrase_keys(self, text: str) -> List[str]:
        """The keys of a pattern word or phrase, as the matcher will see them."""
        if text == MONEY:     # the phrase language's "<money>": any amount of money
            return [MONEY]
        keys = self._tokenized.get(text)
        if keys is None:      # a rule base asks for the same words tens of thousands of times
            with _lock:
                doc = self.nlp.make_doc(text)
            keys = self._tokenized[text] = tuple(
                self.lemmas.get(w, w) for w in (self.token_word(t.text, t.norm_) for t in doc))
        return list(keys)
