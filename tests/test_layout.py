"""The package's layout is its pipeline: each folder of validator/ is a stage, and imports only
point down the pipeline, from a stage to itself or to an earlier one. A backward import is how
a layered design decays (the page model importing the parser, configuration importing the
file walk), so this test walks every import, including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "validator"

# In pipeline order. The front ends come last: docs, the language server, the command line.
STAGES = (
    "model",  # values every stage passes on; a leaf
    "parse",  # bytes to a Page
    "content_model",  # the schema that says what a page must be
    "facts",  # what several rules read about one page, worked out once
    "rules",  # the checks
    "config",  # which rules, at which severity, for which files
    "check",  # one page through the rules: findings
    "fix",  # applying the findings' fixes
    "run",  # many pages: discovery, cache, workers
    "report",  # findings out: formats, baseline, changed lines
    "api",  # the Python API every front end uses
    "docs",  # documentation generated from rules and schemas
    "lsp",  # the language server
    "cli",  # the command line
)
RANK = {stage: rank for rank, stage in enumerate(STAGES)}


def _stage_of(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import of validator in a module, wherever it stands."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: imports are absolute here"
            module = node.module or ""
            if module == "validator":
                found.extend((node.lineno, f"validator.{alias.name}") for alias in node.names)
            elif module.startswith("validator."):
                found.append((node.lineno, module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("validator."))
    return found


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if _stage_of(path) in RANK)


def test_every_module_belongs_to_a_stage() -> None:
    """A new folder or top-level module must take its place in the pipeline above."""
    allowed = {*RANK, "__init__", "__main__", "schemas"}
    assert sorted({_stage_of(path) for path in PACKAGE.rglob("*.py")} - allowed) == []


def test_imports_point_down_the_pipeline() -> None:
    backward = []
    for path in _modules():
        stage = _stage_of(path)
        for line, module in _imports(path):
            target = module.split(".")[1]
            if target in RANK and RANK[target] > RANK[stage]:
                backward.append(f"validator/{path.relative_to(PACKAGE)}:{line}: {stage} imports {module}")
    assert backward == []


def test_the_model_is_a_leaf() -> None:
    """The values (findings, the page) import nothing else of monolint, so every stage can use them."""
    outside = [
        f"validator/{path.relative_to(PACKAGE)}:{line}: {module}"
        for path in _modules()
        if _stage_of(path) == "model"
        for line, module in _imports(path)
        if module.split(".")[1] != "model"
    ]
    assert outside == []


def test_the_walk_sees_a_backward_import(tmp_path: Path) -> None:
    """The walk finds imports inside functions too (lazy imports are most of this package's)."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from validator.report.formats import json\n    import validator.cli.main\n")
    assert _imports(module) == [(2, "validator.report.formats"), (3, "validator.cli.main")]
