"""The findings cache and parallel runs: the report never depends on either."""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from helpers_cli import CLEAN_PAGE, monolint_command, run, write_tree

from validator.api import lint_text
from validator.config.files import Config
from validator.model.finding import Finding
from validator.run import cache as cache_module
from validator.run.cache import FORMAT, FindingsCache
from validator.run.parallel import PROCESS_THRESHOLD

BAD = CLEAN_PAGE.replace("### Dosage\n", "### Dosage\nTake 10mg or 5.0 mg daily.\n", 1)


def _pages(count: int) -> dict[str, str]:
    """A mix of clean pages, dose errors, structure errors and undecodable bytes."""
    pages: dict[str, str] = {}
    for index in range(count):
        kind = index % 4
        text = CLEAN_PAGE
        if kind == 1:
            text = BAD.replace("10mg", f"{index}mg")
        elif kind == 2:
            text = CLEAN_PAGE.replace("### Usage", "### Usage:")
        pages[f"pages/{index // 10}/page{index:03d}.md"] = text
    return pages


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write_tree(tmp_path, _pages(PROCESS_THRESHOLD + 40))
    (tmp_path / "pages" / "0" / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    return tmp_path


def _report(folder: Path, *args: str) -> dict[str, object]:
    result = run(["check", "--isolated", "--format", "json", *args, "pages"], folder)
    assert result.code == 1, result.stderr
    report: dict[str, object] = result.json()
    return report


def test_the_report_is_the_same_for_every_number_of_jobs(corpus: Path) -> None:
    reports = [_report(corpus, "--no-cache", "--jobs", str(jobs)) for jobs in (1, 2, 3)]
    assert reports[0] == reports[1] == reports[2]
    findings = reports[0]["findings"]
    assert isinstance(findings, list)
    assert {finding["rule"] for finding in findings} >= {"MON401", "MON402", "MON207", "MON002"}
    paths = [finding["path"] for finding in findings]
    assert paths == sorted(paths, key=lambda path: path.split("/"))  # discovery order, not completion order


def test_a_warm_run_reports_what_a_cold_one_does(corpus: Path) -> None:
    cold = _report(corpus, "--no-cache")
    first = _report(corpus)  # writes the cache
    assert (corpus / ".monolint_cache").is_dir()
    (cache_file,) = (corpus / ".monolint_cache").glob("v*/findings-*.json")
    stamp = cache_file.stat().st_mtime_ns
    warm = _report(corpus)
    assert cold == first == warm
    assert cache_file.stat().st_mtime_ns == stamp  # nothing new to store: not rewritten


def test_the_cache_folder_ignores_itself(corpus: Path) -> None:
    _report(corpus)
    folder = corpus / ".monolint_cache"
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    subprocess.run(["git", "init", "-q", str(corpus)], check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=corpus,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ".monolint_cache" not in status.stdout
    assert "pages/" in status.stdout


def test_an_edited_page_is_checked_again(corpus: Path) -> None:
    _report(corpus)
    page = corpus / "pages" / "0" / "page000.md"
    page.write_text(BAD, encoding="utf-8")
    warm = _report(corpus)
    assert warm == _report(corpus, "--no-cache")
    assert any(finding["path"] == "pages/0/page000.md" for finding in warm["findings"])  # type: ignore[union-attr]


def test_other_rule_settings_do_not_reuse_entries(corpus: Path) -> None:
    _report(corpus)
    ignored = _report(corpus, "--ignore", "MON401")
    assert ignored == _report(corpus, "--no-cache", "--ignore", "MON401")
    assert "MON401" not in {finding["rule"] for finding in ignored["findings"]}  # type: ignore[union-attr]


def test_the_same_page_under_another_name_reuses_the_entry_with_its_own_path(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pages/a.md": BAD})
    _report(tmp_path)
    (tmp_path / "pages" / "a.md").rename(tmp_path / "pages" / "b.md")
    report = _report(tmp_path)
    assert {finding["path"] for finding in report["findings"]} == {"pages/b.md"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"\x00\xff\xfe garbage",
        json.dumps({"format": 99, "entries": {}}).encode(),
        json.dumps([1, 2, 3]).encode(),
        b"DAMAGED-ENTRIES",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rebuilt(corpus: Path, damage: bytes) -> None:
    expected = _report(corpus, "--no-cache")
    _report(corpus)
    (cache_file,) = (corpus / ".monolint_cache").glob("v*/findings-*.json")
    if damage == b"DAMAGED-ENTRIES":
        data = json.loads(cache_file.read_bytes())
        for entry in data["entries"].values():
            entry["findings"] = [["not", "a", "finding"]] if entry["findings"] else 7
        damage = json.dumps(data).encode()
    cache_file.write_bytes(damage)
    result = run(["check", "--isolated", "--format", "json", "pages"], corpus)
    assert result.stderr == ""
    assert result.json() == expected
    assert json.loads(cache_file.read_bytes())["format"] == FORMAT  # rewritten whole
    assert _report(corpus) == expected


def test_concurrent_runs_never_corrupt_the_cache(corpus: Path) -> None:
    expected = _report(corpus, "--no-cache")
    command = [*monolint_command(), "check", "--isolated", "--format", "json", "--jobs", "1", "pages"]
    processes = [
        subprocess.Popen(command, cwd=corpus, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 1, stderr
        assert json.loads(stdout) == expected
    (cache_file,) = (corpus / ".monolint_cache").glob("v*/findings-*.json")
    assert json.loads(cache_file.read_bytes())["format"] == FORMAT
    assert not list((corpus / ".monolint_cache").glob("v*/.tmp-*"))  # no temporary file left
    assert _report(corpus) == expected


def test_no_cache_writes_nothing_and_cache_dir_moves_it(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    _report(corpus, "--no-cache")
    assert not (corpus / ".monolint_cache").exists()
    elsewhere = tmp_path_factory.mktemp("cache") / "here"
    _report(corpus, "--cache-dir", str(elsewhere))
    assert list(elsewhere.glob("v*/findings-*.json"))
    assert not (corpus / ".monolint_cache").exists()
    moved = run(
        ["check", "--isolated", "--format", "json", "pages"], corpus, env={"MONOLINT_CACHE_DIR": str(elsewhere)}
    )
    assert moved.code == 1 and not (corpus / ".monolint_cache").exists()


def test_an_unwritable_cache_is_not_an_error(corpus: Path) -> None:
    (corpus / "blocked").write_text("a file, not a folder", encoding="utf-8")
    result = run(["check", "--isolated", "--format", "json", "--cache-dir", "blocked/cache", "pages"], corpus)
    assert result.code == 1
    assert result.stderr == ""
    assert result.json() == _report(corpus, "--no-cache")


def _findings() -> list[Finding]:
    findings = lint_text(BAD, "page.md", Config(root=Path.cwd(), source=None))
    assert findings
    return findings


def test_new_entries_wait_on_disk_until_saved(tmp_path: Path) -> None:
    findings = _findings()
    cache = FindingsCache.open(tmp_path)
    for index in range(200):
        cache.put(f"key{index}", findings if index % 2 else [])
    assert cache.entries == {}  # spooled, not held
    cache.save()
    again = FindingsCache.open(tmp_path)
    assert again.loaded == 200
    assert again.get("key7", "other.md") == [replace(finding, path="other.md") for finding in findings]
    assert again.get("key8", "other.md") == []


class _FullDisk(io.StringIO):
    """A temporary file that fills up after a few entries, mid-line."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__()
        self.left = 3

    def write(self, text: str) -> int:
        self.left -= 1
        if self.left < 0:
            super().write(text[: len(text) // 2])
            raise OSError(28, "No space left on device")
        return super().write(text)

    def close(self) -> None:
        raise OSError(28, "No space left on device")  # flushing what is buffered fails too


def test_a_temporary_folder_that_fills_up_costs_entries_not_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = _findings()
    monkeypatch.setattr(cache_module.tempfile, "TemporaryFile", _FullDisk)
    cache = FindingsCache.open(tmp_path)
    for index in range(10):
        cache.put(f"key{index}", findings)
    cache.save()
    again = FindingsCache.open(tmp_path)
    # The three spooled before the failure are dropped with the torn line; the rest are kept.
    assert sorted(again.entries) == sorted(f"key{index}" for index in range(3, 10))
    assert again.get("key9", "page.md") == findings


def test_the_run_interface_decides_skip_lookup_and_store(tmp_path: Path) -> None:
    from validator.config.selection import Layer

    assert FindingsCache.for_run(None, fixing=False) is None  # --no-cache
    assert FindingsCache.for_run(tmp_path / "c", fixing=True) is None  # a fix run's findings are not the page's
    page = tmp_path / "a.md"
    page.write_text(CLEAN_PAGE, encoding="utf-8")
    settings = Config(root=tmp_path, source=None).settings_for("a.md", Layer())
    model = FindingsCache.model_key(None)
    cold = FindingsCache.for_run(tmp_path / "c", fixing=False)
    assert cold is not None and cold.lookup_page(page, "a.md", settings, model) is None  # cold: no reads
    key = cache_module.entry_key(page.read_bytes(), settings.data.key, model)
    cold.store(None, [])  # an unreadable page: nothing stored
    assert not cold.changed
    cold.store(key, [], skipped=True)
    cold.save()
    warm = FindingsCache.for_run(tmp_path / "c", fixing=False)
    assert warm is not None
    found = warm.lookup_page(page, "a.md", settings, model)
    assert found is not None and found.skipped and found.findings == []
    page.write_text(CLEAN_PAGE + "\nMore.\n", encoding="utf-8")  # other bytes: another key
    assert warm.lookup_page(page, "a.md", settings, model) is None
    assert warm.lookup_page(tmp_path / "gone.md", "gone.md", settings, model) is None
