"""Real pre-commit and pip, offline: shared by the pre-commit, GitHub Action and configuration tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers_cli import CLEAN_PAGE
from helpers_tools import REPO, require_tool

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

BIN = Path(sys.executable).parent


PRE_COMMIT_HINT = "pip install pre-commit (it is in the test extras)"


GIT_HINT = "apt-get install git"


# A page whose findings include ones no fix can remove (an unknown section).
BAD_PAGE = CLEAN_PAGE.replace("Take 500 mg", "Take 500mg").replace(
    "### FAQs", "### Storage\n\nKeep it dry.\n\n### FAQs"
)


def clean_environment(**extra: str) -> dict[str, str]:
    """The environment without what a surrounding git hook or pip setup would leak in."""
    environ = {name: value for name, value in os.environ.items() if not name.startswith(("GIT_", "PIP_", "PRE_COMMIT"))}
    environ.pop("SKIP", None)  # pre-commit's list of hooks to skip
    return {**environ, **extra}


def git(*args: str, cwd: Path) -> None:
    command = [require_tool("git", GIT_HINT), "-c", "user.name=monolint tests", "-c", "user.email=tests@invalid"]
    command += ["-c", "commit.gpgsign=false", *args]
    subprocess.run(command, cwd=cwd, env=clean_environment(), check=True, capture_output=True, timeout=60)


def build_wheelhouse(base: Path) -> Path:
    """Wheels of monolint's dependencies and build backend in ``base/wheelhouse``, built once
    per session (other test modules call this with the same session folder). This is the only
    step that reaches the package index."""
    wheelhouse = base / "wheelhouse"
    done = wheelhouse / ".complete"
    if done.exists():
        return wheelhouse
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [*pyproject["project"]["dependencies"], *pyproject["build-system"]["requires"]]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--dest", str(wheelhouse)]
    # The versions the GitHub Action pins, which it installs with this wheelhouse in the tests.
    command += ["--constraint", str(REPO / "constraints" / "action.txt")]
    result = subprocess.run([*command, *requirements], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"pip download failed:\n{result.stdout}\n{result.stderr}"
    done.touch()
    return wheelhouse


def offline_pip(wheelhouse: Path) -> dict[str, str]:
    """pip settings that allow the wheelhouse only: no index, no configuration files."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse), "PIP_CONFIG_FILE": os.devnull}


def snapshot_repo(dest: Path) -> Path:
    """This working tree as one commit of a new repository: try-repo clones HEAD (plus tracked
    changes only), and other work in progress may be uncommitted or untracked."""
    listing = subprocess.run(
        [require_tool("git", GIT_HINT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        env=clean_environment(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    for name in listing.stdout.decode("utf-8").split("\0"):
        source = REPO / name
        if name and source.is_file():  # a tracked file may have been deleted
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot of the working tree", cwd=dest)
    return dest
