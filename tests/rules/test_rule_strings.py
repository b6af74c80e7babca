"""No rule id or rule name outside validator/rules/: the lower and later layers speak of
problem kinds and Rule records, and only the rules know which rule reports what."""

from __future__ import annotations

import re
from pathlib import Path

from validator.rules.registry import ALL_RULES

PACKAGE = Path(__file__).resolve().parents[2] / "validator"
RULE_ID = r"MON\d{3}"


def _pattern() -> re.Pattern[str]:
    names = sorted((re.escape(rule.name) for rule in ALL_RULES), key=len, reverse=True)
    # A name stands alone: not part of a longer kebab-case word or identifier.
    return re.compile(rf"(?<![\w-])(?:{RULE_ID}|{'|'.join(names)})(?![\w-])")


def _rule_strings(root: Path) -> list[str]:
    """Every rule id or name in the .py files under ``root`` outside ``root/rules``, as
    file:line: found."""
    pattern = _pattern()
    found = []
    for path in sorted(root.rglob("*.py")):
        if root / "rules" in path.parents:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in pattern.finditer(line):
                found.append(f"{path.relative_to(root.parent)}:{number}: {match[0]}")
    return found


def test_no_rule_id_or_name_outside_rules() -> None:
    found = _rule_strings(PACKAGE)
    assert not found, "rule ids or names outside validator/rules/:\n" + "\n".join(found)


def test_the_scan_finds_ids_and_names(tmp_path: Path) -> None:
    """The check itself can fail: it finds an id, a name, in code and in comments, and
    leaves validator/rules/ and longer words alone."""
    package = tmp_path / "validator"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "ok.py").write_text(f'NAME = "{ALL_RULES[0].name}"  # {ALL_RULES[0].id}\n')
    name = ALL_RULES[-1].name
    (package / "engine.py").write_text(
        f'x = 1\nrule = "{name}"\n# reported as {ALL_RULES[1].id}\nother = "{name}-like"\nMON1234 = 0\n'
    )
    assert _rule_strings(package) == [
        f"validator/engine.py:2: {name}",
        f"validator/engine.py:3: {ALL_RULES[1].id}",
    ]
