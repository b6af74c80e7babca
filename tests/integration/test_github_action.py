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
from helpers_precommit import BAD_PAGE, build_wheelhouse, clean_environment, offline_pip
from helpers_tools import REPO, require_tool

from validator import __version__

BIN = Path(sys.executable).parent
ACTION = REPO / "action.yml"
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
CONSTRAINTS = REPO / "constraints" / "action.txt"
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


STEP_OUTPUT = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+)")


def resolve(value: object, inputs: Mapping[str, str], steps: Mapping[str, StepResult]) -> str:
    """A step's env value with ``${{ inputs.NAME }}`` and ``${{ steps.ID.outputs.NAME }}``
    substituted (from the steps run before); any other expression fails the test, since this
    runner evaluates no other context."""

    def substitute(match: re.Match[str]) -> str:
        expression = match.group(1)
        output = STEP_OUTPUT.fullmatch(expression)
        if output:
            assert output.group(1) in steps, f"{match.group(0)}: step {output.group(1)!r} has not run"
            return steps[output.group(1)].outputs.get(output.group(2), "")
        name = expression.removeprefix("inputs.")
        assert expression.startswith("inputs.") and name in inputs, f"cannot evaluate {match.group(0)}"
        return inputs[name]

    return EXPRESSION.sub(substitute, str(value))


def action_inputs(given: Mapping[str, str]) -> dict[str, str]:
    declared = load(ACTION)["inputs"]
    assert set(given) <= set(declared), f"unknown inputs {set(given) - set(declared)}"
    return {name: str(spec.get("default", "")) for name, spec in declared.items()} | dict(given)


def read_outputs(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines if "=" in line)


def run_step(
    step_id: str,
    runner_temp: Path,
    workspace: Path,
    environ: Mapping[str, str],
    steps: Mapping[str, StepResult] | None = None,
    **given: str,
) -> StepResult:
    """Run one `run:` step of action.yml as the runner would (bash -eo pipefail, its env);
    ``steps`` holds the results of the steps run before, by id."""
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
        **{name: resolve(value, inputs, steps or {}) for name, value in step.get("env", {}).items()},
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


PINNED_USES = re.compile(r"^\s*uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$", re.MULTILINE)


def test_third_party_actions_are_pinned_to_a_commit_with_its_tag() -> None:
    text = ACTION.read_text(encoding="utf-8")
    pinned = PINNED_USES.findall(text)
    assert len(pinned) == len(re.findall(r"^\s*uses:", text, re.MULTILINE)) == 3, "a `uses:` is not SHA-pinned"
    # One commit and tag per action repository (actions/cache/restore and /save are one).
    by_repository: dict[str, set[tuple[str, str]]] = {}
    for name, sha, tag in pinned:
        by_repository.setdefault("/".join(name.split("/")[:2]), set()).add((sha, tag))
    assert set(by_repository) == {"actions/setup-python", "actions/cache"}
    assert all(len(refs) == 1 for refs in by_repository.values()), by_repository


def test_setup_python_runs_only_when_a_python_version_is_given() -> None:
    uses = [step for step in action_steps() if str(step.get("uses", "")).startswith("actions/setup-python@")]
    assert [step["if"] for step in uses] == ["inputs.python-version != ''"]


def test_pip_cache_is_restored_before_the_install_and_saved_after_it() -> None:
    steps = action_steps()
    order = [step.get("id") or step["uses"].split("@")[0] for step in steps]
    restore, save = order.index("cache"), order.index("actions/cache/save")
    assert order.index("cache-key") < restore < order.index("install") < save < order.index("check")
    dir_expression, key_expression = "${{ steps.cache-key.outputs.dir }}", "${{ steps.cache-key.outputs.key }}"
    assert steps[restore]["uses"].startswith("actions/cache/restore@")
    for step in (steps[restore], steps[save]):
        assert (step["with"]["path"], step["with"]["key"]) == (dir_expression, key_expression)
    assert steps[restore]["with"]["restore-keys"] == "${{ steps.cache-key.outputs.restore-prefix }}"
    assert steps[save]["if"] == "steps.cache.outputs.cache-hit != 'true'"
    assert steps[order.index("install")]["env"]["PIP_CACHE_DIR"] == dir_expression


def cache_key(runner_temp: Path, action_path: Path, version: str = "") -> StepResult:
    environ = {"GITHUB_ACTION_PATH": str(action_path)}
    result = run_step("cache-key", runner_temp, runner_temp, environ, version=version)
    assert result.returncode == 0, result.explain()
    return result


