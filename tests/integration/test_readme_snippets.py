"""The README's CI snippets are valid: each fenced block that follows a marker line
``<!-- snippet: NAME -->`` is checked by the real validator for its kind of file
(check-jsonschema's vendored GitHub and GitLab schemas, `pre-commit validate-config`), and
it uses monolint as this repository defines it (action inputs, hook ids, report name).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_tools import REPO, require_tool
from test_release import repository, slug

README = REPO / "README.md"
BIN = Path(sys.executable).parent
SNIPPET = re.compile(r"^<!-- snippet: ([\w-]+) -->\n```[\w-]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
UNTRUSTED_IN_SCRIPT = re.compile(r"\$\{\{[^}]*\b(inputs\.|github\.event)")
ACTION_REPO = slug()  # owner/name of pyproject's Repository URL


def snippet(name: str) -> str:
    """The block marked ``<!-- snippet: NAME -->``; the test fails when there is none."""
    found: dict[str, list[str]] = {}
    for marker, block in SNIPPET.findall(README.read_text(encoding="utf-8")):
        found.setdefault(marker, []).append(block)
    if name not in found:
        pytest.fail(f"{README.name} has no fenced block right after the line <!-- snippet: {name} -->")
    assert len(found[name]) == 1, f"{README.name} marks {len(found[name])} blocks as snippet {name}"
    return found[name][0]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check_jsonschema(schema: str, path: Path) -> None:
    tool = require_tool(BIN / "check-jsonschema", "pip install check-jsonschema (it is in the test extras)")
    result = subprocess.run(
        [tool, "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def parse(text: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def test_github_workflow_snippet_is_a_workflow_using_the_action(tmp_path: Path) -> None:
    text = snippet("github-workflow")
    check_jsonschema("vendor.github-workflows", write(tmp_path, "monolint.yml", text))
    steps = [step for job in parse(text)["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if str(step.get("uses", "")).startswith(f"{ACTION_REPO}@")]
    assert len(ours) == 1, f"no step uses {ACTION_REPO}@<version>"
    declared = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["inputs"]
    assert set(ours[0].get("with", {})) <= set(declared)
    assert [step["run"] for step in steps if UNTRUSTED_IN_SCRIPT.search(step.get("run", ""))] == []


def test_pull_request_snippet_fetches_the_history_diff_base_needs(tmp_path: Path) -> None:
    text = snippet("github-pull-request")
    check_jsonschema("vendor.github-workflows", write(tmp_path, "monolint-pull-request.yml", text))
    steps = [step for job in parse(text)["jobs"].values() for step in job["steps"]]
    (checkout,) = [step for step in steps if str(step.get("uses", "")).startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0  # a shallow clone has neither the base nor the merge base
    (ours,) = [step for step in steps if str(step.get("uses", "")).startswith(f"{ACTION_REPO}@")]
    declared = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["inputs"]
    assert set(ours.get("with", {})) <= set(declared)
    assert ours["with"]["args"] == "--diff-base origin/${{ github.base_ref }}"
    assert steps.index(checkout) < steps.index(ours)


def test_gitlab_ci_snippet_is_a_job_publishing_a_code_quality_report(tmp_path: Path) -> None:
    text = snippet("gitlab-ci")
    check_jsonschema("vendor.gitlab-ci", write(tmp_path, ".gitlab-ci.yml", text))
    jobs = [job for job in parse(text).values() if isinstance(job, dict) and "script" in job]
    reports = [
        (job["artifacts"]["reports"]["codequality"], line)
        for job in jobs
        for line in job["script"]
        if "monolint check" in line and "--format gitlab" in line
    ]
    assert len(reports) == 1, "no job runs monolint check --format gitlab"
    report, command = reports[0]
    assert f"--output {report}" in command
    assert report == "gl-code-quality-report.json"


def test_pre_commit_snippet_is_a_valid_config_using_our_hooks(tmp_path: Path) -> None:
    text = snippet("pre-commit-config")
    pre_commit = require_tool(BIN / "pre-commit", "pip install pre-commit (it is in the test extras)")
    path = write(tmp_path, ".pre-commit-config.yaml", text)
    result = subprocess.run(
        [pre_commit, "validate-config", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr
    ours = [repo for repo in parse(text)["repos"] if repo["repo"] == repository()]
    assert len(ours) == 1
    offered = {hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    used = {hook["id"] for hook in ours[0]["hooks"]}
    assert used and used <= offered


def _monolint_commands(text: str) -> list[list[str]]:
    """The `monolint check ...` commands of a CI snippet's scripts, as argument lists."""
    import shlex

    document = parse(text)
    scripts: list[str] = []
    for job in document.get("jobs", document).values():
        if not isinstance(job, dict):
            continue
        scripts += [step.get("run", "") for step in job.get("steps", [])]
        scripts += job.get("script", [])
    return [shlex.split(line)[1:] for line in scripts if line.startswith("monolint check")]


