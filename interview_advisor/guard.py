"""The input guard: what the bot does with a message before trying to understand it.

Every message passes :func:`check` first (through the NLU component
``nlu_components.input_guard``, whatever channel it came from). It

- removes what carries no meaning but can confuse or hide things: control characters (tabs and
  line breaks are kept as spaces and line breaks), zero-width and other invisible formatting
  characters (Unicode category Cf: zero-width spaces and joiners, byte-order marks,
  right-to-left overrides), lone surrogates and U+FFFD (what invalid UTF-8 decodes to);
- refuses, with a reply a person understands, messages it cannot or should not read: empty or
  whitespace-only, longer than :data:`MAX_MESSAGE_CHARS`, written in another language
  (detected offline, only when confident), and ``/intent{...}`` shortcuts other than the exact
  payloads of the bot's own buttons;
- marks emoji-only and punctuation-only messages: they are refused only when the NLU model
  does not understand them either ("👍" is a yes);
- leaves HTML and script alone: they are plain text here, and every channel escapes the
  person's words when it renders them.

It never raises on any ``str`` (a property-based test feeds it arbitrary text). This module
imports neither Rasa nor spaCy; the language detector (``lingua``) is loaded on first use.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Collection, Dict, Optional, Tuple

from interview_advisor.dialogue.intents import UNREADABLE_INPUT

#: Messages longer than this (in characters, after cleaning) are not analysed: the person is
#: asked to summarise. About 800 words - five times the longest story in the training data,
#: and far below any server limit (Rasa's Sanic accepts 100 MB request bodies).
MAX_MESSAGE_CHARS = 5000

# problems, in the order they are checked
EMPTY = "empty"                  # nothing, or only spaces / invisible characters
TOO_LONG = "too_long"            # above MAX_MESSAGE_CHARS
NO_WORDS = "no_words"            # only punctuation
EMOJI_ONLY = "emoji_only"        # only emoji (and punctuation)
SHORTCUT = "shortcut"            # a /intent{...} shortcut that is not one of our buttons
OTHER_LANGUAGE = "other_language"
PROBLEMS = (EMPTY, TOO_LONG, NO_WORDS, EMOJI_ONLY, SHORTCUT, OTHER_LANGUAGE)
#: problems that only count when the NLU model does not understand the message either: "👍"
#: is a yes and "👋" a hello (both are in the training data), "🦄🦄" is neither
SOFT_PROBLEMS = (NO_WORDS, EMOJI_ONLY)

#: the intent the NLU component sets for a message with a problem (domain.yml, data/rules/)
INTENT = UNREADABLE_INPUT

# -- language detection thresholds (measured on 1,970 English messages of data/nlu and
#    eval/nlu: no false alarm; every German/Spanish/French/... sentence of 4+ words caught) --
MIN_WORDS_FOR_LANGUAGE = 4        # "ok", "Globex", "Guten Tag" are never judged
MIN_NON_LATIN_LETTERS = 6         # or this many letters of a non-Latin script (CJK has no spaces)
MIN_CONFIDENCE = 0.9              # lingua's confidence in the other language
MAX_ENGLISH_CONFIDENCE = 0.02     # and in English
MAX_ENGLISH_WORD_SHARE = 0.2      # share of common English words above which it is English

#: common English words that are rare in the other languages we detect ("a", "in", "is", "die",
#: "me", "no", "on" are deliberately missing: they are words in German, Dutch, Spanish, ...)
_ENGLISH_WORDS = """
the my this that these those how what why who which when where you your yours and i i'm i've
it's its with for from about would should could they them their we our was were have has had
been will can can't don't didn't isn't not just think but or if because there here he she his
her him some any very really job interview interviews recruiter manager offer company role
it be out honest honestly meh kinda sorta gonna wanna tbh ngl idk got get know like
"""
ENGLISH_WORDS = frozenset(_ENGLISH_WORDS.split())

_SHORTCUT = re.compile(r"^/\s*[^\W\d][\w\-.:]*\s*(?:@[^{]*)?\s*(?:\{.*)?$", re.DOTALL)
_BARE_PAYLOAD = re.compile(r"^/([^\W\d]\w*)$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class Checked:
    """The message as the bot will understand it, and what (if anything) is wrong with it."""
    text: str                          # cleaned text for understanding ("" when refused)
    problem: Optional[str] = None      # one of PROBLEMS, or None
    details: Dict[str, Any] = field(default_factory=dict)  # e.g. {"length": 100000}

    @property
    def refused(self) -> bool:
        """The message is answered with :func:`answer` whatever the NLU model thinks."""
        return self.problem is not None and self.problem not in SOFT_PROBLEMS

    def as_dict(self) -> Dict[str, Any]:
        return {"problem": self.problem, **self.details}


def clean(text: str) -> str:
    """``text`` without control, invisible-formatting and unpaired surrogate characters, with
    line breaks normalised to ``\\n``, tabs to spaces, NFC-composed and stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs") or ch == "\ufffd" or category == "Zl" \
                or category == "Zp":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).strip()


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Mn", "Me") or 0x1F000 <= ord(ch) <= 0x1FAFF


