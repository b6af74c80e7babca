"""Only monographs are monographs: a content model's applies_to says which pages it checks.

The pure decision (validator/content_model/scope.py) first, then the real command line: a site's README is
skipped and counted, never fixed; near-miss layouts are checked and told; a model can scope by
path; -j2, the cache, --diff, standard input and the baseline agree with each other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers_cli import CLEAN_PAGE, DOSE_COLUMN, DOSE_LINE, ERROR_PAGE, run, snapshot, write_tree
from helpers_model import default_model_data, write_model

from validator.api import Options, fix_text, lint_text, lint_text_report
from validator.config.files import Config
from validator.content_model.scope import AppliesTo, applies, near_miss
from validator.parse.front_matter import split_front_matter

MONOGRAPHS = AppliesTo(layouts=("minimal-medicine",))
# A README as sites have them: no front matter, a dose the dose rules would "fix", CRLF endings.
README = b"# Our drug site\r\n\r\nTake 10mg of nothing; see content/.\r\n"
NEAR_MISSES = ["Minimal-Medicine", "minimal_medicine", "minimal-medecine", "Minimal Medicine", "MINIMAL-MEDICINE"]


def _front(text: str) -> Any:
    return split_front_matter(text).front_matter


def _layout_page(layout: str) -> str:
    return ERROR_PAGE.replace("layout: minimal-medicine", f"layout: {layout}")


# --- the decision, a pure function -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\nlayout: minimal-medicine\ntitle: X\n---\n", True),
        *[(f"---\nlayout: {layout}\n---\n", True) for layout in NEAR_MISSES],
        ("# No front matter\n", False),
        ("", False),
        ("---\nlayout: page\ntitle: About\n---\n", False),
        ("---\nlayout: minimal\n---\n", False),  # a word of it is not a near miss
        ("---\ntitle: About\n---\n", False),  # no layout
        ("---\nlayout: [unclosed\n---\n", True),  # invalid YAML: it may be a monograph
        ("---\n- a\n- list\n---\n", True),  # not a mapping: the same
        ("---\nlayout: minimal-medicine\n", True),  # never closed: the same
    ],
)
def test_the_layout_criterion(text: str, expected: bool) -> None:
    assert applies(_front(text), "any.md", MONOGRAPHS) is expected


def test_no_applies_to_applies_to_every_page() -> None:
    assert applies(None, "README.md", None)
    assert applies(_front("---\nlayout: page\n---\n"), "x.md", AppliesTo())


def test_every_criterion_must_match() -> None:
    both = AppliesTo(layouts=("leaflet",), paths=("leaflets/**", "!leaflets/drafts/**"))
    leaflet = _front("---\nlayout: leaflet\n---\n")
    assert applies(leaflet, "leaflets/a.md", both)
    assert not applies(leaflet, "monographs/a.md", both)  # right layout, wrong path
    assert not applies(leaflet, "leaflets/drafts/a.md", both)  # a negated pattern
    assert not applies(_front("---\nlayout: page\n---\n"), "leaflets/a.md", both)  # right path, wrong layout
    assert applies(leaflet, None, both), "a page without a path (standard input) cannot fail the path"


def test_near_miss_names_the_layout_meant() -> None:
    assert [near_miss(layout, ("minimal-medicine",)) for layout in NEAR_MISSES] == ["minimal-medicine"] * 5
    assert near_miss("minimal-medicine", ("minimal-medicine",)) is None
    assert near_miss("page", ("minimal-medicine",)) is None
    assert near_miss("lefalet", ("minimal-medicine", "leaflet")) == "leaflet"


# --- the command line ----------------------------------------------------------------------------


def _site(root: Path, extra: dict[str, str | bytes] | None = None) -> None:
    write_tree(
        root, {"README.md": README, "content/error.md": ERROR_PAGE, "content/clean.md": CLEAN_PAGE, **(extra or {})}
    )


@pytest.mark.parametrize("flags", [["--fix"], ["--fix", "--unsafe-fixes"]], ids=["fix", "unsafe"])
def test_fix_in_a_site_root_leaves_its_readme_byte_identical(tmp_path: Path, flags: list[str]) -> None:
    _site(tmp_path)
    result = run(["check", "--no-cache", *flags, "."], tmp_path)
    assert (tmp_path / "README.md").read_bytes() == README
    assert "Take 500 mg" in (tmp_path / "content" / "error.md").read_text(encoding="utf-8"), "the monograph is fixed"
    assert result.lines[-3:] == [
        "All checks passed (2 files checked).",
        "1 file skipped: no matching content model.",
        "Fixed 1 finding (0 remaining).",
    ]
    assert result.code == 0


def test_skipped_pages_are_counted_in_text_json_and_github(tmp_path: Path) -> None:
    _site(
        tmp_path,
        {"about.md": "---\nlayout: page\ntitle: About\n---\n\nTake 10mg.\n", "CHANGELOG.md": "Take 5.0 mg\n"},
    )
    text = run(["check", "--no-cache", "."], tmp_path)
    assert text.findings() == [("content/error.md", DOSE_LINE, DOSE_COLUMN, "MON401")]
    assert text.lines[-3:] == [
        "Found 1 error in 1 file (2 files checked).",
        "[*] 1 fixable with --fix.",
        "3 files skipped: no matching content model.",
    ]
    summary = run(["check", "--no-cache", "--format", "json", "."], tmp_path).json()["summary"]
    assert (summary["files"], summary["skipped"], summary["findings"]) == (2, 3, 1)
    github = run(["check", "--no-cache", "--format", "github", "."], tmp_path)
    assert github.lines[-1].endswith("(2 files checked); 3 files skipped: no matching content model")
    quiet = run(["check", "--no-cache", "--quiet", "."], tmp_path)
    assert "skipped" not in quiet.stdout and len(quiet.lines) == 1


def test_a_readme_alone_is_skipped_and_passes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": README})
    result = run(["check", "--no-cache", "README.md"], tmp_path)  # named on the command line, too
    assert result.lines == ["All checks passed (0 files checked).", "1 file skipped: no matching content model."]
    assert result.code == 0


def test_diff_and_fix_never_touch_skipped_pages(tmp_path: Path) -> None:
    _site(tmp_path, {"notes.md": b"---\nlayout: notes\n---\n\nGive 5.0 mg, 10ml.\r\n"})
    diff = run(["check", "--no-cache", "--diff", "--unsafe-fixes", "."], tmp_path)
    assert "a/content/error.md" in diff.stdout
    assert "README" not in diff.stdout and "notes.md" not in diff.stdout
    before = {name: (tmp_path / name).read_bytes() for name in ("README.md", "notes.md")}
    run(["check", "--no-cache", "--fix", "--unsafe-fixes", "-j", "2", "."], tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before


def test_standard_input_out_of_scope_is_printed_back_unchanged(tmp_path: Path) -> None:
    fixed = run(["check", "--no-cache", "--fix", "--stdin-filename", "README.md"], tmp_path, stdin=README)
    assert fixed.stdout.encode("utf-8") == README, "every byte given back, CRLF included"
    assert fixed.code == 0
    assert fixed.stderr.splitlines() == [
        "All checks passed (0 files checked).",
        "1 file skipped: no matching content model.",
        "Fixed 0 findings (0 remaining).",
    ]
    checked = run(["check", "--no-cache", "--format", "json", "-"], tmp_path, stdin=ERROR_PAGE.encode())
    assert checked.json()["summary"]["skipped"] == 0 and checked.json()["summary"]["findings"] == 1


@pytest.mark.parametrize("layout", NEAR_MISSES)
def test_a_near_miss_layout_is_checked_and_told(tmp_path: Path, layout: str) -> None:
    write_tree(tmp_path, {"page.md": _layout_page(layout)})
    result = run(["check", "--no-cache", "--format", "json", "page.md"], tmp_path).json()
    found = [(f["rule"], f["line"], f["column"], f["end_column"]) for f in result["findings"]]
    assert ("MON101", 2, 1, 7) in found, "the layout key is reported"
    assert ("MON401", DOSE_LINE, DOSE_COLUMN, DOSE_COLUMN + 5) in found, "the rest of the page is checked"
    assert result["summary"]["skipped"] == 0
    [layout_finding] = [f for f in result["findings"] if f["rule"] == "MON101"]
    assert "minimal-medicine" in layout_finding["message"]


def test_unreadable_front_matter_is_checked(tmp_path: Path) -> None:
    broken = ERROR_PAGE.replace("title: Testamol", "title: [Testamol")
    not_mapping = ERROR_PAGE.replace("layout: minimal-medicine\ntitle: Testamol", "- minimal-medicine")
    write_tree(tmp_path, {"broken.md": broken, "list.md": not_mapping})
    result = run(["check", "--no-cache", "--select", "input,dose", "."], tmp_path)
    rules = {(path, rule) for path, _, _, rule in result.findings()}
    assert rules == {("broken.md", "MON006"), ("broken.md", "MON401"), ("list.md", "MON007"), ("list.md", "MON401")}
    assert "skipped" not in result.stdout


def _custom_model(root: Path, applies_to: dict[str, Any] | None, layout_const: bool = True) -> Path:
    data = default_model_data()
    if applies_to is None:
        del data["applies_to"]
    else:
        data["applies_to"] = applies_to
    path = write_model(root / "model", data)
    if not layout_const:  # a front matter schema that says nothing about the layout
        schema_file = root / "model" / "frontmatter.schema.json"
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        schema["properties"]["layout"] = {"type": "string"}
        schema_file.write_text(json.dumps(schema), encoding="utf-8")
    return path


def test_a_model_with_paths_only(tmp_path: Path) -> None:
    model = _custom_model(tmp_path, {"paths": ["leaflets/**", "!leaflets/drafts/**"]})
    write_tree(
        tmp_path,
        {
            "monolint.toml": f'schema = "{model.relative_to(tmp_path).as_posix()}"\n',
            "leaflets/a.md": "Take 10mg.\n",  # no front matter, but in its paths: checked
            "leaflets/drafts/b.md": ERROR_PAGE,
            "README.md": README,
            "other/c.md": ERROR_PAGE,
        },
    )
    result = run(["check", "--no-cache", "--format", "json", "."], tmp_path).json()
    assert sorted({f["path"] for f in result["findings"]}) == ["leaflets/a.md"]
    assert {f["rule"] for f in result["findings"]} >= {"MON004", "MON401"}
    assert (result["summary"]["files"], result["summary"]["skipped"]) == (1, 3)
    named = run(["check", "--no-cache", "--stdin-filename", "other/x.md"], tmp_path, stdin=b"Take 10mg.\n")
    assert named.lines == ["All checks passed (0 files checked).", "1 file skipped: no matching content model."]
    # From a subfolder, the paths stay relative to the configuration's folder.
    inside = run(["check", "--no-cache", "--format", "json", "."], tmp_path / "leaflets").json()
    assert [f["path"] for f in inside["findings"]][:1] == ["a.md"] and inside["summary"]["skipped"] == 1


def test_a_model_without_applies_to_checks_every_page(tmp_path: Path) -> None:
    model = _custom_model(tmp_path, None)
    write_tree(tmp_path, {"README.md": README})
    result = run(["check", "--no-cache", "--schema", str(model), "README.md"], tmp_path)
    assert ("README.md", 1, 1, "MON004") in result.findings()
    assert "skipped" not in result.stdout


def test_a_near_miss_is_told_even_when_the_schema_does_not_constrain_the_layout(tmp_path: Path) -> None:
    model = _custom_model(tmp_path, {"layouts": ["minimal-medicine"]}, layout_const=False)
    write_tree(tmp_path, {"page.md": _layout_page("minimal_medicine")})
    result = run(["check", "--no-cache", "--schema", str(model), "--select", "MON101", "page.md"], tmp_path)
    assert result.lines[0] == (
        "page.md:2:1: MON101 [frontmatter-schema] front matter key 'layout': "
        "'minimal_medicine' is not the expected layout 'minimal-medicine'"
    )


@pytest.mark.parametrize(
    ("applies_to", "message"),
    [
        ({"layout": ["x"]}, "unknown key 'layout' in 'applies_to' (did you mean 'layouts'?)"),
        ({"layouts": []}, "applies_to.layouts"),
        ({}, "applies_to"),
    ],
)
def test_a_bad_applies_to_is_one_line(tmp_path: Path, applies_to: dict[str, Any], message: str) -> None:
    model = _custom_model(tmp_path, applies_to)
    write_tree(tmp_path, {"page.md": CLEAN_PAGE})
    result = run(["check", "--schema", str(model), "page.md"], tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("monolint: error: model/model.yaml:"), result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr


def _many(root: Path) -> None:
    """Enough pages for worker processes (48 or more), every third one not a monograph."""
    files: dict[str, str | bytes] = {}
    for index in range(60):
        kind = index % 3
        name = f"pages/p{index:02d}.md"
        files[name] = ERROR_PAGE if kind == 0 else CLEAN_PAGE if kind == 1 else b"Take 10mg.\n"
    write_tree(root, files)


def test_two_workers_report_what_one_does(tmp_path: Path) -> None:
    _many(tmp_path)
    one = run(["check", "--no-cache", "-j", "1", "--format", "json", "."], tmp_path)
    two = run(["check", "--no-cache", "-j", "2", "--format", "json", "."], tmp_path)
    assert one.json() == two.json()
    assert (one.json()["summary"]["files"], one.json()["summary"]["skipped"]) == (40, 20)
    before = snapshot(tmp_path / "pages")
    fixed = run(["check", "--no-cache", "-j", "2", "--fix", "--format", "json", "."], tmp_path).json()["summary"]
    assert (fixed["fixed"], fixed["skipped"], fixed["files"]) == (20, 20, 40)
    after = snapshot(tmp_path / "pages")
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {f"p{index:02d}.md" for index in range(0, 60, 3)}


def test_the_cache_keeps_checked_and_skipped_pages_apart(tmp_path: Path) -> None:
    _site(tmp_path)
    cold = run(["check", "--format", "json", "."], tmp_path)
    warm = run(["check", "--format", "json", "."], tmp_path)
    assert cold.json() == warm.json() == run(["check", "--no-cache", "--format", "json", "."], tmp_path).json()
    assert warm.json()["summary"]["skipped"] == 1
    # The README becomes a monograph (its bytes change): it is checked, not served as skipped.
    monograph = ERROR_PAGE.encode()
    (tmp_path / "README.md").write_bytes(monograph)
    now = run(["check", "--format", "json", "."], tmp_path).json()
    assert now["summary"]["skipped"] == 0 and "README.md" in {f["path"] for f in now["findings"]}
    # A monograph that becomes another page type is skipped, though its findings were cached.
    (tmp_path / "README.md").write_bytes(monograph.replace(b"minimal-medicine", b"page"))
    back = run(["check", "--format", "json", "."], tmp_path).json()
    assert back["summary"]["skipped"] == 1 and "README.md" not in {f["path"] for f in back["findings"]}


def test_the_cache_decides_paths_before_it_serves_a_page(tmp_path: Path) -> None:
    """Entries are keyed by bytes, not path: the same bytes in and out of a model's paths."""
    model = _custom_model(tmp_path, {"paths": ["in/"]})
    write_tree(tmp_path, {"in/a.md": ERROR_PAGE, "out/a.md": ERROR_PAGE})
    args = ["check", "--schema", str(model), "--format", "json", "in", "out"]
    for _ in range(2):  # cold, then warm
        result = run(args, tmp_path).json()
        assert {f["path"] for f in result["findings"]} == {"in/a.md"}
        assert result["summary"]["skipped"] == 1


