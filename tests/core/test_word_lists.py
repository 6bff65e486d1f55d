"""The everyday word lists of the rule base: answer words of facts, correction words of signals,
purposes and request words of drafts, and the generic lists under ``words:``."""

from __future__ import annotations

import json

from interview_advisor import check_rulebase
from interview_advisor.docs import catalogue
from interview_advisor.rulebase import WORD_LISTS, Purpose, Words, word_key

from .helpers import SCHEMA, SIGNAL_IDS, RuleDir


def test_the_loaded_objects_carry_their_words(mini_advisor):
    rb = mini_advisor.rulebase
    assert rb.facts["stage"].answer_words == {"offer": ["got the job", "they offered"],
                                              "upcoming": ["not yet"]}
    assert list(rb.facts["stage"].answer_words) == ["offer", "upcoming"]  # YAML order
    assert rb.facts["interest"].answer_words == {}
    assert rb.signals["ghosting"].correction_words == ["ghosted", "didn't reply"]
    assert rb.signals["vague_role"].correction_words == []
    assert rb.drafts["thank_you"].request_words == ["thank you from me"]


def test_purposes_and_word_lists(mini_advisor):
    rb = mini_advisor.rulebase
    assert rb.purposes == {"thank_you": Purpose("thank_you", "a thank-you note",
                                                ["thank you", "thank them"], "rules/drafts.yml",
                                                rb.purposes["thank_you"].line)}
    assert rb.purposes["thank_you"].line is not None
    assert rb.words == Words(affirm=["yes", "yeah"], deny=["no", "nope"],
                             skip=["skip", "don't know"])
    assert rb.words.stop == [] and rb.words.negation_cues == []  # not given: empty


def test_answer_words_of_a_boolean_fact_are_keyed_true_and_false(mini_dir):
    mini_dir.edit("facts.yml", '      "false": "No"\n',
                  '      "false": "No"\n    answer_words:\n      true: [my company]\n'
                  '      "false": [elsewhere]\n')
    rulebase, issues = check_rulebase(mini_dir.root)
    assert issues == []
    assert rulebase is not None
    assert rulebase.facts["internal"].answer_words == {"true": ["my company"],
                                                       "false": ["elsewhere"]}


def test_a_rule_base_without_word_lists_or_purposes(tmp_path):
    rules = RuleDir.create(tmp_path, files={"drafts.yml": """\
drafts:
  - id: ask_scope
    title: Ask about the scope
    status: stable
    purpose: other
    source: {seed: "000", section: What to Do}
    template: Hi, what is the scope?
"""})
    rulebase, issues = check_rulebase(rules.root)
    assert issues == []
    assert rulebase is not None
    assert rulebase.purposes == {}
    assert rulebase.words == Words()
    assert rulebase.drafts["ask_scope"].request_words == []


def test_word_key_is_how_words_compare():
    assert word_key("Don’t know!") == word_key("dont know") == "dont know"
    assert word_key("  thank-you   note ") == "thank you note"
    assert word_key("?!") == ""


def test_the_catalogue_lists_the_words(mini_advisor):
    text = catalogue(mini_advisor.rulebase)
    assert '| `stage` | offer | "got the job", "they offered" |' in text
    assert "Taken back with: \"ghosted\", \"didn't reply\"" in text
    assert '| skip | "skip", "don\'t know" |' in text
    assert '| `thank_you` | a thank-you note | "thank you", "thank them" |' in text
    assert 'Asked for by name with: "thank you from me"' in text


def test_every_new_schema_key_is_described():
    schema = json.loads(SCHEMA.read_text("utf-8"))
    definitions = schema["definitions"]
    described = [definitions["fact"]["properties"]["answer_words"],
                 definitions["signal"]["properties"]["correction_words"],
                 definitions["draft"]["properties"]["request_words"],
                 definitions["draft"]["properties"]["purpose"],
                 schema["properties"]["purposes"], definitions["purpose"], definitions["word"],
                 definitions["words"],
                 *definitions["purpose"]["properties"].values(),
                 *definitions["words"]["properties"].values()]
    assert all(d.get("description") or d.get("$ref") == "#/definitions/id" for d in described)
    assert sorted(definitions["words"]["properties"]) == sorted(WORD_LISTS)


# -- the project's own rule base --------------------------------------------------------------

def test_the_real_purposes_in_the_order_they_are_offered(advisor):
    purposes = advisor.rulebase.purposes
    assert list(purposes) == ["withdrawal", "thank_you", "decline_offer", "tell_manager",
                              "follow_up"]
    assert all(p.label and p.words for p in purposes.values())
    for purpose in purposes:
        assert advisor.drafts_for(purpose), purpose


def test_the_real_rule_base_has_every_word_list(advisor):
    for name in WORD_LISTS:
        assert getattr(advisor.rulebase.words, name), name
    assert "yes" in advisor.rulebase.words.affirm and "no" in advisor.rulebase.words.deny


def test_every_real_signal_can_be_taken_back_by_name(advisor):
    signals = advisor.rulebase.signals
    assert {s for s in SIGNAL_IDS if signals[s].correction_words} == SIGNAL_IDS


def test_the_real_enum_facts_people_answer_in_words(advisor):
    facts = advisor.rulebase.facts
    for fact_id in ("interview_type", "stage", "interest", "current_satisfaction"):
        assert set(facts[fact_id].answer_words) == set(facts[fact_id].spec.values), fact_id
    assert "my company" in facts["interview_type"].answer_words["internal"]


def test_the_real_other_drafts_can_be_asked_for_by_name(advisor):
    drafts = advisor.rulebase.drafts
    asked = {d.id for d in drafts.values() if d.request_words}
    assert asked == {d.id for d in drafts.values() if d.purpose == "other"}
