"""Rasa custom actions (``rasa run actions`` / ``python -m rasa_sdk --actions actions``).

Importing the package starts loading the rule base in the background, so the action server's
first request does not wait for it (see :mod:`actions.advisor_service`).
"""

from .advisor_service import preload

preload()
