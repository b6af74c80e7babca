"""Which rule reports each kind of problem the lower layers find: the one place that ties a
``Problem`` to a rule id and name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from validator.model.problems import Problem
from validator.rules.base import Rule
from validator.rules.registry import BY_NAME

RULE_FOR: Mapping[Problem, Rule] = MappingProxyType(
    {
        Problem.UNREADABLE: BY_NAME["unreadable-file"],
        Problem.NOT_UTF8: BY_NAME["not-utf8"],
        Problem.BINARY: BY_NAME["binary-file"],
        Problem.FRONT_MATTER_MISSING: BY_NAME["frontmatter-missing"],
        Problem.FRONT_MATTER_UNCLOSED: BY_NAME["frontmatter-unclosed"],
        Problem.FRONT_MATTER_INVALID_YAML: BY_NAME["frontmatter-invalid-yaml"],
        Problem.FRONT_MATTER_NOT_MAPPING: BY_NAME["frontmatter-not-mapping"],
        Problem.FRONT_MATTER_DUPLICATE_KEY: BY_NAME["frontmatter-duplicate-key"],
        Problem.BAD_SUPPRESSION: BY_NAME["bad-suppression"],
        # A fix the safety net refuses is a bug in the fix, so it is reported as one.
        Problem.INTERNAL_ERROR: BY_NAME["internal-error"],
        Problem.FIX_REFUSED: BY_NAME["internal-error"],
        Problem.FIX_NOT_WRITTEN: BY_NAME["fix-not-written"],
        Problem.RESOURCE_LIMIT: BY_NAME["resource-limit"],
        Problem.WORKER_DIED: BY_NAME["resource-limit"],
    }
)
