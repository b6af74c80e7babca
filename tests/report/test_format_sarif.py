"""--format sarif: its structure on awkward findings, its URIs, regions and fingerprints, and
the real command's output checked by the official SARIF 2.1.0 JSON Schema and by Microsoft's
SARIF validator with GitHub's rules (both from the npm package of the SARIF multitool)."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from formats_tricky import (
    TRICKY_MESSAGE,
    TRICKY_PATH,
    TRICKY_ROOT_PATHS,
    tricky_context,
    tricky_findings,
    tricky_summary,
)
from helpers_cli import DOSE_COLUMN, DOSE_LINE, ERROR_PAGE, WARNING_PAGE, run, write_tree
from helpers_tools import TOOLS, require_tool

from validator.docs.rules_doc import rule_catalogue
from validator.model.finding import Finding, Location, Position, Severity
from validator.report.formats import Context, Style, renderer, summarize
from validator.report.formats.sarif import FINGERPRINT_KEY, artifact_uri

MULTITOOL_VERSION = "5.7.0"
PACKAGE = TOOLS / "sarif-multitool/node_modules/@microsoft/sarif-multitool-linux"
MULTITOOL = PACKAGE / "Sarif.Multitool"
SCHEMA = PACKAGE / "sarif-2.1.0.json"  # the SARIF 2.1.0 schema the package ships
INSTALL = (
    f'install it with: npm install --prefix "$MONOLINT_TOOLS/sarif-multitool" '
    f"@microsoft/sarif-multitool-linux@{MULTITOOL_VERSION} (see .ci/install-tools)"
)

# The validator's configuration. GH1001-GH1007 (a location must have a URI and a region; a
# URI must be relative or a file URI inside the checkout; messages must have text) are what
# GitHub's upload enforces, but the multitool ships them disabled, so --rule-kind alone would
# not run them. SARIF2006 fetches every URI in the log over the network: slow, flaky offline,
# and it says nothing about the log itself.
VALIDATOR_CONFIG = """\
<?xml version="1.0" encoding="utf-8"?>
<Properties>
{rules}
</Properties>
"""
GITHUB_RULES = (
    "GH1001.ProvideRequiredLocationProperties",
    "GH1002.InlineThreadFlowLocations",
    "GH1003.ProvideRequiredRegionProperties",
    "GH1004.ReviewArraysThatExceedConfigurableDefaults",
    "GH1005.LocationsMustBeRelativeUrisOrFilePaths",
    "GH1006.ProvideCheckoutPath",
    "GH1007.ProvideFullyFormattedMessageStrings",
)
# Notes the validator gives any log of ours; each is a suggestion we decline, for a reason:
ACCEPTED_NOTES = {
    "SARIF2002",  # use message ids + arguments: GitHub needs message.text (GH1007)
    "SARIF2003",  # versionControlProvenance: the commit is known to the upload, not to us
    "SARIF2010",  # code snippets: formats get findings, not page text
    "SARIF2011",  # context regions: same
    "SARIF2012",  # Pascal-case rule names: ours are the names users select rules by
}


def render(findings: list[Finding], context: Context | None = None) -> str:
    return renderer("sarif")(findings, summarize(findings, 1), Style(), context or tricky_context())


def log_of(findings: list[Finding], context: Context | None = None) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render(findings, context))
    return log


def results_of(log: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def location(result: dict[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = result["locations"][0]["physicalLocation"]
    return physical


def region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def finding(path: str = "page.md", line: int = 3, message: str = "'10mg': bad", rule: str = "MON401") -> Finding:
    return Finding(path, Position(line, 1), Position(line, 5), rule, "dose-no-space", "dose", Severity.ERROR, message)


# --- structure ---------------------------------------------------------------------------


def test_log_and_run_header() -> None:
    log = log_of(tricky_findings())
    assert (
        log["$schema"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["invocations"] == [{"executionSuccessful": True}]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("monolint", "0.0.0-test")
    assert driver["informationUri"].startswith("https://")
    assert "originalUriBaseIds" not in run_


def test_driver_describes_every_rule_for_github() -> None:
    catalogue = rule_catalogue()
    rules = log_of([])["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in catalogue]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule, info in zip(rules, catalogue, strict=True):
        assert rule["name"] == info.name
        assert rule["shortDescription"]["text"] == info.summary
        assert rule["fullDescription"]["text"] == info.description
        assert info.summary in rule["help"]["text"] and info.description in rule["help"]["text"]
        assert f"]({info.help_uri})" in rule["help"]["markdown"]
        assert rule["helpUri"] == info.help_uri
        assert rule["defaultConfiguration"]["level"] == levels[info.severity]
        assert rule["defaultConfiguration"].get("enabled", True) is info.default_enabled
        assert rule["properties"]["tags"] == [info.category]
    off = [rule["id"] for rule in rules if rule["defaultConfiguration"].get("enabled") is False]
    assert off == ["MON409", "MON502", "MON601", "MON602"]  # house style, and the rules that compare pages


def test_rules_are_those_of_the_rules_command(tmp_path: Path) -> None:
    listed = run(["rules", "--format", "json"], cwd=tmp_path)
    assert listed.code == 0, listed.stderr
    rules = log_of([])["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule["id"] for rule in listed.json()]


def test_results_of_the_tricky_findings() -> None:
    log = log_of(tricky_findings())
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    summary = [
        (
            result["ruleId"],
            result["level"],
            unquote(location(result)["artifactLocation"]["uri"]),
            location(result)["region"],
        )
        for result in results_of(log)
    ]
    assert summary == [
        ("MON004", "error", "-", region((1, 1), (1, 2))),
        ("MON301", "error", "../elsewhere/x.md", region((1, 1), (1, 4))),
        ("MON410", "note", "site/content/metformin.md", region((17, 20), (17, 22))),
        ("MON302", "error", "site/content/metformin.md", region((37, 1), (41, 12))),
        ("MON401", "error", "site/docs/Ärzte, notes/a:b 100%.md", region((12, 7), (12, 11))),
        ("MON210", "warning", "site/docs/Ärzte, notes/a:b 100%.md", region((20, 1), (20, 34))),
    ]
    for result in results_of(log):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert set(result) <= {"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints", "fixes"}
        assert "uriBaseId" not in location(result)["artifactLocation"]


def test_message_text_is_kept_verbatim() -> None:
    texts = [result["message"]["text"] for result in results_of(log_of(tricky_findings()))]
    assert texts == [finding.message for finding in tricky_findings()]
    assert TRICKY_MESSAGE in texts


def test_fix_becomes_a_sarif_fix() -> None:
    results = results_of(log_of(tricky_findings()))
    fixed = [result for result in results if "fixes" in result]
    assert [result["ruleId"] for result in fixed] == ["MON401"]
    (fix,) = fixed[0]["fixes"]
    assert fix["description"] == {"text": "Insert a space"}
    assert fix["properties"] == {"safe": True}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == location(fixed[0])["artifactLocation"]
    # An insertion is an empty region: end column == start column (SARIF's insertion point).
    assert change["replacements"] == [{"deletedRegion": region((12, 9), (12, 9)), "insertedContent": {"text": " "}}]


def test_standard_input_keeps_its_finding_with_a_described_location() -> None:
    (stdin_result,) = [result for result in results_of(log_of(tricky_findings())) if result["ruleId"] == "MON004"]
    assert location(stdin_result)["artifactLocation"] == {"uri": "-", "description": {"text": "standard input"}}


def test_no_findings_is_an_empty_result_list() -> None:
    log = log_of([])
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(rule_catalogue())


def test_a_rule_missing_from_the_context_still_gets_a_descriptor() -> None:
    log = log_of([finding(rule="MON999")], Context(cwd=Path("/r"), root=Path("/r")))
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "MON999"
    assert results_of(log)[0]["ruleIndex"] == 0


def test_output_is_deterministic_json() -> None:
    first, second = render(tricky_findings()), render(tricky_findings())
    assert first == second
    assert first.endswith("}\n")
    # UTF-8 JSON, not \u escapes, so a message stays readable.
    assert "'10µg'" in render([finding(message="'10µg': write 'mcg'")])


# --- URIs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (TRICKY_PATH, "site/docs/%C3%84rzte%2C%20notes/a%3Ab%20100%25.md"),
        ("a b/#1?[x]@!$&'()*+;=.md", "site/a%20b/%231%3F%5Bx%5D%40%21%24%26%27%28%29%2A%2B%3B%3D.md"),
        ("./x/../plain-name_1.~md", "site/plain-name_1.~md"),
        ("../top.md", "top.md"),
        ("../../elsewhere/x.md", "../elsewhere/x.md"),
        ("/srv/monolint-tricky/repo/abs.md", "abs.md"),
        ("-", "-"),
    ],
)
def test_uris_are_repository_relative_and_percent_encoded(path: str, uri: str) -> None:
    assert artifact_uri(path, tricky_context()) == uri
    # RFC 3986: only unreserved characters, '/' and %XX escapes, and no scheme.
    assert re.fullmatch(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+", uri)


def test_uris_decode_to_the_root_paths() -> None:
    uris = [location(result)["artifactLocation"]["uri"] for result in results_of(log_of(tricky_findings()))]
    # Outside the root too, the URI is relative to the root, like every other.
    assert [unquote(uri) for uri in uris] == list(TRICKY_ROOT_PATHS)


# --- fingerprints --------------------------------------------------------------------------


def fingerprints_of(findings: list[Finding]) -> list[str]:
    return [result["partialFingerprints"][FINGERPRINT_KEY] for result in results_of(log_of(findings))]


def test_fingerprints_are_stable_across_runs_and_line_moves() -> None:
    prints = fingerprints_of(tricky_findings())
    assert prints == fingerprints_of(tricky_findings())
    assert prints == fingerprints_of(tricky_findings(line_shift=7))
    assert len(set(prints)) == len(prints)
    assert all(re.fullmatch(r"[0-9a-f]{32}:[0-9]+", value) for value in prints)


def test_line_numbers_inside_messages_do_not_move_fingerprints() -> None:
    before = fingerprints_of([finding(line=37, message="2 block(s) follow it, from line 39")])
    after = fingerprints_of([finding(line=40, message="2 block(s) follow it, from line 42")])
    assert before == after


def test_repeated_findings_are_told_apart_by_occurrence() -> None:
    same = [finding(line=3), finding(line=9), finding(path="other.md", line=9)]
    prints = fingerprints_of(same)
    assert prints[0].endswith(":1") and prints[1].endswith(":2") and prints[2].endswith(":1")
    assert len(set(prints)) == 3
    # Adding a line above both keeps each one's identity.
    assert prints == fingerprints_of([replace(f, start=Position(f.start.line + 1, 1)) for f in same])


@pytest.mark.parametrize(
    "changed",
    [finding(rule="MON402"), finding(path="other.md"), finding(message="'20mg': bad")],
)
def test_fingerprints_depend_on_rule_path_and_message(changed: Finding) -> None:
    assert fingerprints_of([changed]) != fingerprints_of([finding()])


# --- the official schema and Microsoft's validator ---------------------------------------


def schema_errors(log: dict[str, Any]) -> list[str]:
    require_tool(MULTITOOL, INSTALL)  # the schema comes with the multitool's package
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(log)]


def validator_problems(log: dict[str, Any], tmp_path: Path) -> list[tuple[str, str, list[str]]]:
    """(level, rule id, message arguments) of everything `sarif validate` reports for the log
    with the SARIF and GitHub rules. Its exit code is 0 even for errors, so read its output."""
    tool = require_tool(MULTITOOL, INSTALL)
    log_path = tmp_path / "monolint.sarif"
    log_path.write_text(json.dumps(log), encoding="utf-8")
    options = [(name, "Error") for name in GITHUB_RULES] + [("SARIF2006.UrisShouldBeReachable", "Disabled")]
    config = tmp_path / "validator.xml"
    config.write_text(
        VALIDATOR_CONFIG.format(
            rules="\n".join(
                f'  <Properties Key="{name}.Options">\n'
                f'    <Property Key="RuleEnabled" Value="{state}" Type="Driver.RuleEnabledState" />\n'
                "  </Properties>"
                for name, state in options
            )
        ),
        encoding="utf-8",
    )
    output = tmp_path / "validation.sarif"
    output.unlink(missing_ok=True)
    command = [tool, "validate", "--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note"]
    completed = subprocess.run(
        [*command, "--config", str(config), "--output", str(output), str(log_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "1 files scanned" in completed.stdout, completed.stdout
    (validation,) = json.loads(output.read_text(encoding="utf-8-sig"))["runs"]
    for invocation in validation["invocations"]:
        assert invocation["executionSuccessful"], invocation
        notes = [note["descriptor"]["id"] for note in invocation.get("toolConfigurationNotifications", [])]
        assert notes == ["WRN999.RuleExplicitlyDisabled"], invocation  # SARIF2006, as configured
    return [
        (result.get("level", "warning"), result["ruleId"], result["message"].get("arguments", []))
        for result in validation["results"]
    ]


def assert_github_accepts(log: dict[str, Any], tmp_path: Path) -> None:
    assert schema_errors(log) == []
    problems = validator_problems(log, tmp_path)
    assert [problem for problem in problems if problem[0] != "note"] == []
    assert {rule for _, rule, _ in problems} <= ACCEPTED_NOTES, problems


def test_tricky_findings_pass_both_validators(tmp_path: Path) -> None:
    assert_github_accepts(log_of(tricky_findings()), tmp_path)


def test_the_validators_do_reject_a_bad_log(tmp_path: Path) -> None:
    """The harness catches what GitHub rejects: a rule without help, an https location and
    an absolute file URI outside the checkout, and a region the schema forbids."""
    log = log_of(tricky_findings())
    run_ = log["runs"][0]
    del run_["tool"]["driver"]["rules"][0]["help"]
    run_["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "https://example.com/x.md"
    run_["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "file:///elsewhere/x.md"
    errors = {rule for level, rule, _ in validator_problems(log, tmp_path) if level == "error"}
    assert {"GH2012", "GH1005", "GH1006"} <= errors
    run_["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert any("startLine" in error for error in schema_errors(log))


def test_the_real_command_output_passes_both_validators(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # repository_root() looks for .git
    site = repo / "site"
    write_tree(site, {"docs/Ärzte notes, 100%/bad page.md": ERROR_PAGE, "docs/a:b/warn.md": WARNING_PAGE})
    environment = {"GITHUB_WORKSPACE": str(repo)}
    result = run(["check", "--format", "sarif", "docs"], cwd=site, env=environment)
    assert result.code == 1, result.stderr
    log = result.json()
    located = [
        (result_["ruleId"], location(result_)["artifactLocation"]["uri"], location(result_)["region"])
        for result_ in results_of(log)
    ]
    storage_line = WARNING_PAGE.splitlines().index("### Storage") + 1
    assert located == [
        ("MON210", "site/docs/a%3Ab/warn.md", region((storage_line, 1), (storage_line, 12))),
        (
            "MON401",
            "site/docs/%C3%84rzte%20notes%2C%20100%25/bad%20page.md",
            region((DOSE_LINE, DOSE_COLUMN), (DOSE_LINE, DOSE_COLUMN + len("500mg"))),
        ),
    ]
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == [r.id for r in rule_catalogue()]
    assert_github_accepts(log, tmp_path)

    piped = run(["check", "--format", "sarif", "-"], cwd=site, stdin=ERROR_PAGE.encode(), env=environment)
    assert piped.code == 1, piped.stderr
    (stdin_result,) = results_of(piped.json())
    assert location(stdin_result)["artifactLocation"]["uri"] == "-"
    assert_github_accepts(piped.json(), tmp_path)


def test_the_summary_argument_does_not_change_the_log() -> None:
    findings = tricky_findings()
    context = tricky_context()
    render_sarif = renderer("sarif")
    assert render_sarif(findings, tricky_summary(), Style(), context) == render_sarif(
        findings, summarize([], 0), Style(quiet=True, statistics=True), context
    )


def _with_related() -> Finding:
    """A finding of a rule that compares pages: it points at another page too."""
    other = Location("docs/b 100%.md", Position(6, 3), Position(6, 9))
    return Finding(
        "docs/a.md",
        Position(6, 3),
        Position(6, 9),
        "MON601",
        "duplicate-title",
        "site",
        Severity.ERROR,
        "title 'Omega-' is also the title of docs/b 100%.md:6",
        related=(other,),
    )


def test_other_pages_are_related_locations() -> None:
    (result,) = results_of(log_of([_with_related()]))
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "site/docs/b%20100%25.md"},
                "region": region((6, 3), (6, 9)),
            },
        }
    ]
    assert "relatedLocations" not in results_of(log_of([finding()]))[0]


def test_related_locations_pass_both_validators(tmp_path: Path) -> None:
    assert_github_accepts(log_of([_with_related()]), tmp_path)
