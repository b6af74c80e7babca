"""What the lower layers can find wrong with a file, by kind: they report what happened,
and only ``validator.rules.problems`` says which rule reports each kind."""

from __future__ import annotations

import enum


class Problem(enum.Enum):
    """A kind of problem found while reading, decoding, splitting, checking or fixing a page."""

    # The file as a whole.
    UNREADABLE = enum.auto()  # missing, not a regular file, too large, or the OS refused it
    NOT_UTF8 = enum.auto()  # text in another encoding (UTF-16, Latin-1), or bytes invalid in UTF-8
    BINARY = enum.auto()  # NUL bytes: not text at all
    # The front matter.
    FRONT_MATTER_MISSING = enum.auto()  # the page does not start with '---' (or is empty)
    FRONT_MATTER_UNCLOSED = enum.auto()  # opened with '---', never closed
    FRONT_MATTER_INVALID_YAML = enum.auto()  # not YAML, or more than it may expand to
    FRONT_MATTER_NOT_MAPPING = enum.auto()  # YAML, but a list or a scalar, not key: value pairs
    FRONT_MATTER_DUPLICATE_KEY = enum.auto()  # a key given twice: YAML keeps the last value
    # The page's monolint comments.
    BAD_SUPPRESSION = enum.auto()  # a monolint-disable comment names no known rule
    # monolint itself, or the machine it runs on.
    INTERNAL_ERROR = enum.auto()  # monolint raised while checking the page: a bug
    FIX_REFUSED = enum.auto()  # the fixed text failed the safety net or could not be checked
    FIX_NOT_WRITTEN = enum.auto()  # the fixed text could not be written back
    RESOURCE_LIMIT = enum.auto()  # checking the page ran out of memory or recursion depth
    WORKER_DIED = enum.auto()  # the process checking the page died (killed, crashed)
