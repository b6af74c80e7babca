"""python -m validator: the same as the monolint command."""

from validator.cli.main import main

if __name__ == "__main__":
    main(prog_name="monolint")
