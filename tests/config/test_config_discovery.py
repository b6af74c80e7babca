"""Configuration found per file, the way ruff finds it, and the same everywhere.

Each page uses the nearest monolint.toml (or pyproject.toml with [tool.monolint]) in its own
folder or above, whatever the working folder: the command line run from the top or from a
subfolder, pre-commit and the language server must agree on every finding.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import pytest
from helpers_cli import (
    CLEAN_PAGE,
    DOSE_COLUMN,
    DOSE_LINE,
    ERROR_PAGE,
    WARNING_PAGE,
    assert_usage_error,
    run,
    write_tree,
)
from helpers_lsp import RecordingClient, initialize, open_page, published
from helpers_model import default_model_data, every_page_model, write_model
from helpers_precommit import (
    BIN,
    GIT_HINT,
    PRE_COMMIT_HINT,
    build_wheelhouse,
    clean_environment,
    git,
    offline_pip,
    snapshot_repo,
)
from helpers_tools import require_tool

from validator.config.files import Config
from validator.config.resolver import Resolver
from validator.run.parallel import PROCESS_THRESHOLD

DISCLAIMER = CLEAN_PAGE[CLEAN_PAGE.index("**Disclaimer:**") :]
IGNORE_DOSE = 'ignore = ["dose"]\n'

# A page of the glossary's own type: two sections the monograph model does not know.
GLOSSARY_PAGE = f"""\
---
layout: minimal-medicine
title: Tachycardia
---

# Tachycardia
### Definition
A heart rate above 100 beats a minute.

### Related Terms
Bradycardia.

