"""One identity per finding, shared by the baseline, SARIF and GitLab reports.

A finding is identified by its rule, its page's path (as the report names it: relative to
the repository root, or to the baseline file's folder) and its message with line and column
numbers blanked, never by its position: the message quotes the offending text ("'10mg': put
a space..."), so the identity follows a finding when lines are added or removed above it.
Identical findings on one page are told apart by their occurrence, counted from the top of
the page (1 for the first), so the second of two twins keeps its identity while the first
stays.

``digest`` names what identical findings share; ``Fingerprint`` adds the occurrence. SARIF
writes ``str(fingerprint)`` ("<32 hex>:<occurrence>"); GitLab, which wants one opaque hex
string, writes ``fingerprint.hex``; a baseline entry that counts N findings stands for the
fingerprints of occurrences 1 to N of its digest.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from validator.model.finding import Finding

# Messages that quote a line or column ("from line 39") would move the identity.
_LINE_NUMBER = re.compile(r"\b(line|lines|column)\s+\d+")


def message_key(message: str) -> str:
    """The message with the numbers of the lines and columns it quotes blanked ("line N")."""
    return _LINE_NUMBER.sub(r"\1 N", message)


def digest(rule: str, path: str, message: str) -> str:
    """32 hex digits of a SHA-256 of the rule, the path and the message (line numbers blanked)."""
    key = "\0".join((rule, path, message_key(message)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Fingerprint:
    digest: str  # what identical findings share
    occurrence: int  # 1 for the first finding of that digest, from the top of its page

    def __str__(self) -> str:
        return f"{self.digest}:{self.occurrence}"

    @property
    def hex(self) -> str:
        """The fingerprint as 32 hex digits (for formats that want one opaque hash)."""
        return hashlib.sha256(str(self).encode("ascii")).hexdigest()[:32]


def fingerprints(findings: Iterable[Finding], path_of: Callable[[str], str]) -> list[Fingerprint]:
    """The fingerprint of each finding, in order. ``path_of`` turns a finding's path into the
    one its identity uses (the same page must always get the same one)."""
    seen: Counter[str] = Counter()
    prints = []
    for finding in findings:
        hashed = digest(finding.rule, path_of(finding.path), finding.message)
        seen[hashed] += 1
        prints.append(Fingerprint(hashed, seen[hashed]))
    return prints