def _run_on_content(arguments: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a snippet's command for real, on a copy of this repository's content/."""
    import shutil

    shutil.copytree(REPO / "content", tmp_path / "content")
    command = [str(BIN / "monolint"), *arguments]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)


def test_github_sarif_snippet_uploads_the_report_the_action_writes(tmp_path: Path) -> None:
    text = snippet("github-sarif")
    check_jsonschema("vendor.github-workflows", write(tmp_path, "scan.yml", text))
    steps = [step for job in parse(text)["jobs"].values() for step in job["steps"]]
    (ours,) = [step for step in steps if str(step.get("uses", "")).startswith(f"{ACTION_REPO}@")]
    assert ours["with"]["format"] == "sarif"
    (upload,) = [step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    output = f"steps.{ours['id']}.outputs.sarif-file"
    assert upload["with"]["sarif_file"] == "${{ " + output + " }}"
    assert output in upload["if"]  # no upload when monolint could not run
    assert "sarif-file" in yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["outputs"]
    assert "security-events" in parse(text)["permissions"]


def test_gitlab_junit_snippet_publishes_the_report_monolint_writes(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    text = snippet("gitlab-junit")
    check_jsonschema("vendor.gitlab-ci", write(tmp_path, ".gitlab-ci.yml", text))
    (job,) = [job for job in parse(text).values() if isinstance(job, dict) and "script" in job]
    (arguments,) = _monolint_commands(text)
    result = _run_on_content(arguments, tmp_path)
    assert result.returncode == 0, result.stderr
    root = ElementTree.parse(tmp_path / job["artifacts"]["reports"]["junit"]).getroot()
    assert root.tag == "testsuites" and root.find("testsuite") is not None


def test_gitlab_code_quality_snippet_command_writes_its_report(tmp_path: Path) -> None:
    import json

    text = snippet("gitlab-ci")
    (job,) = [job for job in parse(text).values() if isinstance(job, dict) and "script" in job]
    (arguments,) = _monolint_commands(text)
    result = _run_on_content(arguments, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / job["artifacts"]["reports"]["codequality"]).read_text(encoding="utf-8")) == []


def _monolint(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run monolint; a job summary is not appended to the job running the tests."""
    import os

    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_STEP_SUMMARY"}
    command = [str(BIN / "monolint"), *arguments]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False)


def test_github_shards_snippet_runs_every_shard_and_merges_them(tmp_path: Path) -> None:
    """The matrix recipe: a valid workflow whose matrix and --shard K/N agree, whose cache is
    keyed on the version and the model; its commands, run for real on content/ (and a page
    with an error) with the matrix's values, make reports that merge into the whole run."""
    import json
    import shlex
    import shutil

    from helpers_cli import CLEAN_PAGE

    from validator import __version__
    from validator.run import CACHE_DIR_NAME

    def uses(steps: list[dict[str, Any]], action: str) -> dict[str, Any]:
        (step,) = [step for step in steps if str(step.get("uses", "")).startswith(f"{action}@")]
        return step

    text = snippet("github-shards")
    check_jsonschema("vendor.github-workflows", write(tmp_path, "monolint-shards.yml", text))
    document = parse(text)
    assert document["env"]["MONOLINT_VERSION"] == __version__
    installs = [
        step["run"]
        for job in (document["jobs"].values())
        for step in job["steps"]
        if "pip install" in step.get("run", "")
    ]
    assert len(installs) == 2 and all(f"@v{__version__}" in line for line in installs)
    check, merge = document["jobs"]["check"], document["jobs"]["merge"]
    assert merge["needs"] == "check" and "security-events" in merge["permissions"]
    shards = check["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    cache = uses(check["steps"], "actions/cache")
    assert cache["with"]["path"] == CACHE_DIR_NAME
    for part in ("env.MONOLINT_VERSION", "hashFiles(", "matrix.shard"):
        assert part in cache["with"]["key"] and part in cache["with"]["restore-keys"]
    (command,) = [step["run"] for step in check["steps"] if step.get("run", "").startswith("monolint check")]
    assert f"--shard ${{{{ matrix.shard }}}}/{len(shards)}" in command
    upload, download = (
        uses(check["steps"], "actions/upload-artifact"),
        uses(merge["steps"], "actions/download-artifact"),
    )

    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "content" / "bad.md").write_text(CLEAN_PAGE.replace("500 mg", "500mg"), encoding="utf-8")
    artifacts = tmp_path / download["with"]["path"]
    artifacts.mkdir()
    for shard in shards:
        result = _monolint(shlex.split(command.replace("${{ matrix.shard }}", str(shard)))[1:], tmp_path)
        assert result.returncode == 0, result.stderr
        report = upload["with"]["path"].replace("${{ matrix.shard }}", str(shard))
        (tmp_path / report).rename(artifacts / report)
    merges = [shlex.split(step["run"]) for step in merge["steps"] if step.get("run", "").startswith("monolint merge")]
    assert len(merges) == 2
    for arguments in merges:
        expanded = [
            match
            for argument in arguments[1:]
            for match in (sorted(str(path.relative_to(tmp_path)) for path in tmp_path.glob(argument)) or [argument])
        ]
        result = _monolint(expanded, tmp_path)
        assert result.returncode == (0 if "--exit-zero" in expanded else 1), result.stdout + result.stderr
    whole = json.loads(_monolint(["check", "content", "--format", "json"], tmp_path).stdout)
    sarif = json.loads(
        (tmp_path / uses(merge["steps"], "github/codeql-action/upload-sarif")["with"]["sarif_file"]).read_text(
            encoding="utf-8"
        )
    )
    assert sum(len(run["results"]) for run in sarif["runs"]) == len(whole["findings"]) > 0
