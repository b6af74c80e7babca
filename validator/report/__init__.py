"""Findings out: the output formats, the baseline, and changed-lines filtering."""
