"""Write a content model that a test has edited into a folder, with the files it names."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
# The files monograph.yaml names by a path relative to itself.
REFERENCED = ("frontmatter.schema.json", "ismp-drug-names.yaml", "fda-tall-man.yaml")


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


@cache
def every_page_model() -> Path:
    """The built-in model without its applies_to: it checks every page it is given, as every
    model did before applies_to, so tests can lint body snippets without front matter.
    Written once per test process into a temporary folder removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="monolint-every-page-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    data = default_model_data()
    del data["applies_to"]
    return write_model(folder, data, "every-page.yaml")
