"""Configuration: where it is found, what each key does, and one clear line for each mistake."""

from __future__ import annotations

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

from validator.config.files import ConfigError, find_config, load_config
from validator.content_model.load import builtin_schemas

IGNORE_DOSE = 'ignore = ["dose"]\n'


def _dose_found(root: Path, cwd: Path, *args: str) -> bool:
    result = run([*args, str(root / "page.md")], cwd)
    assert result.code in (0, 1), result.stderr
    return result.code == 1


@pytest.mark.parametrize(
    ("files", "found_in"),
    [
        pytest.param({"monolint.toml": IGNORE_DOSE}, "", id="monolint.toml-here"),
        pytest.param({"pyproject.toml": "[tool.monolint]\n" + IGNORE_DOSE}, "", id="pyproject-here"),
        pytest.param({"monolint.toml": IGNORE_DOSE}, "a/b", id="monolint.toml-above"),
        pytest.param({"pyproject.toml": "[tool.monolint]\n" + IGNORE_DOSE}, "a/b", id="pyproject-above"),
        pytest.param(
            {"pyproject.toml": "[tool.monolint]\n" + IGNORE_DOSE, "a/pyproject.toml": "[tool.black]\nx = 1\n"},
            "a/b",
            id="pyproject-without-table-is-skipped",
        ),
        # The page's nearest file, not the working folder's (that one would not ignore doses).
        pytest.param({"monolint.toml": IGNORE_DOSE, "a/b/monolint.toml": ""}, "a/b", id="the-pages-nearest-file-wins"),
        pytest.param(
            {"monolint.toml": IGNORE_DOSE, "pyproject.toml": "[tool.monolint]\nselect = ['ALL']\n"},
            "",
            id="monolint.toml-before-pyproject",
        ),
    ],
)
def test_config_is_found_from_the_page_upward_wherever_monolint_runs(
    tmp_path: Path, files: dict[str, str], found_in: str
) -> None:
    write_tree(tmp_path, {**files, "page.md": ERROR_PAGE})
    cwd = tmp_path / found_in
    cwd.mkdir(parents=True, exist_ok=True)
    assert not _dose_found(tmp_path, cwd)
    assert _dose_found(tmp_path, cwd, "--isolated")


def test_no_config_means_defaults(tmp_path: Path) -> None:
    write_tree(tmp_path, {"page.md": ERROR_PAGE})
    assert find_config(tmp_path) is None
    assert _dose_found(tmp_path, tmp_path)


def test_config_option_names_a_file_anywhere(tmp_path: Path) -> None:
    write_tree(tmp_path, {"settings/lint.toml": IGNORE_DOSE, "monolint.toml": "", "page.md": ERROR_PAGE})
    assert not _dose_found(tmp_path, tmp_path, "--config", "settings/lint.toml")
    write_tree(tmp_path, {"settings/pyproject.toml": "[tool.monolint]\n" + IGNORE_DOSE})
    assert not _dose_found(tmp_path, tmp_path, "--config", "settings/pyproject.toml")


