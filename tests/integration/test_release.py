"""The release the README installs exists, and names one place.

pyproject.toml's [project.urls] Repository is the project's one address: every other URL there
derives from it, and every line of the README, the action, the hooks and the docs that names the
repository must name exactly it. Every version the README gives (the action's `uses:`, pre-commit's
`rev:`, `pip install ... @v`, `monolint, version ...`) is ``validator.__version__``, which is
pyproject's version and CHANGELOG.md's latest release, and when the clone has tags, the tag
``v<version>`` exists. A failure lists every line to update. The dependency pins of the action
(constraints/action.txt) resolve on PyPI for the runners' Pythons and platforms.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers_tools import REPO

from validator import __version__
from validator.report.formats.context import REPOSITORY_URL

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

README = REPO / "README.md"
CHANGELOG = REPO / "CHANGELOG.md"
CONSTRAINTS = REPO / "constraints" / "action.txt"
# Where the repository may be named: what users copy, what the action and hooks say, the docs.
NAMING_FILES = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md", "action.yml", ".pre-commit-hooks.yaml", "docs/*.md"]
NAMING_FILES += ["validator/**/*.py", "benchmarks/*.md"]
URL = re.compile(r"https?://[^\s\"'<>()\[\]`]+")
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)")
# (interpreter version, platform tags) of the runners the action installs on: the oldest and newest
# supported Python on Linux x86_64, macOS on Apple silicon, Linux on ARM. GitHub's Linux runners
# (Ubuntu 22.04 and 24.04, glibc 2.35 and later) take manylinux_2_28 wheels as well as
# manylinux2014 ones; rapidfuzz ships its Linux wheels for manylinux_2_28 only.
LINUX_X86 = "manylinux_2_28_x86_64 manylinux2014_x86_64"
TARGETS = [("3.10", LINUX_X86), ("3.14", LINUX_X86), ("3.13", "macosx_14_0_arm64")]
TARGETS += [("3.12", "manylinux_2_28_aarch64 manylinux2014_aarch64")]


def pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def repository() -> str:
    url: str = pyproject()["project"]["urls"]["Repository"]
    return url


def slug() -> str:
    """owner/name of the repository, as a GitHub `uses:` names it."""
    return urlsplit(repository()).path.strip("/")


def numbered_lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


def where(path: Path, number: int, line: str) -> str:
    return f"{path.relative_to(REPO)}:{number}: {line.strip()}"


# --- one address ---------------------------------------------------------------------------------


def test_project_urls_derive_from_the_repository_url() -> None:
    urls = pyproject()["project"]["urls"]
    assert set(urls) == {"Repository", "Issues", "Changelog", "Documentation"}
    base = urls["Repository"]
    assert re.fullmatch(r"https://[\w.-]+/[\w.-]+/[\w.-]+", base), base
    wrong = [f"{name} = {url}" for name, url in urls.items() if name != "Repository" and not url.startswith(f"{base}/")]
    assert wrong == [], f"[project.urls] that do not start with Repository ({base}/): {wrong}"


def test_the_package_names_the_same_repository() -> None:
    # SARIF's informationUri and every rule's helpUri come from it.
    assert repository() == REPOSITORY_URL, "update REPOSITORY_URL in validator/report/formats/context.py"


def names_a_repository_of_ours(url: str) -> bool:
    """A URL to some owner's repository called monolint (or the configured name)."""
    parts = urlsplit(url).path.strip("/").split("/")
    names = {"monolint", slug().split("/")[-1]}
    return len(parts) >= 2 and re.sub(r"(@.*|\.git)$", "", parts[1]) in names


def test_every_line_naming_the_repository_names_pyprojects() -> None:
    base, own = repository(), slug()
    allowed = re.compile(re.escape(base) + r"(?:$|[/@#?]|\.git\b)")
    uses = re.compile(r"\buses:\s*([\w.-]+/[\w.-]+)@")
    files = sorted({path for pattern in NAMING_FILES for path in REPO.glob(pattern)})
    wrong: list[str] = []
    seen = 0
    for path in files:
        for number, line in numbered_lines(path):
            for url in URL.findall(line):
                if names_a_repository_of_ours(url):
                    seen += 1
                    if not allowed.match(url):
                        wrong.append(f"{where(path, number, line)}  (expected {base})")
            for named in uses.findall(line):
                if named.split("/")[-1] in {"monolint", own.split("/")[-1]}:
                    seen += 1
                    if named != own:
                        wrong.append(f"{where(path, number, line)}  (expected uses: {own}@...)")
    assert wrong == [], "lines that name another repository than pyproject's Repository:\n" + "\n".join(wrong)
    assert seen >= 5  # the README's install lines at least


# --- one version ---------------------------------------------------------------------------------


def test_version_is_the_same_in_the_package_and_pyproject() -> None:
    assert pyproject()["project"]["version"] == __version__


