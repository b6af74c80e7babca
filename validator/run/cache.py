"""The findings cache: a page whose bytes, rule settings, content model and monolint build
were seen before is not parsed again.

An entry is keyed by a hash of the page's bytes, of the effective rule settings and of the
content model's files (the model the page was checked against: pages of one run can use
different models, each folder's configuration naming its own), so a page whose folder
switches to another model is checked again. The file holding the entries is named by a hash
of monolint itself (its version and, for a source checkout, its modules' sizes and times), so
a new build starts a fresh file. Findings are stored without their path: the same page under
another name reuses the entry.

The cache folder ignores itself in git (like ruff's) and carries a CACHEDIR.TAG. A file
that is corrupt, foreign or from another version is ignored and rebuilt. Writes go to a
temporary file that is then renamed over the old one, so concurrent runs never leave a torn
file: the last writer wins, and the other's new entries are simply computed again later.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from validator.model.finding import Edit, Finding, Fix, Position, Severity

if TYPE_CHECKING:
    from validator.config.selection import RuleSettings
    from validator.model.site import PageSummary

FORMAT = 3  # bump when the stored shape changes
EXPIRE_DAYS = 30  # entries unused for this long are dropped on the next write

_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by monolint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def tool_identity() -> str:
    """monolint's version, plus its modules' sizes and modification times: a source checkout
    keeps one version number while its code changes, and must not reuse stale findings."""
    from validator import __version__

    package = Path(__file__).resolve().parents[1]  # the whole validator package
    stamps = [__version__]
    for module in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            status = module.stat()
            stamps.append(f"{module.relative_to(package).as_posix()}:{status.st_size}:{status.st_mtime_ns}")
    return digest("\n".join(stamps).encode())


@dataclass(frozen=True)
class Cached:
    """A cache entry: the findings of a page, or that it is out of the model's scope, and
    its summary for the rules that compare pages (when one was enabled for it)."""

    findings: list[Finding]
    skipped: bool = False
    summary: PageSummary | None = None


@dataclass
class FindingsCache:
    """Cached findings of one monolint build, loaded from one file."""

    file: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False
    loaded: int = 0  # entries read from the file: with none, no page is worth looking up
    today: int = field(default_factory=lambda: int(time.time() // 86400))
    # Entries made by this run, one JSON line each, until save() writes them into the file:
    # a run over many pages does not hold them. None until the first; if no temporary file
    # can be written, spool_failed, and they are kept in ``entries``.
    spool: IO[str] | None = field(default=None, repr=False)
    spool_failed: bool = False

    @classmethod
    def for_run(cls, folder: Path | None, fixing: bool) -> FindingsCache | None:
        """The cache a run uses, or None: without a folder, or when fixing (a fix run's
        findings are those left after fixing, not those of the page it read)."""
        if folder is None or fixing:
            return None
        return cls.open(folder)

    @staticmethod
    def model_key(schema: str | None) -> str:
        """The part of a page's key that names its content model (see ``entry_key``)."""
        from validator.content_model.load import model_identity

        return model_identity(schema)

    def lookup_page(self, path: Path, display: str, settings: RuleSettings, model_key: str) -> Cached | None:
        """The cached findings of a file (named ``display``), or None when a worker must
        check it: the cache was empty (a cold run does not read every file twice), the file
        cannot be read (the worker reports why) or it has no entry."""
        if not self.loaded:
            return None
        from validator.check.engine import read_file

        raw = read_file(path, display, settings)
        if isinstance(raw, list):
            return None
        return self.lookup(entry_key(raw, settings.data.key, model_key), display)

    def store(
        self, key: str | None, findings: Iterable[Finding], skipped: bool = False, summary: PageSummary | None = None
    ) -> None:
        """``put`` a checked page's findings under the key its worker computed (None: the
        page could not be read, and is not cached)."""
        if key is not None:
            self.put(key, findings, skipped, summary)

    @classmethod
    def open(cls, folder: Path) -> FindingsCache:
        file = folder / f"v{FORMAT}" / f"findings-{tool_identity()}.json"
        entries = _read_entries(file)
        return cls(file, entries, loaded=len(entries))

    def get(self, key: str, path: str) -> list[Finding] | None:
        """The findings of an entry (none for a page out of scope), or None without one."""
        cached = self.lookup(key, path)
        return cached.findings if cached is not None else None

    def lookup(self, key: str, path: str) -> Cached | None:
        """An entry, its findings named ``path``, or None when there is none (or it is damaged)."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            findings = [_decode(item, path) for item in entry["findings"]]
            skipped = entry.get("skipped", False) is True
            site = entry.get("site")
            summary = None if site is None else _summary(site, path)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            del self.entries[key]  # a damaged entry: compute the page again
            return None
        if entry.get("used") != self.today:
            entry["used"] = self.today
            self.changed = True
        return Cached(findings, skipped, summary)

    def put(
        self, key: str, findings: Iterable[Finding], skipped: bool = False, summary: PageSummary | None = None
    ) -> None:
        """Record a page's findings, or (``skipped``) that it is out of the model's scope, and
        its summary for the rules that compare pages; like findings, without its path."""
        findings = tuple(findings)
        self.changed = True
        if not self.spool_failed:
            try:
                if self.spool is None:
                    # Open across put() calls until save(); nameless on POSIX, so a killed run leaves none.
                    self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
                pieces = _json_entry_chunks(key, self.today, findings, skipped, summary)
                if len(findings) <= _PIECE:  # most pages: the entry is one line, written at once
                    self.spool.write("".join(pieces) + "\n")  # JSON text holds no raw newline
                    return
                for piece in pieces:
                    self.spool.write(piece)
                self.spool.write("\n")
                return
            except OSError:
                # A full or unwritable temporary folder: keep entries in memory from now on; those
                # spooled so far are dropped (a torn line must not reach the file) and computed again.
                self._drop_spool()
                self.spool_failed = True
        self.entries[key] = {"used": self.today, "findings": [_encode(finding) for finding in findings]}
        if skipped:
            self.entries[key]["skipped"] = True
        if summary is not None:
            self.entries[key]["site"] = summary.to_data(with_path=False)

    def _drop_spool(self) -> None:
        if self.spool is not None:
            with contextlib.suppress(OSError):  # closing flushes, which can fail again
                self.spool.close()
            self.spool = None

    def save(self) -> None:
        """Write the entries back, dropping those unused for EXPIRE_DAYS. A cache that cannot
        be written is not an error: the next run just computes the pages again."""
        if not self.changed:
            return
        fresh = (
            _json_entry(key, entry)
            for key, entry in self.entries.items()
            if isinstance(entry.get("used"), int) and self.today - entry["used"] <= EXPIRE_DAYS
        )
        spooled: Iterable[str] = ()
        with contextlib.suppress(OSError):
            if self.spool is not None:
                self.spool.seek(0)
                spooled = (line.rstrip("\n") for line in self.spool)
            _prepare(self.file.parent.parent)
            _atomic_write(self.file, _json_chunks(itertools.chain(fresh, spooled)))
            _drop_unused_files(self.file)
        self._drop_spool()


def _json_entry(key: str, entry: dict[str, Any]) -> str:
    return f"{json.dumps(key)}:{json.dumps(entry, separators=(',', ':'))}"


_PIECE = 4096  # findings a piece of a cache entry holds


def _json_entry_chunks(
    key: str, used: int, findings: Sequence[Finding], skipped: bool = False, summary: PageSummary | None = None
) -> Iterator[str]:
    """``_json_entry`` of a new entry in pieces, a few thousand findings each: a page can
    have hundreds of thousands, and neither the entry nor its text need be held whole."""
    mark = ',"skipped":true' if skipped else ""
    if summary is not None:
        mark += ',"site":' + json.dumps(summary.to_data(with_path=False), separators=(",", ":"))
    yield f'{json.dumps(key)}:{{"used":{json.dumps(used)}{mark},"findings":['
    for first in range(0, len(findings), _PIECE):
        batch = ",".join(
            json.dumps(_encode(finding), separators=(",", ":")) for finding in findings[first : first + _PIECE]
        )
        yield ("," if first else "") + batch
    yield "]}"


def _json_chunks(entries: Iterable[str]) -> Iterator[str]:
    """The cache file's JSON, an entry at a time: the whole text is never held at once."""
    yield f'{{"format":{FORMAT},"entries":{{'
    separator = ""
    for entry in entries:
        yield separator + entry
        separator = ","
    yield "}}"


