"""The `monolint` command: a thin click front end over the API."""