def readme_versions() -> list[tuple[str, str, str]]:
    """(kind, version given, where) for every place the README names a monolint version."""
    base, own = re.escape(repository()), re.escape(slug())
    patterns = {
        "uses": re.compile(r"(?<![\w./-])" + own + r"@([^\s\"']+)"),
        "git+": re.compile(r"git\+" + base + r"@([^\s\"']+)"),
        "rev": re.compile(r"^\s*rev:\s*(\S+)"),
        "==": re.compile(r"\bmonolint==(\S+)"),
        "output": re.compile(r"\bmonolint, version ([^\s`]+)"),
        "v-tag": re.compile(r"(?<![\w.])(v\d+(?:\.\d+)+)\b"),
    }
    found = []
    for number, line in numbered_lines(README):
        for kind, pattern in patterns.items():
            found += [(kind, given, where(README, number, line)) for given in pattern.findall(line)]
    return found


def test_every_version_in_the_readme_is_the_package_version() -> None:
    found = readme_versions()
    expected = {"uses": f"v{__version__}", "git+": f"v{__version__}", "rev": f"v{__version__}"}
    expected |= {"==": __version__, "output": __version__, "v-tag": f"v{__version__}"}
    wrong = [f"{place}  ({kind}: expected {expected[kind]})" for kind, given, place in found if given != expected[kind]]
    assert wrong == [], f"the README names versions other than {__version__}:\n" + "\n".join(wrong)
    # Each kind of install line is there to be checked (the action, pre-commit, pip from the tag).
    assert {"uses", "git+", "rev", "output"} <= {kind for kind, _, _ in found}


def test_readme_installs_nothing_from_pypi_that_is_not_there() -> None:
    # No release is on PyPI: every `pip install` of monolint names the repository's tag.
    installs = [
        where(README, number, line)
        for number, line in numbered_lines(README)
        if re.search(r"pip install\s+[\"']?monolint\b(?!\s*@)", line) and "git+" not in line
    ]
    assert installs == []


def test_changelog_latest_release_is_the_package_version() -> None:
    headings = [line for _, line in numbered_lines(CHANGELOG) if line.startswith("## ")]
    released = [heading for heading in headings if heading != "## Unreleased"]
    assert released, "CHANGELOG.md has no released version heading ('## X.Y.Z - YYYY-MM-DD')"
    assert re.fullmatch(r"## \d+\.\d+\.\d+ - \d{4}-\d{2}-\d{2}", released[0]), released[0]
    assert released[0].split()[1] == __version__
    assert headings.index(released[0]) <= 1  # only "Unreleased" may come before it


def git_tags() -> list[str]:
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout, so there are no tags to look at")
    environ = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    result = subprocess.run(
        [git, "tag", "--list"], cwd=REPO, env=environ, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.split()


def test_the_release_tag_exists() -> None:
    tags = git_tags()
    if not tags:
        pytest.skip("this clone has no tags at all (a shallow CI clone fetches none)")
    assert f"v{__version__}" in tags, f"the README installs v{__version__}, but the tags are {sorted(tags)}"


# --- the action's pinned dependencies ------------------------------------------------------------


def pins() -> dict[str, str]:
    return {canonical(name): version for name, version in pin_lines()}


def pin_lines() -> list[tuple[str, str]]:
    lines = [line for _, line in numbered_lines(CONSTRAINTS) if line.strip() and not line.startswith("#")]
    bad = [line for line in lines if not PIN.fullmatch(line)]
    assert bad == [], f"lines of {CONSTRAINTS.name} that are not name==version: {bad}"
    return [tuple(PIN.fullmatch(line).groups()) for line in lines]  # type: ignore[union-attr,misc]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_constraints_pin_each_package_once_and_every_runtime_dependency() -> None:
    names = [canonical(name) for name, _ in pin_lines()]
    assert len(names) == len(set(names)), "a package is pinned twice"
    direct = {
        canonical(re.split(r"[\s<>=!~;\[]", requirement)[0]) for requirement in pyproject()["project"]["dependencies"]
    }
    assert direct - set(names) == set()


def require_pypi() -> None:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError as error:
        pytest.skip(f"PyPI is not reachable ({error}); the pins cannot be resolved offline")


def resolve(python: str, platform: str, target: Path) -> dict[str, str]:
    """What pip would install from PyPI alone (no local configuration) for monolint's
    dependencies under the constraints, with wheels for that Python and platform: name ->
    version. pip evaluates environment markers for the Python running it, whatever
    --python-version says, so the direct dependencies go without theirs (tomli, for 3.10 only,
    is resolved everywhere)."""
    requirements = [requirement.split(";")[0].strip() for requirement in pyproject()["project"]["dependencies"]]
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed"]
    command += ["--only-binary=:all:", "--python-version", python, "--target", str(target)]
    command += [option for tag in platform.split() for option in ("--platform", tag)]
    command += ["--constraint", str(CONSTRAINTS), "--report", "-", *requirements]
    environ = {name: value for name, value in os.environ.items() if not name.startswith("PIP_")}
    environ |= {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    result = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"Python {python} on {platform}:\n{result.stderr}"
    report = json.loads(result.stdout)
    return {canonical(item["metadata"]["name"]): item["metadata"]["version"] for item in report["install"]}


def test_constraints_resolve_on_pypi_for_the_runners(tmp_path: Path) -> None:
    require_pypi()
    pinned, used = pins(), set()
    for python, platform in TARGETS:
        installed = resolve(python, platform, tmp_path / "target")
        assert {name: pinned.get(name) for name in installed} == installed, f"Python {python} on {platform}"
        used |= set(installed)
    assert set(pinned) - used == set(), "pins that no supported runner installs"
