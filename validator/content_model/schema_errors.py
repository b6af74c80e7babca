"""A JSON Schema violation in plain words: one line saying the file, the line, the key and
what is allowed, worded from the error's path, schema keyword and value.

    monolint.toml:3: unknown key 'selct' (did you mean 'select'?); allowed keys: exclude, ...
    monolint.toml:5: 'respect-gitignore' must be true or false, not "yes"
    page.yaml:12: sections.level must be an integer from 1 to 6, not 7

Only a file that fails its schema pays for this: jsonschema is imported, and the file's
positions worked out, when there is an error to describe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

KeyPath = tuple[str | int, ...]
Locate = Callable[[Sequence[str | int]], "int | None"]  # a key path to its 1-based line, if known


@dataclass(frozen=True)
class Words:
    """How the file's format names a list and a mapping."""

    array: str = "a list"
    object: str = "a mapping"


YAML_WORDS = Words()
TOML_WORDS = Words(array="an array", object="a table")


def _nowhere(path: Sequence[str | int]) -> int | None:
    return None


@dataclass(frozen=True)
class Where:
    """The file a checked value came from, and how to find a key's line in it."""

    label: str  # the file as shown to the user
    locate: Locate = _nowhere
    words: Words = YAML_WORDS
    base: KeyPath = ()  # where the checked value sits in the file ("rules", "<rule id>")
    top: str = ""  # how to name the checked value itself when it has no key ("[tool.monolint]")

    def at(self, path: Sequence[str | int], message: str) -> str:
        """``message`` prefixed with the file and the line of ``path`` (under ``base``)."""
        line = self.locate((*self.base, *path))
        return f"{self.label}:{line}: {message}" if line is not None else f"{self.label}: {message}"


def first_violation(errors: Iterable[ValidationError], where: Where, lead: str = "") -> str | None:
    """The one-line description of the violation that comes first in the file, or None;
    ``lead`` goes between the place and the description."""
    placed = [(_sort_key(error, where), error) for error in errors]
    if not placed:
        return None
    _, error = min(placed, key=lambda item: item[0])
    path, message = describe(error, where)
    return where.at(path, lead + message)


def _sort_key(error: ValidationError, where: Where) -> tuple[int, int, list[str]]:
    """First in the file first; on one line an unknown key first, since a misspelt key also
    leaves the right one missing."""
    line = where.locate((*where.base, *_location(error)))
    unknown = 0 if error.validator == "additionalProperties" else 1
    return (line if line is not None else 1 << 30, unknown, [str(part) for part in error.absolute_path])


