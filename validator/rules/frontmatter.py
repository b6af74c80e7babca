"""Front matter rules: the loaded front matter against the content model's JSON Schema."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from validator.content_model.scope import AppliesTo, near_miss
from validator.facts.page_facts import PageFacts
from validator.model.finding import Severity
from validator.model.front_matter import FrontMatter
from validator.rules.base import Hit, Rule


def frontmatter_schema(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, model = facts.page, facts.model
    front = page.front_matter
    if front is None or not isinstance(front.data, dict):
        return
    reported: set[tuple[Any, ...]] = set()
    for error in model.front_matter_validator.iter_errors(front.data):
        path = tuple(error.absolute_path)
        reported.add(path[:1])
        if (
            error.validator == "additionalProperties"
            and isinstance(error.instance, dict)
            and isinstance(error.schema, Mapping)
        ):
            for key in _unexpected_keys(error.instance, error.schema):
                start, end = front.span_of((*path, key))
                yield Hit(start, end, f"front matter key '{_dotted((*path, key))}' is not allowed by the schema")
            continue
        start, end = front.span_of(path)
        where = f"front matter key '{_dotted(path)}'" if path else "front matter"
        yield Hit(start, end, f"{where}: {error.message}")
    criteria = model.applies_to
    if criteria is not None and (criteria.layout_key,) not in reported:
        yield from _layout(front, criteria)


FRONTMATTER_SCHEMA = Rule(
    id="MON101",
    name="frontmatter-schema",
    category="frontmatter",
    severity=Severity.ERROR,
    summary="Front matter breaks the page type's JSON Schema",
    rationale="The layout, the title and every other key feed the site template; a wrong layout "
    "renders the page without its styling, an empty title gives an untitled page. Each violation "
    "is reported at the key it concerns (a missing key at the opening '---').",
    check=frontmatter_schema,
)


def _layout(front: FrontMatter, criteria: AppliesTo) -> Iterator[Hit]:
    """A layout the content model's applies_to does not list, on a page checked anyway (a
    near miss, or a page given to the model by path), when the schema has not said so."""
    layouts, key = criteria.layouts, criteria.layout_key
    layout = front.data.get(key)
    if not layouts or layout is None or layout in layouts:
        return
    written = layout if isinstance(layout, str) else str(layout)
    meant = near_miss(written, layouts)
    expected = f"'{meant}'" if meant else " or ".join(f"'{known}'" for known in layouts)
    start, end = front.span_of((key,))
    yield Hit(start, end, f"front matter key '{key}': '{written}' is not the expected layout {expected}")


def _unexpected_keys(instance: dict[str, Any], schema: Mapping[str, Any]) -> list[str]:
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [key for key in instance if key not in known and not any(p.search(str(key)) for p in patterns)]


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in path)
