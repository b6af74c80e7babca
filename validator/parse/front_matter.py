"""Split YAML front matter from the Markdown body and load it with key positions.

python-frontmatter decides where front matter is (its YAML handler's boundary); PyYAML
composes the node graph, which gives every key's position, lets us reject duplicate keys
(PyYAML silently keeps the last) and bound alias expansion before anything is built.

There are two loaders. libyaml (``yaml.CSafeLoader``) is about five times faster, but its
error messages and marks differ from the pure-Python ``yaml.SafeLoader`` and it reads a few
constructs differently. So libyaml only takes front matter free of those constructs that it
loads without any complaint; anything else goes to the pure-Python loader, whose results
(every finding's text and position) are the reference.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from validator.model.front_matter import FrontMatter, FrontMatterProblem, KeyPath, SplitResult
from validator.model.problems import Problem

# A real front matter block has a handful of keys; an alias bomb expands to billions.
MAX_EXPANDED_NODES = 10_000
# libyaml composes nesting without Python recursion, so deep documents that overflow the
# pure-Python composer would load; they are left to the pure-Python loader.
MAX_FAST_DEPTH = 32
_FAST_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
# What libyaml reads otherwise than PyYAML's pure-Python scanner (found by comparing them):
# a tab, a BOM after the start, a comment right after a block scalar header ('|#') and tags
# (libyaml ends them at ',', '[' or ']' and loads an empty node tagged '!' as a string).
_SCANNERS_DIFFER = re.compile(r"[\t\ufeff]|[|>][-+0-9]*#|(?<!\w)!")

_HANDLER = YAMLHandler()


def split_front_matter(text: str) -> SplitResult:
    """Find and load the front matter at the top of ``text``."""
    if not _HANDLER.detect(text):
        return SplitResult(None, 0, (FrontMatterProblem(Problem.FRONT_MATTER_MISSING, _missing_message(text), 0, 0),))
    boundaries = _HANDLER.FM_BOUNDARY.finditer(text) if _HANDLER.FM_BOUNDARY else iter(())
    opening = next(boundaries)
    closing = next(boundaries, None)
    if closing is None:
        end = opening.end()
        problem = FrontMatterProblem(
            Problem.FRONT_MATTER_UNCLOSED, "front matter is opened with '---' but never closed", 0, end
        )
        return SplitResult(FrontMatter(None, 0, end, closed=False), len(text), (problem,))
    fm_start = opening.end() + 1 if text.startswith("\n", opening.end()) else opening.end()
    body_start = closing.end() + 1 if text.startswith("\n", closing.end()) else closing.end()
    data, spans, problems = _load_yaml(text[fm_start : closing.start()], fm_start, text.count("\n", 0, fm_start))
    return SplitResult(FrontMatter(data, 0, body_start, spans), body_start, tuple(problems))


def _missing_message(text: str) -> str:
    if text.strip() == "":
        return "page is empty; it needs front matter and content"
    return "page has no front matter; it must start with a '---' line"


_Loaded = tuple[Any, dict[KeyPath, tuple[int, int]], list[FrontMatterProblem]]


def _load_yaml(fm: str, base: int, line: int = 0) -> _Loaded:
    """Load front matter ``fm``, which starts at offset ``base``, at the start of the page's
    0-based line ``line``."""
    fast = _load_fast(fm, base)
    return fast if fast is not None else _load_pure(fm, base, line)


def _load_fast(fm: str, base: int) -> _Loaded | None:
    """Load with libyaml, or None when the pure-Python loader must decide."""
    if _FAST_LOADER is None or _libyaml_may_differ(fm):
        return None
    try:
        loader = _FAST_LOADER(fm)
    except Exception:
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, []
        sizes: dict[int, int] = {}
        if _expanded_size(node, sizes, set()) > MAX_EXPANDED_NODES:
            return None  # checked before anything is built, as on the pure-Python path
        # Each level of nesting is a distinct node, so a document of few nodes is not deep.
        if len(sizes) > MAX_FAST_DEPTH and _too_deep(node, MAX_FAST_DEPTH):
            return None
        spans: dict[KeyPath, tuple[int, int]] = {}
        problems: list[FrontMatterProblem] = []
        _collect_keys(node, (), base, spans, problems)
        data = loader.construct_document(node)
    except Exception:  # any complaint: the pure-Python loader gives the finding
        return None
    finally:
        loader.dispose()
    return _checked(data, spans, problems, fm, base)


def _libyaml_may_differ(fm: str) -> bool:
    """Whether ``fm`` has something libyaml reads otherwise than PyYAML's pure-Python scanner."""
    # libyaml takes '?' in a flow collection as part of a plain scalar; PyYAML as a key.
    return _SCANNERS_DIFFER.search(fm) is not None or ("?" in fm and ("[" in fm or "{" in fm))


