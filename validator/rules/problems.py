"""Which rule reports each kind of problem the lower layers find: the one place that ties a
``Problem`` to a rule id and name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from validator.model.problems import Problem
from validator.rules import input
from validator.rules.base import Rule

RULE_FOR: Mapping[Problem, Rule] = MappingProxyType(
    {
        Problem.UNREADABLE: input.UNREADABLE_FILE,
        Problem.NOT_UTF8: input.NOT_UTF8,
        Problem.BINARY: input.BINARY_FILE,
        Problem.FRONT_MATTER_MISSING: input.FRONTMATTER_MISSING,
        Problem.FRONT_MATTER_UNCLOSED: input.FRONTMATTER_UNCLOSED,
        Problem.FRONT_MATTER_INVALID_YAML: input.FRONTMATTER_INVALID_YAML,
        Problem.FRONT_MATTER_NOT_MAPPING: input.FRONTMATTER_NOT_MAPPING,
        Problem.FRONT_MATTER_DUPLICATE_KEY: input.FRONTMATTER_DUPLICATE_KEY,
        Problem.BAD_SUPPRESSION: input.BAD_SUPPRESSION,
        # A fix the safety net refuses is a bug in the fix, so it is reported as one.
        Problem.INTERNAL_ERROR: input.INTERNAL_ERROR,
        Problem.FIX_REFUSED: input.INTERNAL_ERROR,
        Problem.FIX_NOT_WRITTEN: input.FIX_NOT_WRITTEN,
        Problem.RESOURCE_LIMIT: input.RESOURCE_LIMIT,
        Problem.WORKER_DIED: input.RESOURCE_LIMIT,
    }
)
