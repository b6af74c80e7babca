"""docs/content-model.md from schemas/content-model.schema.json: every key of a content model,
with its type, whether it is required, its default, its allowed values, its description and
an example, all read from the schema (`python -m validator.docs.model_doc > docs/content-model.md`).

Keys are named by dotted paths from the top of a content model: ``sections.required[].heading``
is the ``heading`` of each item of the list ``sections.required``, and
``doses.comparison_scopes.*.after`` the ``after`` of each value of the mapping
``doses.comparison_scopes``. A ``$defs`` entry that several keys share, or that describes
another file (the drug-name list), is documented once, in a part of its own.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from validator.content_model.load import META_SCHEMA, builtin_schemas

Schema = Mapping[str, Any]
_DEF_REF = re.compile(r"^#/\$defs/([^/]+)$")
_MAX_DEPTH = 20  # far more than any content model; a $defs entry that refers to itself never ends


@dataclass(frozen=True)
class Entry:
    """One key of the schema, as the page documents it."""

    path: str  # dotted, from the top of the content model (or of its $defs part: "designations[].use")
    node: Schema  # the schema at the key, as written (it may be a "$ref" with siblings)
    view: Schema  # the same with its "$ref" resolved, the siblings taking precedence
    required: bool | None  # None for the items of a list and the values of a mapping
    shared: str | None = None  # the part documenting it, when the node is a shared $defs entry


@dataclass(frozen=True)
class Part:
    """A section of the page: the content model itself, or one $defs entry documented once."""

    name: str  # "" for the content model
    schema: Schema
    entries: tuple[Entry, ...]


def load_meta_schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(builtin_schemas().joinpath(META_SCHEMA).read_text(encoding="utf-8"))
    return result


def parts(root: Schema) -> tuple[Part, ...]:
    """The content model, then each $defs entry that is referenced twice or more (as a whole)
    or never (it describes another file), in the order of $defs."""
    separate = separate_defs(root)
    defs: Mapping[str, Schema] = root.get("$defs", {})
    result = [Part("", root, tuple(_walk(root, root, "", separate)))]
    result += [Part(name, defs[name], tuple(_walk(root, defs[name], name, separate))) for name in separate]
    return tuple(result)


def separate_defs(root: Schema) -> list[str]:
    """The $defs entries documented in parts of their own."""
    counts = Counter(_def_refs(root))
    return [name for name in root.get("$defs", {}) if counts[name] != 1]


def entries(root: Schema) -> Iterator[Entry]:
    """Every key the page documents, part after part."""
    for part in parts(root):
        yield from part.entries


def resolve(root: Schema, node: Schema) -> Schema:
    """``node`` with its local "$ref" (and theirs) resolved; its own keywords take precedence."""
    seen: set[str] = set()
    view = dict(node)
    while "$ref" in view and view["$ref"] not in seen:
        reference = view.pop("$ref")
        seen.add(reference)
        target: Any = root
        for part in reference.removeprefix("#/").split("/"):
            target = target[part]
        view = {**target, **view}
    return view


def _def_refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        found = _DEF_REF.match(str(node.get("$ref", "")))
        if found is not None:
            yield found[1]
        for value in node.values():
            yield from _def_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _def_refs(value)


def _shared(node: Schema, separate: list[str]) -> str | None:
    found = _DEF_REF.match(str(node.get("$ref", "")))
    return found[1] if found is not None and found[1] in separate else None


def _walk(root: Schema, node: Schema, path: str, separate: list[str]) -> Iterator[Entry]:
    """The keys under ``node`` (an object, a list or a mapping), depth first in schema order.
    The items of a list and the values of a mapping get entries of their own only when they
    have keys (a list of strings is described by its key)."""
    view = resolve(root, node)
    required = set(view.get("required", ()))
    for name, child in view.get("properties", {}).items():
        yield from _entry(root, child, f"{path}.{name}" if path else name, name in required, separate)
    for keyword, suffix in (("items", "[]"), ("additionalProperties", ".*" if path else "*")):
        inner = view.get(keyword)
        if isinstance(inner, Mapping) and (_shared(inner, separate) or "properties" in resolve(root, inner)):
            yield from _entry(root, inner, path + suffix, None, separate)


def _entry(root: Schema, node: Schema, path: str, required: bool | None, separate: list[str]) -> Iterator[Entry]:
    if len(re.findall(r"\.|\[\]", path)) > _MAX_DEPTH:
        raise ValueError(f"{path}: the schema nests too deep to document (a recursive $ref?)")
    shared = _shared(node, separate)
    yield Entry(path, node, resolve(root, node), required, shared)
    if shared is None:
        yield from _walk(root, node, path, separate)


def type_of(root: Schema, view: Schema, shared: str | None = None) -> str:
    """The type in words: "integer", "list of strings", "mapping of names to integers"."""
    if shared is not None:
        return f"[{shared}](#{anchor(part_heading(shared))})"
    kind = view.get("type")
    if kind == "array":
        items = view.get("items")
        if isinstance(items, Mapping):
            return f"list of {_plural(type_of(root, resolve(root, items), _shared(items, separate_defs(root))))}"
        return "list"
    if kind == "object" and isinstance(view.get("additionalProperties"), Mapping) and not view.get("properties"):
        values = view["additionalProperties"]
        return (
            f"mapping of names to {_plural(type_of(root, resolve(root, values), _shared(values, separate_defs(root))))}"
        )
    if isinstance(kind, list):
        return " or ".join(kind)
    return str(kind or "any")


def _plural(word: str) -> str:
    if word.startswith("["):
        return f"{word} entries"
    if word in ("object", "string", "integer", "boolean", "number"):
        return word + "s"
    return word


def allowed(view: Schema) -> list[str]:
    """The constraints on a value, in words."""
    found: list[str] = []
    if "enum" in view:
        found.append("one of " + ", ".join(f"`{_inline(value)}`" for value in view["enum"]))
    if "minimum" in view and "maximum" in view:
        found.append(f"{view['minimum']} to {view['maximum']}")
    elif "minimum" in view:
        found.append(f"at least {view['minimum']}")
    elif "maximum" in view:
        found.append(f"at most {view['maximum']}")
    if view.get("minLength"):
        found.append(f"at least {view['minLength']} character{'s' if view['minLength'] != 1 else ''}")
    if "pattern" in view:
        found.append(f"matches `{view['pattern']}`")
    if view.get("format") == "regex":
        found.append("a regular expression (case-insensitive)")
    if view.get("minItems"):
        found.append(f"at least {view['minItems']} item{'s' if view['minItems'] != 1 else ''}")
    if view.get("uniqueItems"):
        found.append("no duplicates")
    items = view.get("items")
    if isinstance(items, Mapping) and view.get("type") == "array" and "properties" not in items:
        found += [f"each item: {constraint}" for constraint in allowed(items) if "$ref" not in items]
    values = view.get("additionalProperties")
    if isinstance(values, Mapping) and "properties" not in values and "$ref" not in values:
        found += [f"each value: {constraint}" for constraint in allowed(values)]
    names = view.get("propertyNames")
    if isinstance(names, Mapping) and "pattern" in names:
        found.append(f"names match `{names['pattern']}`")
    choices = view.get("anyOf")
    if isinstance(choices, list) and all(set(choice) == {"required"} for choice in choices):
        keys = [key for choice in choices for key in choice["required"]]
        found.append("needs at least one of " + ", ".join(f"`{key}`" for key in keys))
    if view.get("additionalProperties") is False:
        found.append("no other keys")
    return found


def _inline(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def part_heading(name: str) -> str:
    return f"`$defs/{name}`" if name else "Keys"


def key_heading(path: str) -> str:
    """A key's heading; a list's items and a mapping's values say so, which also keeps their
    anchors apart from the list's and the mapping's."""
    if path.endswith("[]"):
        return f"`{path}`: each item"
    if path.endswith("*"):
        return f"`{path}`: each value"
    return f"`{path}`"


def anchor(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation other than - and _ dropped."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _example(entry: Entry) -> str:
    value = entry.view["examples"][0]
    key = entry.path.rsplit(".", 1)[-1]
    if key.endswith("[]"):
        data: Any = [value]
    elif key == "*":
        data = value
    else:
        data = {key: value}
    dumped: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
    return dumped.removesuffix("...\n").rstrip("\n")


def _section(root: Schema, entry: Entry) -> list[str]:
    view = entry.view
    path = entry.path
    facts = [f"*{type_of(root, view, entry.shared)}*"]
    if entry.required is not None:
        facts.append("required" if entry.required else "optional")
    if "default" in view:
        facts.append(f"default `{_inline(view['default'])}`")
    lines = [f"### {key_heading(path)}", "", ", ".join(facts) + "."]
    constraints = allowed(view) if entry.shared is None else []
    if constraints:
        lines[-1] += " " + "; ".join(constraints).capitalize() + "."
    lines += ["", str(view.get("description", "")).strip()]
    if view.get("examples"):
        lines += ["", "```yaml", _example(entry), "```"]
    return lines


def render(root: Schema) -> str:
    """The whole page, in Markdown."""
    lines = [
        "# The content model",
        "",
        "<!-- Generated by `python -m validator.docs.model_doc > docs/content-model.md` from",
        "     schemas/content-model.schema.json; do not edit by hand. -->",
        "",
        str(root.get("description", "")),
        "A content model is a YAML file checked against `schemas/content-model.schema.json`;",
        "`schemas/monograph.yaml` is the built-in one, and the examples below are taken from it.",
        "",
        "Keys are written as paths from the top of the file: `a.b` is the key `b` inside `a`,",
        "`a[]` each item of the list `a`, and `a.*` the value of each key of the mapping `a`.",
        "A `$defs` entry of the schema that several keys share, or that describes another file",
        "(the drug-name list), is described once, in a part of its own after the keys.",
        "",
    ]
    all_parts = parts(root)
    users = _users(all_parts)
    headings = [part_heading(part.name) for part in all_parts]
    for part in all_parts:
        lines += [f"## {part_heading(part.name)}", ""]
        if part.name:
            lines += [str(part.schema.get("description", "")).strip(), ""]
            if users.get(part.name):
                lines += [
                    "Used by "
                    + ", ".join(f"[`{path}`](#{anchor(key_heading(path))})" for path in users[part.name])
                    + ".",
                    "",
                ]
        lines += ["| key | type | required | default |", "| --- | --- | --- | --- |"]
        for entry in part.entries:
            required = "—" if entry.required is None else ("yes" if entry.required else "no")
            default = f"`{_inline(entry.view['default'])}`" if "default" in entry.view else ""
            title = entry.path
            headings.append(key_heading(title))
            kind = type_of(root, entry.view, entry.shared)
            lines.append(f"| [`{title}`](#{anchor(key_heading(title))}) | {kind} | {required} | {default} |")
        for entry in part.entries:
            lines += ["", *_section(root, entry)]
        lines.append("")
    duplicates = [name for name, count in Counter(map(anchor, headings)).items() if count > 1]
    if duplicates:  # a link would lead to the first of them
        raise ValueError(f"headings with the same anchor: {', '.join(duplicates)}")
    return "\n".join(lines).rstrip("\n") + "\n"


def _users(all_parts: tuple[Part, ...]) -> dict[str, list[str]]:
    """The keys whose type is each shared part."""
    found: dict[str, list[str]] = {}
    for part in all_parts:
        for entry in part.entries:
            if entry.shared is not None:
                found.setdefault(entry.shared, []).append(entry.path)
    return found


def main() -> None:
    import sys

    sys.stdout.write(render(load_meta_schema()))


if __name__ == "__main__":
    main()
