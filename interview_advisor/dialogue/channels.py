"""Which channels render the reply model themselves (one source for the actions and tests).

A message that arrived on one of these channels is answered with the plain-text rendering in
``text`` and the reply's JSON in ``custom: {"reply": ...}``; the channel's own Rasa output
channel (``channels/``) renders it. Terminals (:data:`TYPED_CHANNELS`) get text only, with the
choices written as words to type. Every other channel gets text and buttons - unless the
message's metadata sets :data:`REPLY_MODEL` (a REST client that renders cards itself, and the
end-to-end tests, ask for the model that way).
"""

from __future__ import annotations

WEBCHAT = "webchat"
SLACK = "slack"
RICH_CHANNELS = (WEBCHAT, SLACK)

#: ``rasa shell``: Rasa's console turns buttons into an arrow-key menu in which typed text is
#: lost (letters move the selection, Enter picks the highlighted button), so a terminal gets its
#: choices as words to type instead
CMDLINE = "cmdline"
TYPED_CHANNELS = (CMDLINE,)

#: message metadata key with which a REST client asks for the reply model next to the text
REPLY_MODEL = "reply_model"