{DISCLAIMER}"""
# The same type with a dose run into its unit and a section the glossary model does not know.
BAD_GLOSSARY_PAGE = (
    GLOSSARY_PAGE.replace("Tachycardia", "Bradycardia")
    .replace("above 100", "below 60")
    .replace("a minute.", "a minute. Atropine 0.5mg may be given.")
    .replace("\n\n**Disclaimer:**", "\n\n### Storage\n\nKeep it dry.\n\n**Disclaimer:**")
)

Finding = tuple[str, int, int, str]  # path relative to the tree's top, line, column, rule


def glossary_model() -> dict[str, object]:
    """The monograph model with the glossary's two sections instead of the monograph's."""
    data = default_model_data()
    data["name"] = "glossary"
    data["sections"]["required"] = [
        {"heading": "Definition", "aliases": ["Meaning"]},
        {"heading": "Related Terms", "aliases": ["See Also"]},
    ]
    del data["drug"]  # a glossary entry names no drug
    return dict(data)


def where(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column (code points) of ``needle`` in ``text``."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def two_page_types(top: Path) -> list[Finding]:
    """site/monographs with the default model and site/glossary with its own; returns the
    findings every way of running monolint must report."""
    write_model(top / "glossary" / "model", glossary_model(), "glossary.yaml")
    write_tree(
        top,
        {
            # The top's configuration governs monographs/; glossary/ has its own (no inheritance).
            "monolint.toml": '[rules.unknown-section]\nseverity = "error"\n',
            "monographs/aspirin.md": ERROR_PAGE,
            "monographs/plain.md": CLEAN_PAGE,
            "monographs/storage.md": WARNING_PAGE,
            "glossary/monolint.toml": 'schema = "model/glossary.yaml"\nexclude = ["drafts/"]\n',
            "glossary/bradycardia.md": BAD_GLOSSARY_PAGE,
            "glossary/tachycardia.md": GLOSSARY_PAGE,
            "glossary/drafts/wip.md": ERROR_PAGE,  # excluded by glossary/monolint.toml
        },
    )
    storage = where(WARNING_PAGE, "### Storage")
    return sorted(
        [
            ("glossary/bradycardia.md", *where(BAD_GLOSSARY_PAGE, "0.5mg"), "MON401"),
            ("glossary/bradycardia.md", *where(BAD_GLOSSARY_PAGE, "### Storage"), "MON210"),
            ("monographs/aspirin.md", DOSE_LINE, DOSE_COLUMN, "MON401"),
            ("monographs/storage.md", *storage, "MON210"),
        ]
    )


def cli_findings(top: Path, cwd: Path, *args: str) -> list[Finding]:
    """The findings of `monolint check --format json`, paths made relative to ``top``."""
    result = run(["check", "--no-cache", "--format", "json", *args], cwd)
    assert result.code in (0, 1), result.stderr
    return sorted(
        (
            (cwd / finding["path"]).resolve().relative_to(top.resolve()).as_posix(),
            finding["line"],
            finding["column"],
            finding["rule"],
        )
        for finding in result.json()["findings"]
    )


def pre_commit_findings(top: Path, base: Path) -> list[Finding]:
    """`pre-commit run --all-files` in a git repository holding the tree, with this working
    tree as the hook repository, installed offline from the session's wheelhouse."""
    pre_commit = require_tool(BIN / "pre-commit", PRE_COMMIT_HINT)
    require_tool("git", GIT_HINT)
    wheelhouse = build_wheelhouse(base)
    hook_repo = snapshot_repo(base / "config-discovery-hook-repo")
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    config = {"repos": [{"repo": str(hook_repo), "rev": revision, "hooks": [{"id": "monolint"}]}]}
    (top / ".pre-commit-config.yaml").write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    git("init", "-q", cwd=top)
    git("add", "-A", cwd=top)
    environ = clean_environment(
        PRE_COMMIT_HOME=str(base / "config-discovery-pre-commit-home"), **offline_pip(wheelhouse)
    )
    command = [pre_commit, "run", "--all-files", "--color", "never"]
    done = subprocess.run(command, cwd=top, env=environ, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1 and "Failed" in done.stdout, done.stdout + done.stderr
    found = []
    for line in done.stdout.splitlines():
        head, _, rest = line.partition(": ")
        parts = head.rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdigit() and rest.startswith("MON"):
            found.append((parts[0], int(parts[1]), int(parts[2]), rest.split()[0]))
    return sorted(found)


async def lsp_findings(client: RecordingClient, top: Path, pages: list[str]) -> list[Finding]:
    """The diagnostics the language server publishes for each page opened in an editor,
    in code points (the UTF-32 position encoding) and 1-based like the command line's."""
    result = await initialize(client, top, ["utf-32"])
    assert result.capabilities.position_encoding == "utf-32"
    found = []
    for name in pages:
        uri = (top / name).as_uri()
        open_page(client, uri, (top / name).read_text(encoding="utf-8"))
        for diagnostic in await published(client, uri, 1):
            start = diagnostic.range.start
            found.append((name, start.line + 1, start.character + 1, str(diagnostic.code)))
    return sorted(found)


@pytest.mark.asyncio
async def test_cli_pre_commit_and_language_server_agree_on_two_page_types(
    client: RecordingClient, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    top = tmp_path / "site"
    expected = two_page_types(top)
    # From the top: glossary/ is checked against its own model, and its drafts are left out.
    assert await asyncio.to_thread(cli_findings, top, top, ".") == expected
    # From a subfolder: monographs/ still uses the top's configuration, not the working folder's.
    assert await asyncio.to_thread(cli_findings, top, top / "glossary", "..") == expected
    assert await asyncio.to_thread(cli_findings, top, top / "monographs", "../glossary", ".") == expected
    pages = sorted({path for path, *_ in expected} | {"monographs/plain.md", "glossary/tachycardia.md"})
    assert await lsp_findings(client, top, pages) == expected
    # Last: pre-commit's run makes the tree a git repository.
    base = tmp_path_factory.getbasetemp()
    assert await asyncio.to_thread(pre_commit_findings, top, base) == expected


# --- the resolver ---------------------------------------------------------------------------


def test_the_nearest_configuration_wins_whatever_the_working_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monolint.toml": "", "a/monolint.toml": IGNORE_DOSE, "a/b/page.md": ERROR_PAGE})
    resolver = Resolver(tmp_path)
    assert resolver.for_file(tmp_path / "a" / "b" / "page.md").source == tmp_path / "a" / "monolint.toml"
    assert resolver.for_file(tmp_path / "page.md").source == tmp_path / "monolint.toml"
    # The bug this fixes: from the top, a subfolder's configuration used to be ignored.
    assert run(["check", "a/b/page.md"], tmp_path).code == 0
    assert run(["check", "."], tmp_path).code == 0
    assert run(["check", "--isolated", "."], tmp_path).code == 1


def test_a_pyproject_without_a_monolint_table_is_skipped(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.monolint]\n" + IGNORE_DOSE,
            "a/pyproject.toml": "[tool.black]\n",
            "a/p.md": ERROR_PAGE,
        },
    )
    assert Resolver(tmp_path).for_file(tmp_path / "a" / "p.md").source == tmp_path / "pyproject.toml"
    assert run(["check", "a"], tmp_path).code == 0
    write_tree(tmp_path, {"a/pyproject.toml": "[tool.monolint]\n"})  # now it configures monolint
    assert run(["check", "a"], tmp_path).code == 1


