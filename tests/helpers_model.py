"""Write a content model that a test has edited into a folder, with the files it names."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
# The files monograph.yaml names by a path relative to itself.
REFERENCED = ("frontmatter.schema.json", "ismp-drug-names.yaml")


def default_model_data() -> Any:
    """schemas/monograph.yaml as data, for a test to edit."""
    return yaml.safe_load((SCHEMAS / "monograph.yaml").read_text(encoding="utf-8"))


def write_model(folder: Path, data: Any, name: str = "model.yaml") -> Path:
    """``data`` as ``folder/name``, beside copies of the files the default model names."""
    folder.mkdir(parents=True, exist_ok=True)
    for referenced in REFERENCED:
        shutil.copy(SCHEMAS / referenced, folder / referenced)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
