"""One page through the rules: read, decode, parse, run the checks, make findings, apply suppressions."""
