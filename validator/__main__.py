"""python -m validator: the same as the monolint command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="monolint")
