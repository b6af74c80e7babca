"""Findings out: the output formats, the baseline, and changed-lines filtering."""

# The output formats, each a module of validator.report.formats; defined here so that the
# command line's --format choices name them without importing the formats.
FORMATS = ("text", "json", "github", "sarif", "junit", "gitlab")
