"""Which channels render the reply model themselves (one source for the actions and tests).

A message that arrived on one of these channels is answered with the plain-text rendering in
``text`` and the reply's JSON in ``custom: {"reply": ...}``; the channel's own Rasa output
channel (``channels/``) renders it. Every other channel gets text and buttons only - unless
the message's metadata sets :data:`REPLY_MODEL` (a REST client that renders cards itself, and
the end-to-end tests, ask for the model that way).
"""

from __future__ import annotations

WEBCHAT = "webchat"
SLACK = "slack"
RICH_CHANNELS = (WEBCHAT, SLACK)

#: message metadata key with which a REST client asks for the reply model next to the text
REPLY_MODEL = "reply_model"