def _non_latin_letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha() and ord(ch) > 0x24F)


def check(text: Any, allowed_payloads: Collection[str] = ()) -> Checked:
    """Clean ``text`` and say what is wrong with it, if anything.

    ``allowed_payloads``: intent names whose bare ``/name`` payload is accepted (the buttons the
    bot itself sends); every other ``/...`` shortcut is refused, and a message that merely
    starts with a slash ("/ I had an interview") loses the slash.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    cleaned = clean(text)
    if not cleaned:
        return Checked("", EMPTY)
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return Checked("", TOO_LONG, {"length": len(cleaned), "limit": MAX_MESSAGE_CHARS})
    if cleaned.startswith("/"):
        bare = _BARE_PAYLOAD.match(cleaned)
        if bare and bare.group(1) in allowed_payloads:
            return Checked(cleaned)
        if _SHORTCUT.match(cleaned):
            return Checked("", SHORTCUT)
        cleaned = cleaned.lstrip("/").strip()
        if not cleaned:  # "/" or "//" alone
            return Checked("", SHORTCUT)
    if not any(ch.isalnum() for ch in cleaned):
        return Checked(cleaned, EMOJI_ONLY if any(_is_emoji(ch) for ch in cleaned) else NO_WORDS)
    language = other_language(cleaned)
    if language:
        return Checked("", OTHER_LANGUAGE, {"language": language})
    return Checked(cleaned)


# --------------------------------------------------------------------------------------------
# language
# --------------------------------------------------------------------------------------------

#: English and the languages people most often write in instead (lingua's names)
LANGUAGES = ("ENGLISH GERMAN FRENCH SPANISH ITALIAN PORTUGUESE DUTCH POLISH SWEDISH DANISH "
             "BOKMAL FINNISH TURKISH ROMANIAN CZECH HUNGARIAN INDONESIAN RUSSIAN UKRAINIAN "
             "GREEK ARABIC HEBREW HINDI CHINESE JAPANESE KOREAN VIETNAMESE")
_detector: Any = None
_detector_lock = threading.Lock()


def _get_detector() -> Any:
    """lingua's detector for :data:`LANGUAGES` (low-accuracy mode: ~50 MB, under 1 ms a
    message; loaded once, on first use)."""
    global _detector
    with _detector_lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            _detector = (LanguageDetectorBuilder
                         .from_languages(*(getattr(Language, n) for n in LANGUAGES.split()))
                         .with_low_accuracy_mode().build())
        return _detector


def english_word_share(text: str) -> float:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return sum(w in ENGLISH_WORDS for w in words) / len(words) if words else 0.0


def without_names(text: str) -> str:
    """``text`` without the capitalised words inside its sentences: names of people, companies
    and places ("Société Générale", "Jürgen") say nothing about the language it is written
    in. (German capitalises every noun; what is left of a German sentence is still German.)"""
    kept = []
    sentence_start = True
    for token in text.split():
        word = token.strip("\"'“”‘’()[]«»¿¡")
        if sentence_start or not word[:1].isupper() or word == "I":
            kept.append(token)
        sentence_start = token.endswith((".", "!", "?", ":", "\n"))
    return " ".join(kept)


def other_language(text: str) -> Optional[str]:
    """The language ``text`` is written in when it is confidently not English (a name such as
    "German"), else None. Short messages are never judged, nor mostly-English ones, nor a
    message on the strength of the names in it."""
    non_latin = _non_latin_letters(text)
    letters = sum(1 for ch in text if ch.isalpha())
    if non_latin >= MIN_NON_LATIN_LETTERS and non_latin / max(letters, 1) >= 0.6:
        top, confidence, english = _detect(text)
        return top if top != "English" else "another language"
    words_only = without_names(text)
    if len(_WORD.findall(words_only)) < MIN_WORDS_FOR_LANGUAGE:
        return None
    if english_word_share(words_only) >= MAX_ENGLISH_WORD_SHARE:
        return None
    top, confidence, english = _detect(words_only)
    if top != "English" and confidence >= MIN_CONFIDENCE and english <= MAX_ENGLISH_CONFIDENCE:
        return top
    return None


def _detect(text: str) -> Tuple[str, float, float]:
    """(best language name, its confidence, the confidence in English)."""
    values = _get_detector().compute_language_confidence_values(text)
    if not values:
        return "English", 0.0, 1.0
    english = next((v.value for v in values if v.language.name == "ENGLISH"), 0.0)
    return values[0].language.name.title(), float(values[0].value), float(english)


# --------------------------------------------------------------------------------------------
# requests
# --------------------------------------------------------------------------------------------

#: limits of a REST request (channels/rest.py): the sender id, and the metadata stored with
#: every message in the conversation and sent to the action server with each action call
MAX_SENDER_CHARS = 128
MAX_METADATA_CHARS = 10_000
MAX_METADATA_DEPTH = 10


def request_problem(body: Any) -> Optional[str]:
    """What is wrong with a REST webhook request body, in words for the caller, or None.

    A body is ``{"sender": str, "message": str, "metadata": {...}}``; ``message`` may be
    missing (an empty message), ``metadata`` too."""
    if not isinstance(body, dict):
        return 'the body must be a JSON object: {"sender": "...", "message": "..."}'
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return '"sender" must be a non-empty string (the conversation id)'
    if len(sender) > MAX_SENDER_CHARS:
        return f'"sender" must be at most {MAX_SENDER_CHARS} characters'
    if body.get("message") is not None and not isinstance(body.get("message"), str):
        return '"message" must be a string'
    metadata = body.get("metadata")
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return '"metadata" must be a JSON object'
    if _depth(metadata) > MAX_METADATA_DEPTH:
        return f'"metadata" must be nested at most {MAX_METADATA_DEPTH} levels deep'
    try:
        size = len(json.dumps(metadata, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError):
        return '"metadata" must be plain JSON'
    if size > MAX_METADATA_CHARS:
        return f'"metadata" must be at most {MAX_METADATA_CHARS:,} characters of JSON'
    return None


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (iteratively: no recursion limit)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            items = list(item.values())
        elif isinstance(item, list):
            items = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_METADATA_DEPTH:
            return deepest
        todo.extend((child, level + 1) for child in items)
    return deepest


# --------------------------------------------------------------------------------------------
# logging
# --------------------------------------------------------------------------------------------

DEBUG_LOGGING_WARNING = (
    "Debug logging is on: this server writes what people type (message texts, and the facts "
    "and slots taken from them) to its log. Keep such logs private and switch debug logging "
    "off outside development.")


def warn_if_debug_logging(logger: logging.Logger, watched: str) -> bool:
    """Log :data:`DEBUG_LOGGING_WARNING` (once per call) when the logger named ``watched``
    (e.g. "rasa", "rasa_sdk") would write debug messages; returns whether it did."""
    if logging.getLogger(watched).isEnabledFor(logging.DEBUG):
        logger.warning(DEBUG_LOGGING_WARNING)
        return True
    return False


# --------------------------------------------------------------------------------------------
# what the bot says
# --------------------------------------------------------------------------------------------

_PROMPT = "tell me in a sentence or two how your interview went, or what you're deciding."


def answer(problem: Optional[str], details: Optional[Dict[str, Any]] = None) -> Tuple[str, str]:
    """(reply kind, message) for a refused message. ``problem`` None: the NLU model itself
    judged the message unreadable (e.g. a short message in another language)."""
    details = details or {}
    if problem == EMPTY:
        return "fallback", f"I didn't get any text there. Whenever you're ready, {_PROMPT}"
    if problem == TOO_LONG:
        length = details.get("length")
        size = f" ({int(length):,} characters)" if isinstance(length, int) else ""
        return "fallback", (
            f"That's too long for me{size} - I read up to {MAX_MESSAGE_CHARS:,} characters at "
            "a time. Please summarise it in a few sentences: what happened, and what you're "
            "trying to decide.")
    if problem == NO_WORDS:
        return "fallback", f"I couldn't find any words in that. Could you {_PROMPT}"
    if problem == EMOJI_ONLY:
        return "fallback", f"I can't read emoji on their own, I'm afraid. Could you {_PROMPT}"
    if problem == SHORTCUT:
        return "fallback", ("Commands starting with \"/\" aren't something I take from typed "
                            "messages. Just tell me in your own words - for example, how your "
                            "interview went.")
    if problem == OTHER_LANGUAGE:
        return "out_of_scope", ("Sorry, I only understand English for now. Could you write "
                                "that in English? A few sentences are enough.")
    return "fallback", ("Sorry, I couldn't read that - I only understand English for now. "
                        f"Could you {_PROMPT}")
