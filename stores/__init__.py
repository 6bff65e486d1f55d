"""Where conversations are kept and what happens when keeping them fails.

- :mod:`stores.config` and :mod:`stores.retention` (no Rasa import): which database holds the
  conversations (``TRACKER_DB`` / ``TRACKER_DB_URL``), how long they are kept
  (``RETENTION_DAYS``), pruning old conversations and deleting one by sender id.
- :mod:`stores.faults` (no Rasa import): the replies sent when the store or the action server
  fails, rendered for the person's channel like every other reply.
- :mod:`stores.tracker_store` and :mod:`stores.guard` (Rasa, loaded in the Rasa server): the
  SQL tracker store without Rasa's silent fallback to memory, and the guard that answers the
  person when the store or the action server fails. See docs/persistence.md.
- :mod:`stores.lock_store` (Rasa, loaded in the Rasa server): one message of a conversation at
  a time - in memory for one server, in Redis (``LOCK_STORE_URL``) for several.
"""