def _load_pure(fm: str, base: int, line: int = 0) -> _Loaded:
    problems: list[FrontMatterProblem] = []
    try:
        # The reader checks every character when it is built: a control character raises here.
        loader = yaml.SafeLoader(fm)
    except yaml.reader.ReaderError as error:
        offset = base + error.position
        message = f"front matter is not valid YAML: character U+{error.character:04X} is not allowed"
        return None, {}, [FrontMatterProblem(Problem.FRONT_MATTER_INVALID_YAML, message, offset, offset + 1)]
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, problems
        sizes: dict[int, int] = {}
        if _expanded_size(node, sizes, set()) > MAX_EXPANDED_NODES:
            end = base + node.end_mark.index
            # ``sizes`` holds each distinct node once: many of them means a huge block, not aliases.
            how = "" if len(sizes) > MAX_EXPANDED_NODES else " through YAML aliases"
            message = f"front matter expands to more than {MAX_EXPANDED_NODES:,} values{how}"
            return None, {}, [FrontMatterProblem(Problem.FRONT_MATTER_INVALID_YAML, message, base, end)]
        spans: dict[KeyPath, tuple[int, int]] = {}
        _collect_keys(node, (), base, spans, problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark, other = _marks(error)
        offset = base + (mark.index if mark else 0)
        message = _yaml_message(error, other, line)
        return None, {}, [FrontMatterProblem(Problem.FRONT_MATTER_INVALID_YAML, message, offset, offset + 1)]
    except (ValueError, TypeError, AttributeError, OverflowError, IndexError) as error:
        # PyYAML's constructors raise these for values that match a tag but cannot be built:
        # "2024-13-45", "!!int x", "!!timestamp x", an int of more than 4,300 digits, an empty
        # "!!float" (IndexError).
        end = base + len(fm.rstrip("\n"))
        message = f"front matter has a value YAML cannot load ({type(error).__name__}: {error})"
        return None, {}, [FrontMatterProblem(Problem.FRONT_MATTER_INVALID_YAML, message, base, end)]
    except yaml.YAMLError as error:
        # A RecursionError (front matter nested deeper than Python's stack) is not caught:
        # the YAML is valid, monolint cannot load it, and the engine reports the limit.
        message = f"front matter is not valid YAML: {type(error).__name__}"
        return None, {}, [FrontMatterProblem(Problem.FRONT_MATTER_INVALID_YAML, message, base, base)]
    finally:
        loader.dispose()
    return _checked(data, spans, problems, fm, base)


def _checked(
    data: Any, spans: dict[KeyPath, tuple[int, int]], problems: list[FrontMatterProblem], fm: str, base: int
) -> _Loaded:
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        end = base + len(fm.rstrip("\n"))
        message = f"front matter must be a mapping of keys to values, not a {kind}"
        problems.append(FrontMatterProblem(Problem.FRONT_MATTER_NOT_MAPPING, message, base, end))
    return data, spans, problems


# PyYAML's context for a block collection marks where the enclosing mapping or list starts,
# often the first key of the front matter: the line the problem is on says more.
_WHOLE_COLLECTION = re.compile(r"while parsing a block (?:mapping|collection)")


def _marks(error: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, yaml.Mark | None]:
    """Where to report a syntax error, and the other mark the message should name.

    PyYAML notices an unclosed flow collection or quote only where something else follows
    it, often lines later; the construct's start (its context mark) is what needs fixing."""
    context, problem = error.context_mark, error.problem_mark
    if context is None or problem is None:
        return context or problem, None
    if _WHOLE_COLLECTION.match(error.context or ""):
        return problem, context
    return context, problem


def _yaml_message(error: yaml.MarkedYAMLError, other: yaml.Mark | None, line: int) -> str:
    parts = [part for part in (error.context, error.problem) if part]
    detail = ", ".join(parts) if parts else "syntax error"
    where = ""
    if other is not None:
        # The page's line and column, as the finding's own position is given.
        noticed = other is error.problem_mark
        label = "noticed at" if noticed else "it starts at"
        where = f" ({label} line {line + other.line + 1}, column {other.column + 1})"
    return f"front matter is not valid YAML: {detail}{where}"


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int]) -> int:
    """How many nodes the document has once aliases are expanded (memoised, so cheap)."""
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:  # a recursive alias expands forever
        return MAX_EXPANDED_NODES + 1
    active.add(key)
    total = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            total += _expanded_size(child, memo, active)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            total += _expanded_size(key_node, memo, active) + _expanded_size(value_node, memo, active)
    active.discard(key)
    memo[key] = total
    return total


def _collect_keys(
    node: yaml.Node,
    path: KeyPath,
    base: int,
    spans: dict[KeyPath, tuple[int, int]],
    problems: list[FrontMatterProblem],
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            span = (base + key_node.start_mark.index, base + key_node.end_mark.index)
            if name in seen:
                message = f"duplicate front matter key '{name}'; YAML keeps only the last value"
                problems.append(FrontMatterProblem(Problem.FRONT_MATTER_DUPLICATE_KEY, message, *span))
            seen.add(name)
            spans.setdefault((*path, name), span)
            _collect_keys(value_node, (*path, name), base, spans, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            spans.setdefault((*path, index), (base + item.start_mark.index, base + item.end_mark.index))
            _collect_keys(item, (*path, index), base, spans, problems)


def _too_deep(node: yaml.Node, levels: int) -> bool:
    """Whether collections nest more than ``levels`` deep (keys included)."""
    if isinstance(node, yaml.SequenceNode):
        children: list[yaml.Node] = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    else:
        return False
    return levels == 0 or any(_too_deep(child, levels - 1) for child in children)
