"""`monolint lsp`: the language server, a thin front end over the API."""