def test_isolated_ignores_even_a_broken_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monolint.toml": "bogus = [", "page.md": CLEAN_PAGE})
    assert run(["--isolated", "page.md"], tmp_path).code == 0


@pytest.mark.parametrize(
    ("config", "code", "rules"),
    [
        pytest.param("", 0, ["MON210"], id="default-warning"),
        pytest.param('[rules.MON210]\nseverity = "error"\n', 1, ["MON210"], id="error-by-id"),
        pytest.param('[rules.unknown-section]\nseverity = "error"\n', 1, ["MON210"], id="error-by-name"),
        pytest.param('[rules.MON210]\nseverity = "info"\n', 0, ["MON210"], id="info"),
        pytest.param('[rules.MON210]\nseverity = "off"\n', 0, [], id="off-by-id"),
        pytest.param('[rules.unknown-section]\nseverity = "off"\n', 0, [], id="off-by-name"),
        pytest.param('ignore = ["unknown-section"]\n', 0, [], id="ignore"),
        pytest.param('select = ["dose"]\n', 0, [], id="select"),
        pytest.param('select = ["dose"]\nextend-select = ["MON21"]\n', 0, ["MON210"], id="extend"),
    ],
)
def test_rule_settings(tmp_path: Path, config: str, code: int, rules: list[str]) -> None:
    write_tree(tmp_path, {"monolint.toml": config, "page.md": WARNING_PAGE})
    result = run(["--format", "json", "page.md"], tmp_path)
    assert result.code == code, result.stdout
    assert [finding["rule"] for finding in result.json()["findings"]] == rules


def test_severity_changes_the_reported_severity(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monolint.toml": '[rules.MON401]\nseverity = "warning"\n', "page.md": ERROR_PAGE})
    result = run(["--format", "json", "page.md"], tmp_path)
    assert result.code == 0
    assert [(f["rule"], f["severity"]) for f in result.json()["findings"]] == [("MON401", "warning")]


def test_overrides_apply_per_path(tmp_path: Path) -> None:
    config = """\
[[overrides]]
files = ["legacy/**"]
ignore = ["dose"]

[[overrides]]
files = ["strict/*.md"]
rules = { MON210 = { severity = "error" } }
"""
    pages = {"legacy/old.md": ERROR_PAGE, "legacy/deep/older.md": ERROR_PAGE, "new.md": ERROR_PAGE}
    write_tree(tmp_path, {"monolint.toml": config, **pages, "strict/s.md": WARNING_PAGE, "w.md": WARNING_PAGE})
    result = run(["--format", "json", "."], tmp_path)
    found = [(f["path"], f["rule"], f["severity"]) for f in result.json()["findings"]]
    assert found == [
        ("new.md", "MON401", "error"),
        ("w.md", "MON210", "warning"),
        ("strict/s.md", "MON210", "error"),
    ]


def test_overrides_match_paths_relative_to_the_config_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monolint.toml": '[[overrides]]\nfiles = ["legacy/**"]\n' + IGNORE_DOSE})
    write_tree(tmp_path, {"legacy/old.md": ERROR_PAGE, "legacy/sub/x.md": ERROR_PAGE})
    assert run(["."], tmp_path / "legacy").code == 0
    assert run(["old.md"], tmp_path / "legacy").code == 0
    assert run(["--stdin-filename", "legacy/x.md"], tmp_path, stdin=ERROR_PAGE.encode()).code == 0
    assert run(["--stdin-filename", "other/x.md"], tmp_path, stdin=ERROR_PAGE.encode()).code == 1


@pytest.mark.parametrize(
    ("config", "found"),
    [
        ("", ["a.md", "drafts/d.md", "vendor/v.md"]),
        ('exclude = ["drafts/**"]\n', ["a.md", "vendor/v.md"]),
        ('extend-exclude = ["vendor/"]\n', ["a.md", "drafts/d.md"]),
        ('exclude = ["drafts/"]\nextend-exclude = ["vendor/"]\n', ["a.md"]),
    ],
)
def test_exclude_and_extend_exclude(tmp_path: Path, config: str, found: list[str]) -> None:
    write_tree(tmp_path, {"monolint.toml": config, "a.md": ERROR_PAGE, "drafts/d.md": ERROR_PAGE})
    write_tree(tmp_path, {"vendor/v.md": ERROR_PAGE})
    result = run(["--format", "json", "."], tmp_path)
    assert [finding["path"] for finding in result.json()["findings"]] == found
    # From a subfolder the patterns still mean paths relative to the configuration file.
    sub = run(["--format", "json", "."], tmp_path / "drafts")
    assert [finding["path"] for finding in sub.json()["findings"]] == (["d.md"] if "drafts/d.md" in found else [])


def test_respect_gitignore_false(tmp_path: Path) -> None:
    write_tree(tmp_path, {".git/HEAD": "", ".gitignore": "ignored.md\n", "ignored.md": ERROR_PAGE})
    assert run(["."], tmp_path).code == 0
    write_tree(tmp_path, {"monolint.toml": "respect-gitignore = false\n"})
    assert run(["."], tmp_path).code == 1


def _copy_model(folder: Path, edit: tuple[str, str]) -> None:
    schemas = builtin_schemas()
    model = schemas.joinpath("monograph.yaml").read_text(encoding="utf-8")
    assert edit[0] in model
    write_tree(
        folder,
        {
            "monograph.yaml": model.replace(*edit),
            "frontmatter.schema.json": schemas.joinpath("frontmatter.schema.json").read_text(encoding="utf-8"),
            "ismp-drug-names.yaml": schemas.joinpath("ismp-drug-names.yaml").read_text(encoding="utf-8"),
            "fda-tall-man.yaml": schemas.joinpath("fda-tall-man.yaml").read_text(encoding="utf-8"),
        },
    )


def test_schema_is_relative_to_the_config_file(tmp_path: Path) -> None:
    _copy_model(tmp_path / "models", ("allow_other: false", "allow_other: true"))
    write_tree(tmp_path, {"monolint.toml": 'schema = "models/monograph.yaml"\n', "docs/page.md": WARNING_PAGE})
    for cwd in (tmp_path, tmp_path / "docs"):
        result = run(["--format", "json", "."], cwd)
        assert result.json()["findings"] == [], cwd
    assert run(["--isolated", "--format", "json", "."], tmp_path / "docs").json()["findings"] != []


def test_schema_option_beats_the_configured_schema(tmp_path: Path) -> None:
    _copy_model(tmp_path / "models", ("allow_other: false", "allow_other: true"))
    write_tree(tmp_path, {"monolint.toml": 'schema = "nowhere.yaml"\n', "page.md": WARNING_PAGE})
    assert run(["--schema", "models/monograph.yaml", "page.md"], tmp_path).lines == [
        "All checks passed (1 file checked)."
    ]
    assert_usage_error(run(["page.md"], tmp_path), "nowhere.yaml")


ALLOWED = "allowed keys: baseline, exclude, extend-exclude, extend-select, ignore, overrides, respect-gitignore, rules, schema, select"
SELECTOR = "(use a rule id, name, id prefix, category or ALL)"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("monolint.toml", "# mine\n\nselct = ['MON2']\n", f"monolint.toml:3: unknown key 'selct' (did you mean 'select'?); {ALLOWED}", id="unknown-key"),
        pytest.param("monolint.toml", "bogus = 1\n", f"monolint.toml:1: unknown key 'bogus'; {ALLOWED}", id="unknown-key-no-suggestion"),
        pytest.param("pyproject.toml", "[tool.black]\nx = 1\n\n[tool.monolint]\nbogus = 1\n", f"pyproject.toml:5: unknown key 'bogus' in [tool.monolint]; {ALLOWED}", id="pyproject-key"),
        pytest.param("pyproject.toml", "[tool.monolint]\nrespect-gitignore = 'no'\n", "pyproject.toml:2: 'respect-gitignore' must be true or false, not \"no\"", id="pyproject-type"),
        pytest.param("monolint.toml", 'select = ["ALL"]\n\n[rules.MON999]\nseverity = "off"\n', "monolint.toml:3: unknown rule 'MON999' (see 'monolint rules')", id="unknown-rule-id"),
        pytest.param("monolint.toml", '[rules.no-such]\nseverity = "off"\n', "monolint.toml:1: unknown rule 'no-such' (see 'monolint rules')", id="unknown-rule-name"),
        pytest.param("monolint.toml", '[rules.MON210]\nseverity = "fatal"\n', 'monolint.toml:2: rules.MON210.severity must be one of "error", "warning", "info", "off", not "fatal"', id="bad-severity"),
        pytest.param("monolint.toml", "[rules.MON210]\nseverity = 3\n", 'monolint.toml:2: rules.MON210.severity must be one of "error", "warning", "info", "off", not 3', id="severity-type"),
        pytest.param("monolint.toml", "[rules.MON210]\nbogus = 1\n", "monolint.toml:2: unknown key 'bogus' in rules.MON210; allowed keys: allow", id="unknown-rule-option"),
        pytest.param("monolint.toml", 'rules.MON401.severity = "warning"\nrules.MON210.severity = "fatal"\n', 'monolint.toml:2: rules.MON210.severity must be one of "error", "warning", "info", "off", not "fatal"', id="dotted-keys"),
        pytest.param("monolint.toml", 'select = "MON2"\n', "monolint.toml:1: 'select' must be an array, not \"MON2\"", id="wrong-type"),
        pytest.param("monolint.toml", "exclude = [\n  'a/',\n  1,\n]\n", "monolint.toml:1: exclude[1] must be a string, not 1", id="wrong-item-type"),
        pytest.param("monolint.toml", 'respect-gitignore = "yes"\n', "monolint.toml:1: 'respect-gitignore' must be true or false, not \"yes\"", id="not-a-boolean"),
        pytest.param("monolint.toml", "schema = 3\n", "monolint.toml:1: 'schema' must be a string, not 3", id="schema-type"),
        pytest.param("monolint.toml", 'schema = ""\n', "monolint.toml:1: 'schema' must not be an empty string", id="schema-empty"),
        pytest.param("monolint.toml", "rules = 3\n", "monolint.toml:1: 'rules' must be a table, not 3", id="rules-type"),
        pytest.param("monolint.toml", 'select = ["NOPE"]\n', f"monolint.toml:1: 'select': unknown rule selector 'NOPE' {SELECTOR}", id="unknown-selector"),
        pytest.param("monolint.toml", 'overrides = [{ignore = ["dose"]}]\n', "monolint.toml:1: overrides[0] needs the key 'files'", id="override-files"),
        pytest.param("monolint.toml", '[[overrides]]\nfiles = ["a"]\n\n[[overrides]]\nfiles = []\n', "monolint.toml:5: overrides[1].files must not be an empty array", id="override-empty-files"),
        pytest.param(
            "monolint.toml", 'overrides = [{files = ["x"], ignore = ["NOPE"]}]\n', f"monolint.toml:1: overrides[0].ignore: unknown rule selector 'NOPE' {SELECTOR}", id="override-selector"
        ),
        pytest.param(
            "monolint.toml", '[[overrides]]\nfiles = ["x"]\n[overrides.rules.MON999]\nseverity = "off"\n', "monolint.toml:3: unknown rule 'MON999' in overrides[0].rules (see 'monolint rules')", id="override-unknown-rule"
        ),
        pytest.param("monolint.toml", "overrides = [{files = ['x'], bogus = 1}]\n", "monolint.toml:1: unknown key 'bogus' in overrides[0]; allowed keys: extend-select, files, ignore, rules, select", id="override-key"),
        pytest.param("monolint.toml", "select = [\n", "monolint.toml: not valid TOML: Invalid value at the end of the file", id="invalid-toml"),
        pytest.param("pyproject.toml", "[tool.monolint]\nselect = 1 2\n", "pyproject.toml:2: not valid TOML: Expected newline or end of document after a statement", id="invalid-pyproject"),
        pytest.param("monolint.toml", b"# ok\nselect = ['\xff']\n", "monolint.toml:2: not UTF-8 text", id="not-utf8"),
    ],
)  # fmt: skip
def test_config_errors_are_one_line_naming_the_file_line_and_key(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    write_tree(tmp_path, {name: content, "page.md": CLEAN_PAGE})
    result = run(["page.md"], tmp_path)
    assert_usage_error(result)
    assert result.stderr == f"monolint: error: {message}\n"
    with pytest.raises(ConfigError):
        load_config(tmp_path / name, tmp_path)


def test_a_config_outside_the_working_folder_is_named_by_its_path(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monolint.toml": "bogus = 1\n", "sub/page.md": CLEAN_PAGE})
    result = run(["page.md"], tmp_path / "sub")
    assert result.stderr.startswith(f"monolint: error: {tmp_path.resolve() / 'monolint.toml'}:1: unknown key 'bogus';")


def test_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"page.md": CLEAN_PAGE})
    assert_usage_error(run(["--config", "nope.toml", "page.md"], tmp_path), "nope.toml")


def test_load_config_values(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": """\
[tool.monolint]
schema = "models/m.yaml"
exclude = ["drafts/**"]
extend-exclude = ["vendor/"]
respect-gitignore = false
overrides = [{files = ["legacy/**"], ignore = ["dose"]}]
""",
        },
    )
    (tmp_path / "sub").mkdir()
    config = load_config(None, tmp_path / "sub")
    assert config.source == tmp_path / "pyproject.toml"
    assert config.root == tmp_path.resolve()
    assert config.schema == tmp_path.resolve() / "models" / "m.yaml"
    assert config.exclude == ("drafts/**", "vendor/")
    assert config.respect_gitignore is False
    assert [override.files for override in config.overrides] == [("legacy/**",)]
    legacy = config.settings_for("legacy/a.md", config.base)
    assert not legacy.is_enabled("MON401")
    assert config.settings_for("new.md", config.base).is_enabled("MON401")


def test_full_example_config_is_valid(tmp_path: Path) -> None:
    config = """\
[tool.monolint]
select = ["ALL"]
extend-select = []
ignore = ["MON211"]
exclude = ["drafts/**"]
extend-exclude = ["vendor/"]
respect-gitignore = true

[tool.monolint.rules.unknown-section]
severity = "error"

[[tool.monolint.overrides]]
files = ["legacy/**"]
ignore = ["dose"]
rules = { MON204 = { severity = "warning" } }
"""
    # Two drugs: ALL turns on the rules that compare pages, and one drug's two pages would share a title.
    old_page = ERROR_PAGE.replace("Testamol", "Oldamol")
    write_tree(tmp_path, {"pyproject.toml": config, "page.md": ERROR_PAGE, "legacy/old.md": old_page})
    result = run(["."], tmp_path)
    assert result.findings() == [("page.md", DOSE_LINE, DOSE_COLUMN, "MON401")]