def test_pip_cache_key_follows_the_constraints_the_version_and_the_python(tmp_path: Path) -> None:
    copy = tmp_path / "action"
    (copy / "constraints").mkdir(parents=True)
    shutil.copy(CONSTRAINTS, copy / "constraints" / "action.txt")
    first = cache_key(tmp_path, copy).outputs
    python = f"py{sys.version_info[0]}.{sys.version_info[1]}-"
    assert first["key"].startswith(first["restore-prefix"]) and first["restore-prefix"].endswith(python)
    assert first["dir"] == str(tmp_path / "monolint-pip-cache")
    assert cache_key(tmp_path, copy).outputs == first
    assert cache_key(tmp_path, copy, version="0.0.1").outputs["key"] != first["key"]
    with (copy / "constraints" / "action.txt").open("a", encoding="utf-8") as constraints:
        constraints.write("colorama==0.4.6\n")
    changed = cache_key(tmp_path, copy).outputs
    assert changed["key"] != first["key"] and changed["restore-prefix"] == first["restore-prefix"]


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheelhouse(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Path:
    """RUNNER_TEMP after the action's install step ran with its default inputs."""
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("install-workspace")
    key = run_step("cache-key", temp, workspace, {})
    assert key.returncode == 0, key.explain()
    installed = run_step("install", temp, workspace, offline_pip(wheelhouse), {"cache-key": key})
    assert installed.returncode == 0, installed.explain()
    assert f"monolint, version {__version__}" in installed.stdout, installed.explain()
    return temp


def pins() -> dict[str, str]:
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    pairs = [line.split("==") for line in lines if line.strip() and not line.startswith("#")]
    return {canonical(name): version for name, version in pairs}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_action_installs_the_pinned_dependencies(runner_temp: Path) -> None:
    venv_python = runner_temp / "monolint-venv" / "bin" / "python"
    listing = subprocess.run(
        [str(venv_python), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    installed = {canonical(item["name"]): item["version"] for item in json.loads(listing.stdout)}
    installed = {name: version for name, version in installed.items() if name not in {"monolint", "pip", "setuptools"}}
    pinned = pins()
    assert installed, listing.stdout
    assert {name: pinned.get(name) for name in installed} == installed


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


def sarif_results(path: Path) -> list[dict[str, Any]]:
    log = json.loads(path.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    return [result for run in log["runs"] for result in run["results"]]


def test_action_writes_a_sarif_file_for_code_scanning(tmp_path: Path, runner_temp: Path) -> None:
    workspace = workspace_with(tmp_path, {"pages/good.md": CLEAN_PAGE, "pages/bad.md": BAD_PAGE})
    check = run_step("check", runner_temp, workspace, {}, format="sarif")
    assert check.returncode == 1, check.explain()
    sarif = Path(action_output("sarif-file", check))
    assert sarif == runner_temp / "monolint.sarif" and sarif.name == "monolint.sarif"
    results = sarif_results(sarif)
    assert {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results} == {
        "pages/bad.md"
    }
    assert action_output("findings", check) == str(len(results)) == str(finding_count(workspace)) == "2"
    assert annotation_lines(check.stdout) == [] and "::warning" not in check.stdout, check.explain()
    assert list(workspace.rglob("*.sarif")) == []  # the report stays out of the checkout


def test_action_sets_no_sarif_file_when_monolint_cannot_run(tmp_path: Path, runner_temp: Path) -> None:
    workspace = workspace_with(tmp_path, {"pages/bad.md": BAD_PAGE})
    assert run_step("check", runner_temp, workspace, {}, format="sarif").returncode == 1
    check = run_step("check", runner_temp, workspace, {}, format="sarif", args="--select NOPE")
    assert check.returncode == 2, check.explain()
    assert action_output("sarif-file", check) == action_output("findings", check) == ""
    assert not (runner_temp / "monolint.sarif").exists()  # the earlier run's report is gone


def many_findings_page(count: int) -> str:
    doses = "\n".join(["Take 5mg."] * count)
    return CLEAN_PAGE.replace("Take 500 mg every 4 to 6 hours when needed.", doses)


@pytest.mark.parametrize("count", [5000, 5001])
def test_action_warns_when_the_sarif_report_exceeds_what_code_scanning_keeps(
    tmp_path: Path, runner_temp: Path, count: int
) -> None:
    workspace = workspace_with(tmp_path, {"many.md": many_findings_page(count)})
    assert finding_count(workspace) == count
    check = run_step("check", runner_temp, workspace, {}, format="sarif")
    assert check.returncode == 1, check.explain()
    assert action_output("findings", check) == str(count)
    warnings = [line for line in check.stdout.splitlines() if line.startswith("::warning ")]
    if count <= 5000:
        assert warnings == [], check.explain()
    else:
        (warning,) = warnings
        assert f"holds {count} results" in warning and "only 5,000 results per run" in warning
        assert all(option in warning for option in ("--select", "--baseline", "--diff-base"))


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
        ({"format": "xml"}, "format must be github, text, json or sarif"),
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
    # A wheel of this checkout plays the released monolint; the action path holds only the
    # constraints file, not a project pip could install, so only the `version` branch can succeed.
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
    action_path = tmp_path / "action"
    (action_path / "constraints").mkdir(parents=True)
    shutil.copy(CONSTRAINTS, action_path / "constraints" / "action.txt")
    environ = offline_pip(wheelhouse) | {
        "PIP_FIND_LINKS": f"{wheelhouse} {release}",
        "GITHUB_ACTION_PATH": str(action_path),
    }
    key = run_step("cache-key", temp, workspace, environ, version=__version__)
    assert key.returncode == 0, key.explain()
    installed = run_step("install", temp, workspace, environ, {"cache-key": key}, version=__version__)
    assert installed.returncode == 0, installed.explain()
    assert f"monolint, version {__version__}" in installed.stdout
    check = run_step("check", temp, workspace, {})
    assert check.returncode == 0, check.explain()
    assert action_output("findings", check) == "0"
