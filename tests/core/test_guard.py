"""The input guard (interview_advisor/guard.py): cleaning, refusals, languages - no Rasa."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import yaml

from interview_advisor import guard
from interview_advisor.dialogue.reply import KINDS

ROOT = Path(__file__).resolve().parents[2]
BUTTONS = {"greet", "describe_interview", "out_of_scope", "restart"}


def english_messages():
    """Every training and held-out NLU example (all English), entity markup removed."""
    paths = sorted((ROOT / "data" / "nlu").glob("*.yml")) + [ROOT / "eval/nlu/heldout.yml"]
    out = []
    for path in paths:
        for item in yaml.safe_load(path.read_text("utf-8")).get("nlu") or []:
            if item.get("intent") in (None, guard.INTENT):
                continue
            for line in (item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    text = re.sub(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})", r"\1", line.strip()[2:])
                    out.append(text)
    return out


# -- cleaning ---------------------------------------------------------------------------------

def test_control_and_invisible_characters_are_removed_before_understanding():
    dirty = ("\ufeffthe\u200b recruiter\x00 couldn't\u200d say\u202e what\x1b[31m the job "
             "is\u2066\ud800\ufffd")
    assert guard.clean(dirty) == "the recruiter couldn't say what[31m the job is"
    assert guard.check(dirty).text == "the recruiter couldn't say what[31m the job is"


def test_line_breaks_and_tabs_survive_as_plain_whitespace():
    assert guard.clean("first line\r\nsecond\tline\rthird") == "first line\nsecond line\nthird"


def test_text_is_composed_to_one_form():
    assert guard.clean("Jürgen") == guard.clean("Ju\u0308rgen") == "Jürgen"


# -- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "\u200b\u200b\ufeff", "\x00\x01", None])
def test_empty_and_invisible_messages_are_refused(text):
    checked = guard.check(text)
    assert checked.problem == guard.EMPTY and checked.refused and checked.text == ""


def test_a_message_above_the_limit_is_refused_with_its_length():
    assert guard.check("a" * guard.MAX_MESSAGE_CHARS).problem is None
    checked = guard.check("word " * 20_000)          # ~100 KB
    assert checked.refused and checked.problem == guard.TOO_LONG and checked.text == ""
    assert checked.details == {"length": len(("word " * 20_000).strip()),
                               "limit": guard.MAX_MESSAGE_CHARS}


def test_the_limit_counts_characters_after_cleaning():
    padded = "ok" + "\u200b" * (guard.MAX_MESSAGE_CHARS * 2)
    assert guard.check(padded).problem is None


@pytest.mark.parametrize("text,problem", [
    ("😀😀😀", guard.EMOJI_ONLY), ("🦄", guard.EMOJI_ONLY), ("👍🏽", guard.EMOJI_ONLY),
    ("👨\u200d👩\u200d👧", guard.EMOJI_ONLY), ("...", guard.NO_WORDS), ("?!", guard.NO_WORDS)])
def test_emoji_and_punctuation_only_are_marked_but_left_to_the_nlu_model(text, problem):
    checked = guard.check(text)
    assert checked.problem == problem and not checked.refused
    assert checked.text == guard.clean(text)   # "👍" is a yes in the training data


@pytest.mark.parametrize("text", ["<script>alert('x')</script>", "<b>bold</b> & <i>more</i>",
                                  "the recruiter said <img src=x onerror=alert(1)> lol"])
def test_html_and_script_are_plain_text(text):
    assert guard.check(text) == guard.Checked(text)


# -- /intent shortcuts ------------------------------------------------------------------------

@pytest.mark.parametrize("payload", ["/greet", "/describe_interview", "/out_of_scope"])
def test_the_bots_own_button_payloads_pass_unchanged(payload):
    assert guard.check(payload, BUTTONS) == guard.Checked(payload)


@pytest.mark.parametrize("text", [
    '/greet{"company": "Evil Corp"}', '/inform{"stage": "offer"}', "/inform", "/nlu_fallback",
    "/session_start", "/greet@1.0", '/describe_interview@0.99{"company": "x"}',
    '/inform{"company": ', "/inform{not json at all", '/greet{"a": {"b": [1, 2, {"c": 3}]}}',
    "/unknown_intent", "/  greet", "/restart" + "x" * 50, "/", "///", "/greet extra{}"[:6] + "{",
])
def test_other_shortcuts_are_refused(text):
    checked = guard.check(text, BUTTONS - {"restart"})
    assert checked.problem == guard.SHORTCUT and checked.refused and checked.text == ""


def test_a_sentence_that_starts_with_a_slash_loses_the_slash():
    checked = guard.check("/ I had an interview at Acme today", BUTTONS)
    assert checked == guard.Checked("I had an interview at Acme today")
    assert guard.check("//path and then some words", BUTTONS).text == "path and then some words"


def test_no_payload_is_accepted_without_an_allow_list():
    assert guard.check("/greet").problem == guard.SHORTCUT


# -- other languages --------------------------------------------------------------------------

FOREIGN = {
    "German": ["Hallo, ich hatte gestern ein Vorstellungsgespräch und bin unsicher.",
               "Der Personaler konnte mir nicht sagen, was die Stelle eigentlich ist."],
    "Spanish": ["Hola, ayer tuve una entrevista de trabajo y no sé qué hacer.",
                "Me ofrecieron el trabajo pero el salario es muy bajo."],
    "French": ["Bonjour, j'ai passé un entretien hier et je ne sais pas quoi faire.",
               "Le recruteur n'a pas pu me dire en quoi consiste le poste."],
    "Russian": ["Здравствуйте, вчера у меня было собеседование."],
    "Chinese": ["你好，我昨天参加了面试，不知道该怎么办。"],
    "Japanese": ["こんにちは、昨日面接を受けました。"],
    "Arabic": ["مرحبا، كان لدي مقابلة عمل أمس."],
}


@pytest.mark.parametrize("language,text", [(lang, t) for lang, ts in FOREIGN.items()
                                           for t in ts])
def test_other_languages_are_detected_offline(language, text):
    checked = guard.check(text)
    assert checked.refused and checked.problem == guard.OTHER_LANGUAGE
    assert checked.details == {"language": language}


@pytest.mark.parametrize("text", ["ok", "Globex", "Hallo", "Danke", "Bonjour", "Guten Tag",
                                  "thx", "I interviewed at Société Générale in Paris",
                                  "the CTO, Jürgen Müller, asked about Kubernetes"])
def test_short_or_mostly_english_messages_are_never_judged_foreign(text):
    assert guard.check(text).problem is None


def test_no_english_training_or_held_out_message_is_judged_foreign():
    messages = english_messages()
    assert len(messages) > 1500
    judged = [(t, guard.check(t).details) for t in messages
              if guard.check(t).problem == guard.OTHER_LANGUAGE]
    assert judged == []


def test_detection_is_deterministic():
    texts = [t for ts in FOREIGN.values() for t in ts] + english_messages()[:200]
    assert [guard.check(t) for t in texts] == [guard.check(t) for t in texts]


# -- answers and logging ----------------------------------------------------------------------

@pytest.mark.parametrize("problem", list(guard.PROBLEMS) + [None])
def test_every_problem_gets_a_reply_a_person_understands(problem):
    kind, message = guard.answer(problem, {"length": 100_000, "language": "German"})
    assert kind in KINDS and len(message.split()) >= 8 and "{" not in message


def test_the_answers_say_what_to_do():
    assert "summarise" in guard.answer(guard.TOO_LONG, {"length": 100_000})[1]
    assert "5,000" in guard.answer(guard.TOO_LONG, {"length": 100_000})[1]
    assert "100,000" in guard.answer(guard.TOO_LONG, {"length": 100_000})[1]
    assert "only understand English" in guard.answer(guard.OTHER_LANGUAGE)[1]
    assert "own words" in guard.answer(guard.SHORTCUT)[1]


def test_debug_logging_says_that_it_records_message_texts(caplog):
    watched = logging.getLogger("guard-test-watched")
    ours = logging.getLogger("guard-test")
    watched.setLevel(logging.INFO)
    with caplog.at_level(logging.WARNING, logger="guard-test"):
        assert not guard.warn_if_debug_logging(ours, "guard-test-watched")
        watched.setLevel(logging.DEBUG)
        assert guard.warn_if_debug_logging(ours, "guard-test-watched")
    assert [r.getMessage() for r in caplog.records] == [guard.DEBUG_LOGGING_WARNING]
    assert "what people type" in guard.DEBUG_LOGGING_WARNING


# -- REST request bodies (channels/rest.py) -----------------------------------------------------

@pytest.mark.parametrize("body", [
    {"sender": "a1b2c3", "message": "hi"}, {"sender": "a1b2c3"},
    {"sender": "a1b2c3", "message": None},
    {"sender": "x", "message": "", "metadata": {"reply_model": True}},
    {"sender": "x" * guard.MAX_SENDER_CHARS, "message": "hi", "metadata": None},
])
def test_well_formed_rest_bodies_pass(body):
    assert guard.request_problem(body) is None


@pytest.mark.parametrize("body,why", [
    ([1, 2], "JSON object"), ("hi", "JSON object"), (None, "JSON object"),
    ({"message": "hi"}, "sender"), ({"sender": "", "message": "hi"}, "sender"),
    ({"sender": 7, "message": "hi"}, "sender"),
    ({"sender": "x" * (guard.MAX_SENDER_CHARS + 1)}, "at most 128"),
    ({"sender": "x", "message": 5}, "message"), ({"sender": "x", "message": ["hi"]}, "message"),
    ({"sender": "x", "metadata": [1]}, "JSON object"),
    ({"sender": "x", "metadata": {"k": "v" * guard.MAX_METADATA_CHARS}}, "10,000"),
    ({"sender": "x", "metadata": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {
        "j": {"k": 1}}}}}}}}}}}}, "10 levels"),
])
def test_malformed_rest_bodies_are_refused_with_a_reason(body, why):
    problem = guard.request_problem(body)
    assert problem and why in problem


def test_very_deep_metadata_is_refused_without_recursion():
    deep: dict = {}
    node = deep
    for _ in range(100_000):
        node["k"] = {}
        node = node["k"]
    assert "levels" in (guard.request_problem({"sender": "x", "metadata": deep}) or "")
