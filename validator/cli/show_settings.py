"""`monolint check --show-settings PAGE`: the configuration one page is checked with.

Plain data first (``page_settings``), then stable text or JSON; nothing is linted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator.content_model.load import load_content_model
from validator.run.discover import display_path, relative_to

if TYPE_CHECKING:
    from validator.api import Options
    from validator.config.resolver import Resolver


def page_settings(page: str, resolver: Resolver, options: Options, cwd: Path) -> dict[str, Any]:
    """What checking ``page`` would use: its configuration file, root, content model (and
    the pages it applies to), the overrides that match it, the excludes, and each enabled rule with severity and options.
    Raises ConfigError or SchemaError as a run would."""
    absolute = Path(os.path.normpath(cwd / page))
    config = resolver.for_file(absolute)
    relative = relative_to(absolute, config.root) or display_path(absolute, cwd)
    settings = config.settings_for(relative, options.layer())
    given = options.schema or config.schema  # --schema beats the configuration
    schema = None if given is None else (cwd / given).resolve()
    model = load_content_model(schema)  # a model that cannot be used is an error here too
    scope = model.applies_to
    return {
        "page": display_path(absolute, cwd),
        "config": None if config.source is None else display_path(config.source, cwd),
        "root": display_path(config.root, cwd),
        "content_model": None if schema is None else display_path(schema, cwd),
        # None: the model applies to every page it is given
        "applies_to": None if scope is None else {"layouts": list(scope.layouts), "paths": list(scope.paths)},
        "overrides": [
            {"index": index, "files": list(config.overrides[index].files)} for index in config.overrides_for(relative)
        ],
        "exclude": list(config.exclude),
        "respect_gitignore": config.respect_gitignore,
        "rules": [
            {
                "id": rule.id,
                "name": rule.name,
                "severity": settings.severity(rule).value,
                "options": dict(settings.options_for(rule)),
            }
            for rule in settings.enabled
        ],
    }


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _scope_text(scope: dict[str, list[str]] | None) -> str:
    """The model's ``applies_to`` in words: 'layout minimal-medicine; paths content/**'."""
    if scope is None:
        return "every page"
    parts = [f"{key[:-1] if len(values) == 1 else key} {', '.join(values)}" for key, values in scope.items() if values]
    return "; ".join(parts)


def render_text(data: dict[str, Any]) -> str:
    overrides = ", ".join(f"overrides[{item['index']}] ({', '.join(item['files'])})" for item in data["overrides"])
    lines = [
        f"page: {data['page']}",
        f"configuration: {data['config'] or 'none: defaults'}",
        f"root: {data['root']}",
        f"content model: {data['content_model'] or 'built-in'}",
        f"applies to: {_scope_text(data['applies_to'])}",
        f"overrides: {overrides or 'none'}",
        f"exclude: {', '.join(data['exclude']) or 'none'}",
        f"respect-gitignore: {str(data['respect_gitignore']).lower()}",
        f"rules ({len(data['rules'])} enabled):",
    ]
    for rule in data["rules"]:
        options = f" {json.dumps(rule['options'], sort_keys=True)}" if rule["options"] else ""
        lines.append(f"  {rule['id']} {rule['name']} {rule['severity']}{options}")
    return "\n".join(lines) + "\n"
