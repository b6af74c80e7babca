"""The line a key sits on in a YAML or TOML file, for error messages.

YAML: the composer's node marks. TOML: tomllib keeps no positions, so the text is scanned
for table headers (`[a.b]`, `[[a.b]]`) and `key = value` lines, outside multi-line arrays,
inline tables and strings. A key inside an inline value (`overrides = [{files = ...}]`) gets
the line of the nearest key that has one. Both are used only to word an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

KeyPath = tuple[str | int, ...]
Locate = Callable[[Sequence[str | int]], "int | None"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _nearest(lines: dict[KeyPath, int], path: Sequence[str | int]) -> int | None:
    for length in range(len(path), 0, -1):
        line = lines.get(tuple(path[:length]))
        if line is not None:
            return line
    return None


def yaml_locator(text: str) -> Locate:
    """Lines of the keys of a YAML document; the text is composed on the first question."""
    lines: dict[KeyPath, int] | None = None

    def locate(path: Sequence[str | int]) -> int | None:
        nonlocal lines
        if lines is None:
            lines = _yaml_lines(text)
        return _nearest(lines, path)

    return locate


def _yaml_lines(text: str) -> dict[KeyPath, int]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[KeyPath, int] = {}
    stack: list[tuple[KeyPath, yaml.Node]] = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                lines.setdefault(child, key.start_mark.line + 1)
                stack.append((child, value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                entry = (*path, index)
                lines[entry] = item.start_mark.line + 1
                stack.append((entry, item))
    return lines


def toml_locator(text: str, prefix: KeyPath = ()) -> Locate:
    """Lines of the keys of a TOML document; ``prefix`` is prepended to every question
    (("tool", "monolint") for pyproject.toml)."""
    lines: dict[KeyPath, int] | None = None

    def locate(path: Sequence[str | int]) -> int | None:
        nonlocal lines
        if lines is None:
            lines = toml_lines(text)
        return _nearest(lines, (*prefix, *path))

    return locate


def toml_lines(text: str) -> dict[KeyPath, int]:
    """Each table's and key's path (array-of-tables entries by index) to its first line."""
    lines: dict[KeyPath, int] = {}
    arrays: dict[KeyPath, int] = {}  # an array of tables' path to its last index
    table: KeyPath = ()
    depth, closing = 0, ""  # open brackets of a multi-line value; the quotes that end a multi-line string
    for number, line in enumerate(text.splitlines(), 1):
        if closing:
            end = line.find(closing)
            if end < 0:
                continue
            depth, closing = _scan(line[end + 3 :], depth)
            continue
        if depth:
            depth, closing = _scan(line, depth)
            continue
        stripped = line.strip()
        header = re.fullmatch(r"(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?", stripped) if stripped.startswith("[") else None
        if header is not None:
            parts = _split_key(header.group(2))
            if parts is not None:
                table = _resolve(parts, arrays, header.group(1) == "[[")
                _record(lines, table, number)
            continue
        equals = _equals(line)
        if equals is None:
            continue
        parts = _split_key(line[:equals])
        if parts is not None:
            _record(lines, _resolve(parts, arrays, False, table), number)
        depth, closing = _scan(line[equals + 1 :], 0)
    return lines


def _record(lines: dict[KeyPath, int], path: KeyPath, number: int) -> None:
    for length in range(1, len(path) + 1):
        lines.setdefault(path[:length], number)


def _resolve(parts: list[str], arrays: dict[KeyPath, int], new_entry: bool, table: KeyPath = ()) -> KeyPath:
    """A header's or key's path, with the current index after each array of tables it passes."""
    path = table
    for index, part in enumerate(parts):
        path = (*path, part)
        if index == len(parts) - 1 and new_entry:
            arrays[path] = arrays.get(path, -1) + 1
            return (*path, arrays[path])
        if path in arrays:
            path = (*path, arrays[path])
    return path


def _split_key(text: str) -> list[str] | None:
    """A dotted TOML key's parts (bare, "basic" or 'literal'), or None if it is no key."""
    parts, index, size = [], 0, len(text)
    while True:
        while index < size and text[index] in " \t":
            index += 1
        if index < size and text[index] in "\"'":
            quote = text[index]
            end = index + 1
            while end < size and text[end] != quote:
                end += 2 if quote == '"' and text[end] == "\\" else 1
            if end >= size:
                return None
            raw = text[index : end + 1]
            try:
                parts.append(json.loads(raw) if quote == '"' else raw[1:-1])
            except ValueError:
                parts.append(raw[1:-1])
            index = end + 1
        else:
            bare = _BARE.match(text, index)
            if bare is None:
                return None
            parts.append(bare.group())
            index = bare.end()
        while index < size and text[index] in " \t":
            index += 1
        if index == size:
            return parts
        if text[index] != ".":
            return None
        index += 1


def _equals(line: str) -> int | None:
    """Where a `key = value` line's '=' is (outside quoted key parts), or None."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "=":
            return index
        elif char == "#":
            return None
    return None


def _scan(value: str, depth: int) -> tuple[int, str]:
    """The bracket depth after ``value``, and the quotes of a multi-line string it leaves open."""
    index, size = 0, len(value)
    while index < size:
        char = value[index]
        if char == "#":
            break
        if value.startswith(('"""', "'''"), index):
            delimiter = value[index : index + 3]
            end = value.find(delimiter, index + 3)
            if end < 0:
                return depth, delimiter
            index = end + 3
            continue
        if char in "\"'":
            end = index + 1
            while end < size and value[end] != char:
                end += 2 if char == '"' and value[end] == "\\" else 1
            index = end + 1
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
        index += 1
    return depth, ""
