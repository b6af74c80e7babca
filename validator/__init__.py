"""monolint: lint drug monograph pages against a content model.

The public API is small and imported lazily, so `monolint --version` and pre-commit
runs do not pay for what they do not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "Fix",
    "MissingPathError",
    "Options",
    "Position",
    "Report",
    "Severity",
    "__version__",
    "lint_paths",
    "lint_text",
    "load_config",
]

if TYPE_CHECKING:
    from validator.api import Options, Report, lint_paths, lint_text
    from validator.config.files import load_config
    from validator.model.finding import Finding, Fix, Position, Severity
    from validator.run.discover import MissingPathError

_LAZY = {
    "lint_paths": "api",
    "lint_text": "api",
    "Report": "api",
    "Options": "api",
    "load_config": "config.files",
    "MissingPathError": "run.discover",
    "Finding": "model.finding",
    "Fix": "model.finding",
    "Position": "model.finding",
    "Severity": "model.finding",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'validator' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
