"""What stops a run before any page is checked: settings or paths that cannot be used.

Each is one line for the user (the command line prints it and exits 2). They share a base, so
a front end can catch them without importing the stages that raise them: `monolint --version`
must not load the rules to be able to report a bad configuration."""

from __future__ import annotations


class SettingsError(Exception):
    """Settings, a content model or paths that cannot be used; the message is one line."""
