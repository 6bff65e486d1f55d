"""Property-based tests (hypothesis): nothing we run on untrusted input raises anything but the
documented errors.

- the rule loader over arbitrary YAML: only RuleBaseError (load_rulebase) or a list of issues
  (check_rulebase);
- the analyser over arbitrary text: never raises;
- the input guard over arbitrary text and the REST body check over arbitrary JSON: never raise;
- the plain-text renderer over arbitrary replies: always text; every generated reply validates
  against interview_advisor/schemas/reply.schema.json and survives a JSON round trip.
"""

from __future__ import annotations

import json
import shutil
import string
from importlib import resources

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_advisor import guard
from interview_advisor.dialogue import reply as model
from interview_advisor.dialogue.render_text import render_text
from interview_advisor.errors import RuleBaseError
from interview_advisor.rulebase import check_rulebase, load_rulebase

from .helpers import FIXTURES, SCHEMA, real_advisor

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
REPLY_SCHEMA = json.loads(resources.files("interview_advisor").joinpath(
    "schemas/reply.schema.json").read_text("utf-8"))

# -- text ---------------------------------------------------------------------------------------

#: any text, with the characters that break things more often than chance would give them
nasty = st.lists(st.one_of(
    st.characters(codec=None),
    st.sampled_from(list("\x00\x1b\u200b\u200d\u202e\ufeff\ud800\ufffd<>&\"'{}[]/@\\\n\r\t"
                         "😀👍🏽é") + ["/inform{", "<script>", "{{", "${", "%s"])),
    max_size=200).map("".join)
WORDS = ("the recruiter couldn't say what job is I had an interview at Acme offer salary manager "
         "three weeks no answer everyone says great things culture hours weekend withdraw not "
         "never yes internal external Globex keen unsure")
words = st.lists(st.sampled_from(WORDS.split()), max_size=60).map(" ".join)
any_text = st.one_of(nasty, words, st.tuples(words, nasty).map(" ".join))


@FUZZ
@given(any_text)
def test_the_analyser_never_raises(text):
    analysis = real_advisor().analyze(text)
    json.dumps(analysis.as_dict(), ensure_ascii=False)


@FUZZ
@given(any_text, st.sets(st.sampled_from(["greet", "inform", "out_of_scope"])))
def test_the_input_guard_never_raises_and_never_passes_a_shortcut(text, allowed):
    checked = guard.check(text, allowed)
    assert checked.problem is None or checked.problem in guard.PROBLEMS
    assert len(checked.text) <= guard.MAX_MESSAGE_CHARS
    if checked.text.startswith("/"):
        assert checked.text[1:] in allowed   # only a bare button payload keeps its slash
    assert not any(ch in checked.text for ch in "\x00\x1b\u200b\u202e\ufeff\ud800")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | nasty,
    lambda children: st.lists(children, max_size=4) |
    st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=30)


@FUZZ
@given(st.one_of(json_values, st.fixed_dictionaries(
    {"sender": json_values, "message": json_values}, optional={"metadata": json_values})))
def test_the_rest_body_check_never_raises(body):
    problem = guard.request_problem(body)
    assert problem is None or isinstance(problem, str)


# -- the rule loader ------------------------------------------------------------------------------

MINI = FIXTURES / "mini"
MINI_FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yml"))

yaml_documents = st.one_of(
    nasty,
    json_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.text(alphabet=string.printable, max_size=300),
)


def mutated(original: str):
    """The original file with a slice replaced by arbitrary text (keeps most structure)."""
    return st.tuples(st.integers(0, len(original)), st.integers(0, 80), nasty).map(
        lambda t: original[:t[0]] + t[2] + original[t[0] + t[1]:])


@pytest.fixture(scope="module")
def rule_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "rules"
    shutil.copytree(MINI, root)
    shutil.copy(SCHEMA, root / "schema.json")
    return root


@FUZZ
@given(data=st.data())
def test_the_rule_loader_raises_only_rule_base_errors(rule_dir, data):
    rel = data.draw(st.sampled_from(MINI_FILES))
    original = (MINI / rel).read_text("utf-8")
    text = data.draw(st.one_of(yaml_documents, mutated(original)))
    try:
        (rule_dir / rel).write_text(text, "utf-8", errors="surrogatepass")
        rulebase, issues = check_rulebase(rule_dir)
        assert isinstance(issues, list) and (rulebase is not None or issues)
        try:
            load_rulebase(rule_dir)
        except RuleBaseError as exc:
            assert exc.issues and all(str(i) for i in exc.issues)
    finally:
        (rule_dir / rel).write_text(original, "utf-8")


# -- replies --------------------------------------------------------------------------------------

short = st.text(max_size=40)
opt_short = st.none() | short
small = st.integers(-5, 10_000)
quotes = st.builds(model.Quote, text=nasty, start=st.none() | small, end=st.none() | small,
                   turn=st.none() | small)
flags = st.builds(model.Flag, id=short, title=short, why=nasty,
                  severity=st.none() | st.sampled_from(["low", "medium", "high"]),
                  new=st.booleans(), quotes=st.lists(quotes, max_size=3))
facts = st.builds(model.Fact, id=short, title=short,
                  value=st.none() | st.booleans() | short | small, label=nasty,
                  source=st.sampled_from(["text", "answer", "intent", "detail", "given"]),
                  quote=st.none() | nasty, previous=opt_short)
advice = st.builds(model.Advice, rule=short, title=short, text=nasty, why=nasty,
                   next_steps=st.lists(nasty, max_size=3), draft=opt_short,
                   draft_title=opt_short, topic=opt_short, source=opt_short)
evidence = st.builds(model.Evidence, quote=nasty, source=short, flag=opt_short)
explanations = st.builds(model.Explanation, rule=short, title=short, why=nasty,
                         reasons=st.lists(st.builds(model.Reason, condition=nasty,
                                                    evidence=st.lists(evidence, max_size=2)),
                                          max_size=3), source=opt_short)
questions = st.builds(model.Question, fact=opt_short, text=nasty,
                      options=st.lists(st.builds(model.Option, value=short, label=nasty),
                                       max_size=4),
                      optional=st.booleans(), repeat=st.booleans())
replies = st.builds(
    model.Reply, kind=st.sampled_from(model.KINDS), notes=st.lists(nasty, max_size=3),
    message=nasty, flags=st.lists(flags, max_size=3),
    withdrawn=st.lists(st.builds(model.Withdrawn, id=short, title=short), max_size=2),
    facts=st.lists(facts, max_size=3), advice=st.lists(advice, max_size=3),
    more_advice=st.integers(0, 50), explanations=st.lists(explanations, max_size=2),
    draft=st.none() | st.builds(model.Draft, id=short, title=short, text=nasty,
                                missing=st.lists(short, max_size=2)),
    question=st.none() | questions,
    suggestions=st.lists(st.builds(model.Suggestion, title=short, payload=short), max_size=4),
    closing=nasty, rule_ids=st.lists(short, max_size=3), rateable=st.booleans(),
    turn=st.none() | small)


@FUZZ
@given(replies)
def test_any_reply_renders_as_text(reply):
    text = render_text(reply)
    assert isinstance(text, str)


@FUZZ
@given(replies)
def test_any_reply_validates_against_the_schema_and_round_trips(reply):
    data = json.loads(json.dumps(reply.to_json(), ensure_ascii=False))
    jsonschema.validate(data, REPLY_SCHEMA)
    assert model.Reply.from_json(data) == reply
