"""The GitHub Action (action.yml) and the project's workflow (.github/workflows/ci.yml).

Both files are validated against GitHub's schemas with the real check-jsonschema (its schemas
are vendored in the package, so no network is used), checked for script injection, and the
action's `run:` steps are executed with bash the way the runner executes a composite action:
the env each step declares (inputs substituted there only), per-step GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY files, GITHUB_ACTION_PATH and RUNNER_TEMP. monolint is installed from the
action's own checkout with no package index, from the session's wheelhouse.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_cli import CLEAN_PAGE
from helpers_tools import REPO, require_tool
from test_precommit import BAD_PAGE, build_wheelhouse, clean_environment, offline_pip

from validator import __version__

BIN = Path(sys.executable).parent
ACTION = REPO / "action.yml"
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
CHECK_JSONSCHEMA_HINT = "pip install check-jsonschema (it is in the test extras)"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
UNTRUSTED_IN_SCRIPT = re.compile(r"\$\{\{[^}]*\b(inputs\.|github\.event)")
ANNOTATION = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$", re.MULTILINE)


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def action_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = load(ACTION)["runs"]["steps"]
    return steps


def workflow_steps() -> Iterator[dict[str, Any]]:
    for job in load(WORKFLOW)["jobs"].values():
        yield from job.get("steps", [])


# --- schemas -------------------------------------------------------------------------------


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    tool = require_tool(BIN / "check-jsonschema", CHECK_JSONSCHEMA_HINT)
    command = [tool, "--builtin-schema", schema, str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-actions", ACTION), ("vendor.github-workflows", WORKFLOW)],
    ids=["action.yml", "ci.yml"],
)
def test_file_matches_githubs_schema(schema: str, path: Path) -> None:
    result = check_jsonschema(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_run_step_without_a_shell(tmp_path: Path) -> None:
    # The schema really checks composite steps: a run step must name its shell.
    action = load(ACTION)
    for step in action["runs"]["steps"]:
        step.pop("shell", None)
    broken = tmp_path / "action.yml"
    broken.write_text(yaml.safe_dump(action), encoding="utf-8")
    result = check_jsonschema("vendor.github-actions", broken)
    assert result.returncode == 1, result.stdout + result.stderr


# --- injection and pinning -----------------------------------------------------------------


@pytest.mark.parametrize("path", [ACTION, WORKFLOW], ids=["action.yml", "ci.yml"])
def test_no_run_script_interpolates_inputs_or_event_data(path: Path) -> None:
    steps = action_steps() if path == ACTION else list(workflow_steps())
    scripts = [step["run"] for step in steps if "run" in step]
    assert scripts
    assert [script for script in scripts if UNTRUSTED_IN_SCRIPT.search(script)] == []


def test_action_scripts_contain_no_expression_at_all() -> None:
    # Everything an action script needs comes through env: nothing is pasted into the script.
    assert [step["run"] for step in action_steps() if "run" in step and "${{" in step["run"]] == []


def test_every_input_reaches_a_step() -> None:
    used = {
        match
        for step in action_steps()
        for value in [*step.get("env", {}).values(), *step.get("with", {}).values(), step.get("if", "")]
        for match in re.findall(r"inputs\.([\w-]+)", str(value))
    }
    assert used == set(load(ACTION)["inputs"])


def test_workflow_pins_actions_by_major_version_and_reads_only() -> None:
    workflow = load(WORKFLOW)
    uses = [step["uses"] for step in workflow_steps() if "uses" in step]
    assert [ref for ref in uses if ref != "./" and not re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", ref)] == []
    assert workflow["permissions"] == {"contents": "read"}
    assert [name for name, job in workflow["jobs"].items() if "permissions" in job] == []


def test_workflow_covers_the_supported_pythons_lint_and_content() -> None:
    jobs = load(WORKFLOW)["jobs"]
    assert jobs["test"]["strategy"]["matrix"]["python-version"] == ["3.10", "3.11", "3.12", "3.13"]
    lint = "\n".join(step.get("run", "") for step in jobs["lint"]["steps"])
    for command in ("ruff check", "ruff format --check", "mypy"):
        assert command in lint
    local_action = [step for step in jobs["content"]["steps"] if step.get("uses") == "./"]
    assert [step["with"]["paths"] for step in local_action] == ["content"]


# --- running the action's steps ------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str

    def explain(self) -> str:
        return f"exit {self.returncode}\n{self.stdout}\n{self.stderr}"


def resolve(value: object, inputs: Mapping[str, str]) -> str:
    """A step's env value with ``${{ inputs.NAME }}`` substituted; any other expression fails
    the test, since this runner evaluates no other context."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1).removeprefix("inputs.")
        assert match.group(1).startswith("inputs.") and name in inputs, f"cannot evaluate {match.group(0)}"
        return inputs[name]

    return EXPRESSION.sub(substitute, str(value))


