"""Names the code relies on match the Rasa files: intents, slots, channels."""

from __future__ import annotations

import yaml

from interview_advisor.dialogue import intents
from interview_advisor.dialogue.channels import RICH_CHANNELS
from interview_advisor.dialogue.state import DETAIL_ENTITIES, FACT_ENTITIES, STATE_SLOTS

from .conftest import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))


def test_intents_in_code_are_the_domains():
    assert set(intents.ALL_INTENTS) == set(DOMAIN["intents"])
    assert len(intents.ALL_INTENTS) == len(set(intents.ALL_INTENTS))


def test_every_intent_group_uses_declared_intents():
    declared = set(DOMAIN["intents"]) | {intents.NLU_FALLBACK}
    groups = [intents.ANSWER_INTENTS, intents.SIGNAL_INTENTS, intents.HOLD_INTENTS,
              intents.SMALL_TALK_INTENTS, intents.STORY_INTENTS, intents.INTERRUPT_INTENTS,
              tuple(intents.INTENT_QUESTIONS), tuple(intents.RATING_INTENTS),
              tuple(intents.DESCRIPTIONS)]
    for group in groups:
        assert set(group) <= declared, set(group) - declared


def test_every_typed_intent_has_a_description_for_the_fallback():
    # unreadable_input is never offered: the input guard sets it (nlu_components/input_guard.py)
    assert set(intents.DESCRIPTIONS) == set(DOMAIN["intents"]) - {intents.OUT_OF_SCOPE,
                                                                  intents.UNREADABLE_INPUT}


def test_slots_in_code_are_declared():
    slots = set(DOMAIN["slots"])
    assert set(STATE_SLOTS) <= slots
    assert set(FACT_ENTITIES) <= slots and set(DETAIL_ENTITIES) <= slots
    assert set(FACT_ENTITIES) | set(DETAIL_ENTITIES) <= set(DOMAIN["entities"])


def test_the_domain_has_no_canned_responses():
    """Every reply comes from the reply model; a response would bypass every renderer."""
    assert not DOMAIN.get("responses")


def test_rich_channels_are_registered(tmp_path, monkeypatch):
    """The widget's channel is always in credentials.yml; Slack's is added by
    scripts/credentials.py when its two secrets are set (Rasa refuses an unset ${VAR})."""
    import subprocess
    import sys

    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text("utf-8")) or {}
    assert any(key.endswith("webchat.WebchatInput") for key in credentials), sorted(credentials)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1234567890-abcdefghijkl")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "0123456789abcdef0123456789abcdef")
    out = tmp_path / "credentials.yml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "credentials.py"), str(out)],
                   check=True, capture_output=True)
    written = yaml.safe_load(out.read_text("utf-8"))
    from channels.slack import SlackChannel
    from channels.webchat import WebchatInput
    names = {SlackChannel.name(), WebchatInput.name()}
    assert names == set(RICH_CHANNELS)
    assert any(key.endswith("slack.SlackChannel") for key in written), sorted(written)


def test_privacy_slots_are_declared():
    from stores.tracker_store_names import FORGET_SLOT, PENDING_SLOT
    slots = DOMAIN["slots"]
    assert slots[PENDING_SLOT]["influence_conversation"] is True   # the rules read it
    assert slots[FORGET_SLOT]["influence_conversation"] is False


def test_every_rasa_data_file_is_valid_yaml():
    """A broken file stops training; say which one, fast, before the slow tests train."""
    for path in sorted((ROOT / "data").rglob("*.yml")) + [ROOT / "domain.yml",
                                                          ROOT / "config.yml"]:
        assert isinstance(yaml.safe_load(path.read_text("utf-8")), dict), path
