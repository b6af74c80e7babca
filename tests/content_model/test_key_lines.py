"""Where a key sits in a TOML or YAML file, for error messages (tomllib keeps no positions)."""

from __future__ import annotations

import pytest

from validator.content_model.key_lines import toml_lines, toml_locator, yaml_locator

TOML = """\
# a comment with key = value in it
select = ["MON2"]
"quoted.key" = 1
ignore = [
  "MON401",   # not a key = here
  "x = 1",
]
notes = \"\"\"
inside = 1
\"\"\"
a.b . c = true

[rules.MON210]
severity = "error"

[[overrides]]
files = ["legacy/**"]
rules = { MON204 = { severity = "warning" } }

[[overrides]]
files = ["b/**"]

[overrides.rules.'MON 1']
severity = "off"

[tool.'monolint']
exclude = []
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("select",), 2),
        (("select", 0), 2),  # inside a value: the key's line
        (("quoted.key",), 3),
        (("ignore",), 4),
        (("notes",), 8),
        (("a",), 11),
        (("a", "b", "c"), 11),
        (("rules",), 13),
        (("rules", "MON210"), 13),
        (("rules", "MON210", "severity"), 14),
        (("overrides",), 16),
        (("overrides", 0), 16),
        (("overrides", 0, "files"), 17),
        (("overrides", 0, "rules", "MON204", "severity"), 18),  # an inline table: its key's line
        (("overrides", 1), 20),
        (("overrides", 1, "files"), 21),
        (("overrides", 1, "rules", "MON 1"), 23),
        (("overrides", 1, "rules", "MON 1", "severity"), 24),
        (("tool", "monolint", "exclude"), 27),
    ],
)
def test_toml_keys_are_found_on_their_lines(path: tuple[str | int, ...], line: int) -> None:
    assert toml_locator(TOML)(path) == line


def test_keys_inside_multi_line_values_and_strings_are_not_keys() -> None:
    lines = toml_lines(TOML)
    assert ("inside",) not in lines and ("x",) not in lines
    assert ("not a key",) not in lines


def test_an_unknown_key_falls_back_to_its_nearest_parent_or_to_no_line() -> None:
    locate = toml_locator(TOML)
    assert locate(("rules", "MON999")) == 13
    assert locate(("nowhere",)) is None
    assert locate(()) is None


def test_a_prefix_is_prepended_for_pyproject() -> None:
    text = "[tool.black]\nline-length = 1\n\n[tool.monolint]\nselect = []\n"
    assert toml_locator(text, ("tool", "monolint"))(("select",)) == 5
    assert toml_locator(text, ("tool", "monolint"))(("bogus",)) == 4


def test_yaml_keys_and_items_from_node_marks() -> None:
    text = "name: x\nsections:\n  level: 3\n  required:\n    - heading: A\n    -\n      heading: B\n"
    locate = yaml_locator(text)
    assert locate(("name",)) == 1
    assert locate(("sections", "level")) == 3
    assert locate(("sections", "required", 0, "heading")) == 5
    assert locate(("sections", "required", 1)) == 7
    assert locate(("sections", "required", 1, "heading")) == 7
    assert locate(("sections", "missing")) == 2
    assert yaml_locator("a: [\n")(("a",)) is None  # not YAML: no line rather than a wrong one
