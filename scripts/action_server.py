"""Start the rasa_sdk action server bound to one interface (127.0.0.1 unless told otherwise).

``python -m rasa_sdk`` in rasa_sdk 3.6 has no interface option: ``rasa_sdk.endpoint.run``
binds ``os.environ["SANIC_HOST"]``, or 0.0.0.0 (every interface) when it is not set. This
launcher takes rasa_sdk's own arguments plus ``--host``, sets SANIC_HOST from it (overriding
whatever the environment says) and runs rasa_sdk exactly as ``python -m rasa_sdk`` does::

    python scripts/action_server.py --actions actions --port 5055 [--host 127.0.0.1]
"""

from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

LOOPBACK = "127.0.0.1"


def main(argv: Optional[Sequence[str]] = None) -> None:
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    parser = create_argument_parser()
    parser.add_argument("--host", default=LOOPBACK,
                        help=f"interface to bind (default: {LOOPBACK}, this machine only)")
    args = parser.parse_args(argv)
    os.environ["SANIC_HOST"] = args.host
    main_from_args(args)


if __name__ == "__main__":
    # run from the project folder, so the action package imports like under `python -m`
    sys.path.insert(0, os.getcwd())
    main()