def _location(error: ValidationError) -> KeyPath:
    """The key path whose line the error is about: an unknown key's own line."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extras = _extras(error.instance, error.schema)
        return (*path, extras[0]) if extras else path
    if _from_property_names(error):
        return (*path, str(error.instance))
    return path


def describe(error: ValidationError, where: Where) -> tuple[KeyPath, str]:
    """The key path the error is at, and the error in words (without the file)."""
    path = tuple(error.absolute_path)
    keyword, value = str(error.validator), error.instance
    schema: dict[str, Any] = dict(error.schema) if isinstance(error.schema, dict) else {}
    subject = _subject((*where.base, *path), where.top)
    words = where.words
    if keyword in ("anyOf", "oneOf"):
        alternatives = _alternative_keys(schema.get(keyword, ()))
        if alternatives is not None and isinstance(value, dict):
            return path, f"{subject} needs one of the keys {_quoted(alternatives, 'or')}"
        from jsonschema.exceptions import best_match

        inner = best_match(error.context or ())
        if inner is not None and inner is not error:
            return describe(inner, where)
    if _from_property_names(error):
        named = f"key '{value}' in {subject}" if subject else f"top-level key '{value}'"
        return _location(error), f"{named} must match the pattern {schema.get('pattern')}"
    wording = _MESSAGES.get(keyword)
    message = wording(subject, schema, value, words) if wording else None
    if message is None:
        first = (error.message.strip().splitlines() or ["is not allowed"])[0]
        message = f"{subject}: {first}" if subject else first
    return _location(error), message


def _from_property_names(error: ValidationError) -> bool:
    return "propertyNames" in error.schema_path and isinstance(error.instance, str)


def key_path_name(path: KeyPath) -> str:
    """A key path as messages write it."""
    return _subject(path, "")


def _subject(path: KeyPath, top: str) -> str:
    """A key path as written in messages: 'respect-gitignore' alone, sections.required[2].heading deeper."""
    if not path:
        return top
    if len(path) == 1 and isinstance(path[0], str):
        return f"'{path[0]}'"
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def _value(value: Any, words: Words) -> str:
    if isinstance(value, dict):
        return words.object
    if isinstance(value, list):
        return words.array
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _quoted(names: Sequence[str], last: str = "and") -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {last} " + quoted[-1]


def _extras(instance: dict[str, Any], schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    known = schema.get("properties", {})
    patterns = [re.compile(pattern) for pattern in schema.get("patternProperties", {})]
    return [key for key in instance if key not in known and not any(p.search(key) for p in patterns)]


def _alternative_keys(alternatives: Any) -> list[str] | None:
    """The keys of an anyOf/oneOf whose every branch only requires one key, else None."""
    keys = []
    for branch in alternatives:
        if not (isinstance(branch, dict) and set(branch) == {"required"} and len(branch["required"]) == 1):
            return None
        keys.append(str(branch["required"][0]))
    return keys or None


_TYPES = {
    "boolean": "true or false",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "null": "null",
}


def _type_name(name: str, words: Words) -> str:
    return {"array": words.array, "object": words.object}.get(name) or _TYPES.get(name, name)


def _must(subject: str, what: str) -> str:
    return f"{subject} must {what}" if subject else f"the file must {what}"


Message = Callable[[str, dict[str, Any], Any, Words], "str | None"]


def _type(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    names = schema.get("type")
    if names in ("integer", "number") and any(key in schema for key in _BOUNDS):
        return _range(subject, schema, value, words)  # "an integer from 1 to 6", whatever was wrong
    names = [names] if isinstance(names, str) else list(names or ())
    allowed = " or ".join(_type_name(name, words) for name in names)
    return _must(subject, f"be {allowed}, not {_value(value, words)}")


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _enum(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    choices = [_value(choice, words) for choice in schema.get("enum", ())]
    allowed = choices[0] if len(choices) == 1 else "one of " + ", ".join(choices)
    return _must(subject, f"be {allowed}, not {_value(value, words)}")


def _const(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    return _must(subject, f"be {_value(schema.get('const'), words)}, not {_value(value, words)}")


def _range(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    kind = "an integer" if schema.get("type") == "integer" else "a number"
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        bounds = f"from {low} to {high}"
    elif low is not None:
        bounds = f"of at least {low}"
    elif high is not None:
        bounds = f"of at most {high}"
    elif "exclusiveMinimum" in schema and (not isinstance(value, int | float) or value <= schema["exclusiveMinimum"]):
        bounds = f"greater than {schema['exclusiveMinimum']}"
    else:
        bounds = f"less than {schema.get('exclusiveMaximum')}"
    return _must(subject, f"be {kind} {bounds}, not {_value(value, words)}")


def _length(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if high is not None and isinstance(value, str) and len(value) > high:
        return _must(subject, f"be at most {high} characters long, not {len(value)}")
    if low == 1:
        return _must(subject, "not be an empty string")
    return _must(subject, f"be at least {low} characters long, not {len(value) if isinstance(value, str) else 0}")


def _items(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    low, high = schema.get("minItems"), schema.get("maxItems")
    count = len(value) if isinstance(value, list) else 0
    if high is not None and count > high:
        return _must(subject, f"have at most {high} items, not {count}")
    if low == 1:
        return _must(subject, f"not be an empty {words.array.split()[-1]}")
    return _must(subject, f"have at least {low} items, not {count}")


def _unique(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    seen: list[Any] = []
    for item in value if isinstance(value, list) else ():
        if item in seen:
            return _must(subject, f"not list {_value(item, words)} twice")
        seen.append(item)
    return _must(subject, "not repeat an item")


def _pattern(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    return _must(subject, f"match the pattern {schema.get('pattern')}, not {_value(value, words)}")


def _format(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    name = {"regex": "regular expression"}.get(str(schema.get("format")), str(schema.get("format")))
    return _must(subject, f"be a valid {name}, not {_value(value, words)}")


def _required(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    present = value if isinstance(value, dict) else {}
    missing = [str(key) for key in schema.get("required", ()) if key not in present]
    keys = f"key{'s' if len(missing) > 1 else ''} {_quoted(missing)}"
    return (
        f"{subject} needs the {keys}"
        if subject
        else f"the required {keys} {'are' if len(missing) > 1 else 'is'} missing"
    )


def _additional(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str | None:
    extras = _extras(value if isinstance(value, dict) else {}, schema)
    if not extras:
        return None
    import difflib

    allowed = sorted(schema.get("properties", {}))
    unknown = extras[0]
    close = difflib.get_close_matches(unknown, allowed, n=1, cutoff=0.6)
    message = f"unknown key '{unknown}'" + (f" in {subject}" if subject else "")
    if close:
        message += f" (did you mean '{close[0]}'?)"
    return message + (f"; allowed keys: {', '.join(allowed)}" if allowed else f"; {subject or 'it'} takes no keys")


def _empty_object(subject: str, schema: dict[str, Any], value: Any, words: Words) -> str:
    return _must(subject, f"not be an empty {words.object.split()[-1]}")


_MESSAGES: dict[str, Message] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minimum": _range,
    "maximum": _range,
    "exclusiveMinimum": _range,
    "exclusiveMaximum": _range,
    "minLength": _length,
    "maxLength": _length,
    "minItems": _items,
    "maxItems": _items,
    "uniqueItems": _unique,
    "pattern": _pattern,
    "format": _format,
    "required": _required,
    "additionalProperties": _additional,
    "minProperties": _empty_object,
}
