"""The README's examples are real: each is checked against what monolint does now."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from validator.rules.registry import ALL_RULES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def _monolint(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "validator", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_readme_starts_with_the_two_fresh_machine_commands() -> None:
    first = _blocks("sh")[0].strip().splitlines()
    assert first[0].endswith("pip install . && .venv/bin/monolint content")
    assert first[1].endswith("pip install -e '.[test]' && .venv/bin/python -m pytest")
    assert README.index("```sh") < README.index("## ")


def test_console_example_is_real_output() -> None:
    block = _blocks("console")[0]
    command, *expected = block.rstrip("\n").split("\n")
    args = command.removeprefix("$ monolint ").split("#")[0].split()
    result = _monolint(*args)
    assert result.returncode == 1
    assert result.stdout.rstrip("\n").split("\n") == expected


def test_json_example_is_real_output() -> None:
    example = json.loads(_blocks("json")[0])
    result = _monolint("tests/fixtures/pages/fail/metformin.md", "--select", "MON401", "--format", "json")
    assert json.loads(result.stdout) == example


def test_rule_table_lists_every_rule_with_its_metadata() -> None:
    rows = re.findall(r"^\| (MON\d{3}) \| `([a-z0-9-]+)` \| (\w+) \| (\w+) \|", README, re.MULTILINE)
    assert rows == [(rule.id, rule.name, rule.category, rule.severity.value) for rule in ALL_RULES]


def test_configuration_example_is_accepted(tmp_path: Path) -> None:
    import shutil

    (tmp_path / "pyproject.toml").write_text(
        next(block for block in _blocks("toml") if "[tool.monolint]" in block), encoding="utf-8"
    )
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "legacy").mkdir()
    page = (ROOT / "content" / "metformin.md").read_text(encoding="utf-8")
    # Another drug's page: select = ["ALL"] turns on duplicate-title, and two metformin pages would share a title.
    old = page.replace("500 mg", "500mg").replace("Metformin", "Oldformin")
    (tmp_path / "legacy" / "old.md").write_text(old, encoding="utf-8")
    (tmp_path / "new.md").write_text(page.replace("### FAQs", "### Storage\nDry place.\n\n### FAQs"), encoding="utf-8")
    command = [sys.executable, "-m", "validator", "check", "--format", "json", "."]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert result.stderr == ""
    findings = [(f["path"], f["rule"], f["severity"]) for f in json.loads(result.stdout)["findings"]]
    # legacy/ ignores dose rules; unknown-section is raised to an error by the example.
    assert findings == [("new.md", "MON210", "error")]
    assert result.returncode == 1


def test_python_api_example_runs() -> None:
    block = _blocks("python")[0]
    command = [sys.executable, "-c", block]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr


def test_neovim_snippet_is_the_file_the_neovim_test_runs() -> None:
    (snippet,) = _blocks("lua")
    tested = (ROOT / "tests" / "lsp_neovim" / "monolint.lua").read_text(encoding="utf-8")
    code = "".join(line for line in tested.splitlines(keepends=True) if not line.startswith("--"))
    assert snippet == code


def test_every_format_is_documented() -> None:
    from validator.report.formats import FORMATS

    for name in FORMATS:
        assert f"| `{name}` |" in README, name