def action_inputs(given: Mapping[str, str]) -> dict[str, str]:
    declared = load(ACTION)["inputs"]
    assert set(given) <= set(declared), f"unknown inputs {set(given) - set(declared)}"
    return {name: str(spec.get("default", "")) for name, spec in declared.items()} | dict(given)


def read_outputs(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines if "=" in line)


def run_step(step_id: str, runner_temp: Path, workspace: Path, environ: Mapping[str, str], **given: str) -> StepResult:
    """Run one `run:` step of action.yml as the runner would (bash -eo pipefail, its env)."""
    step = next(step for step in action_steps() if step.get("id") == step_id)
    assert step["shell"] == "bash"
    inputs = action_inputs(given)
    files = runner_temp / "files" / step_id
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir(parents=True)
    script = files / "script.sh"
    script.write_text(step["run"], encoding="utf-8")
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # python3: this Python
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(REPO),
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_OUTPUT": str(files / "output"),
        "GITHUB_STEP_SUMMARY": str(files / "summary"),
        **environ,
        **{name: resolve(value, inputs) for name, value in step.get("env", {}).items()},
    }
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
    result = subprocess.run(
        command, cwd=workspace, env=clean_environment(**env), capture_output=True, text=True, timeout=240, check=False
    )
    summary = files / "summary"
    return StepResult(
        result.returncode,
        result.stdout,
        result.stderr,
        read_outputs(files / "output"),
        summary.read_text(encoding="utf-8") if summary.exists() else "",
    )


def action_output(name: str, check: StepResult) -> str:
    """The action's output as its `value:` expression maps it from the check step."""
    expression = load(ACTION)["outputs"][name]["value"]
    match = re.fullmatch(r"\$\{\{\s*steps\.check\.outputs\.([\w-]+)\s*\}\}", expression)
    assert match, expression
    return check.outputs.get(match.group(1), "")


