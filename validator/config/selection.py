"""Which rules run on a file, at which severity and with which options.

Deciding what to report is kept apart from checking (the rules) and from output (formats).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from validator.model.finding import Severity
from validator.rules.base import CATEGORIES, Check, Rule
from validator.rules.registry import ALL_RULES, lookup


class SelectorError(ValueError):
    """A selector that names no rule, id prefix or category."""


def resolve(selector: str, enabling: bool = False) -> tuple[Rule, ...]:
    """Rules named by ALL, a category, an id, an id prefix or a rule name.

    When ``enabling``, a category or an id prefix leaves out the rules that are off by
    default: those are turned on only by their id, their name or ALL.
    """
    key = selector.strip()
    if key.upper() == "ALL":
        return ALL_RULES
    rule = lookup(key)
    if rule is not None:
        return (rule,)
    if key.lower() in CATEGORIES:
        group = tuple(rule for rule in ALL_RULES if rule.category == key.lower())
    elif key.upper().startswith("MON") and any(rule.id.startswith(key.upper()) for rule in ALL_RULES):
        group = tuple(rule for rule in ALL_RULES if rule.id.startswith(key.upper()))
    else:
        raise SelectorError(f"unknown rule selector '{selector}' (use a rule id, name, id prefix, category or ALL)")
    return tuple(rule for rule in group if rule.default_enabled or not enabling)


def resolve_all(selectors: Iterable[str], enabling: bool = False) -> set[str]:
    return {rule.id for selector in selectors for rule in resolve(selector, enabling)}


@dataclass(frozen=True)
class RuleSettings:
    """The effective rule set for one file."""

    enabled: tuple[Rule, ...]
    severities: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def severity(self, rule: Rule) -> Severity:
        return self.severities.get(rule.id, rule.severity)

    def options_for(self, rule: Rule) -> Mapping[str, Any]:
        return self.options.get(rule.id, MappingProxyType(rule.defaults))

    @cached_property
    def checks(self) -> tuple[tuple[Rule, Check, Mapping[str, Any], Severity], ...]:
        """The enabled rules that check pages, with their check, options and severity: worked
        out once, not for every rule on every page."""
        return tuple(
            (rule, rule.check, self.options_for(rule), self.severity(rule))
            for rule in self.enabled
            if rule.check is not None
        )

    @cached_property
    def site(self) -> tuple[tuple[Rule, Severity], ...]:
        """The enabled rules that compare pages, with their severities: a page whose settings
        have none takes no part in them."""
        return tuple((rule, self.severity(rule)) for rule in self.enabled if rule.compare is not None)

    def is_enabled(self, rule_id: str) -> bool:
        return any(rule.id == rule_id for rule in self.enabled)

    @cached_property
    def data(self) -> SettingsData:
        """Plain data (for worker processes and cache keys); ``from_data`` rebuilds it. Worked
        out once: a run asks for it for every page."""
        return SettingsData(
            tuple(rule.id for rule in self.enabled),
            tuple(sorted((rule_id, severity.value) for rule_id, severity in self.severities.items())),
            json.dumps({key: dict(value) for key, value in self.options.items()}, sort_keys=True, default=str),
        )

    @classmethod
    def from_data(cls, data: SettingsData) -> RuleSettings:
        enabled = tuple(rule for rule in ALL_RULES if rule.id in set(data.enabled))
        severities = {rule_id: Severity(value) for rule_id, value in data.severities}
        return cls(enabled, MappingProxyType(severities), MappingProxyType(json.loads(data.options)))


@dataclass(frozen=True)
class SettingsData:
    """RuleSettings as picklable, comparable data: rule ids, severities, options as JSON."""

    enabled: tuple[str, ...]
    severities: tuple[tuple[str, str], ...]
    options: str

    @cached_property
    def key(self) -> str:
        """Part of every page's cache key: worked out once, not for every page."""
        return json.dumps([self.enabled, self.severities, self.options])


@dataclass(frozen=True)
class RuleConfig:
    """One rule's table from the configuration: a severity ("off" disables) and options."""

    severity: str | None
    options: Mapping[str, Any]


@dataclass(frozen=True, eq=False)
class Layer:
    """One level of selection: the top-level config, the command line, or a per-path override."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    rules: Mapping[str, RuleConfig] = field(default_factory=dict)


def build_settings(layers: Sequence[Layer]) -> RuleSettings:
    """Apply layers in order: each may replace the selection, extend it, ignore rules, and
    set severities and options."""
    chosen = {rule.id for rule in ALL_RULES if rule.default_enabled}
    severities: dict[str, Severity] = {}
    options: dict[str, dict[str, Any]] = {}
    for layer in layers:
        if layer.select is not None:
            chosen = resolve_all(layer.select, enabling=True)
        chosen |= resolve_all(layer.extend_select, enabling=True)
        chosen -= resolve_all(layer.ignore)
        for rule_id, config in layer.rules.items():
            if config.severity == "off":
                chosen.discard(rule_id)
            elif config.severity is not None:
                severities[rule_id] = Severity(config.severity)
            if config.options:
                options.setdefault(rule_id, {}).update(config.options)
    enabled = tuple(rule for rule in ALL_RULES if rule.id in chosen)
    merged = {rule.id: {**rule.defaults, **options[rule.id]} for rule in ALL_RULES if rule.id in options}
    return RuleSettings(enabled, MappingProxyType(severities), MappingProxyType(merged))
