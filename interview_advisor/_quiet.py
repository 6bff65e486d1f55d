"""Keep TensorFlow out of processes that only need the advisor core.

thinc (under spaCy) imports TensorFlow when it is installed - seconds of start-up and hundreds of
megabytes that the advisor never uses.  While spaCy is imported for the first time, the name is
blocked; afterwards it is released, so code that really wants TensorFlow (the Rasa server, which
imports it before us) still gets it.
"""

import sys


def import_spacy_without_tensorflow() -> None:
    if "spacy" in sys.modules or "tensorflow" in sys.modules:
        return
    sys.modules["tensorflow"] = None  # type: ignore[assignment]
    try:
        import spacy  # noqa: F401
        import spacy.matcher  # noqa: F401
    finally:
        if sys.modules.get("tensorflow", 0) is None:
            del sys.modules["tensorflow"]