def test_setup_python_runs_only_when_a_python_version_is_given() -> None:
    uses = [step for step in action_steps() if "uses" in step]
    assert [(step["uses"], step["if"]) for step in uses] == [("actions/setup-python@v5", "inputs.python-version != ''")]


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheelhouse(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Path:
    """RUNNER_TEMP after the action's install step ran with its default inputs."""
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("install-workspace")
    installed = run_step("install", temp, workspace, offline_pip(wheelhouse))
    assert installed.returncode == 0, installed.explain()
    assert f"monolint, version {__version__}" in installed.stdout, installed.explain()
    return temp


def workspace_with(root: Path, pages: Mapping[str, str]) -> Path:
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def finding_count(workspace: Path) -> int:
    """The number of findings monolint reports, asked independently of the action."""
    command = [sys.executable, "-m", "validator", "check", "--format", "json", "."]
    result = subprocess.run(
        command, cwd=workspace, env=clean_environment(), capture_output=True, text=True, timeout=60, check=False
    )
    return len(json.loads(result.stdout)["findings"])


def annotation_lines(stdout: str) -> list[tuple[str, dict[str, str]]]:
    return [
        (kind, dict(item.split("=", 1) for item in properties.split(",")))
        for kind, properties, _ in ANNOTATION.findall(stdout)
    ]


def test_action_annotates_counts_and_fails_on_a_bad_page(tmp_path: Path, runner_temp: Path) -> None:
    workspace = workspace_with(tmp_path, {"pages/good.md": CLEAN_PAGE, "pages/bad.md": BAD_PAGE})
    check = run_step("check", runner_temp, workspace, {})
    assert check.returncode == 1, check.explain()
    found = annotation_lines(check.stdout)
    assert ("error", "pages/bad.md", "16", "MON401 dose-no-space") in {
        (kind, props["file"], props["line"], props["title"]) for kind, props in found
    }, check.explain()
    assert {props["file"] for _, props in found} == {"pages/bad.md"}
    expected = finding_count(workspace)
    assert expected == len(found) == 2
    assert action_output("findings", check) == str(expected)
    assert "pages/bad.md" in check.summary  # monolint appended the job summary itself


def test_action_passes_clean_pages_with_zero_findings(tmp_path: Path, runner_temp: Path) -> None:
    workspace = workspace_with(tmp_path, {"pages/good.md": CLEAN_PAGE})
    check = run_step("check", runner_temp, workspace, {}, paths="pages")
    assert check.returncode == 0, check.explain()
    assert annotation_lines(check.stdout) == []
    assert action_output("findings", check) == "0"


@pytest.mark.parametrize("report_format", ["text", "json"])
def test_action_counts_findings_in_the_other_formats(tmp_path: Path, runner_temp: Path, report_format: str) -> None:
    workspace = workspace_with(tmp_path, {"pages/good.md": CLEAN_PAGE, "pages/bad.md": BAD_PAGE})
    check = run_step("check", runner_temp, workspace, {}, format=report_format)
    assert check.returncode == 1, check.explain()
    assert action_output("findings", check) == str(finding_count(workspace)) == "2"


def test_action_passes_args_and_several_paths_as_separate_words(tmp_path: Path, runner_temp: Path) -> None:
    pages = {"a/bad.md": BAD_PAGE, "b/bad.md": BAD_PAGE, "c/bad.md": BAD_PAGE}
    workspace = workspace_with(tmp_path, pages)
    check = run_step("check", runner_temp, workspace, {}, paths="a\n b", args="--select MON401  --exit-zero")
    assert check.returncode == 0, check.explain()
    assert sorted(props["file"] for _, props in annotation_lines(check.stdout)) == ["a/bad.md", "b/bad.md"]
    assert action_output("findings", check) == "2"


def test_action_inputs_are_never_run_as_shell_code(tmp_path: Path, runner_temp: Path) -> None:
    workspace = workspace_with(tmp_path, {"pages/good.md": CLEAN_PAGE})
    check = run_step("check", runner_temp, workspace, {}, paths="pages; touch owned1 $(touch owned2) `touch owned3` *")
    assert sorted(path.name for path in workspace.iterdir()) == ["pages"], check.explain()
    # Each word reached monolint as a path, unexpanded: the ones that name nothing stop the run.
    assert check.returncode == 2, check.explain()
    words = "'pages;', 'touch', 'owned1', '$(touch', 'owned2)', '`touch', 'owned3`', '*'"
    assert f"monolint: error: no such file or folder: {words}\n" in check.stderr, check.explain()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"format": "sarif"}, "format must be github, text or json"),
        ({"args": "--output report.json"}, "'--output' is not allowed"),
        ({"args": "--statistics"}, "'--statistics' is not allowed"),
    ],
)
def test_action_refuses_inputs_that_would_hide_the_report(
    tmp_path: Path, runner_temp: Path, given: dict[str, str], message: str
) -> None:
    workspace = workspace_with(tmp_path, {"pages/bad.md": BAD_PAGE})
    check = run_step("check", runner_temp, workspace, {}, **given)
    assert check.returncode == 2, check.explain()
    assert message in check.stdout and check.stdout.startswith("::error "), check.explain()


def test_action_installs_a_released_version_when_asked(tmp_path: Path, wheelhouse: Path) -> None:
    # A wheel of this checkout plays the released monolint; the action path points nowhere,
    # so only the `version` branch can succeed.
    release = tmp_path / "release"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(release), str(REPO)]
    built = subprocess.run(
        build,
        env=clean_environment(**offline_pip(wheelhouse)),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    temp, workspace = tmp_path / "runner-temp", workspace_with(tmp_path / "workspace", {"good.md": CLEAN_PAGE})
    temp.mkdir()
    environ = offline_pip(wheelhouse) | {
        "PIP_FIND_LINKS": f"{wheelhouse} {release}",
        "GITHUB_ACTION_PATH": str(tmp_path / "missing"),
    }
    installed = run_step("install", temp, workspace, environ, version=__version__)
    assert installed.returncode == 0, installed.explain()
    assert f"monolint, version {__version__}" in installed.stdout
    check = run_step("check", temp, workspace, {})
    assert check.returncode == 0, check.explain()
    assert action_output("findings", check) == "0"
