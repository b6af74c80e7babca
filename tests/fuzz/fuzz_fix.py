"""atheris harness: fix arbitrary bytes, with the safe fixes and with the unsafe ones too;
no internal error, output that decodes, and fixing twice equals fixing once (see README.md)."""

from __future__ import annotations

from harness import checks, fuzz


def test_one_input(data: bytes) -> None:
    checks.check_fix(data, unsafe=False)
    checks.check_fix(data, unsafe=True)


if __name__ == "__main__":
    fuzz(test_one_input)
