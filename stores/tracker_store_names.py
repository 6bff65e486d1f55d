"""Slot names shared by the actions and the tracker store for "delete my data" (no Rasa import;
checked against domain.yml by tests/actions/test_intents.py)."""

#: the bot asked "delete everything?" and waits for a yes or no
PENDING_SLOT = "forget_pending"
#: set when the person said yes: the tracker store deletes the conversation instead of saving
FORGET_SLOT = "forget_confirmed"
