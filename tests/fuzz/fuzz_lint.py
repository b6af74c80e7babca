"""atheris harness: lint arbitrary bytes with every rule on (see README.md)."""

from __future__ import annotations

from harness import checks, fuzz


def test_one_input(data: bytes) -> None:
    checks.check_lint(data)


if __name__ == "__main__":
    fuzz(test_one_input)
