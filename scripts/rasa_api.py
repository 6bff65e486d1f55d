"""The Rasa HTTP API, closed unless the operator opens it - with a secret from the environment.

Rasa's HTTP API reads and writes every conversation and can replace the model: it is off by
default. An operator enables it with ``RASA_ENABLE_API=1`` and must then give a token or a JWT
secret in the environment (never in a committed file):

- ``RASA_API_TOKEN``: callers add ``?token=...`` to every request;
- ``RASA_JWT_SECRET`` (and optionally ``RASA_JWT_METHOD``, default HS256): callers send
  ``Authorization: Bearer <JWT signed with it>``.

Each must be at least :data:`MIN_SECRET_LENGTH` characters and not a placeholder ("changeme",
"<token>", ...); otherwise this refuses, and the server does not start. Make one with
``python -c 'import secrets; print(secrets.token_urlsafe(32))'``.

Usage (standard library only, no Rasa import)::

    python scripts/rasa_api.py check       # exit 0 when the settings are usable, else 2
    python scripts/rasa_api.py args        # the extra `rasa run` arguments, one per line
    python scripts/rasa_api.py run ARGS... # `rasa run ARGS...` plus those arguments

``run`` is the one to use: it starts Rasa in this process, so the secret is not on any command
line (``ps`` shows the arguments of every process to every local user). ``args`` prints the
secret; use it only where that does not matter.
"""

from __future__ import annotations

import os
import sys
from typing import Dict, List, Mapping, Optional, Sequence

MIN_SECRET_LENGTH = 16
ENABLE = "RASA_ENABLE_API"
TOKEN = "RASA_API_TOKEN"
JWT_SECRET = "RASA_JWT_SECRET"
JWT_METHOD = "RASA_JWT_METHOD"
TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")

#: values, or parts of values, that mark a secret nobody chose
PLACEHOLDERS = ("changeme", "change-me", "change_me", "replace", "placeholder", "your-",
                "your_", "yoursecret", "yourtoken", "example", "secret123", "password",
                "xxxxxxxx", "todo", "fixme", "<", ">", "${", "dummy", "notasecret",
                "insecure", "default")


class ApiConfigError(ValueError):
    """The API settings in the environment cannot be used; the message says what to do."""


def problem_with(name: str, value: str) -> Optional[str]:
    """Why ``value`` is not an acceptable secret for ``name``, or None."""
    low = value.strip().lower()
    if value != value.strip():
        return f"{name} starts or ends with whitespace"
    if len(value) < MIN_SECRET_LENGTH:
        return f"{name} is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(low)) < 6 or any(p in low for p in PLACEHOLDERS):
        return f"{name} looks like a placeholder, not a secret"
    return None


def api_enabled(env: Mapping[str, str]) -> bool:
    value = env.get(ENABLE, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ApiConfigError(f"{ENABLE}={env.get(ENABLE)!r}: use 1 to enable the API, 0 to keep it "
                         "off")


def rasa_api_args(env: Mapping[str, str]) -> List[str]:
    """The extra ``rasa run`` arguments for the API settings in ``env`` ([] when it is off).

    Raises :class:`ApiConfigError` when the API is enabled without a usable secret."""
    if not api_enabled(env):
        return []
    token, secret = env.get(TOKEN, ""), env.get(JWT_SECRET, "")
    if not token and not secret:
        raise ApiConfigError(
            f"{ENABLE}=1 but neither {TOKEN} nor {JWT_SECRET} is set: the API would let anyone "
            f"who can reach the port read every conversation. Set {TOKEN} (or {JWT_SECRET}) in "
            "the environment, e.g. to the output of: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'")
    args = ["--enable-api"]
    for name, value in ((TOKEN, token), (JWT_SECRET, secret)):
        if value:
            why = problem_with(name, value)
            if why:
                raise ApiConfigError(f"{why}; refusing to start the API with it. Generate one "
                                     "with: python -c 'import secrets; "
                                     "print(secrets.token_urlsafe(32))'")
    if token:
        args += ["--auth-token", token]
    if secret:
        args += ["--jwt-secret", secret, "--jwt-method", env.get(JWT_METHOD) or "HS256"]
    return args


def main(argv: Optional[Sequence[str]] = None, env: Optional[Dict[str, str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ) if env is None else env
    command = argv[0] if argv else "check"
    try:
        extra = rasa_api_args(env)
    except ApiConfigError as exc:
        print(f"rasa_api: {exc}", file=sys.stderr)
        return 2
    if command == "check":
        print("rasa_api: the HTTP API is " + ("enabled, with " + " and ".join(
            n for n in (TOKEN, JWT_SECRET) if env.get(n)) if extra else "off"),
            file=sys.stderr)
        return 0
    if command == "args":
        for arg in extra:
            print(arg)
        return 0
    if command == "run":
        from rasa.__main__ import main as rasa_main

        sys.argv = ["rasa", "run", *argv[1:], *extra]
        rasa_main()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
