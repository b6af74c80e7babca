"""Documentation generated from the code and schemas: `monolint rules`/`explain`, docs/rules.md, docs/content-model.md."""
