"""A baseline: today's findings, recorded so that only new ones are reported.

An entry names a page (relative to the baseline file's folder), a rule and the finding's
message with line numbers blanked, and counts identical findings on that page: it stands
for the findings whose identity (validator.report.fingerprint, the one SARIF and GitLab
reports use) has that rule, path and message and an occurrence up to its count. The message
quotes the offending text ("'10mg': put a space..."), so an entry follows its finding when
edits elsewhere move it. A finding beyond its entry's count is new; an entry with
fewer findings than its count is stale, and only for pages this run checked, so a
pre-commit run on two files does not call the rest of the baseline stale. For the same
reason, writing a baseline over an existing one replaces the entries of the pages checked
and keeps the others.

The file is JSON, sorted, one entry a line, so a diff of it reads like a list of findings.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from validator.model.finding import STDIN_PATH, Finding
from validator.report.fingerprint import digest, fingerprints, message_key

FORMAT = 1

Key = tuple[str, str, str]  # path relative to the baseline's folder, rule, message


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message is one line."""


@dataclass(frozen=True)
class Outcome:
    findings: list[Finding]  # the new findings
    known: int  # findings the baseline accounts for
    stale: int  # baseline entries (counted) that no finding matches any more


def _key(finding: Finding, folder: Path, cwd: Path) -> Key:
    return (_key_path(finding.path, folder, cwd), finding.rule, message_key(finding.message))


@dataclass(frozen=True)
class Written:
    findings: int  # findings recorded for the pages this run checked
    kept: int  # entries (counted) kept from the existing file, of pages this run did not check


def write(file: Path, findings: Iterable[Finding], checked: Iterable[str], cwd: Path) -> Written:
    """Record the findings in ``file`` (atomically). ``checked`` are the display paths of the
    pages this run checked: an existing baseline's entries for them are replaced (a checked
    page with no findings loses its entries), and its entries for other pages are kept, so a
    run on a few pages updates only theirs."""
    folder = file.resolve().parent
    counts = Counter(_key(finding, folder, cwd) for finding in findings)
    written = sum(counts.values())
    pages = {_key_path(path, folder, cwd) for path in checked}
    kept = 0
    if file.exists():
        for key, count in read(file).items():
            if key[0] not in pages:
                counts[key] += count
                kept += count
    entries = [
        {"path": path, "rule": rule, "message": message, "count": count}
        for (path, rule, message), count in sorted(counts.items())
    ]
    body = ",\n".join("    " + json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in entries)
    items = f"\n{body}\n  " if entries else ""
    text = f'{{\n  "monolint_baseline": {FORMAT},\n  "findings": [{items}]\n}}\n'
    temporary = file.with_name(f".{file.name}.tmp{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(file)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BaselineError(f"cannot write baseline {file}: {error.strerror or error}") from None
    return Written(written, kept)


def read(file: Path) -> Counter[Key]:
    try:
        data = json.loads(file.read_bytes())
    except OSError as error:
        raise BaselineError(f"cannot read baseline {file}: {error.strerror or error}") from None
    except ValueError as error:
        raise BaselineError(f"baseline {file} is not valid JSON: {error}") from None
    if (
        not isinstance(data, dict)
        or data.get("monolint_baseline") != FORMAT
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(f"{file} is not a monolint baseline (write one with --write-baseline)")
    counts: Counter[Key] = Counter()
    for entry in data["findings"]:
        try:
            # message_key again: a file written by an older monolint blanked fewer line numbers.
            key = (str(entry["path"]), str(entry["rule"]), message_key(str(entry["message"])))
            counts[key] += int(entry.get("count", 1))
        except (TypeError, KeyError, ValueError):
            raise BaselineError(f"baseline {file} has a malformed entry: {json.dumps(entry)[:80]}") from None
    return counts


def apply(file: Path, findings: Sequence[Finding], checked: Iterable[str], cwd: Path) -> Outcome:
    """The findings the baseline in ``file`` does not account for. ``checked`` are the
    display paths of the pages this run checked."""
    entries = read(file)
    folder = file.resolve().parent
    paths: dict[str, str] = {}

    def path_of(path: str) -> str:
        if path not in paths:
            paths[path] = _key_path(path, folder, cwd)
        return paths[path]

    allowed = {digest(rule, path, message): count for (path, rule, message), count in entries.items()}
    used: Counter[str] = Counter()
    new: list[Finding] = []
    for finding, fingerprint in zip(findings, fingerprints(findings, path_of), strict=True):
        if fingerprint.occurrence <= allowed.get(fingerprint.digest, 0):
            used[fingerprint.digest] += 1
        else:
            new.append(finding)
    pages = {path_of(path) for path in checked}
    stale = 0
    for (path, rule, message), count in entries.items():
        if path in pages:
            stale += max(0, count - used[digest(rule, path, message)])
    return Outcome(new, sum(used.values()), stale)


def entries_by_rule(file: Path, checked: Iterable[str], cwd: Path) -> Counter[str]:
    """How many findings the baseline in ``file`` records per rule id, for the pages checked."""
    folder = file.resolve().parent
    pages = {_key_path(path, folder, cwd) for path in checked}
    counts: Counter[str] = Counter()
    for (path, rule, _), count in read(file).items():
        if path in pages:
            counts[rule] += count
    return counts


def _key_path(path: str, folder: Path, cwd: Path) -> str:
    return path if path == STDIN_PATH else Path(os.path.relpath(os.path.normpath(cwd / path), folder)).as_posix()
