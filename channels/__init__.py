"""Rasa input/output channels of our own (registered in credentials.yml): thin adapters that
render the reply model (interview_advisor.dialogue.reply) for their platform."""