def test_the_baseline_of_a_page_now_skipped_is_stale(tmp_path: Path) -> None:
    model = _custom_model(tmp_path, None)
    write_tree(tmp_path, {"README.md": README, "content/error.md": ERROR_PAGE})
    run(["check", "--schema", str(model), "--write-baseline", "base.json", "README.md", "content"], tmp_path)
    result = run(["check", "--no-cache", "--baseline", "base.json", "README.md", "content"], tmp_path)
    assert result.code == 0 and result.findings() == []
    assert "1 file skipped: no matching content model." in result.lines
    assert "baseline entries match no finding any more" in result.stderr


# --- the Python API and the editor's entry points -------------------------------------------------


def test_lint_text_and_fix_text_skip_out_of_scope_pages(tmp_path: Path) -> None:
    config = Config(root=tmp_path, source=None)
    assert lint_text(README, "README.md", config, cwd=tmp_path) == []
    report = lint_text_report(README, "README.md", config, cwd=tmp_path)
    assert (report.files, report.skipped, report.findings) == (0, 1, ())
    fixed = fix_text(README, "README.md", config, Options(fix=True, unsafe_fixes=True), cwd=tmp_path)
    assert (fixed.output, fixed.fixed, fixed.changes, fixed.skipped) == (README, 0, (), 1)
    checked = lint_text_report(ERROR_PAGE, "page.md", config, cwd=tmp_path)
    assert (checked.files, checked.skipped, [f.rule for f in checked.findings]) == (1, 0, ["MON401"])