def test_config_option_forces_one_configuration_for_every_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"strict.toml": "", "sub/monolint.toml": IGNORE_DOSE, "sub/p.md": ERROR_PAGE})
    assert run(["check", "sub"], tmp_path).code == 0
    result = run(["check", "--config", "strict.toml", "sub"], tmp_path)
    assert result.findings() == [("sub/p.md", DOSE_LINE, DOSE_COLUMN, "MON401")]
    forced = Resolver.for_run(tmp_path, tmp_path / "strict.toml")
    assert forced.for_file(tmp_path / "sub" / "p.md").source == tmp_path / "strict.toml"


def test_isolated_uses_no_configuration_at_all(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monolint.toml": IGNORE_DOSE, "sub/monolint.toml": "bogus = [", "sub/p.md": ERROR_PAGE})
    result = run(["check", "--isolated", "."], tmp_path)
    assert result.findings() == [("sub/p.md", DOSE_LINE, DOSE_COLUMN, "MON401")]
    assert Resolver.for_run(tmp_path, isolated=True).for_file(tmp_path / "sub" / "p.md").source is None


def test_a_file_with_no_configuration_above_it_uses_the_working_folders(tmp_path: Path) -> None:
    write_tree(tmp_path, {"project/monolint.toml": IGNORE_DOSE, "outside/p.md": ERROR_PAGE})
    assert Resolver(tmp_path / "outside").fallback.source is None  # nothing above tmp_path
    assert run(["check", "../outside/p.md"], tmp_path / "project").code == 0
    assert run(["check", "p.md"], tmp_path / "outside").code == 1  # from there: the defaults


def test_each_configuration_is_read_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import validator.config.resolver

    pages = {f"{top}/{sub}/p{n}.md": CLEAN_PAGE for top in "ab" for sub in "xyz" for n in range(5)}
    write_tree(tmp_path, {"monolint.toml": "", "b/monolint.toml": "", **pages})
    reads: list[Path] = []
    real = validator.config.resolver.read_config

    def counting(path: Path, root: Path) -> Config:
        reads.append(path)
        return real(path, root)

    monkeypatch.setattr(validator.config.resolver, "read_config", counting)
    resolver = Resolver(tmp_path)
    sources = {name: resolver.for_file(tmp_path / name).source for name in pages}
    assert sorted(reads) == [tmp_path / "b" / "monolint.toml", tmp_path / "monolint.toml"]
    assert {name[0]: source for name, source in sources.items()} == {
        "a": tmp_path / "monolint.toml",
        "b": tmp_path / "b" / "monolint.toml",
    }


def test_stdin_uses_the_configuration_nearest_its_name(tmp_path: Path) -> None:
    top = tmp_path / "site"
    two_page_types(top)
    page = BAD_GLOSSARY_PAGE.encode()
    glossary = run(["check", "--stdin-filename", "glossary/new.md"], top, stdin=page)
    monograph = run(["check", "--stdin-filename", "monographs/new.md"], top, stdin=page)
    assert {rule for *_, rule in glossary.findings()} == {"MON401", "MON210"}
    assert {rule for *_, rule in monograph.findings()} >= {"MON204", "MON401"}  # the monograph's sections


def test_a_broken_configuration_anywhere_is_one_line_naming_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ok.md": CLEAN_PAGE, "deep/er/monolint.toml": "select = [\n", "deep/er/p.md": CLEAN_PAGE})
    assert_usage_error(run(["check", "."], tmp_path), "deep/er/monolint.toml", "TOML")
    assert_usage_error(run(["check", "--stdin-filename", "deep/er/x.md"], tmp_path, stdin=b""), "monolint.toml")
    # A folder that its governing configuration excludes is not walked, so its files are not read.
    write_tree(tmp_path, {"monolint.toml": 'exclude = ["deep/"]\n'})
    assert run(["check", "."], tmp_path).code == 0


def test_the_cache_never_mixes_content_models(tmp_path: Path) -> None:
    write_model(tmp_path / "models", glossary_model(), "glossary.yaml")
    # The same bytes under the same rule settings, in two folders with two models.
    write_tree(tmp_path, {"a/p.md": CLEAN_PAGE, "b/p.md": CLEAN_PAGE})
    write_tree(tmp_path, {"b/monolint.toml": 'schema = "../models/glossary.yaml"\n'})

    def rules(*args: str) -> dict[str, list[str]]:
        result = run(["check", "--format", "json", *args, "."], tmp_path)
        found: dict[str, list[str]] = {"a/p.md": [], "b/p.md": []}
        for finding in result.json()["findings"]:
            found[finding["path"]].append(finding["rule"])
        return found

    uncached = rules("--no-cache")
    assert uncached["a/p.md"] == [] and "MON204" in uncached["b/p.md"]
    assert rules() == uncached  # writes the cache
    assert list((tmp_path / ".monolint_cache").glob("v*/findings-*.json"))
    assert rules() == uncached  # read from it
    # The folder switches to the default model: its page's old findings are not served.
    (tmp_path / "b" / "monolint.toml").write_text("", encoding="utf-8")
    assert rules() == {"a/p.md": [], "b/p.md": []}


def test_worker_processes_check_each_page_against_its_own_model(tmp_path: Path) -> None:
    write_model(tmp_path / "models", glossary_model(), "glossary.yaml")
    half = PROCESS_THRESHOLD // 2 + 1  # enough pages in all for worker processes
    pages = {f"{folder}/{index:02d}.md": ERROR_PAGE for folder in "ab" for index in range(half)}
    write_tree(tmp_path, {**pages, "b/monolint.toml": 'schema = "../models/glossary.yaml"\n'})
    reports = [run(["check", "--no-cache", "--format", "json", "--jobs", jobs, "."], tmp_path) for jobs in "12"]
    assert reports[0].stdout == reports[1].stdout
    rules: dict[str, set[str]] = {"a": set(), "b": set()}
    for finding in reports[0].json()["findings"]:
        rules[finding["path"][0]].add(finding["rule"])
    assert rules == {"a": {"MON401"}, "b": {"MON401", "MON204", "MON210"}}
    # A folder whose model cannot be loaded ends a run with workers on one line too.
    write_tree(tmp_path, {"c/monolint.toml": 'schema = "missing.yaml"\n', "c/x.md": CLEAN_PAGE})
    assert_usage_error(run(["check", "--no-cache", "--jobs", "2", "."], tmp_path), "missing.yaml")


# --- --show-files and --show-settings ---------------------------------------------------------


def test_show_files_lists_what_would_be_checked_after_a_subfolders_excludes(tmp_path: Path) -> None:
    top = tmp_path / "site"
    two_page_types(top)
    expected = [
        "glossary/bradycardia.md",
        "glossary/tachycardia.md",
        "monographs/aspirin.md",
        "monographs/plain.md",
        "monographs/storage.md",
    ]
    result = run(["check", "--show-files", "."], top)
    assert (result.code, result.lines, result.stderr) == (0, expected, "")
    from_glossary = run(["check", "--show-files", "..", "drafts/wip.md"], top / "glossary")
    # Paths outside the working folder are shown whole; a file named on the command line is
    # listed, as it would be checked (without --force-exclude).
    assert from_glossary.lines == [
        "bradycardia.md",
        "tachycardia.md",
        *(str(top.resolve() / name) for name in expected[2:]),
        "drafts/wip.md",
    ]
    forced = run(["check", "--show-files", "--force-exclude", "drafts/wip.md", "."], top / "glossary")
    assert forced.lines == ["bradycardia.md", "tachycardia.md"]
    assert not list(top.rglob(".monolint_cache"))  # nothing was linted


def test_show_settings_prints_what_one_page_is_checked_with(tmp_path: Path) -> None:
    top = tmp_path / "site"
    two_page_types(top)
    write_tree(
        top,
        {
            "glossary/monolint.toml": """\
schema = "model/glossary.yaml"
exclude = ["drafts/"]
extend-exclude = ["old/"]

[rules.dose-thousands-separator]
minimum = 10000

[[overrides]]
files = ["b*.md"]
rules = { MON210 = { severity = "info" } }
""",
        },
    )
    args = ["check", "--show-settings", "glossary/bradycardia.md", "--select", "MON210,MON401,MON406"]
    result = run(args, top)
    assert result.code == 0 and result.stderr == ""
    assert result.stdout == (
        "page: glossary/bradycardia.md\n"
        "configuration: glossary/monolint.toml\n"
        "root: glossary\n"
        "content model: glossary/model/glossary.yaml\n"
        "applies to: layout minimal-medicine\n"
        "overrides: overrides[0] (b*.md)\n"
        "exclude: drafts/, old/\n"
        "respect-gitignore: true\n"
        "rules (3 enabled):\n"
        '  MON210 unknown-section info {"allow": []}\n'
        "  MON401 dose-no-space error\n"
        '  MON406 dose-thousands-separator error {"minimum": 10000}\n'
    )
    data = run([*args, "--format", "json"], top).json()
    assert data["applies_to"] == {"layouts": ["minimal-medicine"], "paths": []}
    assert data["config"] == "glossary/monolint.toml" and data["overrides"] == [{"index": 0, "files": ["b*.md"]}]
    assert [(rule["id"], rule["severity"]) for rule in data["rules"]] == [
        ("MON210", "info"),
        ("MON401", "error"),
        ("MON406", "error"),
    ]
    # From inside glossary/, for a monograph: the top's file, the built-in model.
    monograph = run(["check", "--show-settings", "../monographs/aspirin.md"], top / "glossary")
    assert monograph.lines[:7] == [
        f"page: {top / 'monographs' / 'aspirin.md'}",
        f"configuration: {top / 'monolint.toml'}",
        f"root: {top}",
        "content model: built-in",
        "applies to: layout minimal-medicine",
        "overrides: none",
        "exclude: none",
    ]
    assert '  MON210 unknown-section error {"allow": []}' in monograph.lines
    isolated = run(["check", "--isolated", "--show-settings", "glossary/bradycardia.md"], top)
    assert isolated.lines[1:4] == ["configuration: none: defaults", "root: .", "content model: built-in"]


def test_show_settings_says_a_model_without_applies_to_checks_every_page(tmp_path: Path) -> None:
    write_tree(tmp_path, {"page.md": "# Page\n"})
    result = run(["check", "--show-settings", "--schema", str(every_page_model()), "page.md"], tmp_path)
    assert result.code == 0, result.stderr
    assert "applies to: every page" in result.lines
    data = run(
        ["check", "--show-settings", "--schema", str(every_page_model()), "--format", "json", "page.md"], tmp_path
    )
    assert data.json()["applies_to"] is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--show-settings"], "exactly one page"),
        (["--show-settings", "a.md", "b.md"], "exactly one page"),
        (["--show-settings", "glossary"], "not a folder"),
        (["--show-settings", "--format", "sarif", "a.md"], "text or json"),
        (["--show-files"], "needs paths"),
        (["--show-files", "--show-settings", "a.md"], "cannot be combined"),
    ],
)
def test_show_options_misused_are_usage_errors(tmp_path: Path, args: list[str], fragment: str) -> None:
    two_page_types(tmp_path)
    assert_usage_error(run(["check", *args], tmp_path), fragment)


def test_show_settings_reports_a_broken_model(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monolint.toml": 'schema = "missing.yaml"\n'})
    assert_usage_error(run(["check", "--show-settings", "p.md"], tmp_path), "missing.yaml")
