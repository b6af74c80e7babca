"""What both atheris harnesses share: instrumented imports, and a keep-going mode.

libFuzzer stops at the first failure. With FUZZ_FINDINGS=DIR set, a failure is instead
recorded in DIR (up to three inputs per kind of failure, named after the kind) and the
run goes on, so one 10-minute run can find several bugs. Exceptions other than
FuzzFailure always stop the run: they are bugs in the harness or escaped monolint.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import atheris

# validator, plus the libraries every page goes through. FUZZ_INSTRUMENT narrows it
# (comma-separated module names) when the full set is too slow.
DEFAULT_MODULES = ("validator", "markdown_it", "frontmatter", "yaml")
KEEP_PER_KIND = 3

sys.path.insert(0, str(Path(__file__).resolve().parent))
with atheris.instrument_imports(
    include=[name for name in os.environ.get("FUZZ_INSTRUMENT", "").split(",") if name] or list(DEFAULT_MODULES)
):
    import checks

_seen: Counter[str] = Counter()


def _recording(test: Callable[[bytes], None], folder: Path) -> Callable[[bytes], None]:
    folder.mkdir(parents=True, exist_ok=True)

    def run(data: bytes) -> None:
        try:
            test(data)
        except checks.FuzzFailure as failure:
            _seen[failure.kind] += 1
            if _seen[failure.kind] <= KEEP_PER_KIND:
                name = f"{failure.kind[:80]}-{hashlib.sha1(data).hexdigest()[:12]}"
                (folder / name).write_bytes(data)
                print(f"FUZZ-FINDING #{_seen[failure.kind]} {failure.kind}: {str(failure)[:500]}", file=sys.stderr)

    return run


def fuzz(test: Callable[[bytes], None]) -> None:
    """Run libFuzzer on ``test`` with the command line's options."""
    findings = os.environ.get("FUZZ_FINDINGS")
    atheris.Setup(sys.argv, _recording(test, Path(findings)) if findings else test)
    atheris.Fuzz()