def test_the_layout_key_is_the_models_to_name(tmp_path: Path) -> None:
    """A site whose templates pick a page's layout by another front matter key names that key in
    the content model (``applies_to.layout_key``); nothing in the code assumes 'layout'."""
    model = _custom_model(tmp_path, {"layouts": ["minimal-medicine"], "layout_key": "template"})
    schema_file = tmp_path / "model" / "frontmatter.schema.json"
    schema_file.write_text(json.dumps({"type": "object"}), encoding="utf-8")
    write_tree(
        tmp_path,
        {
            "by-template.md": ERROR_PAGE.replace("layout: minimal-medicine", "template: minimal-medicine"),
            "by-layout.md": ERROR_PAGE,  # 'layout' is just another key here: out of scope
            "near-miss.md": ERROR_PAGE.replace("layout: minimal-medicine", "template: Minimal-Medicine"),
        },
    )
    result = run(["check", "--no-cache", "--schema", str(model), "--format", "json", "."], tmp_path).json()
    assert sorted({f["path"] for f in result["findings"]}) == ["by-template.md", "near-miss.md"]
    assert result["summary"]["skipped"] == 1
    told = [f["message"] for f in result["findings"] if f["path"] == "near-miss.md" and f["rule"] == "MON101"]
    assert told == ["front matter key 'template': 'Minimal-Medicine' is not the expected layout 'minimal-medicine'"]
    assert AppliesTo.from_data({"layouts": ["x"]}) == AppliesTo(("x",), (), "layout")