def _drop_unused_files(current: Path) -> None:
    """Files of other models or monolint builds that no run has written for EXPIRE_DAYS."""
    cutoff = time.time() - EXPIRE_DAYS * 86400
    for other in current.parent.glob("findings-*.json"):
        with contextlib.suppress(OSError):
            if other != current and other.stat().st_mtime < cutoff:
                other.unlink()


def entry_key(raw: bytes, settings_key: str, model_key: str) -> str:
    """The key of a page's entry: its bytes, its rule settings and the content model it was
    checked against (files of one run can use different models)."""
    hasher = hashlib.blake2b(raw, digest_size=16)  # raw + key would copy every page first
    hasher.update(b"\0" + settings_key.encode())
    hasher.update(b"\0" + model_key.encode())
    return hasher.hexdigest()


def _read_entries(file: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return {key: entry for key, entry in data["entries"].items() if isinstance(entry, dict)}


def _prepare(root: Path) -> None:
    """Create the cache folder with its own .gitignore (so it never shows in git) and a
    CACHEDIR.TAG (so backup tools skip it)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in ((".gitignore", "# Created by monolint automatically.\n*\n"), ("CACHEDIR.TAG", _TAG)):
        target = root / name
        if not target.exists():
            with contextlib.suppress(OSError):
                target.write_text(text, encoding="utf-8")


def _atomic_write(file: Path, chunks: Iterable[str]) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.writelines(chunks)
        Path(temporary).replace(file)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _summary(data: Any, path: str) -> PageSummary:
    from validator.model.site import PageSummary  # only runs with a rule that compares pages need it

    return PageSummary.from_data(data, path)


def _encode(finding: Finding) -> list[Any]:
    fix = None
    if finding.fix is not None:
        fix = [
            finding.fix.message,
            finding.fix.safe,
            [[edit.start, edit.end, edit.text] for edit in finding.fix.edits],
            [[start.line, start.column, end.line, end.column] for start, end in finding.fix_spans],
        ]
    return [
        finding.start.line,
        finding.start.column,
        finding.end.line,
        finding.end.column,
        finding.rule,
        finding.name,
        finding.category,
        finding.severity.value,
        finding.message,
        fix,
        finding.subject,
    ]


_SEVERITIES = {severity.value: severity for severity in Severity}


def _decode(item: list[Any], path: str) -> Finding:
    line, column, end_line, end_column, rule, name, category, severity, message, fix_data, subject = item
    fix = None
    fix_spans: tuple[tuple[Position, Position], ...] = ()
    if fix_data is not None:
        fix_message, safe, edits, spans = fix_data
        fix = Fix(str(fix_message), tuple(Edit(int(s), int(e), str(t)) for s, e, t in edits), bool(safe))
        fix_spans = tuple((Position(int(a), int(b)), Position(int(c), int(d))) for a, b, c, d in spans)
    return Finding(
        path=path,
        start=Position(int(line), int(column)),
        end=Position(int(end_line), int(end_column)),
        rule=str(rule),
        name=str(name),
        category=str(category),
        severity=_SEVERITIES[severity],
        message=str(message),
        fix=fix,
        fix_spans=fix_spans,
        subject=None if subject is None else str(subject),
    )
