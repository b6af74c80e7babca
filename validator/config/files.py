"""Find, read and check the configuration: [tool.monolint] in pyproject.toml, or monolint.toml.

The configuration is validated against schemas/config.schema.json, then rule keys and rule
options against the rule registry, so every mistake is one clear line naming the key.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from validator.config.excludes import Excludes
from validator.config.selection import Layer, RuleConfig, RuleSettings, SelectorError, build_settings, resolve_all
from validator.content_model.load import SchemaError, builtin_schemas, check_against, shown_path
from validator.content_model.patterns import patterns_match
from validator.content_model.schema_errors import TOML_WORDS, Where, key_path_name
from validator.model.errors import SettingsError
from validator.rules.registry import lookup

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MONOLINT_TOML, PYPROJECT_TOML = "monolint.toml", "pyproject.toml"
CONFIG_FILES = (MONOLINT_TOML, PYPROJECT_TOML)  # in a folder, the first found is its configuration


class ConfigError(SettingsError):
    """A configuration that cannot be used; the message is one line naming the problem."""


@dataclass(frozen=True)
class Override:
    files: tuple[str, ...]
    layer: Layer


@dataclass(frozen=True, eq=False)
class Config:
    root: Path  # paths in the configuration are relative to this folder
    source: Path | None  # the file it came from; None when there is none
    schema: Path | None = None
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    base: Layer = field(default_factory=Layer)
    overrides: tuple[Override, ...] = ()
    baseline: Path | None = None  # the baseline file runs and the language server report against

    @cached_property
    def excludes(self) -> Excludes:
        """What this configuration leaves out of a folder's walk."""
        return Excludes(self.root, self.exclude, self.respect_gitignore)

    def settings_for(self, relative: str, command_line: Layer) -> RuleSettings:
        """The rule settings for a file, given its path relative to ``root`` (posix style)."""
        return _settings(self, command_line, self.overrides_for(relative))

    def overrides_for(self, relative: str) -> tuple[int, ...]:
        """The indexes of the overrides whose ``files`` match a path relative to ``root``."""
        return tuple(i for i, override in enumerate(self.overrides) if _matches(override.files, relative))


@lru_cache(maxsize=64)
def _settings(config: Config, command_line: Layer, overrides: tuple[int, ...]) -> RuleSettings:
    layers = [config.base, command_line, *(config.overrides[i].layer for i in overrides)]
    return build_settings(layers)


def _matches(patterns: Sequence[str], relative: str) -> bool:
    return patterns_match(tuple(patterns), relative)


def find_config(start: Path) -> Path | None:
    """The nearest monolint.toml, or pyproject.toml with a [tool.monolint] table, upward."""
    for folder in (start, *start.parents):
        found = config_in(folder)
        if found is not None:
            return found
    return None


def config_in(folder: Path) -> Path | None:
    """The configuration file in ``folder`` itself: monolint.toml, else a pyproject.toml
    with a [tool.monolint] table, else None."""
    for name in CONFIG_FILES:
        candidate = folder / name
        if candidate.is_file() and (name != PYPROJECT_TOML or _has_tool_table(candidate)):
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # Broken TOML that seems to configure monolint is an error to report, not to skip.
        return "tool.monolint" in text
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("monolint"), dict)


def load_config(path: Path | None, cwd: Path) -> Config:
    """Read ``path`` (or the config found from ``cwd`` upward); no file gives the defaults."""
    if path is None:
        path = find_config(cwd)
        if path is None:
            return Config(root=cwd, source=None)
    return read_config(path, path.parent.resolve())


def read_config(path: Path, root: Path) -> Config:
    """Read and check one configuration file; paths in it are relative to ``root``."""
    shown = shown_path(str(path))
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        raise ConfigError(f"cannot read {shown}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ConfigError(f"{shown}:{line}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_error(shown, str(error))) from None
    from validator.content_model.key_lines import toml_locator

    if path.name == PYPROJECT_TOML:
        table = data.get("tool", {}).get("monolint", {})
        where = Where(shown, toml_locator(text, ("tool", "monolint")), TOML_WORDS, top="[tool.monolint]")
    else:
        table, where = data, Where(shown, toml_locator(text), TOML_WORDS)
    return parse_config(table, root, path, where)


def _toml_error(shown: str, message: str) -> str:
    """tomllib's message, with its position moved to the front as file:line."""
    import re

    position = re.search(r" \(at line (\d+), column \d+\)$", message)
    if position is None:
        return f"{shown}: not valid TOML: {message.removesuffix(' (at end of document)')} at the end of the file"
    return f"{shown}:{position.group(1)}: not valid TOML: {message[: position.start()]}"


def parse_config(table: Mapping[str, Any], root: Path, source: Path | None, where: Where | str) -> Config:
    """Check a configuration table (``where`` names its file, and finds its keys' lines)."""
    where = Where(where, words=TOML_WORDS) if isinstance(where, str) else where
    try:
        check_against(table, _config_schema(), where)
    except SchemaError as error:
        raise ConfigError(str(error)) from None
    base = _layer(table, where)
    overrides = tuple(
        Override(tuple(item["files"]), _layer(item, replace(where, base=("overrides", index))))
        for index, item in enumerate(table.get("overrides", ()))
    )
    schema = root / table["schema"] if "schema" in table else None
    exclude = (*table.get("exclude", ()), *table.get("extend-exclude", ()))
    baseline = root / table["baseline"] if "baseline" in table else None
    respect_gitignore = table.get("respect-gitignore", True)
    return Config(root, source, schema, tuple(exclude), respect_gitignore, base, overrides, baseline)


@lru_cache(maxsize=1)
def _config_schema() -> dict[str, Any]:
    import json

    return dict(json.loads(builtin_schemas().joinpath("config.schema.json").read_text(encoding="utf-8")))


def _layer(table: Mapping[str, Any], where: Where) -> Layer:
    for key in ("select", "extend-select", "ignore"):
        try:
            resolve_all(table.get(key, ()))
        except SelectorError as error:
            raise ConfigError(where.at((key,), f"{key_path_name((*where.base, key))}: {error}")) from None
    rules = {}
    for key, settings in table.get("rules", {}).items():
        rule = lookup(key)
        if rule is None:
            inside = f" in {key_path_name((*where.base, 'rules'))}" if where.base else ""
            raise ConfigError(where.at(("rules", key), f"unknown rule '{key}'{inside} (see 'monolint rules')"))
        options = {name: value for name, value in settings.items() if name != "severity"}
        schema = {"type": "object", "properties": dict(rule.options), "additionalProperties": False}
        try:
            check_against(options, schema, replace(where, base=(*where.base, "rules", key)))
        except SchemaError as error:
            raise ConfigError(str(error)) from None
        rules[rule.id] = RuleConfig(settings.get("severity"), options)
    return Layer(
        select=table.get("select"),
        extend_select=tuple(table.get("extend-select", ())),
        ignore=tuple(table.get("ignore", ())),
        rules=rules,
    )
